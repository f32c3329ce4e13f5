# prowl_warnings(TARGET): the project's warning set; warnings are errors in CI builds.
option(PROWL_WERROR "Treat warnings as errors" OFF)
function(prowl_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
    -Wcast-align -Wunused -Woverloaded-virtual -Wimplicit-fallthrough)
  if(PROWL_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# prowl_test(<name> SOURCES <src>... LIBS <lib>...): a GoogleTest executable
# whose cases are registered with ctest when ctest runs.
function(prowl_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  if(NOT PROWL_BUILD_TESTS)
    return()
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gtest_main)
  prowl_warnings(${name})
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST PROPERTIES TIMEOUT 300)
endfunction()
