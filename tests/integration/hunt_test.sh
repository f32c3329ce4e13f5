#!/usr/bin/env bash
# Swarm compute through the prowl executable, on loopback: four `prowl run`
# hosts serve compute; `prowl hunt run` coordinates.
#  1. primes over [0, 10^8) gives 5,761,455 with tasks on all 4 workers.
#  2. A liar (one host of four loads a primes plugin of the same name and
#     version that lies on every other task) changes nothing: the answer is
#     right, its results are rejected and it ends up quarantined.
#  3. kill -9 of a worker mid-job: its tasks are reassigned, the answer is right.
#  4. kill -9 of the coordinator mid-job (primes below 10^10), then the same command again with the
#     same data directory: the job resumes from its journal, runs only the
#     tasks not accepted before, and the answer is right.
#   hunt_test.sh PROWL PLUGIN_DIR LYING_PRIMES_PLUGIN
set -euo pipefail
PROWL=$1 PLUGINS=$2 LIAR=$3
source "$(dirname "$0")/dht_lib.sh"
dht_init

field() {  # field NAME JSON: the value of a top-level number or string field
  sed -n "s/.*\"$1\":\"\\{0,1\\}\\([^,\"}]*\\).*/\\1/p" <<<"$2"
}

start_worker() {  # start_worker NAME PLUGIN_DIR
  dht_launch "$1" "$PROWL" --data "$DHT_TMP/$1" --plugins "$2" run --listen /ip4/127.0.0.1/tcp/0 --no-mdns
}

hunt() {  # hunt DATA_DIR ARGS...: runs `prowl hunt run primes` and sets REPORT to its last line
  local data=$1
  shift
  dht_ok 600 "$PROWL" --data "$data" --plugins "$PLUGINS" hunt run primes --no-local "$@"
  REPORT=$(tail -n 1 <<<"$DHT_ANSWER")
}

for w in w1 w2 w3 w4; do start_worker "$w" "$PLUGINS"; done
peers() { local a; for a in "$@"; do printf -- '--bootstrap %s ' "$a"; done; }

echo "1. primes over [0, 10^8) on four workers"
# shellcheck disable=SC2046
hunt "$DHT_TMP/c1" --param from=0 --param to=100000000 $(peers "$w1_ADDR" "$w2_ADDR" "$w3_ADDR" "$w4_ADDR") --json
[[ $(field outcome "$REPORT") == 5761455 ]] || dht_fail "wrong count: $REPORT"
workers=$(grep -o '"12D3Koo[A-Za-z0-9]*":[0-9]*' <<<"$REPORT" | wc -l)
((workers == 4)) || dht_fail "tasks ran on $workers workers, not 4: $REPORT"
echo "   $REPORT"

echo "2. a liar among four hosts"
mkdir -p "$DHT_TMP/liar-plugins"
cp "$LIAR" "$DHT_TMP/liar-plugins/"
start_worker liar "$DHT_TMP/liar-plugins"
liar_id=${liar_ADDR##*/p2p/}
# shellcheck disable=SC2046
hunt "$DHT_TMP/c2" --param from=0 --param to=100000000 --param task_size=1000000 \
  $(peers "$w1_ADDR" "$w2_ADDR" "$w3_ADDR" "$liar_ADDR") --json
[[ $(field outcome "$REPORT") == 5761455 ]] || dht_fail "the liar changed the answer: $REPORT"
(($(field rejected "$REPORT") > 0)) || dht_fail "no result of the liar was rejected: $REPORT"
dht_ok 30 "$PROWL" --data "$DHT_TMP/c2" reputation --peer "$liar_id" --json
dht_has '"quarantined":true' '"trusted":false'
echo "   $REPORT"
echo "   liar: $DHT_ANSWER"
dht_stop liar KILL

echo "3. kill -9 of a worker mid-job"
"$PROWL" --data "$DHT_TMP/c3" --plugins "$PLUGINS" hunt run primes --no-local --param from=0 \
  --param to=2000000000 --param task_size=10000000 --json \
  $(peers "$w1_ADDR" "$w2_ADDR" "$w3_ADDR" "$w4_ADDR") >"$DHT_TMP/c3.out" 2>"$DHT_TMP/c3.err" &
job=$!
deadline=$((SECONDS + 120))
until grep -q '"accepted":[1-9][0-9]' "$DHT_TMP/c3.out" 2>/dev/null; do
  kill -0 "$job" 2>/dev/null || dht_fail "the job ended before a worker could be killed"
  ((SECONDS < deadline)) || dht_fail "the job made no progress in 120 s"
  sleep 0.1
done
dht_stop w2 KILL
wait "$job" || dht_fail "the job failed after a worker died"
REPORT=$(tail -n 1 "$DHT_TMP/c3.out")
[[ $(field outcome "$REPORT") == 98222287 ]] || dht_fail "wrong count after a worker died: $REPORT"
(($(field reassigned "$REPORT") > 0)) || dht_fail "nothing was reassigned: $REPORT"
echo "   $REPORT"

echo "4. kill -9 of the coordinator, then the same command again"
resume=(--param from=0 --param to=10000000000 --param task_size=10000000 --replicas 1 --quorum 1 --json
  $(peers "$w1_ADDR" "$w3_ADDR" "$w4_ADDR"))
"$PROWL" --data "$DHT_TMP/c4" --plugins "$PLUGINS" hunt run primes --no-local "${resume[@]}" \
  >"$DHT_TMP/c4.out" 2>"$DHT_TMP/c4.err" &
job=$!
deadline=$((SECONDS + 120))
until grep -q '"accepted":[2-9][0-9]' "$DHT_TMP/c4.out" 2>/dev/null; do
  kill -0 "$job" 2>/dev/null || dht_fail "the job ended before the coordinator could be killed"
  ((SECONDS < deadline)) || dht_fail "the job made no progress in 120 s"
  sleep 0.1
done
kill -KILL "$job" 2>/dev/null || dht_fail "the job ended before the coordinator could be killed"
wait "$job" 2>/dev/null || true
hunt "$DHT_TMP/c4" "${resume[@]}"
[[ $(field outcome "$REPORT") == 455052511 ]] || dht_fail "wrong count after resuming: $REPORT"
restored=$(field restored "$REPORT") tasks=$(field tasks "$REPORT")
offers=$(field offers "$REPORT") backups=$(field backups "$REPORT")
((restored >= 20)) || dht_fail "the journal restored $restored tasks: $REPORT"
((offers - backups == tasks - restored)) ||
  dht_fail "ran $((offers - backups)) replicas for $((tasks - restored)) open tasks: an accepted task ran again: $REPORT"
echo "   $REPORT"
echo "swarm compute: ok"
