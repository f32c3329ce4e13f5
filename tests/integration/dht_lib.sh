# Helpers for the DHT process tests; source it, do not run it.
#   dht_init                       temp dir ($DHT_TMP) and a trap that kills every started process
#   dht_start NAME CMD...          runs CMD with stdin on a fifo, waits for its "ready" line (30 s);
#                                  sets NAME_ADDR to its first output line (its listen address)
#   dht_ask NAME TIMEOUT LINE      writes LINE to NAME's stdin and sets DHT_ANSWER to its next
#                                  output line (fails after TIMEOUT s); call it in this shell,
#                                  not in $(...), which would lose track of the lines read
#   dht_expect NAME TIMEOUT LINE TEXT...   dht_ask, then fails unless the answer contains each TEXT
#   dht_wait NAME TIMEOUT LINE TEXT        repeats LINE until the answer contains TEXT
#   dht_stop NAME [SIGNAL]         sends SIGNAL (TERM) and waits for the process
#   dht_fail MESSAGE               prints the logs and exits 1
# For `prowl run` hosts and `prowl dht` one-shots:
#   dht_launch NAME CMD...         runs CMD (stdin closed) and waits (30 s) for its first stdout
#                                  line holding /p2p/ (its listen address); sets NAME_ADDR to it
#   dht_ok TIMEOUT CMD...          runs a one-shot (killed after TIMEOUT s); fails unless it exits
#                                  0; sets DHT_ANSWER to its stdout
#   dht_has TEXT...                fails unless DHT_ANSWER contains each TEXT
#   dht_until TIMEOUT TEXT CMD...  repeats the one-shot CMD until it exits 0 printing TEXT
#   dht_refused TEXT CMD...        runs CMD (30 s at most); fails unless it exits non-zero (not
#                                  killed) with TEXT on stderr
# Each process's stdout is $DHT_TMP/NAME.out and stderr $DHT_TMP/NAME.err.

declare -A DHT_PID DHT_SEEN DHT_FD

