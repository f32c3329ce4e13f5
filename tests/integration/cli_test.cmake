# End-to-end test of the `prowl` executable over the fixture plugins.
# cmake -DPROWL=<prowl> -DFIXTURES=<fixture dir> -DPLUGINS=<shipped plugin dir> -DWORK=<scratch dir>
#       -P cli_test.cmake
include(${CMAKE_CURRENT_LIST_DIR}/cli_helpers.cmake)
prowl_private_dir(${WORK})
set(plugins ${WORK}/plugins)
prowl_private_dir(${plugins})
foreach(name fixture_deflate fixture_delegate fixture_codon fixture_role fixture_kind42 fixture_pack fixture_abi1)
  file(COPY ${FIXTURES}/prowl-${name}.so DESTINATION ${plugins})
endforeach()
set(common --plugins ${plugins} --data ${WORK}/data)

# Help everywhere; a missing subcommand is an error.
foreach(cmd "" plugins "plugins list" "plugins check" run keygen id "codec compress" "codec decompress"
        "codon encode" "codon decode" ping identify perf peer-id "dht get" pub sub tools "tools listen"
        "tools streams" "tools bench-connect")
  separate_arguments(words UNIX_COMMAND "${cmd}")
  prowl_expect(ok OUT help COMMAND ${PROWL} ${words} --help)
  prowl_expect_contains("${help}" "Usage:" "prowl ${cmd} --help")
endforeach()
# `prowl --help` is the operator's menu: the developer tools are under `prowl tools`, and every
# command's help is a short imperative sentence without a trailing period.
prowl_expect(ok OUT help COMMAND ${PROWL} --help)
prowl_expect_contains("${help}" "\n  tools " "prowl --help")
foreach(tool listen streams bench-connect)
  if(help MATCHES "\n  ${tool} ")
    message(FATAL_ERROR "prowl --help lists the developer tool '${tool}' beside the operator's commands:\n${help}")
  endif()
endforeach()
foreach(group "" plugins codec codon dht tools)
  separate_arguments(words UNIX_COMMAND "${group}")
  prowl_expect(ok OUT help COMMAND ${PROWL} ${words} --help)
  string(FIND "${help}" "Subcommands:" at)
  string(SUBSTRING "${help}" ${at} -1 menu)
  string(REGEX MATCHALL "\n  [a-z-]+ +[^\n]*" rows "${menu}")
  foreach(row IN LISTS rows)
    if(NOT row MATCHES "^\n  [a-z-]+ +[A-Z][^\n]*[^.]$")
      message(FATAL_ERROR "prowl ${group} --help: not a short imperative sentence without a period:${row}")
    endif()
  endforeach()
endforeach()
prowl_expect(fail ERR err COMMAND ${PROWL})
prowl_expect(fail ERR err COMMAND ${PROWL} codec compress ${common})
prowl_expect_contains("${err}" "--codec is required" "codec compress without --codec")

# plugins list / check.
prowl_expect(ok OUT table COMMAND ${PROWL} plugins list ${plugins})
prowl_expect_contains("${table}" "NAME" "list header")
prowl_expect_contains("${table}" "unknown plugin kind 42 of 'kind42'" "list shows the refusal")
string(REGEX MATCH "fixture-deflate +codec +1.0.0 +2.0 +[^\n]*prowl-fixture_deflate.so +ok" row "${table}")
if(NOT row)
  message(FATAL_ERROR "no ok row for fixture-deflate in:\n${table}")
endif()
# An ABI 1 library is listed by its name and refused, naming its ABI.
string(REGEX MATCH "old-codec +codec +1.0.0 +1.2 +[^\n]*prowl-fixture_abi1.so +built for plugin ABI 1.2; this host loads ABI 2.x plugins: rebuild it against the prowl SDK 2" row "${table}")
if(NOT row)
  message(FATAL_ERROR "no refused row for the ABI 1 library in:\n${table}")
