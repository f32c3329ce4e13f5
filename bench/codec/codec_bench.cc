// Codec throughput through the plugin boundary against the library called
// directly with the same parameters, on a 4 MiB mixed JSON/binary payload.
//
// For each codec and operation, one benchmark runs three paths on the same
// payload in every iteration (order rotated, each charged its own thread CPU
// time, so all three see the same machine load):
//   direct   the library's one-shot API into a buffer reused across runs;
//   plugin   the codec plugin loaded by the host registry, called through its
//            vtable (Plugin::compress/decompress) into a reused OutputBuffer;
//   service  CodecService::compress_into/decompress_into (frame header too).
// Counters give each path's MB/s and the plugin/direct and service/direct
// throughput ratios; a table repeats them at the end. compress/auto measures
// the auto codec through the service, trial included; its label names the
// codec it picked.
#include <benchmark/benchmark.h>
#include <brotli/decode.h>
#include <brotli/encode.h>
#include <lz4.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "host/plugin_host/codec/codec_service.h"
#include "host/plugin_host/codec/frame.h"
#include "host/plugin_host/loader/registry.h"
#include "plugins/codecs/common/test_data.h"

namespace {

using Bytes = std::vector<uint8_t>;
constexpr size_t kPayloadBytes = 4 << 20;

// One-shot direct calls. compress writes into out (sized to the bound) and
// returns the bytes written; decompress fills out (sized to the original).
using DirectCompress = size_t (*)(std::span<const uint8_t> in, int32_t level, Bytes& out);
using DirectDecompress = size_t (*)(std::span<const uint8_t> in, Bytes& out);

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "bench_codec: %s failed\n", what);
    std::abort();
  }
}

size_t zstd_compress(std::span<const uint8_t> in, int32_t level, Bytes& out) {
  static ZSTD_CCtx* cctx = ZSTD_createCCtx();
  const size_t n = ZSTD_compressCCtx(cctx, out.data(), out.size(), in.data(), in.size(), level);
  check(!ZSTD_isError(n), "ZSTD_compressCCtx");
  return n;
}
size_t zstd_decompress(std::span<const uint8_t> in, Bytes& out) {
  static ZSTD_DCtx* dctx = ZSTD_createDCtx();
  const size_t n = ZSTD_decompressDCtx(dctx, out.data(), out.size(), in.data(), in.size());
  check(!ZSTD_isError(n), "ZSTD_decompressDCtx");
  return n;
}

size_t lz4_compress(std::span<const uint8_t> in, int32_t /*level*/, Bytes& out) {
  const int n = LZ4_compress_default(reinterpret_cast<const char*>(in.data()),
                                     reinterpret_cast<char*>(out.data()),
                                     static_cast<int>(in.size()), static_cast<int>(out.size()));
  check(n > 0, "LZ4_compress_default");
  return static_cast<size_t>(n);
}
size_t lz4_decompress(std::span<const uint8_t> in, Bytes& out) {
  const int n = LZ4_decompress_safe(reinterpret_cast<const char*>(in.data()),
                                    reinterpret_cast<char*>(out.data()),
                                    static_cast<int>(in.size()), static_cast<int>(out.size()));
  check(n >= 0, "LZ4_decompress_safe");
  return static_cast<size_t>(n);
}

size_t gzip_compress(std::span<const uint8_t> in, int32_t level, Bytes& out) {
  z_stream zs{};
  check(deflateInit2(&zs, level == 0 ? Z_DEFAULT_COMPRESSION : level, Z_DEFLATED, 15 + 16, 8,
                     Z_DEFAULT_STRATEGY) == Z_OK, "deflateInit2");
  zs.next_in = const_cast<Bytef*>(in.data());
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = out.data();
  zs.avail_out = static_cast<uInt>(out.size());
  check(deflate(&zs, Z_FINISH) == Z_STREAM_END, "deflate");
  deflateEnd(&zs);
  return zs.total_out;
}
size_t gzip_decompress(std::span<const uint8_t> in, Bytes& out) {
  z_stream zs{};
  check(inflateInit2(&zs, 15 + 16) == Z_OK, "inflateInit2");
  zs.next_in = const_cast<Bytef*>(in.data());
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = out.data();
  zs.avail_out = static_cast<uInt>(out.size());
  check(inflate(&zs, Z_FINISH) == Z_STREAM_END, "inflate");
  inflateEnd(&zs);
  return zs.total_out;
}

