#!/usr/bin/env bash
# A DHT host keeps what it stored across a restart, SIGKILL included: host
# A (with a data dir) stores a record and a provider record put by B, is
# killed with SIGKILL, restarts with the same key and data dir on a new
# port, finds B again from its saved peers (its routing table refills on its
# own), and once B is gone answers a newcomer C from what it saved.
#   dht_restart_test.sh DHT_NODE
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/dht_lib.sh"
node="$1"
dht_init
seed_a=$(printf 'a1%.0s' {1..32})
seed_b=$(printf 'b2%.0s' {1..32})

dht_start A "$node" --key "$seed_a" --data-dir "$DHT_TMP/a-data"
dht_start B "$node" --key "$seed_b" --bootstrap "$A_ADDR"
b_id=${B_ADDR##*/p2p/}
a_id=${A_ADDR##*/p2p/}
dht_expect B 20 "put /prowl/$b_id/motd survives-kill-9" '"stored":1'
dht_expect B 20 "provide 0x1220$(printf 'ab%.0s' {1..32})" '"told":1'
dht_expect A 10 table "$b_id"

dht_stop A KILL
dht_start A "$node" --key "$seed_a" --data-dir "$DHT_TMP/a-data"
[[ "$A_ADDR" == *"/p2p/$a_id" ]] || dht_fail "A restarted with another id: $A_ADDR"
# A re-dials the peers it knew: B is back in its routing table without any --bootstrap.
dht_wait A 20 table "$b_id"

dht_stop B KILL
dht_start C "$node" --bootstrap "$A_ADDR"
dht_expect C 20 "get /prowl/$b_id/motd" '"value":"survives-kill-9"' "\"publisher\":\"$b_id\""
dht_expect C 60 "find-providers 0x1220$(printf 'ab%.0s' {1..32})" "\"peerId\":\"$b_id\""
echo "PASS"
