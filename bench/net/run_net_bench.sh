#!/usr/bin/env bash
# prowl's connection stack against js-libp2p's, on one machine over loopback
# TCP, each peer in its own process. Prints one markdown table (the one in
# docs/benchmarks.md): perf throughput for every dialer -> listener pairing,
# connection set-up + one round trip, and ping round trips.
#   bench/net/run_net_bench.sh --prowl PATH/TO/prowl [--bytes N] [--runs N]
#                              [--pings N] [--connects N] [--transport tcp|ws]
#                              [--prowl-only]
# --prowl-only measures the prowl -> prowl row alone (no js peer started).
# Needs Node.js and `npm ci` in tests/interop/js. Takes a few minutes.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/tests/interop/lib.sh"

BYTES=$((1 << 30)) RUNS=3 PINGS=2000 CONNECTS=300 TRANSPORT=tcp IMPLS="prowl js"
while (($#)); do
  case "$1" in
    --prowl) PROWL_BIN="$2"; shift 2 ;;
    --bytes) BYTES="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --pings) PINGS="$2"; shift 2 ;;
    --connects) CONNECTS="$2"; shift 2 ;;
    --transport) TRANSPORT="$2"; shift 2 ;;
    --prowl-only) IMPLS=prowl; shift ;;
    *) interop_fail "unknown argument '$1'" ;;
  esac
done
export PROWL_BIN
interop_init
interop_peer prowl >/dev/null  # checks PROWL_BIN
LIMIT=900
case "$TRANSPORT" in
  tcp) regex='^/ip4/127\.0\.0\.1/tcp/[0-9]+/p2p/' ;;
  ws) regex='^/ip4/127\.0\.0\.1/tcp/[0-9]+/ws/p2p/' ;;
  *) interop_fail "unknown transport '$TRANSPORT' (tcp or ws)" ;;
esac
out="$INTEROP_TMP/out"

# json FILE EXPR: evaluates EXPR over the last JSON line of FILE (as `last`).
json() {
  node -e 'const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").filter(l => l.startsWith("{")).map(JSON.parse);
    const last = lines.at(-1); console.log(eval(process.argv[2]))' "$1" "$2"
}
median() { printf '%s\n' "$@" | sort -g | sed -n "$((($# + 1) / 2))p"; }

declare -A LISTENERS
for impl in $IMPLS; do
  interop_start_listener "addr_$impl" "$(interop_peer "$impl" listen) --transport $TRANSPORT --perf --lifetime 3600" "$regex"
  ref="addr_$impl"
  LISTENERS[$impl]="${!ref}"
done

# perf DIALER LISTENER up|down: median MB/s (10^6 bytes/s) over RUNS runs.
perf() {
  local dialer="$1" listener="$2" direction="$3" up=0 down=0 runs=()
  if [[ $direction == up ]]; then up=$BYTES; else down=$BYTES; fi
  for _ in $(seq "$RUNS"); do
    interop_expect_ok "$out" "$LIMIT" "$(interop_peer "$dialer") perf ${LISTENERS[$listener]} --upload-bytes $up --download-bytes $down --timeout $LIMIT"
    runs+=("$(json "$out" 'last.type === "final" ? ((last.uploadBytes + last.downloadBytes) / last.timeSeconds / 1e6).toFixed(0) : NaN')")
  done
  median "${runs[@]}"
}

# ping DIALER LISTENER: "p50 / p99" ms of PINGS round trips on one stream.
ping_rtt() {
  interop_expect_ok "$out" "$LIMIT" "$(interop_peer "$1") ping ${LISTENERS[$2]} --count $PINGS --timeout $LIMIT"
  json "$out" '`${last.p50Ms.toFixed(3)} / ${last.p99Ms.toFixed(3)}`'
}

# connect DIALER LISTENER: "p50 / p99" ms of dial + Noise + Yamux + ping stream + one round trip.
connect_rtt() {
  local cmd
  if [[ $1 == js ]]; then
    cmd="node $INTEROP_JS_DIR/connect-rtt.mjs ${LISTENERS[$2]} --count $CONNECTS --timeout $LIMIT"
  else
    cmd="$(interop_peer prowl bench-connect) ${LISTENERS[$2]} --iterations $CONNECTS --timeout $LIMIT"
  fi
  interop_expect_ok "$out" "$LIMIT" "$cmd"
  json "$out" '`${last.p50Ms.toFixed(3)} / ${last.p99Ms.toFixed(3)}`'
}

echo "| dialer -> listener ($TRANSPORT) | perf upload MB/s | perf download MB/s | connect + 1 round trip p50 / p99 ms | ping RTT p50 / p99 ms |"
echo "| --- | ---: | ---: | ---: | ---: |"
for pair in "prowl prowl" "js js" "prowl js" "js prowl"; do
  read -r dialer listener <<<"$pair"
  [[ " $IMPLS " == *" $dialer "* && " $IMPLS " == *" $listener "* ]] || continue
  echo "| $dialer -> $listener | $(perf "$dialer" "$listener" up) | $(perf "$dialer" "$listener" down) | $(connect_rtt "$dialer" "$listener") | $(ping_rtt "$dialer" "$listener") |"
done
echo
echo "perf: $BYTES bytes one way per run, median of $RUNS runs, time includes the dial; connect: $CONNECTS fresh connections; ping: $PINGS round trips of 32 bytes on one stream. $(nproc) CPUs, $(uname -m)."
