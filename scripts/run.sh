#!/usr/bin/env bash
# The main job: set up, build, and run a headless prowl host with every
# shipped plugin loaded. Stop it with Ctrl-C (SIGINT) or SIGTERM.
# Arguments go to `prowl run` (see `build/bin/prowl run --help`); without
# any, it listens on a free loopback TCP port and prints its full address, with
# mDNS off (--no-mdns): a loopback host has nothing to announce on the local
# network, and this demo sends no packet beyond loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# Only what runs: prowl and the shipped plugins (the target prowl_runtime), not
# the tests, fuzz replays and tools that scripts/test.sh builds. It shares
# ./build with scripts/test.sh, so neither rebuilds what the other compiled
# (a separate build dir configured without tests would compile everything
# twice on a machine that runs both).
scripts/build.sh --target prowl_runtime
args=("$@")
((${#args[@]})) || args=(--listen /ip4/127.0.0.1/tcp/0 --no-mdns)
exec build/bin/prowl run --plugins build/plugins --data "${PROWL_DATA_DIR:-$PWD/build/data}" "${args[@]}"
