# Tests the layer check itself: each fixture tree breaks one rule and must be
# refused with a line naming it; the clean tree must pass.
#   cmake -DCHECK=<check_layers.cmake> -DFIXTURES=<fixtures dir> -P check_layers_test.cmake
function(expect tree expected_result expected_text)
  execute_process(COMMAND ${CMAKE_COMMAND} -DROOT=${FIXTURES}/${tree} -P ${CHECK}
                  RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
  set(text "${out}${err}")
  if(expected_result STREQUAL "fail" AND result EQUAL 0)
    message(FATAL_ERROR "${tree}: the check passed a tree that breaks a rule:\n${text}")
  endif()
  if(expected_result STREQUAL "pass" AND NOT result EQUAL 0)
    message(FATAL_ERROR "${tree}: the check refused a clean tree:\n${text}")
  endif()
  string(FIND "${text}" "${expected_text}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${tree}: expected '${expected_text}' in:\n${text}")
  endif()
  message("${tree}: ok")
endfunction()

expect(upward fail "host/base/widget/widget.cc: includes host/swarm/swarm.h from a higher layer (swarm above base)")
expect(internal fail "host/plugin_host/codec/codec.cc: includes host/plugin_host/net/internal/frame.h, private to host/plugin_host/net/")
expect(test_support fail "host/node/node.cc: includes test support host/testing/memory_swarms.h in production code")
expect(asio fail "host/wire/widget/widget.cc: includes Asio in the sans-IO wire layer")
expect(clean pass "layer check: 4 files, no violation")