dht_fail() {
  echo "FAIL: $*" >&2
  for f in "$DHT_TMP"/*.out "$DHT_TMP"/*.err; do
    [[ -s "$f" ]] && { echo "--- $f" >&2; tail -n 30 "$f" >&2; }
  done
  exit 1
}

dht_cleanup() {
  local name
  for name in "${!DHT_PID[@]}"; do
    kill -KILL "${DHT_PID[$name]}" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  rm -rf "$DHT_TMP"
}

dht_init() {
  DHT_TMP=$(mktemp -d)
  trap dht_cleanup EXIT
}

dht_start() {
  local name="$1"
  shift
  mkfifo "$DHT_TMP/$name.in"
  "$@" <"$DHT_TMP/$name.in" >"$DHT_TMP/$name.out" 2>"$DHT_TMP/$name.err" &
  DHT_PID[$name]=$!
  local fd
  exec {fd}>"$DHT_TMP/$name.in"
  DHT_FD[$name]=$fd
  local deadline=$((SECONDS + 30))
  until grep -qx ready "$DHT_TMP/$name.out" 2>/dev/null; do
    kill -0 "${DHT_PID[$name]}" 2>/dev/null || dht_fail "$name exited before it was ready"
    ((SECONDS < deadline)) || dht_fail "$name was not ready within 30 s"
    sleep 0.1
  done
  DHT_SEEN[$name]=$(wc -l <"$DHT_TMP/$name.out")
  printf -v "${name}_ADDR" '%s' "$(head -n 1 "$DHT_TMP/$name.out")"
}

dht_ask() {
  local name="$1" timeout="$2" line="$3"
  local want=$((DHT_SEEN[$name] + 1))
  echo "$line" >&"${DHT_FD[$name]}"
  local deadline=$((SECONDS + timeout))
  until (($(wc -l <"$DHT_TMP/$name.out") >= want)); do
    kill -0 "${DHT_PID[$name]}" 2>/dev/null || dht_fail "$name exited while answering '$line'"
    ((SECONDS < deadline)) || dht_fail "$name did not answer '$line' within $timeout s"
    sleep 0.05
  done
  DHT_SEEN[$name]=$want
  DHT_ANSWER=$(sed -n "${want}p" "$DHT_TMP/$name.out")
}

dht_expect() {
  local name="$1" timeout="$2" line="$3"
  shift 3
  dht_ask "$name" "$timeout" "$line"
  local text
  for text in "$@"; do
    [[ "$DHT_ANSWER" == *"$text"* ]] || dht_fail "$name answered '$line' with $DHT_ANSWER; expected $text"
  done
  echo "ok: $name: $line"
}

dht_wait() {
  local name="$1" timeout="$2" line="$3" text="$4"
  local deadline=$((SECONDS + timeout))
  while :; do
    dht_ask "$name" 10 "$line"
    [[ "$DHT_ANSWER" == *"$text"* ]] && break
    ((SECONDS < deadline)) || dht_fail "$name never answered '$line' with $text (last: $DHT_ANSWER)"
    sleep 0.5
  done
  echo "ok: $name: $line has $text"
}

dht_stop() {
  local name="$1" signal="${2:-TERM}"
  if [[ -n "${DHT_FD[$name]:-}" ]]; then
    local fd=${DHT_FD[$name]}
    exec {fd}>&-
    unset "DHT_FD[$name]"
  fi
  kill "-$signal" "${DHT_PID[$name]}" 2>/dev/null || true
  wait "${DHT_PID[$name]}" 2>/dev/null || true
  unset "DHT_PID[$name]"
  rm -f "$DHT_TMP/$name.in"
}

dht_launch() {
  local name="$1"
  shift
  "$@" </dev/null >"$DHT_TMP/$name.out" 2>"$DHT_TMP/$name.err" &
  DHT_PID[$name]=$!
  local deadline=$((SECONDS + 30))
  until grep -q /p2p/ "$DHT_TMP/$name.out" 2>/dev/null; do
    kill -0 "${DHT_PID[$name]}" 2>/dev/null || dht_fail "$name exited before it printed its address"
    ((SECONDS < deadline)) || dht_fail "$name printed no address within 30 s"
    sleep 0.1
  done
  printf -v "${name}_ADDR" '%s' "$(grep -m 1 /p2p/ "$DHT_TMP/$name.out")"
}

# Runs "$@" (a command or a function) in a process group of its own, which
# is killed after $1 s; sets DHT_RC, DHT_ANSWER (stdout) and DHT_ERROR (stderr).
dht_run_bounded() {
  local limit="$1"
  shift
  set -m
  "$@" >"$DHT_TMP/oneshot.out" 2>"$DHT_TMP/oneshot.err" </dev/null &
  local pid=$!
  set +m
  local deadline=$((SECONDS + limit))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.05; done
  kill -KILL -- "-$pid" 2>/dev/null || true
  DHT_RC=0
  wait "$pid" || DHT_RC=$?
  DHT_ANSWER=$(cat "$DHT_TMP/oneshot.out")
  DHT_ERROR=$(cat "$DHT_TMP/oneshot.err")
}

dht_ok() {
  dht_run_bounded "$@"
  ((DHT_RC == 0)) || dht_fail "'${*:2}' exited $DHT_RC: $DHT_ERROR"
}

dht_has() {
  local text
  for text in "$@"; do
    [[ "$DHT_ANSWER" == *"$text"* ]] || dht_fail "expected $text in $DHT_ANSWER"
  done
  echo "ok: $DHT_ANSWER"
}

dht_until() {
  local limit="$1" text="$2"
  shift 2
  local deadline=$((SECONDS + limit))
  while :; do
    dht_run_bounded 30 "$@"
    ((DHT_RC == 0)) && [[ "$DHT_ANSWER" == *"$text"* ]] && break
    ((SECONDS < deadline)) || dht_fail "'$*' never printed $text (last: rc $DHT_RC, $DHT_ANSWER $DHT_ERROR)"
    sleep 0.5
  done
  echo "ok: $DHT_ANSWER"
}

dht_refused() {
  local text="$1"
  shift
  dht_run_bounded 30 "$@"
  ((DHT_RC != 0 && DHT_RC != 137)) || dht_fail "'$*' exited $DHT_RC; expected a failure"
  [[ "$DHT_ERROR" == *"$text"* ]] || dht_fail "'$*' said '$DHT_ERROR'; expected $text"
  echo "ok: refused: $text"
}
