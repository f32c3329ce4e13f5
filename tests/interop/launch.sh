#!/usr/bin/env bash
# ctest entry point of an interop test: exits 77 (skipped) when the js peers'
# packages are not installed, else runs the .sh script with bash or the .mjs
# script with node, passing the remaining arguments.
#   launch.sh SCRIPT [ARG...]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
interop_require_js
script="$1"
shift
case "$script" in
  *.sh) exec bash "$script" "$@" ;;
  *.mjs) exec node "$script" "$@" ;;
  *) interop_fail "interop test script '$script' must end in .sh or .mjs" ;;
esac