size_t xz_compress(std::span<const uint8_t> in, int32_t level, Bytes& out) {
  size_t pos = 0;
  check(lzma_easy_buffer_encode(level == 0 ? LZMA_PRESET_DEFAULT : static_cast<uint32_t>(level),
                                LZMA_CHECK_CRC64, nullptr, in.data(), in.size(), out.data(),
                                &pos, out.size()) == LZMA_OK, "lzma_easy_buffer_encode");
  return pos;
}
size_t xz_decompress(std::span<const uint8_t> in, Bytes& out) {
  uint64_t memlimit = uint64_t{128} << 20;
  size_t in_pos = 0;
  size_t out_pos = 0;
  check(lzma_stream_buffer_decode(&memlimit, 0, nullptr, in.data(), &in_pos, in.size(), out.data(),
                                  &out_pos, out.size()) == LZMA_OK, "lzma_stream_buffer_decode");
  return out_pos;
}

size_t brotli_compress(std::span<const uint8_t> in, int32_t level, Bytes& out) {
  size_t n = out.size();
  check(BrotliEncoderCompress(level == 0 ? BROTLI_DEFAULT_QUALITY : level, BROTLI_DEFAULT_WINDOW,
                              BROTLI_MODE_GENERIC, in.size(), in.data(), &n, out.data()),
        "BrotliEncoderCompress");
  return n;
}
size_t brotli_decompress(std::span<const uint8_t> in, Bytes& out) {
  size_t n = out.size();
  check(BrotliDecoderDecompress(in.size(), in.data(), &n, out.data()) == BROTLI_DECODER_RESULT_SUCCESS,
        "BrotliDecoderDecompress");
  return n;
}

struct CodecSpec {
  const char* name;
  int32_t level;  // the same on every path
  DirectCompress compress;
  DirectDecompress decompress;
};

// Defaults, except brotli 5 and xz 1 (the auto codec's trial levels): their
// defaults take seconds per iteration on this payload.
const CodecSpec kSpecs[] = {
    {"zstd", 0, &zstd_compress, &zstd_decompress},
    {"lz4", 0, &lz4_compress, &lz4_decompress},
    {"gzip", 0, &gzip_compress, &gzip_decompress},
    {"xz", 1, &xz_compress, &xz_decompress},
    {"brotli", 5, &brotli_compress, &brotli_decompress},
};

struct Fixture {
  Bytes payload = prowl::codecs::mixed_payload(kPayloadBytes, 1);
  prowl::plugins::Registry registry;
  std::unique_ptr<prowl::codec::CodecService> service;

