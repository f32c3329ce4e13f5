#include "host/services/protocols/perf/perf.h"

#include <boost/endian/conversion.hpp>

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace prowl::protocols {
namespace asio = boost::asio;

namespace {

constexpr size_t kHeaderBytes = 8;

/// One period of the pattern, built on first use.
std::span<const uint8_t> pattern_period() {
  static const std::vector<uint8_t> period = [] {
    std::vector<uint8_t> p(kPerfChunkBytes);
    for (size_t i = 0; i < p.size(); ++i) p[i] = perf_pattern_byte(i);
    return p;
  }();
  return period;
}

/// Writes `count` pattern bytes in chunks; calls `progress(n)` after each.
template <typename Progress>
asio::awaitable<void> send_pattern(swarm::Stream& stream, uint64_t count, Progress&& progress) {
  const std::span<const uint8_t> period = pattern_period();
  while (count > 0) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(count, period.size()));
    co_await stream.write(period.first(n));
    count -= n;
    progress(n);
  }
}

/// True when `data`, received at stream `offset`, equals the pattern there.
bool matches_pattern(uint64_t offset, std::span<const uint8_t> data) {
  const std::span<const uint8_t> period = pattern_period();
  size_t done = 0;
  while (done < data.size()) {
    const size_t at = static_cast<size_t>((offset + done) % period.size());
    const size_t n = std::min(data.size() - done, period.size() - at);
    if (std::memcmp(data.data() + done, period.data() + at, n) != 0) return false;
    done += n;
  }
  return true;
}

}  // namespace

asio::awaitable<PerfServed> serve_perf(swarm::Stream& stream, uint64_t max_download_bytes) {
  std::array<uint8_t, kHeaderBytes> header;
  co_await stream.read_exact(header);
  uint64_t requested = 0;
  std::memcpy(&requested, header.data(), header.size());
  boost::endian::big_to_native_inplace(requested);
  if (requested > max_download_bytes) {
    stream.reset();
    throw swarm::StreamError("perf: request for " + std::to_string(requested) +
                             " bytes exceeds the limit of " + std::to_string(max_download_bytes));
  }
  PerfServed served;
  const auto buffer = std::make_unique_for_overwrite<uint8_t[]>(kPerfChunkBytes);
  for (;;) {
    const size_t n = co_await stream.read_some({buffer.get(), kPerfChunkBytes});
    if (n == 0) break;
    served.uploaded += n;
  }
  co_await send_pattern(stream, requested, [&](size_t n) { served.sent += n; });
  co_await stream.close_write();
  co_return served;
}

asio::awaitable<PerfReport> run_perf(swarm::Stream& stream, PerfRequest request,
                                     const std::function<void(const PerfReport&)>& report) {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point start =
      request.start == Clock::time_point{} ? Clock::now() : request.start;
  Clock::time_point last_report = start;
  PerfReport interval;
  auto maybe_report = [&] {
    const Clock::time_point now = Clock::now();
    if (now - last_report < request.report_interval) return;
    interval.seconds = std::chrono::duration<double>(now - last_report).count();
    report(interval);
    interval = PerfReport{};
    last_report = now;
  };

  std::array<uint8_t, kHeaderBytes> header;
  const uint64_t wanted = boost::endian::native_to_big(request.download_bytes);
  std::memcpy(header.data(), &wanted, header.size());
  co_await stream.write(header);
  co_await send_pattern(stream, request.upload_bytes, [&](size_t n) {
    interval.upload_bytes += n;
    maybe_report();
  });
  co_await stream.close_write();

  const auto buffer = std::make_unique_for_overwrite<uint8_t[]>(kPerfChunkBytes);
  uint64_t received = 0;
  for (;;) {
    const size_t n = co_await stream.read_some({buffer.get(), kPerfChunkBytes});
    if (n == 0) break;
    if (n > request.download_bytes - received) {
      stream.reset();
      throw swarm::StreamError("perf: the server sent more than the " +
                               std::to_string(request.download_bytes) + " bytes requested");
    }
    if (request.check_pattern && !matches_pattern(received, {buffer.get(), n})) {
      stream.reset();
      throw swarm::StreamError("perf: the bytes received at offset " + std::to_string(received) +
                               " differ from the pattern");
    }
    received += n;
    interval.download_bytes += n;
    maybe_report();
  }
  if (received != request.download_bytes) {
    throw swarm::StreamError("perf: the server sent " + std::to_string(received) + " of the " +
                             std::to_string(request.download_bytes) + " bytes requested");
  }
  PerfReport final_report{true, std::chrono::duration<double>(Clock::now() - start).count(),
                          request.upload_bytes, request.download_bytes};
  report(final_report);
  co_return final_report;
}

}  // namespace prowl::protocols
