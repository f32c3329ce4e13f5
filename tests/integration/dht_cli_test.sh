#!/usr/bin/env bash
# The DHT through the `prowl` executable, over loopback: two `prowl run`
# hosts (B joins through A with --bootstrap) and `prowl dht` one-shots that
# put a /prowl/ record through A and read it through B, find a peer, list
# the closest peers, provide and find providers; the kad protocol id comes
# from --kad-protocol or the config; bad input fails with a clear error.
#   dht_cli_test.sh PROWL
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/dht_lib.sh"
prowl="$1"
dht_init
mkdir "$DHT_TMP/plugins"
protocol=/prowl-test/kad/1.0.0
# --no-mdns: the hosts listen on loopback, and a test sends no packet off this machine.
host() {
  local name="$1"
  shift
  dht_launch "$name" "$prowl" --plugins "$DHT_TMP/plugins" --data "$DHT_TMP/$name-data" \
    run --listen /ip4/127.0.0.1/tcp/0 --no-mdns --kad-protocol "$protocol" "$@"
}
# A one-shot; the kad protocol id comes from the config (environment).
dht() { PROWL_NETWORK_KAD_PROTOCOL="$protocol" "$prowl" dht "$@" --timeout 20; }

host A
host B --bootstrap "$A_ADDR"
a_id=${A_ADDR##*/p2p/}
b_id=${B_ADDR##*/p2p/}
seed_c=$(printf 'c3%.0s' {1..32})
c_id=$("$prowl" peer-id --key "$seed_c")
cid_key="0x1220$(printf 'ab%.0s' {1..32})"

# B joined through A: a lookup through A alone finds B.
dht_until 20 "\"peerId\":\"$b_id\"" dht find-peer "$b_id" --bootstrap "$A_ADDR"
dht_has "\"addrs\":[\"${B_ADDR%/p2p/*}\"]"

dht_ok 30 dht put "/prowl/$c_id/motd" hello-dht --key "$seed_c" --bootstrap "$A_ADDR"
dht_has "\"key\":\"/prowl/$c_id/motd\"" '"stored":2'
dht_ok 30 dht get "/prowl/$c_id/motd" --bootstrap "$B_ADDR"
dht_has '"value":"hello-dht"' "\"publisher\":\"$c_id\"" '"valueHex":"'
dht_ok 30 dht find-peer "$a_id" --bootstrap "$B_ADDR"
dht_has "\"peerId\":\"$a_id\"" "${A_ADDR%/p2p/*}"
dht_ok 30 dht closest some-key --bootstrap "$A_ADDR"
dht_has '"key":"some-key"' "\"peerId\":\"$a_id\"" "\"peerId\":\"$b_id\""
dht_ok 30 dht provide "$cid_key" --key "$seed_c" --bootstrap "$A_ADDR"
dht_has "\"key\":\"$cid_key\"" '"told":2'
dht_ok 30 dht find-providers "$cid_key" --bootstrap "$B_ADDR"
dht_has "\"peerId\":\"$c_id\""

# The hosts speak only their protocol id: a one-shot on the default one finds nobody to ask.
dht_refused "0 answered, 1 failed" "$prowl" dht get "/prowl/$c_id/motd" --bootstrap "$A_ADDR" --timeout 20

# Bad input: one line on stderr naming what was wrong, a non-zero exit, nothing dialed.
dht_refused "--bootstrap: /ip4/1.2.3/tcp/4001: invalid IPv4 address '1.2.3'" dht get some-key --bootstrap /ip4/1.2.3/tcp/4001
dht_refused "KEY: key 0xzz: bad hex after 0x" dht get 0xzz --bootstrap "$A_ADDR"
dht_refused "KEY: the key is empty" dht find-providers "" --bootstrap "$A_ADDR"
dht_refused "KEY: key /pk/nope: bad peer id after /pk/" dht get /pk/nope --bootstrap "$A_ADDR"
dht_refused "PEERID: peer id: " dht find-peer not-a-peer-id --bootstrap "$A_ADDR"
dht_refused "--kad-protocol 'kad': a protocol id starts with '/'" \
  dht get some-key --bootstrap "$A_ADDR" --kad-protocol kad
dht_refused "--bootstrap is required" dht get some-key
PROWL_NETWORK_KAD_PROTOCOL=kad dht_refused "network.kad_protocol 'kad': a protocol id starts with '/'" \
  "$prowl" dht get some-key --bootstrap "$A_ADDR"
dht_refused "no bootstrap peer reachable" dht get some-key --bootstrap /ip4/127.0.0.1/tcp/1
dht_refused "invalid record: /prowl/ record: publisher $c_id does not own the key" \
  dht put "/prowl/$a_id/motd" not-ours --key "$seed_c" --bootstrap "$A_ADDR"
dht_refused "VALUE: a /pk/ value is the public key protobuf in hex" \
  dht put "/pk/$c_id" not-hex --key "$seed_c" --bootstrap "$A_ADDR"
dht_refused "no value found for /prowl/$c_id/nothing-here" \
  dht get "/prowl/$c_id/nothing-here" --bootstrap "$A_ADDR"
run=("$prowl" --plugins "$DHT_TMP/plugins" --data "$DHT_TMP/bad-data" run --exit-after 5)
dht_refused "--bootstrap: /ip4/1.2.3: invalid IPv4 address '1.2.3'" "${run[@]}" --listen /ip4/127.0.0.1/tcp/0 --no-mdns --bootstrap /ip4/1.2.3
PROWL_NETWORK_BOOTSTRAP=garbage dht_refused "network.bootstrap: garbage: multiaddr must start with '/'" \
  "${run[@]}" --listen /ip4/127.0.0.1/tcp/0 --no-mdns
dht_refused "--kad-protocol: 'kad/1': a protocol id starts with '/'" \
  "${run[@]}" --listen /ip4/127.0.0.1/tcp/0 --no-mdns --kad-protocol kad/1
dht_refused "need the network: give --listen MULTIADDR" "${run[@]}" --bootstrap "$A_ADDR"

# `prowl run` prints its listen address and nothing else on stdout, and stops cleanly.
for name in A B; do
  [[ $(grep -vc /p2p/ "$DHT_TMP/$name.out") == 0 ]] || dht_fail "$name printed more than its address"
  kill -TERM "${DHT_PID[$name]}"
  rc=0
  wait "${DHT_PID[$name]}" || rc=$?
  unset "DHT_PID[$name]"
  ((rc == 0)) || dht_fail "$name exited $rc on SIGTERM"
  grep -q "shut down cleanly" "$DHT_TMP/$name.err" || dht_fail "$name did not shut down cleanly"
done
echo "PASS"
