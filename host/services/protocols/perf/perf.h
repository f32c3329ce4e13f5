// /perf/1.0.0 (libp2p specs, perf/perf.md): the client writes the number of
// bytes it wants back as a big-endian u64, uploads its bytes and closes its
// side; the server drains the upload to the end, sends the requested bytes
// and closes. prowl sends the byte pattern perf_pattern_byte() so a prowl
// client can check what arrived; js-libp2p sends zeros, so checking is optional.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string_view>

#include "host/swarm/stream.h"

namespace prowl::protocols {

inline constexpr std::string_view kPerfProtocol = "/perf/1.0.0";
/// The size of each read and write of a perf exchange.
inline constexpr size_t kPerfChunkBytes = 256 * 1024;
/// The most a server sends back for one request unless told otherwise (1 TiB).
inline constexpr uint64_t kMaxPerfDownloadBytes = uint64_t{1} << 40;

/// The byte at `offset` of the pattern prowl sends (period kPerfChunkBytes).
constexpr uint8_t perf_pattern_byte(uint64_t offset) noexcept {
  const uint64_t i = offset % kPerfChunkBytes;
  return static_cast<uint8_t>(i * 7 + (i >> 8) + (i >> 16));
}

/// One progress line of a perf run, in the shape of the libp2p perf harness.
struct PerfReport {
  bool final = false;      ///< false: the interval since the last report; true: the whole run
  double seconds = 0;
  uint64_t upload_bytes = 0;
  uint64_t download_bytes = 0;
};

/// What the server moved for one request.
struct PerfServed {
  uint64_t uploaded = 0;  ///< bytes the client sent after the header
  uint64_t sent = 0;      ///< bytes sent back
};

/// Serves one perf request on `stream`. Throws swarm::StreamError when the
/// stream fails, ends inside the 8-byte header, or asks for more than
/// `max_download_bytes` (the stream is reset then).
boost::asio::awaitable<PerfServed> serve_perf(swarm::Stream& stream,
                                              uint64_t max_download_bytes = kMaxPerfDownloadBytes);

/// Options of one client run.
struct PerfRequest {
  uint64_t upload_bytes = 0;
  uint64_t download_bytes = 0;
  bool check_pattern = false;  ///< the server is prowl: verify every byte received
  /// When the run started (e.g. before opening the stream); now when unset.
  std::chrono::steady_clock::time_point start{};
  /// Interval between intermediary reports.
  std::chrono::milliseconds report_interval{1000};
};

/// Runs one perf exchange as the client on a stream that negotiated
/// kPerfProtocol. Calls `report` with intermediary reports about once per
/// interval and returns the final one (also passed to `report`). Throws
/// swarm::StreamError when the stream fails, the server sends more or fewer
/// bytes than requested, or (check_pattern) a byte differs from the pattern.
boost::asio::awaitable<PerfReport> run_perf(swarm::Stream& stream, PerfRequest request,
                                            const std::function<void(const PerfReport&)>& report);

}  // namespace prowl::protocols
