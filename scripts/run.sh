#!/usr/bin/env bash
# The main job: set up, build, and run a headless prowl host with every
# shipped plugin loaded. Stop it with Ctrl-C (SIGINT) or SIGTERM.
# Arguments go to `prowl run` (see `build/prowl run --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
exec build/prowl run --plugins build/plugins --data "${PROWL_DATA_DIR:-$PWD/build/data}" "$@"
