#!/usr/bin/env bash
# A `prowl run` host keeps its DHT state across a restart, SIGKILL included:
# host A stores a record and a provider record (put through it by `prowl
# dht` one-shots) and has B in its routing table; A is killed with SIGKILL
# and restarts with the same data directory on a new port; a lookup through
# A alone finds B again (A re-dialed the peers it saved: its routing table
# refilled without --bootstrap); once B is gone too, A answers from what it
# saved.
#   dht_restart_test.sh PROWL
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/dht_lib.sh"
prowl="$1"
dht_init
mkdir "$DHT_TMP/plugins"
# --no-mdns: the hosts listen on loopback, and a test sends no packet off this machine.
host() {
  local name="$1"
  shift
  dht_launch "$name" "$prowl" --plugins "$DHT_TMP/plugins" --data "$DHT_TMP/$name-data" \
    run --listen /ip4/127.0.0.1/tcp/0 --no-mdns "$@"
}
dht() { "$prowl" dht "$@" --timeout 20; }
seed_c=$(printf 'c3%.0s' {1..32})
c_id=$("$prowl" peer-id --key "$seed_c")
cid_key="0x1220$(printf 'ab%.0s' {1..32})"

host A
host B --bootstrap "$A_ADDR"
a_id=${A_ADDR##*/p2p/}
b_id=${B_ADDR##*/p2p/}
dht_until 20 "\"peerId\":\"$b_id\"" dht find-peer "$b_id" --bootstrap "$A_ADDR"
dht_ok 30 dht put "/prowl/$c_id/motd" survives-kill-9 --key "$seed_c" --bootstrap "$A_ADDR"
dht_has '"stored":2'
dht_ok 30 dht provide "$cid_key" --key "$seed_c" --bootstrap "$A_ADDR"
dht_has '"told":2'

dht_stop A KILL
old_a=$A_ADDR
host A
# The kernel may hand the freed port out again: the test needs A on a new one.
for _ in 1 2 3 4 5; do
  [[ "$A_ADDR" == "$old_a" ]] || break
  dht_stop A KILL
  host A
done
[[ "$A_ADDR" == *"/p2p/$a_id" ]] || dht_fail "A restarted with another id: $A_ADDR"
[[ "$A_ADDR" != "$old_a" ]] || dht_fail "A restarted on the same port five times; the test needs a new one"
# B still redials A's old address; only A's saved peers can bring them together.
dht_until 30 "\"peerId\":\"$b_id\"" dht find-peer "$b_id" --bootstrap "$A_ADDR"

dht_stop B KILL
dht_ok 30 dht get "/prowl/$c_id/motd" --bootstrap "$A_ADDR"
dht_has '"value":"survives-kill-9"' "\"publisher\":\"$c_id\""
dht_ok 60 dht find-providers "$cid_key" --bootstrap "$A_ADDR"
dht_has "\"peerId\":\"$c_id\""
echo "PASS"
