# `prowl` end to end (cmake -P): network.limits.* from the configuration
# bound a running node, and bad limits are refused with the key that is wrong.
# -DPROWL=<prowl> -DHELPERS=<tests/integration/cli_helpers.cmake> -DWORK=<scratch dir>
include(${HELPERS})
include(${CMAKE_CURRENT_LIST_DIR}/background_helpers.cmake)

prowl_private_dir(${WORK})
file(MAKE_DIRECTORY ${WORK}/plugins)
set(common --data ${WORK}/data --plugins ${WORK}/plugins)

# Out-of-range limits are refused with the file, position and key, or the variable.
file(WRITE ${WORK}/zero.json "{\"network\": {\"limits\": {\"max_connections\": 0}}}")
prowl_expect(fail ERR err COMMAND ${PROWL} --config ${WORK}/zero.json ${common} run --exit-after 1)
prowl_expect_contains("${err}" "zero.json:1:44: network.limits.max_connections: 0 is outside [1, 1048576]"
                      "a zero connection limit")
prowl_expect(fail ERR err COMMAND ${CMAKE_COMMAND} -E env PROWL_NETWORK_LIMITS_IDLE_TIMEOUT_MS=-5
             ${PROWL} ${common} ping /ip4/127.0.0.1/tcp/9)
prowl_expect_contains("${err}"
  "environment variable PROWL_NETWORK_LIMITS_IDLE_TIMEOUT_MS: network.limits.idle_timeout_ms: -5 is outside [1, 86400000]"
  "a negative idle timeout")

# A node allowed one connection: a second peer is refused while the first
# stays connected, and gets in once the first has left.
file(WRITE ${WORK}/one.json
     "{\"log\": {\"level\": \"debug\"}, \"network\": {\"limits\": {\"max_connections\": 1}}}")
start_background(server --config ${WORK}/one.json ${common} run --listen /ip4/127.0.0.1/tcp/0 --exit-after 90)
wait_for(server.out "/ip4/127\\.0\\.0\\.1/tcp/[0-9]+/p2p/[1-9A-HJ-NP-Za-km-z]+" address)

start_background(first ping ${address} --count 1000000 --timeout 60)
wait_for(first.out "\"seq\":2," first_pinging)
prowl_expect(fail ERR err COMMAND ${PROWL} ping ${address} --count 1 --timeout 20)
prowl_expect_contains("${err}" "prowl: error:" "the second peer")
wait_for(server.err "connection limit of 1 reached" refused)

execute_process(COMMAND kill ${first_pid})
# The server notices the first peer leave; then the second gets in.
set(admitted FALSE)
foreach(attempt RANGE 100)
  execute_process(COMMAND ${PROWL} ping ${address} --count 1 --timeout 20 RESULT_VARIABLE rc
                  OUTPUT_QUIET ERROR_QUIET)
  if(rc EQUAL 0)
    set(admitted TRUE)
    break()
  endif()
  execute_process(COMMAND ${CMAKE_COMMAND} -E sleep 0.1)
endforeach()
execute_process(COMMAND kill ${server_pid})
if(NOT admitted)
  message(FATAL_ERROR "the second peer was still refused after the first left")
endif()
