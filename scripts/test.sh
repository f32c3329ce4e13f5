#!/usr/bin/env bash
# The test job: set up, build, and pass every test (unit, integration,
# interop with js-libp2p, fuzz-corpus replay) under ctest.
#   scripts/test.sh [--sanitize address|thread] [ctest args...]
# --sanitize address  builds with clang 19, ASan and UBSan into build-asan
#                     (with the libFuzzer binaries, see README's Fuzzing);
# --sanitize thread   builds with clang 19 and TSan into build-tsan;
#   either runs every test but the interop (js-libp2p peers) and netns ones
#   (ctest -LE 'interop|netns'), and installs clang 19 first if it is missing.
# Other arguments go to ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
sanitize=
if [[ ${1:-} == --sanitize ]]; then
  sanitize=${2:?--sanitize needs address or thread}
  shift 2
fi
case "$sanitize" in
  "")
    scripts/setup.sh
    scripts/build.sh
    cd build
    exec ctest --output-on-failure -j"${PROWL_JOBS:-$(nproc)}" --timeout 300 "$@" ;;
  # The ASan tree also builds the libFuzzer binaries (PROWL_FUZZ=ON adds only
  # coverage counters to what ASan instruments anyway): one clang tree, not two.
  address) dir=build-asan; extra=(-DPROWL_FUZZ=ON) ;;
  thread) dir=build-tsan; extra=(-DPROWL_FUZZ=OFF) ;;
  *) echo "test: --sanitize takes address or thread, not '$sanitize'" >&2; exit 2 ;;
esac
scripts/setup.sh --clang
# Warnings are the default (GCC) build's gate; clang 19 would also stop on
# libstdc++ 12's own deprecated get_temporary_buffer (in std::stable_sort).
CC=clang-19 CXX=clang++-19 scripts/build.sh --dir "$dir" -DCMAKE_C_COMPILER=clang-19 \
  -DCMAKE_CXX_COMPILER=clang++-19 -DPROWL_SANITIZE="$sanitize" -DPROWL_BUILD_BENCH=OFF \
  -DPROWL_WERROR=OFF "${extra[@]}"
export PATH=/usr/lib/llvm-19/bin:$PATH  # its llvm-symbolizer names the frames of every report
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1}
cd "$dir"
exec ctest --output-on-failure -j"${PROWL_JOBS:-$(nproc)}" --timeout 900 -LE 'interop|netns' "$@"
