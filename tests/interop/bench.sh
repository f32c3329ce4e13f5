#!/usr/bin/env bash
# Throughput and latency of one listener/dialer pairing over loopback; the
# numbers behind docs/benchmarks.md. Not a ctest test (it takes minutes).
#   bench.sh --listener js|prowl --dialer js|prowl --transport tcp|ws
#            [--runs 3] [--bytes 268435456] [--pings 1000] [--connects 200]
# Prints one JSON line per measurement:
#   {"metric":"perf-upload"|"perf-download","runs":[MB/s...],"medianMBps":...}
#   {"metric":"ping", ...p50Ms/p99Ms}  (one stream, sequential 32-byte round trips)
#   {"metric":"connect-rtt", ...p50Ms/p99Ms}  (js dialer only: dial + Noise + Yamux
#                                             + ping stream + one round trip)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

LISTENER=js DIALER=js TRANSPORT=tcp RUNS=3 BYTES=$((256 << 20)) PINGS=1000 CONNECTS=200
while (($#)); do
  case "$1" in
    --listener) LISTENER="$2"; shift 2 ;;
    --dialer) DIALER="$2"; shift 2 ;;
    --transport) TRANSPORT="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --bytes) BYTES="$2"; shift 2 ;;
    --pings) PINGS="$2"; shift 2 ;;
    --connects) CONNECTS="$2"; shift 2 ;;
    *) interop_fail "unknown argument '$1'" ;;
  esac
done
interop_init
DIAL_PEER="$(interop_peer "$DIALER")"
LIMIT=600
case "$TRANSPORT" in
  tcp) regex='^/ip4/127\.0\.0\.1/tcp/[0-9]+/p2p/' ;;
  ws) regex='^/ip4/127\.0\.0\.1/tcp/[0-9]+/ws/p2p/' ;;
  *) interop_fail "unknown transport '$TRANSPORT' (tcp or ws)" ;;
esac
interop_start_listener ADDR "$(interop_peer "$LISTENER" listen) --transport $TRANSPORT --perf --lifetime 3600" "$regex"
out="$INTEROP_TMP/out"
label="\"listener\":\"$LISTENER\",\"dialer\":\"$DIALER\",\"transport\":\"$TRANSPORT\""

# Prints the run's throughput in MB/s (10^6 bytes per second) from a perf final line.
throughput() {
  node -e 'const f = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse).at(-1);
    if (f.type !== "final") throw new Error("no final perf line");
    console.log(((f.uploadBytes + f.downloadBytes) / f.timeSeconds / 1e6).toFixed(1))' "$1"
}

for direction in upload download; do
  runs=()
  for _ in $(seq "$RUNS"); do
    up=0 down=0
    if [[ $direction == upload ]]; then up=$BYTES; else down=$BYTES; fi
    interop_expect_ok "$out" "$LIMIT" "$DIAL_PEER perf $ADDR --upload-bytes $up --download-bytes $down --timeout $LIMIT"
    runs+=("$(throughput "$out")")
  done
  median="$(printf '%s\n' "${runs[@]}" | sort -n | sed -n "$(((RUNS + 1) / 2))p")"
  echo "{\"metric\":\"perf-$direction\",$label,\"bytes\":$BYTES,\"runs\":[$(IFS=,; echo "${runs[*]}")],\"medianMBps\":$median}"
done

interop_expect_ok "$out" "$LIMIT" "$DIAL_PEER ping $ADDR --count $PINGS --timeout $LIMIT"
echo "{\"metric\":\"ping\",$label,$(tail -1 "$out" | sed 's/^{"type":"summary",//')"

if [[ $DIALER == js ]]; then
  interop_expect_ok "$out" "$LIMIT" "node $INTEROP_JS_DIR/connect-rtt.mjs $ADDR --count $CONNECTS --timeout $LIMIT"
  echo "{\"metric\":\"connect-rtt\",$label,$(tail -1 "$out" | sed 's/^{"type":"connect-rtt","transport":"[a-z]*",//')"
fi
