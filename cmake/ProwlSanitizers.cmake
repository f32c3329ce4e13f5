# PROWL_SANITIZE=address|thread instruments every target of the build:
#   address  AddressSanitizer + UndefinedBehaviorSanitizer (leaks included);
#            any UB report stops the process, so a test that hits one fails
#   thread   ThreadSanitizer
# PROWL_FUZZ=ON (cmake/ProwlFuzz.cmake) implies address. Use clang 19 on
# Debian 12 (scripts/test.sh --sanitize does): clang 14 cannot build the
# coroutine code with -g ("Cannot represent a difference across sections").
set(PROWL_SANITIZE "" CACHE STRING "Instrument the build: address (ASan+UBSan), thread (TSan), or empty")
set_property(CACHE PROWL_SANITIZE PROPERTY STRINGS "" address thread)
include(ProwlTargets)

set(_prowl_sanitize "${PROWL_SANITIZE}")
if(PROWL_FUZZ AND "${_prowl_sanitize}" STREQUAL "")
  set(_prowl_sanitize address)
endif()
if(PROWL_FUZZ AND NOT "${_prowl_sanitize}" STREQUAL "address")
  message(FATAL_ERROR "PROWL_FUZZ=ON builds with PROWL_SANITIZE=address, not '${PROWL_SANITIZE}'")
endif()

if("${_prowl_sanitize}" STREQUAL "address")
  set(_prowl_sanitizers address,undefined)
  # After -fsanitize=undefined, which would turn it back on: RapidJSON 1.1
  # (Debian) does null-pointer arithmetic in internal/stack.h (fixed upstream).
  set(_prowl_sanitizer_exceptions -fno-sanitize=pointer-overflow -fno-sanitize-recover=undefined)
elseif("${_prowl_sanitize}" STREQUAL "thread")
  set(_prowl_sanitizers thread)
elseif(NOT "${_prowl_sanitize}" STREQUAL "")
  message(FATAL_ERROR "PROWL_SANITIZE must be address, thread or empty, not '${PROWL_SANITIZE}'")
endif()

if(_prowl_sanitizers)
  add_compile_options(-fsanitize=${_prowl_sanitizers} ${_prowl_sanitizer_exceptions} -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${_prowl_sanitizers})
  # The sanitizer runtime lives in the executable, which exports it to the
  # plugins it loads; a plugin's references to it are undefined at link time,
  # so its -Wl,--no-undefined check (sdk/cmake/ProwlPlugin.cmake) is dropped
  # in instrumented builds. The default build keeps checking.
  function(_prowl_sanitized_plugins_link)
    prowl_targets_under(${PROJECT_SOURCE_DIR} targets)
    foreach(target IN LISTS targets)
      get_target_property(type ${target} TYPE)
      if(type STREQUAL "MODULE_LIBRARY")
        get_target_property(options ${target} LINK_OPTIONS)
        if(options)
          list(REMOVE_ITEM options -Wl,--no-undefined)
          set_target_properties(${target} PROPERTIES LINK_OPTIONS "${options}")
        endif()
      endif()
    endforeach()
  endfunction()
  cmake_language(DEFER DIRECTORY ${PROJECT_SOURCE_DIR} CALL _prowl_sanitized_plugins_link)
endif()
