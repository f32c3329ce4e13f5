#!/usr/bin/env bash
# prowl's DHT against js-libp2p's @libp2p/kad-dht on /ipfs/kad/1.0.0, over
# loopback TCP: a prowl host (host/tools/dht_node) and a js host
# (js/kad-peer.mjs) join each other, then
#  - FIND_NODE is answered both ways (each finds the other among the closest peers);
#  - a /pk/ record put by prowl is read by js, and one put by js is read by
#    prowl -- also by a second prowl host that knows only the js host;
#  - a provider added by js is found by prowl, and one added by prowl by js.
#   kad_interop_test.sh DHT_NODE
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib.sh"
interop_require_js
source "$here/../integration/dht_lib.sh"
node="$1"
dht_init
protocol=/ipfs/kad/1.0.0
seed_p=$(printf '31%.0s' {1..32})
seed_j=$(printf '32%.0s' {1..32})
keys() { node "$here/js/peer.mjs" key --key "$1"; }
pub_p=$(keys "$seed_p" | sed -n 's/.*"publicKeyProtobuf":"\([0-9a-f]*\)".*/\1/p')
pub_j=$(keys "$seed_j" | sed -n 's/.*"publicKeyProtobuf":"\([0-9a-f]*\)".*/\1/p')
[[ -n "$pub_p" && -n "$pub_j" ]] || dht_fail "js/peer.mjs key printed no publicKeyProtobuf"

dht_start P "$node" --key "$seed_p" --kad-protocol "$protocol"
p_id=${P_ADDR##*/p2p/}
dht_start J node "$here/js/kad-peer.mjs" --key "$seed_j" --protocol "$protocol" --bootstrap "$P_ADDR"
j_id=${J_ADDR##*/p2p/}
# Each side puts the other in its routing table once identify ran.
dht_wait P 20 table "$j_id"
dht_wait J 20 table "$p_id"

# FIND_NODE both ways.
dht_expect P 20 "closest some-key" "\"peerId\":\"$j_id\""
dht_expect J 20 "closest some-key" "\"peerId\":\"$p_id\""

# /pk/ records both ways.
dht_expect P 20 "put /pk/$p_id $pub_p" '"stored":1'
dht_expect J 20 "get /pk/$p_id" "\"valueHex\":\"$pub_p\""
dht_expect J 20 "put /pk/$j_id $pub_j" '"stored":1'
dht_expect P 20 "get /pk/$j_id" "\"valueHex\":\"$pub_j\""
# A second prowl host that knows only js reads prowl's record through js.
dht_start Q "$node" --kad-protocol "$protocol" --kad-client --bootstrap "$J_ADDR"
dht_expect Q 20 "get /pk/$p_id" "\"valueHex\":\"$pub_p\""

# Provider records both ways (keys are sha2-256 multihashes: js uses raw CIDv1s of them).
key_j=0x1220$(printf 'js-provided' | sha256sum | cut -c1-64)
key_p=0x1220$(printf 'prowl-provided' | sha256sum | cut -c1-64)
dht_expect J 20 "provide $key_j" '"key"'
dht_expect P 20 "find-providers $key_j" "\"peerId\":\"$j_id\""
dht_expect P 20 "provide $key_p" '"told":1'
dht_expect J 20 "find-providers $key_p" "\"peerId\":\"$p_id\""
dht_expect Q 20 "find-providers $key_p" "\"peerId\":\"$p_id\""
echo "PASS"