endif()
prowl_expect(ok OUT json COMMAND ${PROWL} plugins list --json ${common})
# One record per plugin: abi1, codon, deflate, delegate, kind42, the pack library's four, role.
string(JSON count LENGTH "${json}")
if(NOT count EQUAL 10)
  message(FATAL_ERROR "expected 10 records in:\n${json}")
endif()
string(JSON deflate_name GET "${json}" 2 name)
string(JSON deflate_status GET "${json}" 2 status)
string(JSON kind42_status GET "${json}" 4 status)
string(JSON kind42_loaded GET "${json}" 4 loaded)
if(NOT deflate_name STREQUAL "fixture-deflate" OR NOT deflate_status STREQUAL "ok"
   OR NOT kind42_status STREQUAL "unknown plugin kind 42 of 'kind42'" OR kind42_loaded)
  message(FATAL_ERROR "unexpected records:\n${json}")
endif()
set(index 5)
foreach(expected "pack-xor codec" "pack-left role" "pack-right role" "pack-hunt hunt")
  separate_arguments(expected)
  list(GET expected 0 name)
  list(GET expected 1 kind)
  string(JSON got_name GET "${json}" ${index} name)
  string(JSON got_kind GET "${json}" ${index} kind)
  string(JSON got_file GET "${json}" ${index} file)
  string(JSON got_loaded GET "${json}" ${index} loaded)
  if(NOT got_name STREQUAL name OR NOT got_kind STREQUAL kind OR NOT got_file MATCHES "prowl-fixture_pack.so$"
     OR NOT got_loaded)
    message(FATAL_ERROR "record ${index} is not the loaded ${kind} ${name} of the pack library:\n${json}")
  endif()
  math(EXPR index "${index} + 1")
endforeach()
prowl_expect(fail ERR err COMMAND ${PROWL} plugins check ${plugins}/prowl-fixture_kind42.so)
prowl_expect_contains("${err}" "prowl-fixture_kind42.so: unknown plugin kind 42 of 'kind42'" "check refuses")
prowl_expect(fail ERR err COMMAND ${PROWL} plugins check ${plugins}/prowl-fixture_abi1.so)
prowl_expect_contains("${err}"
  "prowl-fixture_abi1.so: built for plugin ABI 1.2; this host loads ABI 2.x plugins: rebuild it against the prowl SDK 2"
  "check refuses an ABI 1 library")
prowl_expect(fail ERR err COMMAND ${PROWL} plugins check ${FIXTURES}/prowl-fixture_init_throws.so)
prowl_expect_contains("${err}" "init threw an exception: fixture init throws" "check refuses")
prowl_expect(ok OUT out COMMAND ${PROWL} plugins check ${plugins}/prowl-fixture_codon.so)
prowl_expect_contains("${out}" "ok: codon fixture-codon 1.0.0 (ABI 2.0)" "check accepts")
prowl_expect(ok OUT out COMMAND ${PROWL} plugins check ${plugins}/prowl-fixture_pack.so)
foreach(line "ok: codec pack-xor 1.0.0" "ok: role pack-left 1.0.0" "ok: role pack-right 1.0.0" "ok: hunt pack-hunt 1.0.0")
  prowl_expect_contains("${out}" "${line}" "check lists every plugin of a library")
endforeach()
prowl_expect(fail ERR err COMMAND ${PROWL} plugins list ${WORK}/no-such-dir)
prowl_expect_contains("${err}" "cannot read plugin directory" "missing dir")

# keygen / id.
prowl_expect(fail ERR err COMMAND ${PROWL} id ${common})
prowl_expect_contains("${err}" "run `prowl keygen` first" "id without identity")
prowl_expect(ok OUT first COMMAND ${PROWL} keygen ${common})
if(NOT first MATCHES "^12D3KooW[1-9A-HJ-NP-Za-km-z]+\n$")
  message(FATAL_ERROR "keygen printed '${first}'")
