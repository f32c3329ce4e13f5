#include "host/swarm/negotiate.h"

#include <array>

namespace prowl::swarm {

boost::asio::awaitable<void> negotiate(YamuxStream& stream, multistream::Negotiation& negotiation) {
  std::array<uint8_t, 2048> buffer;
  for (;;) {
    if (auto out = negotiation.take_output(); !out.empty()) co_await stream.write(out);
    if (negotiation.status().state != multistream::State::kInProgress) break;
    const size_t n = co_await stream.read_some(buffer);
    if (n == 0) throw StreamError("stream closed by the peer during protocol negotiation");
    negotiation.on_bytes(std::span(buffer).first(n));
  }
  if (negotiation.status().state == multistream::State::kFailed)
    throw StreamError("protocol negotiation failed: " + negotiation.status().error,
                      negotiation.status().no_common_protocol ? StatusCode::kUnsupported : StatusCode::kInvalidInput);
  stream.set_protocol(negotiation.protocol());
  stream.unread(negotiation.take_leftover());
}

}  // namespace prowl::swarm
