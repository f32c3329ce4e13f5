#!/usr/bin/env bash
# One listener implementation against one dialer implementation, per transport.
#   pair_test.sh --listener js|prowl --dialer js|prowl --transports tcp,ws
#                --checks ping,identify,perf,streams,wrong-peer-id
#                [--perf-bytes N] [--streams N]
# Both peers use fixed Ed25519 seeds, so the expected peer ids come from js's
# derivation. prowl is found through PROWL_BIN. Exits 77 without node_modules.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

LISTENER=js DIALER=js TRANSPORTS=tcp CHECKS=ping PERF_BYTES=$((64 << 20)) STREAMS=100
while (($#)); do
  case "$1" in
    --listener) LISTENER="$2"; shift 2 ;;
    --dialer) DIALER="$2"; shift 2 ;;
    --transports) TRANSPORTS="$2"; shift 2 ;;
    --checks) CHECKS="$2"; shift 2 ;;
    --perf-bytes) PERF_BYTES="$2"; shift 2 ;;
    --streams) STREAMS="$2"; shift 2 ;;
    *) interop_fail "unknown argument '$1'" ;;
  esac
done
interop_init
DIAL_PEER="$(interop_peer "$DIALER")"
JS_PEER="$(interop_peer js)"
DIAL_TIMEOUT=60

LISTENER_SEED="$(printf '11%.0s' {1..32})"
DIALER_SEED="$(printf '22%.0s' {1..32})"
STRANGER_SEED="$(printf '33%.0s' {1..32})"
# Prints the peer id and public key (protobuf, hex) js derives from a seed.
key_of() {
  $JS_PEER key --key "$1" | node -e 'process.stdin.on("data", d => { const k = JSON.parse(d); console.log(k.peerId, k.publicKeyProtobuf) })'
}
read -r LISTENER_ID LISTENER_PUBKEY < <(key_of "$LISTENER_SEED")
read -r DIALER_ID _ < <(key_of "$DIALER_SEED")
read -r STRANGER_ID _ < <(key_of "$STRANGER_SEED")
export LISTENER_ID DIALER_ID LISTENER_PUBKEY PERF_BYTES STREAMS

passed=0
pass() {
  echo "PASS $1: $LISTENER listener, $DIALER dialer, $TRANSPORT"
  passed=$((passed + 1))
}

# The js listener saw the dialer's seeded identity over Noise and Yamux.
check_listener_log() {
  [[ "$LISTENER" == js ]] || return 0
  interop_assert "$ADDR_LOG" \
    'lines.some(l => l.event === "connection" && l.peerId === env.DIALER_ID && l.encryption === "/noise" && l.multiplexer === "/yamux/1.0.0")' \
    "the js listener logs a Noise+Yamux connection from the dialer's peer id $DIALER_ID"
}

check_ping() {
  local out="$INTEROP_TMP/ping-$TRANSPORT"
  interop_expect_ok "$out" "$DIAL_TIMEOUT" "$DIAL_PEER ping $ADDR --count 5 --key $DIALER_SEED"
  interop_assert "$out" 'lines.filter(l => l.type === "ping" && l.rttMs > 0).length === 5 && last.type === "summary" && last.count === 5' \
    '5 ping round trips on one stream, then a summary'
  interop_expect_ok "$out" "$DIAL_TIMEOUT" "$DIAL_PEER ping $ADDR --count 3 --stream-per-ping --key $DIALER_SEED"
  interop_assert "$out" 'lines.filter(l => l.type === "ping" && l.rttMs > 0).length === 3 && last.count === 3' \
    '3 ping round trips, each on a new stream'
  check_listener_log
  pass ping
}

