#!/usr/bin/env bash
# Signed peer records (libp2p RFC 0002 envelope + RFC 0003 record): js-libp2p
# and prowl seal the same bytes from the same key, seq and addresses; each
# opens what the other sealed; both refuse a tampered envelope.
#   peer_record_test.sh PEER_RECORD_TOOL
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TOOL="${1:?usage: peer_record_test.sh PEER_RECORD_TOOL}"
interop_init
JS="node $INTEROP_JS_DIR/peer-record.mjs"
out="$INTEROP_TMP/out"
passed=0

check_open() {  # check_open OPENER ENVELOPE SEQ ADDRS_JSON
  interop_expect_ok "$out" 30 "$1 open $2"
  node -e '
    const [file, seq, addrs, id] = process.argv.slice(1)
    const got = JSON.parse(require("fs").readFileSync(file, "utf8"))
    if (got.seq !== seq) throw new Error(`seq ${got.seq}, want ${seq}`)
    if (JSON.stringify(got.addrs) !== addrs) throw new Error(`addrs ${JSON.stringify(got.addrs)}, want ${addrs}`)
    if (got.peerId !== id) throw new Error(`peer ${got.peerId}, want ${id}`)
  ' "$out" "$3" "$4" "$5" || interop_fail "'$1 open' printed $(cat "$out")"
  passed=$((passed + 1))
}

for case in "11:1:/ip4/127.0.0.1/tcp/4001" "22:1700000000000:/ip4/127.0.0.1/tcp/4001,/ip6/::1/tcp/4002/ws,/dns4/example.com/tcp/443/wss" "ff:18446744073709551615:"; do
  IFS=: read -r fill seq addrs <<< "$case"
  seed="$(printf "${fill}%.0s" {1..32})"
  args=(--key "$seed" --seq "$seq")
  json='['
  IFS=, read -ra list <<< "$addrs"
  for a in "${list[@]}"; do args+=(--addr "$a"); json+="\"$a\","; done
  json="${json%,}]"
  id="$(node "$INTEROP_JS_DIR/peer.mjs" key --key "$seed" | node -e 'process.stdin.on("data", d => console.log(JSON.parse(d).peerId))')"
  interop_expect_ok "$out" 30 "$JS seal ${args[*]}"; js_env="$(cat "$out")"
  interop_expect_ok "$out" 30 "$TOOL seal ${args[*]}"; prowl_env="$(cat "$out")"
  [[ "$js_env" == "$prowl_env" ]] || interop_fail "seed $fill seq $seq: js sealed $js_env, prowl sealed $prowl_env"
  passed=$((passed + 1))
  check_open "$TOOL" "$js_env" "$seq" "$json" "$id"
  check_open "$JS" "$prowl_env" "$seq" "$json" "$id"
  # One flipped bit in the signature: both refuse.
  last="${prowl_env: -2}"
  tampered="${prowl_env:0:${#prowl_env}-2}$(printf '%02x' $((16#$last ^ 1)))"
  interop_expect_fail "$out" 30 "$TOOL open $tampered"
  interop_expect_fail "$out" 30 "$JS open $tampered"
  passed=$((passed + 2))
done
echo "$passed passed, 0 failed"
