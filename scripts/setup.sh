#!/usr/bin/env bash
# Installs everything prowl needs on Debian 12 (run as root): compilers, the
# libraries it links, and the js-libp2p peers used by the interop tests.
# Safe to run again; it skips what is already there.
#   scripts/setup.sh [--clang]
# --clang  also installs clang 19 with its sanitizer and libFuzzer runtimes and
#          llvm-symbolizer, for scripts/test.sh --sanitize and the fuzzers
#          (Debian 12's default clang 14 cannot build prowl's coroutines with -g).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  libboost1.81-dev libsodium-dev libssl-dev rapidjson-dev libspdlog-dev libtbb-dev
  libprotobuf-dev protobuf-compiler libcli11-dev libelf-dev libsqlite3-dev libldns-dev
  libzstd-dev liblz4-dev zlib1g-dev liblzma-dev libbrotli-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  iproute2
)
case "${1:-}" in
  --clang) packages+=(clang-19 libclang-rt-19-dev llvm-19) ;;
  "") ;;
  *) echo "setup: unknown option '$1' (the only option is --clang)" >&2; exit 2 ;;
esac
# Node.js 20 with npm ships on the machine image; Debian's own nodejs is only a fallback.
command -v node >/dev/null || packages+=(nodejs npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# js-libp2p peers for the interop tests (versions pinned by package-lock.json).
if [[ -f tests/interop/js/package-lock.json ]]; then
  (cd tests/interop/js && { [[ -d node_modules ]] && npm ls --silent >/dev/null 2>&1 || npm ci --no-audit --no-fund --loglevel=error; })
fi
