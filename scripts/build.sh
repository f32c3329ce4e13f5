#!/usr/bin/env bash
# Configures and builds prowl into ./build (warnings are errors).
# Extra arguments go to cmake's configure step.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${PROWL_JOBS:-$(nproc)}
generator=()
command -v ninja >/dev/null && [[ ! -f build/Makefile ]] && generator=(-G Ninja)
cmake -S . -B build "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPROWL_WERROR=ON "$@"
cmake --build build -j"$jobs"
