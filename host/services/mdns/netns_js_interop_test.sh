#!/usr/bin/env bash
# prowl and js-libp2p (@libp2p/mdns) discover each other over mDNS, each in
# its own network namespace on a veth pair. Skipped (77) without node or the
# packages of tests/interop/js (npm ci there).
#   netns_js_interop_test.sh <mdns_node binary> <tests/interop/js directory>
set -euo pipefail
node_bin=${1:?usage: netns_js_interop_test.sh <mdns_node binary> <js dir>}
js_dir=${2:?usage: netns_js_interop_test.sh <mdns_node binary> <js dir>}
if ! command -v node >/dev/null 2>&1 || [[ ! -d $js_dir/node_modules/@libp2p/mdns ]]; then
  echo "SKIP: needs node and @libp2p/mdns in $js_dir/node_modules"
  exit 77
fi
source "$(dirname "$0")/netns_lib.sh"

# Node resolves packages from the script's own directory: run a copy beside
# a link to the interop packages.
cp "$(dirname "$0")/netns_js_peer.mjs" "$WORK/peer.mjs"
ln -s "$(cd "$js_dir" && pwd)/node_modules" "$WORK/node_modules"

run_in_ns "$NS_A" "$WORK/prowl" "$node_bin" --mdns-interface "$VETH_A" \
  --listen "/ip4/$ADDR_A/tcp/4001" --expect 1 --timeout-ms 15000 --linger-ms 3000 --interval-ms 1000
pid_prowl=$LAST_PID
run_in_ns "$NS_B" "$WORK/js" node "$WORK/peer.mjs" "/ip4/$ADDR_B/tcp/4002" 15000 3000
pid_js=$LAST_PID
status=0
wait "$pid_prowl" || status=1
wait "$pid_js" || status=1
id_prowl=$(awk '$1 == "self" {print $2}' "$WORK/prowl")
id_js=$(awk '$1 == "self" {print $2}' "$WORK/js")
expect_discovery "$WORK/prowl" "$id_js" "/ip4/$ADDR_B/tcp/4002" || status=1
expect_discovery "$WORK/js" "$id_prowl" "/ip4/$ADDR_A/tcp/4001" || status=1
if [[ $status -ne 0 ]]; then
  echo "prowl:"; cat "$WORK/prowl" "$WORK/prowl.err"
  echo "js:"; cat "$WORK/js" "$WORK/js.err"
fi
exit $status
