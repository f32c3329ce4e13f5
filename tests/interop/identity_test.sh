#!/usr/bin/env bash
# Peer ids: the implementation under test must derive from a libp2p
# PrivateKey protobuf, and from an Ed25519 seed, the same peer id as js-libp2p,
# and must refuse malformed keys with an error exit.
#   identity_test.sh --peer js|prowl [--keys N]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

IMPL=prowl KEYS=3
while (($#)); do
  case "$1" in
    --peer) IMPL="$2"; shift 2 ;;
    --keys) KEYS="$2"; shift 2 ;;
    *) interop_fail "unknown argument '$1'" ;;
  esac
done
interop_init
PEER="$(interop_peer "$IMPL")"
JS_PEER="$(interop_peer js)"
out="$INTEROP_TMP/out"
passed=0

# Prints the peer id and private key protobuf (hex) js derives, fresh key without a seed.
js_key() {
  $JS_PEER key ${1:+--key "$1"} | node -e 'process.stdin.on("data", d => { const k = JSON.parse(d); console.log(k.peerId, k.privateKeyProtobuf) })'
}

expect_id() {
  local want="$1" cmd="$2" got
  interop_expect_ok "$out" 30 "$cmd"
  got="$(head -1 "$out")"
  [[ "$got" == "$want" ]] || interop_fail "'$cmd' printed '$got', js derives '$want'"
  passed=$((passed + 1))
}

for _ in $(seq "$KEYS"); do
  read -r id protobuf < <(js_key)
  expect_id "$id" "$PEER peer-id --private-key-protobuf $protobuf"
done
for seed in "$(printf '00%.0s' {1..32})" "$(printf 'ff%.0s' {1..32})" 9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60; do
  read -r id protobuf < <(js_key "$seed")
  expect_id "$id" "$PEER peer-id --key $seed"
  expect_id "$id" "$PEER peer-id --private-key-protobuf $protobuf"
done

read -r _ protobuf < <(js_key)
for bad in "${protobuf:0:40}" "${protobuf}00" "0802${protobuf:4}" "zz${protobuf:2}" ""; do
  interop_expect_fail "$out" 30 "$PEER peer-id --private-key-protobuf '$bad'"
  passed=$((passed + 1))
done
echo "$passed passed, 0 failed"
