# `prowl` end to end (cmake -P): the pubsub.* and rr.* settings reach a
# running node, and contradicting ones are refused naming their keys.
# -DPROWL=<prowl> -DHELPERS=<tests/integration/cli_helpers.cmake> -DWORK=<scratch dir>
include(${HELPERS})
include(${CMAKE_CURRENT_LIST_DIR}/background_helpers.cmake)

prowl_private_dir(${WORK})
file(MAKE_DIRECTORY ${WORK}/plugins)
set(common --plugins ${WORK}/plugins)

# Contradicting settings stop `prowl run` before it starts, from the file or a variable.
file(WRITE ${WORK}/degrees.json "{\"pubsub\": {\"d\": 6, \"d_lo\": 7}}")
prowl_expect(fail ERR err COMMAND ${PROWL} --config ${WORK}/degrees.json --data ${WORK}/bad ${common}
             run --exit-after 1)
prowl_expect_contains("${err}" "prowl: error: pubsub.d_lo (7) is above pubsub.d (6)" "d_lo above d")
prowl_expect(fail ERR err COMMAND ${CMAKE_COMMAND} -E env PROWL_RR_DEFAULT_TIMEOUT_MS=400000
             ${PROWL} --data ${WORK}/bad ${common} run --exit-after 1)
prowl_expect_contains("${err}" "rr.default_timeout_ms (400000) is above rr.max_timeout_ms (300000)"
                      "a default timeout above the maximum")

# A subscriber allowing 100-byte messages: a 200-byte message published to
# it is dropped, a 50-byte one after it is printed.
file(WRITE ${WORK}/small.json "{\"pubsub\": {\"max_message_bytes\": 100}}")
start_background(receiver --config ${WORK}/small.json --data ${WORK}/receiver ${common}
                 run --listen /ip4/127.0.0.1/tcp/0 --no-mdns --subscribe limits --exit-after 60)
wait_for(receiver.out "/ip4/127\\.0\\.0\\.1/tcp/[0-9]+/p2p/[1-9A-HJ-NP-Za-km-z]+" address)

string(REPEAT "x" 200 large)
string(REPEAT "y" 50 small)
prowl_expect(ok OUT out COMMAND ${PROWL} --data ${WORK}/publisher ${common}
             pub limits ${large} --bootstrap ${address} --timeout 20)
prowl_expect_contains("${out}" "\"msgId\"" "publishing the 200-byte message")
prowl_expect(ok OUT out COMMAND ${PROWL} --data ${WORK}/publisher ${common}
             pub limits ${small} --bootstrap ${address} --timeout 20)
wait_for(receiver.out "\"data\":\"${small}\"" delivered)
execute_process(COMMAND kill ${receiver_pid})
file(READ ${WORK}/receiver.out received)
string(FIND "${received}" "${large}" at)
if(NOT at EQUAL -1)
  message(FATAL_ERROR "the 200-byte message reached a subscriber allowing 100 bytes:\n${received}")
endif()
