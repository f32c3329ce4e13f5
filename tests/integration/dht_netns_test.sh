#!/usr/bin/env bash
# Three `prowl run` hosts in three network namespaces, joined by veth pairs
# to a bridge in a fourth, find each other by mDNS alone (no --bootstrap)
# and then resolve a record through the DHT with `prowl dht` one-shots run
# in the namespaces. Needs root and `ip netns`; exits 77 (skipped)
# otherwise. Everything it creates is removed on exit; no packet leaves the
# namespaces.
#   dht_netns_test.sh PROWL
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/dht_lib.sh"
prowl="$1"
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
mkdir "$DHT_TMP/plugins"

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

# mDNS on (the default) on each host's veth: the only interface in its namespace besides lo.
for i in "${HOSTS[@]}"; do
  dht_launch "N$i" ip netns exec "prowl-dht-$$-$i" "$prowl" --plugins "$DHT_TMP/plugins" \
    --data "$DHT_TMP/n$i-data" run --listen "/ip4/10.78.0.$i/tcp/4001" --mdns-interface "pd$$h$i"
done
ids=()
for i in "${HOSTS[@]}"; do
  addr_var="N${i}_ADDR"
  ids+=("${!addr_var##*/p2p/}")
done
# A one-shot run in host $1's namespace, joining through that host alone.
dht_in() {
  local i="$1" addr_var="N${1}_ADDR"
  shift
  ip netns exec "prowl-dht-$$-$i" "$prowl" dht "$@" --bootstrap "${!addr_var}" --timeout 10
}

# mDNS alone: a lookup through any host finds each of the others.
for i in "${HOSTS[@]}"; do
  for j in "${HOSTS[@]}"; do
    [[ $i == "$j" ]] || dht_until 40 "/ip4/10.78.0.$j/tcp/4001" dht_in "$i" find-peer "${ids[$((j - 1))]}"
  done
done
echo "ok: the three hosts found each other through mDNS"

seed=$(printf 'd4%.0s' {1..32})
writer=$("$prowl" peer-id --key "$seed")
dht_ok 30 dht_in 1 put "/prowl/$writer/greeting" hello-from-netns --key "$seed"
dht_has '"stored":3'
dht_ok 30 dht_in 3 get "/prowl/$writer/greeting"
dht_has '"value":"hello-from-netns"'
dht_ok 30 dht_in 2 closest "/prowl/$writer/greeting"
dht_has "\"peerId\":\"${ids[0]}\"" "\"peerId\":\"${ids[1]}\"" "\"peerId\":\"${ids[2]}\""
echo "PASS"
