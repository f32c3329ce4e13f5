# prowl_fuzz_target(<name> SOURCES <src>... LIBS <lib>...)
#
# Every parser of outside bytes has a libFuzzer entry point
# (LLVMFuzzerTestOneInput). This function always builds a replay binary that
# feeds each file of tests/fuzz/corpus/<name>/ to that entry point and
# registers it with ctest as fuzz_corpus_<name>; with -DPROWL_FUZZ=ON (clang)
# it also builds the real fuzzer fuzz_<name>.
set(PROWL_FUZZ_CORPUS_ROOT ${CMAKE_SOURCE_DIR}/tests/fuzz/corpus)
set(PROWL_FUZZ_REPLAY_MAIN ${CMAKE_SOURCE_DIR}/tests/fuzz/replay_main.cc)

if(PROWL_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "PROWL_FUZZ=ON needs clang (CC=clang-19 CXX=clang++-19 on Debian 12)")
  endif()
  # Coverage-instrument every library the fuzzers link, not only the fuzz
  # entry points; ASan and UBSan come from cmake/ProwlSanitizers.cmake.
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

function(prowl_fuzz_target name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  if(PROWL_FUZZ)
    add_executable(fuzz_${name} ${ARG_SOURCES})
    target_link_libraries(fuzz_${name} PRIVATE ${ARG_LIBS})
    target_link_options(fuzz_${name} PRIVATE -fsanitize=fuzzer)
  endif()
  add_executable(fuzz_${name}_replay ${ARG_SOURCES} ${PROWL_FUZZ_REPLAY_MAIN})
  target_link_libraries(fuzz_${name}_replay PRIVATE ${ARG_LIBS})
  add_test(NAME fuzz_corpus_${name}
           COMMAND fuzz_${name}_replay ${PROWL_FUZZ_CORPUS_ROOT}/${name})
  set_tests_properties(fuzz_corpus_${name} PROPERTIES LABELS fuzz TIMEOUT 120)
endfunction()
