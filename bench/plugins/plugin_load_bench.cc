// Time to load plugins through the registry: every plugin in the build's
// plugins directory on its own, and the whole directory at once (reported
// per plugin). Libraries stay mapped after the first load, so the steady
// state measured is the host's own work: file read, ELF and manifest checks,
// permission checks, symbol lookup, and the library's entry registering its
// plugins (each checked against the manifest and created with its context).
//   bench_plugin_load [DIR] [benchmark flags]
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "host/plugin_host/loader/registry.h"

namespace {

namespace fs = std::filesystem;

void load_one(benchmark::State& state, const fs::path& file) {
  for (auto _ : state) {
    prowl::plugins::Registry registry;
    const auto& record = registry.load_file(file);
    if (!record.loaded) {
      state.SkipWithError(record.refusal.c_str());
      return;
    }
    benchmark::DoNotOptimize(&record);
  }
}

void load_directory(benchmark::State& state, const fs::path& dir, size_t plugins) {
  for (auto _ : state) {
    prowl::plugins::Registry registry;
    registry.load_directory(dir);
    benchmark::DoNotOptimize(registry.records().data());
  }
  state.counters["per_plugin"] = benchmark::Counter(
      static_cast<double>(plugins), benchmark::Counter::kIsIterationInvariantRate |
                                        benchmark::Counter::kInvert);
}

}  // namespace

int main(int argc, char** argv) {
  fs::path dir = PROWL_BENCH_PLUGIN_DIR;
  if (argc > 1 && argv[1][0] != '-') {
    dir = argv[1];
    --argc;
    ++argv;
  }
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".so") files.push_back(entry.path());
  }
  if (ec || files.empty()) {
    std::fprintf(stderr, "no plugins in %s: build them first\n", dir.string().c_str());
    return 1;
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& file : files) {
    benchmark::RegisterBenchmark(("load_file/" + file.filename().string()).c_str(), load_one, file)
        ->Unit(benchmark::kMicrosecond);
  }
  benchmark::RegisterBenchmark("load_directory/all", load_directory, dir, files.size())
      ->Unit(benchmark::kMicrosecond);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