check_identify() {
  local out="$INTEROP_TMP/identify-$TRANSPORT"
  interop_expect_ok "$out" "$DIAL_TIMEOUT" "$DIAL_PEER identify $ADDR --key $DIALER_SEED"
  LISTEN_BASE="${ADDR%/p2p/*}" WANT_WS=0
  [[ $TRANSPORT == ws ]] && WANT_WS=1
  export LISTEN_BASE WANT_WS
  interop_assert "$out" 'last.peerId === env.LISTENER_ID && last.publicKey === env.LISTENER_PUBKEY' \
    "identify reports the listener's peer id and public key"
  interop_assert "$out" '["/ipfs/id/1.0.0", "/ipfs/ping/1.0.0", "/perf/1.0.0"].every(p => last.protocols.includes(p))' \
    'identify lists the identify, ping and perf protocols'
  interop_assert "$out" 'last.listenAddrs.includes(env.LISTEN_BASE)' \
    'identify lists the address that was dialled among the listen addresses'
  interop_assert "$out" 'last.observedAddr.startsWith("/ip4/127.0.0.1/tcp/") && last.observedAddr.includes("/ws") === (env.WANT_WS === "1")' \
    "identify reports the dialer's loopback address, with /ws over WebSocket"
  interop_assert "$out" 'typeof last.agentVersion === "string" && last.agentVersion.length > 0 && typeof last.protocolVersion === "string"' \
    'identify carries agent and protocol versions'
  interop_assert "$out" 'last.connection.encryption === "/noise" && last.connection.multiplexer === "/yamux/1.0.0"' \
    'the connection was secured with Noise and multiplexed with Yamux'
  check_listener_log
  if [[ "$LISTENER" == js && "$DIALER" == prowl ]]; then
    interop_assert "$ADDR_LOG" \
      'lines.some(l => l.event === "identify" && l.peerId === env.DIALER_ID && l.agentVersion.startsWith("prowl/") && l.protocolVersion === "ipfs/0.1.0" && l.protocols.includes("/ipfs/ping/1.0.0") && l.protocols.includes("/ipfs/id/1.0.0"))' \
      "the js listener identified the prowl dialer: agent prowl/*, protocol version, protocols"
  fi
  pass identify
}

check_perf() {
  local out="$INTEROP_TMP/perf-$TRANSPORT" content=""
  # Only a prowl server sends a checkable pattern (js sends zeros).
  [[ "$LISTENER" == prowl && "$DIALER" == prowl ]] && content="--check-content"
  interop_expect_ok "$out" "$DIAL_TIMEOUT" "$DIAL_PEER perf $ADDR --upload-bytes $PERF_BYTES --download-bytes $PERF_BYTES --key $DIALER_SEED $content"
  interop_assert "$out" 'last.type === "final" && last.uploadBytes === Number(env.PERF_BYTES) && last.downloadBytes === Number(env.PERF_BYTES) && last.timeSeconds > 0' \
    "perf moves $PERF_BYTES bytes each way"
  echo "  perf $TRANSPORT: $(tail -1 "$out")"
  interop_expect_ok "$out" "$DIAL_TIMEOUT" "$DIAL_PEER perf $ADDR --upload-bytes 0 --download-bytes 0 --key $DIALER_SEED"
  interop_assert "$out" 'last.type === "final" && last.uploadBytes === 0 && last.downloadBytes === 0' \
    'an empty perf exchange completes'
  pass perf
}

check_streams() {
  local out="$INTEROP_TMP/streams-$TRANSPORT"
  interop_expect_ok "$out" "$DIAL_TIMEOUT" "$(interop_peer "$DIALER" streams) $ADDR --count $STREAMS --key $DIALER_SEED"
  interop_assert "$out" 'last.type === "streams" && last.ok === Number(env.STREAMS) && last.openAtOnce === Number(env.STREAMS) && last.connections === 1' \
    "$STREAMS concurrent perf streams on one connection all complete"
  pass streams
}

check_wrong-peer-id() {
  local out="$INTEROP_TMP/wrong-$TRANSPORT"
  interop_expect_fail "$out" "$DIAL_TIMEOUT" "$DIAL_PEER ping ${ADDR%/p2p/*}/p2p/$STRANGER_ID --count 1 --key $DIALER_SEED"
  interop_expect_ok "$out" "$DIAL_TIMEOUT" "$DIAL_PEER ping $ADDR --count 1 --key $DIALER_SEED"
  pass wrong-peer-id
}

for TRANSPORT in ${TRANSPORTS//,/ }; do
  case "$TRANSPORT" in
    tcp) regex='^/ip4/127\.0\.0\.1/tcp/[0-9]+/p2p/' ;;
    ws) regex='^/ip4/127\.0\.0\.1/tcp/[0-9]+/ws/p2p/' ;;
    *) interop_fail "unknown transport '$TRANSPORT' (tcp or ws)" ;;
  esac
  interop_start_listener ADDR "$(interop_peer "$LISTENER" listen) --transport $TRANSPORT --perf --key $LISTENER_SEED" "$regex"
  [[ "${ADDR##*/p2p/}" == "$LISTENER_ID" ]] ||
    interop_fail "listener address $ADDR does not end in the peer id js derives from its seed, $LISTENER_ID"
  for check in ${CHECKS//,/ }; do
    declare -F "check_$check" >/dev/null || interop_fail "unknown check '$check'"
    "check_$check"
  done
done
echo "$passed passed, 0 failed"