endif()
prowl_expect(fail ERR err COMMAND ${PROWL} keygen ${common})
prowl_expect_contains("${err}" "use --force to replace it" "keygen refuses to overwrite")
prowl_expect(ok OUT again COMMAND ${PROWL} id ${common})
if(NOT again STREQUAL first)
  message(FATAL_ERROR "id printed '${again}', keygen '${first}'")
endif()
prowl_expect(ok OUT second COMMAND ${PROWL} keygen --force ${common})
prowl_expect(ok OUT again COMMAND ${PROWL} id ${common})
if(second STREQUAL first OR NOT again STREQUAL second)
  message(FATAL_ERROR "keygen --force did not replace the identity")
endif()

# codec and codon over stdin/stdout, binary-safe: the prowl executable is the input.
foreach(codec fixture-deflate fixture-delegate)
  prowl_expect(ok COMMAND ${PROWL} codec compress --codec ${codec} --level 6 ${common}
               INPUT_FILE ${PROWL} OUTPUT_FILE ${WORK}/frame)
  prowl_expect(ok COMMAND ${PROWL} codec decompress ${common}
               INPUT_FILE ${WORK}/frame OUTPUT_FILE ${WORK}/restored)
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${PROWL} ${WORK}/restored RESULT_VARIABLE same)
  if(NOT same EQUAL 0)
    message(FATAL_ERROR "codec ${codec}: round trip changed the data")
  endif()
endforeach()
# The delegate's frame names the codec whose format it wrote.
prowl_expect(ok COMMAND ${PROWL} codec decompress --codec fixture-deflate ${common}
             INPUT_FILE ${WORK}/frame OUTPUT_FILE ${WORK}/restored)
prowl_expect(fail ERR err COMMAND ${PROWL} codec decompress --codec fixture-delegate ${common}
             INPUT_FILE ${WORK}/frame OUTPUT_FILE ${WORK}/restored)
prowl_expect_contains("${err}" "written by codec 'fixture-deflate', not 'fixture-delegate'" "codec check")
# auto on both sides, over copies of shipped codecs: the frame names the codec auto
# picked, and `--codec auto` reads whichever codec a frame names, if it is loaded.
set(shipped ${WORK}/shipped)
prowl_private_dir(${shipped})
foreach(name auto lz4 zstd)
  file(COPY ${PLUGINS}/prowl-codec-${name}.so DESTINATION ${shipped})
endforeach()
set(shipped_common --plugins ${shipped} --data ${WORK}/data)
prowl_expect(ok COMMAND ${PROWL} codec compress --codec auto ${shipped_common}
             INPUT_FILE ${PROWL} OUTPUT_FILE ${WORK}/auto_frame)
prowl_expect(ok COMMAND ${PROWL} codec decompress --codec auto ${shipped_common}
             INPUT_FILE ${WORK}/auto_frame OUTPUT_FILE ${WORK}/restored)
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${PROWL} ${WORK}/restored RESULT_VARIABLE same)
if(NOT same EQUAL 0)
  message(FATAL_ERROR "codec auto: round trip changed the data")
endif()
prowl_expect(fail ERR err COMMAND ${PROWL} codec decompress --codec auto ${shipped_common}
             INPUT_FILE ${WORK}/frame OUTPUT_FILE ${WORK}/restored)
prowl_expect_contains("${err}" "no codec named 'fixture-deflate' is loaded (loaded: " "auto, codec not loaded")
prowl_expect(fail ERR err COMMAND ${PROWL} codec decompress ${common}
             INPUT_FILE ${FIXTURES}/prowl-fixture_codon.so OUTPUT_FILE ${WORK}/restored)
prowl_expect_contains("${err}" "not a prowl frame: bad magic at offset 0" "garbage frame")
prowl_expect(fail ERR err COMMAND ${PROWL} codec compress --codec zzz ${common}
             INPUT_FILE ${PROWL} OUTPUT_FILE ${WORK}/frame)
