#include "transports/memory/memory_transport.h"

#include <boost/asio/error.hpp>
#include <boost/system/system_error.hpp>

#include <deque>

#include "host/base/multiaddr/protocol.h"
#include "transports/core/notifier.h"

namespace prowl::transport {
namespace {

namespace asio = boost::asio;

// Accepted streams waiting for accept(); more are refused.
constexpr size_t kBacklog = 128;

class MemoryListener : public Listener {
 public:
  MemoryListener(asio::any_io_executor executor, std::shared_ptr<MemoryNetwork> network,
                 const multiaddr::Multiaddr& address)
      : network_(std::move(network)), arrived_(executor) {
    address_ = network_->bind(address, executor, [this](std::unique_ptr<ByteStream> stream) {
      if (queue_.size() >= kBacklog) return false;
      queue_.push_back(std::move(stream));
      arrived_.notify();
      return true;
    });
  }
  ~MemoryListener() override { close(); }

  asio::awaitable<std::unique_ptr<ByteStream>> accept() override {
    for (;;) {
      if (closed_) throw boost::system::system_error(asio::error::operation_aborted, "memory accept");
      if (!queue_.empty()) {
        auto stream = std::move(queue_.front());
        queue_.pop_front();
        co_return stream;
      }
      co_await arrived_.wait();
    }
  }

  const multiaddr::Multiaddr& address() const noexcept override { return address_; }

  void close() noexcept override {
    if (closed_) return;
    closed_ = true;
    network_->unbind(address_);
    queue_.clear();
    arrived_.notify();
  }

 private:
  std::shared_ptr<MemoryNetwork> network_;
  Notifier arrived_;
  multiaddr::Multiaddr address_;
  std::deque<std::unique_ptr<ByteStream>> queue_;
  bool closed_ = false;
};

}  // namespace

MemoryTransport::MemoryTransport(asio::any_io_executor executor, std::shared_ptr<MemoryNetwork> network)
    : executor_(std::move(executor)), network_(std::move(network)) {}

bool MemoryTransport::handles(const multiaddr::Multiaddr& address) const {
  const auto endpoint = address.tcp_endpoint();
  if (!endpoint || (endpoint->host_protocol != multiaddr::kIp4 && endpoint->host_protocol != multiaddr::kIp6))
    return false;
  const auto& components = address.components();
  return components.size() == 2 || (components.size() == 3 && components[2].code == multiaddr::kP2p);
}

asio::awaitable<std::unique_ptr<ByteStream>> MemoryTransport::dial(const multiaddr::Multiaddr& address) {
  co_return network_->connect(address, executor_);
}

std::unique_ptr<Listener> MemoryTransport::listen(const multiaddr::Multiaddr& address) {
  return std::make_unique<MemoryListener>(executor_, network_, address);
}

}  // namespace prowl::transport