  Fixture() {
    registry.load_directory(PROWL_CODEC_PLUGIN_DIR);
    service = std::make_unique<prowl::codec::CodecService>(registry);
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

const prowl::plugins::Plugin& plugin_of(const CodecSpec& spec) {
  const auto* p = fixture().registry.find(PROWL_KIND_CODEC, spec.name);
  check(p != nullptr, "finding the codec plugin");
  return *p;
}

// Raw compressed payload (no frame), checked to decode back to the payload.
Bytes packed(const CodecSpec& spec) {
  const Bytes& in = fixture().payload;
  Bytes out(2 * in.size() + 65536);
  out.resize(spec.compress(in, spec.level, out));
  Bytes back(in.size());
  check(spec.decompress(out, back) == in.size() && back == in, "direct round trip");
  return out;
}

double thread_cpu_seconds() noexcept {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// One operation on each path; each returns the bytes it produced.
struct Paths {
  std::function<size_t()> direct;
  std::function<size_t()> plugin;
  std::function<size_t()> service;
};

// Runs the three paths back to back in every iteration, rotating their
// order, and charges each the CPU time of its own calls: both sides of a
// ratio see the same machine load, which on a shared machine matters more
// than any difference between them.
void run_paired(benchmark::State& state, const Paths& paths) {
  const std::function<size_t()>* fns[] = {&paths.direct, &paths.plugin, &paths.service};
  double seconds[3] = {0, 0, 0};
  size_t rotation = 0;
  for (auto _ : state) {
    for (size_t k = 0; k < 3; ++k) {
      const size_t i = (rotation + k) % 3;
      const double start = thread_cpu_seconds();
      benchmark::DoNotOptimize((*fns[i])());
      seconds[i] += thread_cpu_seconds() - start;
    }
    ++rotation;
  }
  const double bytes = static_cast<double>(state.iterations()) * kPayloadBytes;
  state.counters["direct_MBps"] = bytes / seconds[0] / 1e6;
  state.counters["plugin_MBps"] = bytes / seconds[1] / 1e6;
  state.counters["service_MBps"] = bytes / seconds[2] / 1e6;
  state.counters["plugin/direct"] = seconds[0] / seconds[1];
  state.counters["service/direct"] = seconds[0] / seconds[2];
}

void bench_compress(benchmark::State& state, const CodecSpec& spec) {
  const Bytes& in = fixture().payload;
  const auto& plugin = plugin_of(spec);
  Bytes direct_out(2 * in.size() + 65536);
  prowl::plugins::OutputBuffer plugin_out;
  prowl::plugins::OutputBuffer service_out;
  std::string used;
  const Paths paths{
      [&] { return spec.compress(in, spec.level, direct_out); },
      [&] {
        plugin_out.clear();
        check(plugin.compress(in, spec.level, plugin_out.writer(), &used).ok(), "plugin compress");
        return plugin_out.size();
      },
      [&] {
        fixture().service->compress_into(spec.name, in, spec.level, service_out);
        return service_out.size();
      }};
  run_paired(state, paths);
  state.counters["ratio"] = static_cast<double>(in.size()) / static_cast<double>(plugin_out.size());
}

void bench_decompress(benchmark::State& state, const CodecSpec& spec) {
  const Bytes& in = fixture().payload;
  const auto& plugin = plugin_of(spec);
  const Bytes raw = packed(spec);
  const Bytes frame = fixture().service->compress(spec.name, in, spec.level);
  Bytes direct_out(in.size());
  prowl::plugins::OutputBuffer plugin_out(in.size());
  prowl::plugins::OutputBuffer service_out;
  const Paths paths{
      [&] { return spec.decompress(raw, direct_out); },
      [&] {
        plugin_out.clear();
        check(plugin.decompress(raw, in.size(), plugin_out.writer()).ok(), "plugin decompress");
        return plugin_out.size();
      },
      [&] {
        fixture().service->decompress_into(frame, service_out);
        return service_out.size();
      }};
  run_paired(state, paths);
  check(std::equal(in.begin(), in.end(), plugin_out.data()) &&
            std::equal(in.begin(), in.end(), service_out.data()),
        "plugin round trip");
}

void bench_compress_auto(benchmark::State& state) {
  const Bytes& in = fixture().payload;
  prowl::plugins::OutputBuffer out;
  for (auto _ : state) fixture().service->compress_into("auto", in, 0, out);
  std::string error;
  const auto header = prowl::codec::parse_frame_header(out.bytes(), &error);
  check(header.has_value(), "parsing the auto frame");
  state.SetLabel("picked " + header->codec);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * in.size()));
  state.counters["ratio"] = static_cast<double>(in.size()) / static_cast<double>(out.size());
}

// Prints the usual console output, then one table of the paired results
// (the median of the repetitions when --benchmark_repetitions is set).
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      const bool median = run.run_type == Run::RT_Aggregate && run.aggregate_name == "median";
      if (run.run_type == Run::RT_Aggregate && !median) continue;
      const std::string& name = run.run_name.function_name;
      if (!median && medians_.count(name)) continue;
      if (median) medians_[name] = true;
      for (const auto& [key, counter] : run.counters) results_[name][key] = counter.value;
    }
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    std::printf("\n%-8s %-10s %8s %8s %8s %13s %14s  (MB/s)\n", "codec", "op", "direct",
                "plugin", "service", "plugin/direct", "service/direct");
    for (const CodecSpec& spec : kSpecs) {
      for (const char* op : {"compress", "decompress"}) {
        const auto it = results_.find(std::string(op) + "/" + spec.name);
        if (it == results_.end()) continue;
        auto& r = it->second;
        std::printf("%-8s %-10s %8.1f %8.1f %8.1f %13.3f %14.3f\n", spec.name, op,
                    r["direct_MBps"], r["plugin_MBps"], r["service_MBps"], r["plugin/direct"],
                    r["service/direct"]);
      }
    }
  }

 private:
  std::map<std::string, std::map<std::string, double>> results_;
  std::map<std::string, bool> medians_;
};

}  // namespace

int main(int argc, char** argv) {
  for (const CodecSpec& spec : kSpecs) {
    benchmark::RegisterBenchmark(("compress/" + std::string(spec.name)).c_str(), &bench_compress, spec)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("decompress/" + std::string(spec.name)).c_str(), &bench_decompress, spec)
        ->Unit(benchmark::kMillisecond);
  }
  benchmark::RegisterBenchmark("compress/auto", &bench_compress_auto)->Unit(benchmark::kMillisecond);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
