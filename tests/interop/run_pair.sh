#!/usr/bin/env bash
# Starts a listener, waits for its address line, runs a dialer against it and
# cleans up every process it started, however it exits.
#   run_pair.sh --listen "<cmd>" --dial "<cmd with {addr}>"
#               [--match REGEX] [--timeout S] [--expect-fail] [--listener-log FILE]
# --match picks the address line from the listener's stdout (default: the
# first line that starts with / and holds /p2p/); every {addr} in the dial
# command becomes that line. The dialer's stdout is printed; the exit status
# is the dialer's, or with --expect-fail 0 when it failed without hanging.
# --listener-log copies the listener's stdout to FILE at the end.
# Example:
#   tests/interop/run_pair.sh --listen "node tests/interop/js/peer.mjs listen --transport ws" \
#     --dial "node tests/interop/js/peer.mjs ping {addr} --count 3"
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

listen="" dial="" match='^/.*/p2p/' limit=60 expect_fail=0 listener_log=""
while (($#)); do
  case "$1" in
    --listen) listen="$2"; shift 2 ;;
    --dial) dial="$2"; shift 2 ;;
    --match) match="$2"; shift 2 ;;
    --timeout) limit="$2"; shift 2 ;;
    --expect-fail) expect_fail=1; shift ;;
    --listener-log) listener_log="$2"; shift 2 ;;
    *) interop_fail "unknown argument '$1'" ;;
  esac
done
[[ -n "$listen" && -n "$dial" ]] || interop_fail "usage: run_pair.sh --listen CMD --dial CMD-WITH-{addr} [--match REGEX] [--timeout S] [--expect-fail] [--listener-log FILE]"
interop_init

addr="" addr_LOG=""
interop_start_listener addr "$listen" "$match"
out="$INTEROP_TMP/dialer.out"
if ((expect_fail)); then
  interop_expect_fail "$out" "$limit" "${dial//\{addr\}/$addr}"
  status=0
else
  status=0
  interop_run "$out" "$limit" "${dial//\{addr\}/$addr}" || status=$?
  ((status == 0)) || echo "run_pair.sh: dialer exited with $status; stderr: $(cat "$out.err"); listener stdout: $(cat "$addr_LOG")" >&2
fi
cat "$out"
[[ -z "$listener_log" ]] || cp "$addr_LOG" "$listener_log"
exit "$status"
