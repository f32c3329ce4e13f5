#!/usr/bin/env bash
# The test job: set up, build, and pass every test (unit, integration,
# interop with js-libp2p, fuzz-corpus replay) under ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
cd build
ctest --output-on-failure -j"${PROWL_JOBS:-$(nproc)}" --timeout 300 "$@"
