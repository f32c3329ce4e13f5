# Builds examples/rle-codec against the INSTALLED SDK and runs it through prowl.
# cmake -DBUILD=<prowl build dir> -DPROWL=<prowl> -DEXAMPLE=<examples/rle-codec>
#       -DWORK=<scratch dir> -DGENERATOR=<generator> -P sdk_example_test.cmake
include(${CMAKE_CURRENT_LIST_DIR}/cli_helpers.cmake)
prowl_private_dir(${WORK})
prowl_expect(ok COMMAND ${CMAKE_COMMAND} --install ${BUILD} --component sdk --prefix ${WORK}/sdk)
prowl_expect(ok COMMAND ${CMAKE_COMMAND} -S ${EXAMPLE} -B ${WORK}/build -G ${GENERATOR}
             -DCMAKE_PREFIX_PATH=${WORK}/sdk -DCMAKE_BUILD_TYPE=Release)
prowl_expect(ok COMMAND ${CMAKE_COMMAND} --build ${WORK}/build)
set(plugin ${WORK}/build/prowl-rle.so)
file(CHMOD ${WORK}/build DIRECTORY_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE
     GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
file(CHMOD ${plugin} PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE
     GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
prowl_expect(ok OUT out COMMAND ${PROWL} plugins check ${plugin})
prowl_expect_contains("${out}" "ok: codec rle 1.0.0 (ABI 2.0)" "plugins check")

# Runs and literals: a file of repeated and varied bytes, and a binary.
string(REPEAT "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa bcdefgh\n" 50 text)
file(WRITE ${WORK}/input.txt "${text}")
foreach(input ${WORK}/input.txt ${PROWL})
  prowl_expect(ok COMMAND ${PROWL} codec compress --codec rle --plugins ${WORK}/build --data ${WORK}/data
               INPUT_FILE ${input} OUTPUT_FILE ${WORK}/frame)
  prowl_expect(ok COMMAND ${PROWL} codec decompress --codec rle --plugins ${WORK}/build --data ${WORK}/data
               INPUT_FILE ${WORK}/frame OUTPUT_FILE ${WORK}/restored)
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${input} ${WORK}/restored RESULT_VARIABLE same)
  if(NOT same EQUAL 0)
    message(FATAL_ERROR "rle round trip of ${input} changed the data")
  endif()
endforeach()
file(SIZE ${WORK}/input.txt original)
prowl_expect(ok COMMAND ${PROWL} codec compress --codec rle --plugins ${WORK}/build --data ${WORK}/data
             INPUT_FILE ${WORK}/input.txt OUTPUT_FILE ${WORK}/frame)
file(SIZE ${WORK}/frame packed)
math(EXPR limit "${original} / 10")
if(packed GREATER limit)
  message(FATAL_ERROR "rle packed ${original} bytes of long runs into ${packed}")
endif()
