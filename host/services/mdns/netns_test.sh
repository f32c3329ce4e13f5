#!/usr/bin/env bash
# Two prowl nodes in two network namespaces joined by a veth pair discover
# each other over mDNS: each must report the other's peer id and announced
# address within a few seconds.
#   netns_test.sh <mdns_node binary>
set -euo pipefail
node_bin=${1:?usage: netns_test.sh <mdns_node binary>}
source "$(dirname "$0")/netns_lib.sh"

common=(--expect 1 --timeout-ms 8000 --linger-ms 3000 --interval-ms 1000)
run_in_ns "$NS_A" "$WORK/a" "$node_bin" --mdns-interface "$VETH_A" \
  --listen "/ip4/$ADDR_A/tcp/4001" --listen "/ip4/$ADDR_A/tcp/4002/ws" "${common[@]}"
pid_a=$LAST_PID
run_in_ns "$NS_B" "$WORK/b" "$node_bin" --mdns-interface "$VETH_B" \
  --listen "/ip4/$ADDR_B/tcp/4001" "${common[@]}"
pid_b=$LAST_PID
status=0
wait "$pid_a" || status=1
wait "$pid_b" || status=1
id_a=$(awk '$1 == "self" {print $2}' "$WORK/a")
id_b=$(awk '$1 == "self" {print $2}' "$WORK/b")
expect_discovery "$WORK/a" "$id_b" "/ip4/$ADDR_B/tcp/4001" || status=1
expect_discovery "$WORK/b" "$id_a" "/ip4/$ADDR_A/tcp/4001" || status=1
expect_discovery "$WORK/b" "$id_a" "/ip4/$ADDR_A/tcp/4002/ws" || status=1
if [[ $status -ne 0 ]]; then
  echo "node a:"; cat "$WORK/a" "$WORK/a.err"
  echo "node b:"; cat "$WORK/b" "$WORK/b.err"
fi
exit $status
