# Helpers for interop test scripts; source it, do not run it.
#   interop_init                          temp dir, cleanup trap, skip (77) without node_modules
#   interop_start_listener VAR CMD REGEX  runs CMD, waits for a stdout line matching REGEX,
#                                         stores it in VAR and the stdout file in VAR_LOG
#   interop_run OUT TIMEOUT CMD           runs CMD with a deadline, stdout to OUT; returns its status
#   interop_expect_ok / interop_expect_fail OUT TIMEOUT CMD   the same, asserting the outcome
#   interop_assert FILE EXPR WHAT         JSON-lines assertion (see js/assert-json.mjs)
#   interop_peer IMPL [COMMAND]           command line of a peer command (listen, ping, ...) of js or prowl
# Listeners read stdin from a pipe this shell holds open; on exit the pipe
# closes, then each listener gets SIGTERM and, 5 s later, SIGKILL.

INTEROP_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
INTEROP_JS_DIR="$INTEROP_DIR/js"
INTEROP_READY_TIMEOUT="${INTEROP_READY_TIMEOUT:-30}"
INTEROP_PIDS=()
INTEROP_FDS=()

interop_fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# Exits 77 (ctest: skipped) when the js peers' packages are not installed.
interop_require_js() {
  if [[ ! -d "$INTEROP_JS_DIR/node_modules" ]]; then
    echo "SKIP: $INTEROP_JS_DIR/node_modules is absent; run 'npm ci' in $INTEROP_JS_DIR" >&2
    exit 77
  fi
}

interop_cleanup() {
  local fd pid
  for fd in "${INTEROP_FDS[@]}"; do exec {fd}>&-; done
  for pid in "${INTEROP_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${INTEROP_PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  [[ -n "${INTEROP_TMP:-}" ]] && rm -rf "$INTEROP_TMP"
}

interop_init() {
  interop_require_js
  INTEROP_TMP="$(mktemp -d "${TMPDIR:-/tmp}/prowl-interop.XXXXXX")"
  trap interop_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# Prints the command line that runs peer command COMMAND (listen, ping,
# identify, perf, streams, peer-id, key; see README.md) of a peer
# implementation, or its prefix without COMMAND. js/peer.mjs offers every
# command at its top level; prowl keeps its developer tools (listen, streams,
# bench-connect) under `prowl tools`. PROWL_PEER_CMD, if set, replaces
# "$PROWL_BIN" as prowl's prefix.
interop_peer() {
  local cmd="${2:-}"
  case "$1" in
    js) echo "node $INTEROP_JS_DIR/peer.mjs${cmd:+ $cmd}" ;;
    prowl)
      [[ -n "${PROWL_BIN:-}" && -x "$PROWL_BIN" ]] || interop_fail "PROWL_BIN must name the prowl executable, got '${PROWL_BIN:-}'"
      local prefix="${PROWL_PEER_CMD:-$PROWL_BIN}"
      case "$cmd" in
        listen | streams | bench-connect) echo "$prefix tools $cmd" ;;
        *) echo "$prefix${cmd:+ $cmd}" ;;
      esac ;;
    *) interop_fail "unknown peer implementation '$1' (js or prowl)" ;;
  esac
}

interop_start_listener() {
  local var="$1" cmd="$2" regex="$3"
  local n="${#INTEROP_PIDS[@]}"
  local base="$INTEROP_TMP/listener$n" fd pid line=""
  mkfifo "$base.stdin"
  : >"$base.out"  # exists before the child, blocked on the fifo, opens it for the polling grep below
  bash -c "exec $cmd" <"$base.stdin" >"$base.out" 2>"$base.err" &
  pid=$!
  exec {fd}>"$base.stdin"
  INTEROP_PIDS+=("$pid")
  INTEROP_FDS+=("$fd")
  local deadline=$((SECONDS + INTEROP_READY_TIMEOUT))
  until line="$(grep -m1 -E "$regex" "$base.out")"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      interop_fail "listener '$cmd' exited before printing a line matching '$regex'; stdout: $(cat "$base.out"); stderr: $(cat "$base.err")"
    fi
    if ((SECONDS >= deadline)); then
      interop_fail "listener '$cmd' printed no line matching '$regex' within ${INTEROP_READY_TIMEOUT} s; stdout: $(cat "$base.out"); stderr: $(cat "$base.err")"
    fi
    sleep 0.1
  done
  printf -v "$var" '%s' "$line"
  printf -v "${var}_LOG" '%s' "$base.out"
}

interop_run() {
  local out="$1" limit="$2" cmd="$3"
  timeout --kill-after=5 "$limit" bash -c "exec $cmd" >"$out" 2>"$out.err"
}

interop_expect_ok() {
  local out="$1" limit="$2" cmd="$3" status=0
  interop_run "$out" "$limit" "$cmd" || status=$?
  if ((status != 0)); then
    interop_fail "'$cmd' exited with $status; stdout: $(cat "$out"); stderr: $(cat "$out.err")"
  fi
}

# A refusal must be an error exit, not a hang killed by the deadline (124/137).
interop_expect_fail() {
  local out="$1" limit="$2" cmd="$3" status=0
  interop_run "$out" "$limit" "$cmd" || status=$?
  if ((status == 0)); then
    interop_fail "'$cmd' succeeded but should have failed; stdout: $(cat "$out")"
  fi
  if ((status == 124 || status == 137)); then
    interop_fail "'$cmd' hung until the ${limit} s deadline instead of failing"
  fi
}

interop_assert() {
  node "$INTEROP_JS_DIR/assert-json.mjs" "$1" "$2" "$3" || exit 1
}
