#!/usr/bin/env bash
# Three DHT hosts in three network namespaces, joined by veth pairs to a
# bridge in a fourth, find each other by mDNS alone (no --bootstrap) and
# then resolve a record through the DHT. Needs root and `ip netns`; exits 77
# (skipped) otherwise. Everything it creates is removed on exit; no packet
# leaves the namespaces.
#   dht_netns_test.sh DHT_NODE
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/dht_lib.sh"
node="$1"
if [[ $(id -u) -ne 0 ]]; then
  echo "SKIP: the DHT namespace test needs root"
  exit 77
fi
if ! command -v ip >/dev/null 2>&1; then
  echo "SKIP: iproute2 (ip) is not installed"
  exit 77
fi

BR_NS="prowl-dht-$$-br"
HOSTS=(1 2 3)
cleanup() {
  dht_cleanup
  local i
  for i in "${HOSTS[@]}"; do ip netns del "prowl-dht-$$-$i" 2>/dev/null || true; done
  ip netns del "$BR_NS" 2>/dev/null || true
}
DHT_TMP=$(mktemp -d)
trap cleanup EXIT

if ! ip netns add "$BR_NS" 2>/dev/null; then
  echo "SKIP: cannot create network namespaces here"
  exit 77
fi
ip -n "$BR_NS" link add br0 type bridge
ip -n "$BR_NS" link set br0 up
for i in "${HOSTS[@]}"; do
  ns="prowl-dht-$$-$i"
  ip netns add "$ns"
  ip link add "pd$$h$i" netns "$ns" type veth peer name "pd$$b$i" netns "$BR_NS"
  ip -n "$BR_NS" link set "pd$$b$i" master br0 up
  ip -n "$ns" link set lo up
  ip -n "$ns" addr add "10.78.0.$i/24" dev "pd$$h$i"
  ip -n "$ns" link set "pd$$h$i" multicast on up
  ip -n "$ns" route add 224.0.0.0/4 dev "pd$$h$i"
done

for i in "${HOSTS[@]}"; do
  dht_start "N$i" ip netns exec "prowl-dht-$$-$i" "$node" --listen "/ip4/10.78.0.$i/tcp/4001" \
    --mdns-interface "pd$$h$i"
done
ids=()
for i in "${HOSTS[@]}"; do
  addr_var="N${i}_ADDR"
  ids+=("${!addr_var##*/p2p/}")
done

# mDNS alone: every host ends up with the two others in its routing table.
for i in "${HOSTS[@]}"; do
  for j in "${HOSTS[@]}"; do
    [[ $i == "$j" ]] || dht_wait "N$i" 40 table "${ids[$((j - 1))]}"
  done
done
echo "ok: the three hosts found each other through mDNS"

dht_expect N1 20 "put /prowl/${ids[0]}/greeting hello-from-netns" '"stored":2'
dht_expect N3 20 "get /prowl/${ids[0]}/greeting" '"value":"hello-from-netns'
dht_expect N2 20 "find-peer ${ids[2]}" '/ip4/10.78.0.3/tcp/4001'
echo "PASS"
