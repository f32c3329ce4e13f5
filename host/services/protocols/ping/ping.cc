#include "host/services/protocols/ping/ping.h"

#include <sodium.h>

#include <array>
#include <string>

#include "host/base/identity/sodium_init.h"

namespace prowl::protocols {

namespace asio = boost::asio;

asio::awaitable<uint64_t> serve_ping(swarm::Stream& stream, uint64_t max_pings) {
  std::array<uint8_t, kPingPayloadBytes> payload;
  uint64_t pings = 0;
  for (;;) {
    size_t filled = 0;
    while (filled < payload.size()) {
      const size_t n = co_await stream.read_some(std::span(payload).subspan(filled));
      if (n == 0) break;
      filled += n;
    }
    if (filled == 0) break;  // the remote closed between pings: done
    if (filled < payload.size()) {
      stream.reset();
      throw swarm::StreamError("ping: stream ended after " + std::to_string(filled) + " of " +
                               std::to_string(kPingPayloadBytes) + " payload bytes");
    }
    if (pings == max_pings) {
      stream.reset();
      throw swarm::StreamError("ping: more than " + std::to_string(max_pings) +
                               " pings on one stream");
    }
    co_await stream.write(payload);
    ++pings;
  }
  co_await stream.close_write();
  co_return pings;
}

asio::awaitable<std::chrono::nanoseconds> PingClient::round_trip() {
  std::array<uint8_t, kPingPayloadBytes> payload;
  std::array<uint8_t, kPingPayloadBytes> echo;
  identity::ensure_sodium_initialized();
  randombytes_buf(payload.data(), payload.size());
  const auto start = std::chrono::steady_clock::now();
  co_await stream_.write(payload);
  co_await stream_.read_exact(echo);
  const auto rtt = std::chrono::steady_clock::now() - start;
  if (echo != payload) throw swarm::StreamError("ping: the echo differs from the payload sent");
  co_return std::chrono::duration_cast<std::chrono::nanoseconds>(rtt);
}

asio::awaitable<void> PingClient::finish() {
  co_await stream_.close_write();
  uint8_t extra = 0;
  if (co_await stream_.read_some({&extra, 1}) != 0) {
    stream_.reset();
    throw swarm::StreamError("ping: the listener sent bytes after the last echo");
  }
}

}  // namespace prowl::protocols
