#!/usr/bin/env bash
# Configures and builds prowl (warnings are errors).
#   scripts/build.sh [--dir DIR] [--target TARGET]... [cmake configure args...]
# --dir      the build directory (default: build)
# --target   build only this target (repeatable; default: everything). The
#            target prowl_runtime is the prowl executable and the shipped
#            plugins, what scripts/run.sh needs.
# Other arguments go to cmake's configure step.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=build
targets=()
configure=()
while (($#)); do
  case "$1" in
    --dir) dir=${2:?--dir needs a directory}; shift 2 ;;
    --target) targets+=(--target "${2:?--target needs a target name}"); shift 2 ;;
    *) configure+=("$1"); shift ;;
  esac
done
jobs=${PROWL_JOBS:-$(nproc)}
# ccache (when setup installed it) hashes paths relative to the checkout, so
# clones in other folders (CI's, a second worktree) share compiled objects.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-true}
generator=()
command -v ninja >/dev/null && [[ ! -f $dir/Makefile ]] && generator=(-G Ninja)
cmake -S . -B "$dir" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPROWL_WERROR=ON "${configure[@]}"
cmake --build "$dir" -j"$jobs" "${targets[@]}"
