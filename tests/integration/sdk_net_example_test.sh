#!/usr/bin/env bash
# Builds examples/net-echo against the INSTALLED SDK and runs it on two
# `prowl run` hosts over loopback: B's plugin asks A's plugin over
# request-response (net-echo), A's plugin answers and publishes on
# net-echo/answered, and B's plugin publishes the answer on
# net-echo/replies. A prints both topics (--subscribe), so the test sees,
# from outside the plugins, that the request got its answer and the topic
# messages arrived.
#   sdk_net_example_test.sh PROWL BUILD_DIR EXAMPLE_DIR GENERATOR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/dht_lib.sh"
prowl="$1" build="$2" example="$3" generator="$4"
dht_init

cmake --install "$build" --component sdk --prefix "$DHT_TMP/sdk" >/dev/null
cmake -S "$example" -B "$DHT_TMP/build" -G "$generator" -DCMAKE_PREFIX_PATH="$DHT_TMP/sdk" \
  -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$DHT_TMP/build" >/dev/null
plugins="$DHT_TMP/plugins"
mkdir -m 0755 "$plugins"
install -m 0755 "$DHT_TMP/build/prowl-net-echo.so" "$plugins/"
dht_ok 30 "$prowl" plugins check "$plugins/prowl-net-echo.so"
dht_has "ok: role net-echo 1.0.0 (ABI 2.0)"

# --no-mdns: the hosts listen on loopback, and a test sends no packet off this machine.
dht_launch A "$prowl" --plugins "$plugins" --data "$DHT_TMP/a-data" run --listen /ip4/127.0.0.1/tcp/0 --no-mdns \
  --subscribe net-echo/answered --subscribe net-echo/replies --exit-after 60
a_id=${A_ADDR##*/p2p/}
printf '{"plugins": {"net-echo": {"peer": "%s"}}}\n' "$A_ADDR" >"$DHT_TMP/b.json"
dht_launch B "$prowl" --plugins "$plugins" --data "$DHT_TMP/b-data" --config "$DHT_TMP/b.json" \
  run --listen /ip4/127.0.0.1/tcp/0 --no-mdns --exit-after 60
b_id=${B_ADDR##*/p2p/}

# A answered B's request (A's own announcement, printed by A) ...
deadline=$((SECONDS + 40))
until grep -q "answered $b_id" "$DHT_TMP/A.out"; do
  ((SECONDS < deadline)) || dht_fail "A never announced an answer to $b_id"
  sleep 0.2
done
# ... and B got it: its reply, published on B, arrived at A.
until grep -q "reply: echo: hello from $b_id" "$DHT_TMP/A.out"; do
  ((SECONDS < deadline)) || dht_fail "B's reply never arrived at A"
  sleep 0.2
done
grep -q "serving net-echo as $a_id" "$DHT_TMP/A.err" || dht_fail "A's plugin did not log its start"
dht_stop B
dht_stop A
grep -q "shut down cleanly" "$DHT_TMP/B.err" || dht_fail "B did not shut down cleanly"
echo "net-echo: request answered and topic messages delivered between two hosts"