prowl_expect_contains("${err}" "no codec named 'zzz' is loaded" "unknown codec")
set(small ${FIXTURES}/prowl-fixture_kind42.so)
prowl_expect(ok COMMAND ${PROWL} codon encode --encoder fixture-codon ${common}
             INPUT_FILE ${small} OUTPUT_FILE ${WORK}/codons)
prowl_expect(ok COMMAND ${PROWL} codon decode --encoder fixture-codon ${common}
             INPUT_FILE ${WORK}/codons OUTPUT_FILE ${WORK}/decoded)
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${small} ${WORK}/decoded RESULT_VARIABLE same)
if(NOT same EQUAL 0)
  message(FATAL_ERROR "codon round trip changed the data")
endif()
file(WRITE ${WORK}/bad_codons "ACGTACGN")
prowl_expect(fail ERR err COMMAND ${PROWL} codon decode --encoder fixture-codon ${common}
             INPUT_FILE ${WORK}/bad_codons)
prowl_expect_contains("${err}" "invalid base at position 7" "bad codons")

# run: plugins start with their config, and stop cleanly on time and on SIGTERM.
file(WRITE ${WORK}/prowl.json
     "{\"plugins\": {\"fixture-role\": {\"greeting\": \"hello pack\"}}, \"log\": {\"level\": \"info\"}}\n")
prowl_expect(ok ERR log COMMAND ${PROWL} run --exit-after 0.5 --config ${WORK}/prowl.json ${common})
foreach(line "node identity ${second}" "refused ${plugins}/prowl-fixture_kind42.so: unknown plugin kind 42"
        "refused ${plugins}/prowl-fixture_abi1.so: built for plugin ABI 1.2; this host loads ABI 2.x plugins"
        "fixture role started, greeting=hello pack" "started role fixture-role" "fixture role stopped"
        "started role pack-left" "started role pack-right" "started hunt pack-hunt" "hunt stopped"
        "shut down cleanly")
  string(STRIP "${line}" line)
  prowl_expect_contains("${log}" "${line}" "prowl run log")
endforeach()
# (Newlines, not semicolons, separate the shell commands: a CMake list would split them.)
prowl_expect(ok ERR log COMMAND sh -c "\"$0\" run --log-json --plugins \"$1\" --data \"$2\" &
pid=$!
sleep 1
kill -TERM $pid
wait $pid" ${PROWL} ${plugins} ${WORK}/data)
prowl_expect_contains("${log}" "received signal 15, shutting down" "SIGTERM")
prowl_expect_contains("${log}" "\"message\":\"fixture role stopped\"" "JSON log of the stop")
file(WRITE ${WORK}/broken.json "{\"log\": {\"level\": 3}}")
prowl_expect(fail ERR err COMMAND ${PROWL} run --exit-after 0 --config ${WORK}/broken.json ${common})
prowl_expect_contains("${err}" "broken.json:1:" "config error position")
# run with the network: a bad howl group id stops it with the key that named it.
prowl_expect(fail ERR err COMMAND ${CMAKE_COMMAND} -E env "PROWL_HOWL_PACK=grey wolves"
             ${PROWL} run --listen /ip4/127.0.0.1/tcp/0 --no-mdns --exit-after 0.5 ${common})
prowl_expect_contains("${err}" "howl.pack: group id has a character outside [A-Za-z0-9._-] at offset 4"
                      "bad howl.pack")
prowl_expect(ok ERR log COMMAND ${CMAKE_COMMAND} -E env PROWL_HOWL_PACK=grey-wolves PROWL_HOWL_TERRITORY=north.ridge
             ${PROWL} run --listen /ip4/127.0.0.1/tcp/0 --no-mdns --exit-after 0.5 ${common})
prowl_expect_contains("${log}" "shut down cleanly" "run with a pack and a territory")
