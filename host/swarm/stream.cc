#include "host/swarm/stream.h"

namespace prowl::swarm {

boost::asio::awaitable<void> Stream::read_exact(std::span<uint8_t> buffer) {
  const size_t wanted = buffer.size();
  while (!buffer.empty()) {
    const size_t n = co_await read_some(buffer);
    if (n == 0)
      throw StreamError("stream " + protocol() + " ended after " + std::to_string(wanted - buffer.size()) + " of " +
                        std::to_string(wanted) + " expected bytes");
    buffer = buffer.subspan(n);
  }
}

}  // namespace prowl::swarm
