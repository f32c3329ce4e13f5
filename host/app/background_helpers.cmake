# Helpers of the net_cli process tests (cmake -P) that keep a `prowl` running
# in the background. They use ${PROWL} and ${WORK} (its scratch directory).

# Starts `prowl <args>` in the background, its output in <name>.out and
# <name>.err; sets <name>_pid.
function(start_background name)
  execute_process(
    COMMAND sh -c "\"$@\" >'${WORK}/${name}.out' 2>'${WORK}/${name}.err' </dev/null & echo $!" sh ${PROWL} ${ARGN}
    OUTPUT_VARIABLE pid OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0 OR NOT pid MATCHES "^[0-9]+$")
    message(FATAL_ERROR "could not start prowl ${ARGN} (rc ${rc})")
  endif()
  set(${name}_pid ${pid} PARENT_SCOPE)
endfunction()

# Waits up to 20 s for ${WORK}/<file> to match <regex>; sets <var> to the first match.
function(wait_for file regex var)
  foreach(attempt RANGE 200)
    if(EXISTS ${WORK}/${file})
      file(READ ${WORK}/${file} text)
      string(REGEX MATCH "${regex}" found "${text}")
      if(found)
        set(${var} "${found}" PARENT_SCOPE)
        return()
      endif()
    endif()
    execute_process(COMMAND ${CMAKE_COMMAND} -E sleep 0.1)
  endforeach()
  message(FATAL_ERROR "${file}: nothing matching '${regex}' within 20 s:\n${text}")
endfunction()
