#include "host/testing/memory_stream_pair.h"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <deque>

namespace prowl::protocols::testing {
namespace asio = boost::asio;

namespace {

// One direction of the pair.
struct Pipe {
  explicit Pipe(asio::any_io_executor executor) : wake(executor) {}
  void notify() { wake.cancel(); }

  std::deque<uint8_t> bytes;
  bool fin = false;
  bool reset = false;
  asio::steady_timer wake;
};

class MemoryStream : public swarm::Stream {
 public:
  MemoryStream(std::shared_ptr<Pipe> in, std::shared_ptr<Pipe> out, std::string protocol,
               identity::PeerId remote)
      : in_(std::move(in)), out_(std::move(out)), protocol_(std::move(protocol)),
        remote_(std::move(remote)) {}

  asio::awaitable<size_t> read_some(std::span<uint8_t> buffer) override {
    while (in_->bytes.empty() && !in_->fin && !in_->reset) {
      in_->wake.expires_at(asio::steady_timer::time_point::max());
      boost::system::error_code ignored;
      co_await in_->wake.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    }
    if (in_->reset) throw swarm::StreamError("memory stream reset");
    const size_t n = std::min(buffer.size(), in_->bytes.size());
    std::copy_n(in_->bytes.begin(), n, buffer.begin());
    in_->bytes.erase(in_->bytes.begin(), in_->bytes.begin() + static_cast<std::ptrdiff_t>(n));
    co_return n;
  }

  asio::awaitable<void> write(std::span<const uint8_t> data) override {
    if (out_->reset) throw swarm::StreamError("memory stream reset");
    if (out_->fin) throw swarm::StreamError("memory stream: write after close_write");
    out_->bytes.insert(out_->bytes.end(), data.begin(), data.end());
    out_->notify();
    co_return;
  }

  asio::awaitable<void> close_write() override {
    out_->fin = true;
    out_->notify();
    co_return;
  }

  void reset() noexcept override {
    in_->reset = out_->reset = true;
    in_->notify();
    out_->notify();
  }

  const std::string& protocol() const noexcept override { return protocol_; }
  const identity::PeerId& remote_peer() const noexcept override { return remote_; }

 private:
  std::shared_ptr<Pipe> in_;
  std::shared_ptr<Pipe> out_;
  std::string protocol_;
  identity::PeerId remote_;
};

}  // namespace

std::pair<std::shared_ptr<swarm::Stream>, std::shared_ptr<swarm::Stream>> memory_stream_pair(
    asio::any_io_executor executor, const std::string& protocol, const identity::PeerId& a_peer,
    const identity::PeerId& b_peer) {
  auto a_to_b = std::make_shared<Pipe>(executor);
  auto b_to_a = std::make_shared<Pipe>(executor);
  return {std::make_shared<MemoryStream>(b_to_a, a_to_b, protocol, b_peer),
          std::make_shared<MemoryStream>(a_to_b, b_to_a, protocol, a_peer)};
}

}  // namespace prowl::protocols::testing
