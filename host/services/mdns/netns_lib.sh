# Shared by the mDNS namespace tests: two network namespaces joined by a veth
# pair with multicast on, removed again on exit. Sourced; sets NS_A, NS_B,
# VETH_A, VETH_B, ADDR_A, ADDR_B and WORK. Exits 77 (skipped) without root or
# `ip netns`. No packet ever leaves the pair.

if [[ $(id -u) -ne 0 ]]; then
  echo "SKIP: the mDNS namespace tests need root"
  exit 77
fi
if ! command -v ip >/dev/null 2>&1; then
  echo "SKIP: iproute2 (ip) is not installed"
  exit 77
fi

NS_A="prowl-mdns-$$-a"
NS_B="prowl-mdns-$$-b"
VETH_A="pm$$a"
VETH_B="pm$$b"
ADDR_A=10.77.0.1
ADDR_B=10.77.0.2
WORK=$(mktemp -d)
NETNS_PIDS=()

netns_cleanup() {
  local pid
  for pid in "${NETNS_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${NETNS_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  ip netns del "$NS_A" 2>/dev/null || true
  ip netns del "$NS_B" 2>/dev/null || true
  rm -rf "$WORK"
}
trap netns_cleanup EXIT

if ! ip netns add "$NS_A" 2>/dev/null; then
  echo "SKIP: cannot create network namespaces here"
  exit 77
fi
ip netns add "$NS_B"
ip link add "$VETH_A" netns "$NS_A" type veth peer name "$VETH_B" netns "$NS_B"
for side in A B; do
  ns_var="NS_$side" veth_var="VETH_$side" addr_var="ADDR_$side"
  ns=${!ns_var} veth=${!veth_var} addr=${!addr_var}
  ip -n "$ns" link set lo up
  ip -n "$ns" addr add "$addr/24" dev "$veth"
  ip -n "$ns" link set "$veth" multicast on up
  # For senders that leave the multicast interface to the routing table (multicast-dns in js).
  ip -n "$ns" route add 224.0.0.0/4 dev "$veth"
done

# run_in_ns NS OUTFILE COMMAND...: starts COMMAND inside NS in the background,
# stdout to OUTFILE, and records its pid for clean-up; sets LAST_PID.
run_in_ns() {
  local ns=$1 out=$2
  shift 2
  ip netns exec "$ns" "$@" >"$out" 2>"$out.err" &
  LAST_PID=$!
  NETNS_PIDS+=("$LAST_PID")
}

# expect_discovery OUTFILE PEER_ID ADDRESS: OUTFILE holds "peer PEER_ID ... ADDRESS".
expect_discovery() {
  local out=$1 id=$2 address=$3
  if grep -E "^peer $id( |.* )$address( |$)" "$out" >/dev/null; then
    echo "ok: $(head -1 "$out" | cut -d' ' -f2) found $id at $address"
    return 0
  fi
  echo "FAIL: $out lacks 'peer $id ... $address'; it holds:"
  cat "$out" "$out.err"
  return 1
}
