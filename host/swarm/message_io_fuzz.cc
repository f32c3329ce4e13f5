// Fuzzes read_message over an in-memory stream. Byte 0 sets the size limit
// (times 16), byte 1 how many bytes each read_some() delivers at most (1 +
// byte % 64); the rest is what the peer sent. Messages are read until the end
// of the stream or an error. Checks: every message respects the limit, only
// StreamError is thrown, and the messages read, framed again, are exactly the
// bytes consumed (read_message never reads past a message).
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "host/base/encoding/varint.h"
#include "host/base/identity/key_pair.h"
#include "host/swarm/message_io.h"

namespace {

namespace asio = boost::asio;
using prowl::swarm::Stream;

// Delivers fixed bytes in reads of at most `chunk`, then end of stream.
class BytesStream : public Stream {
 public:
  BytesStream(std::span<const uint8_t> bytes, size_t chunk) : bytes_(bytes), chunk_(chunk) {}

  asio::awaitable<size_t> read_some(std::span<uint8_t> buffer) override {
    const size_t n = std::min({buffer.size(), chunk_, bytes_.size() - consumed_});
    std::memcpy(buffer.data(), bytes_.data() + consumed_, n);
    consumed_ += n;
    co_return n;
  }
  asio::awaitable<void> write(std::span<const uint8_t>) override { co_return; }
  asio::awaitable<void> close_write() override { co_return; }
  void reset() noexcept override {}
  const std::string& protocol() const noexcept override { return protocol_; }
  const prowl::identity::PeerId& remote_peer() const noexcept override {
    static const auto peer = prowl::identity::PeerId::from_public_key(prowl::identity::KeyPair::generate().public_key());
    return peer;
  }

  size_t consumed() const { return consumed_; }

 private:
  std::span<const uint8_t> bytes_;
  size_t chunk_;
  size_t consumed_ = 0;
  std::string protocol_ = "/fuzz/1.0.0";
};

// What reading every message produced.
struct Outcome {
  std::vector<uint8_t> reframed;  ///< the messages, framed again
  bool done = false;
  bool clean = false;  ///< ended at the end of the stream, not with an error
};

asio::awaitable<void> read_all(BytesStream& stream, size_t limit, Outcome& outcome) {
  try {
    while (auto message = co_await prowl::swarm::read_message(stream, limit)) {
      if (message->size() > limit) std::abort();
      prowl::encoding::append_varint(outcome.reframed, message->size());
      outcome.reframed.insert(outcome.reframed.end(), message->begin(), message->end());
    }
    outcome.clean = true;
  } catch (const prowl::swarm::StreamError&) {
  }
  outcome.done = true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const size_t limit = size_t{data[0]} * 16;
  BytesStream stream(std::span(data + 2, size - 2), 1 + data[1] % 64);
  Outcome outcome;
  asio::io_context io;
  asio::co_spawn(io, read_all(stream, limit, outcome), [](std::exception_ptr e) {
    if (e) std::abort();  // anything but StreamError escaped
  });
  io.run();
  if (!outcome.done) std::abort();
  // A clean end: the messages are the whole input. An error: they are a
  // prefix of what was consumed.
  const std::vector<uint8_t>& reframed = outcome.reframed;
  if (outcome.clean && (stream.consumed() != size - 2 || reframed.size() != size - 2)) std::abort();
  if (reframed.size() > stream.consumed() || !std::equal(reframed.begin(), reframed.end(), data + 2)) std::abort();
  return 0;
}
