# prowl_add_plugin(<target> SOURCES <src>... [OUTPUT_DIRECTORY <dir>])
#
# Builds one prowl plugin library: a shared library named prowl-<target>.so
# (holding one or more plugins) that exports only the manifest and the entry
# symbol (everything else is hidden).
# Without OUTPUT_DIRECTORY the plugin is also installed (component runtime)
# into ${PROWL_PLUGIN_INSTALL_DIR}, by default lib/prowl/plugins, which is
# where an installed `prowl` looks. (OUTPUT_DIRECTORY is for test fixtures.)
# Link extra libraries with target_link_libraries(<target> PRIVATE ...).
function(prowl_add_plugin target)
  cmake_parse_arguments(ARG "" "OUTPUT_DIRECTORY" "SOURCES" ${ARGN})
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "prowl_add_plugin(${target}): SOURCES is required")
  endif()
  add_library(${target} MODULE ${ARG_SOURCES})
  if(NOT TARGET Prowl::sdk)
    message(FATAL_ERROR "prowl_add_plugin(${target}): Prowl::sdk is not defined; call find_package(ProwlSDK) first")
  endif()
  target_link_libraries(${target} PRIVATE Prowl::sdk)
  target_compile_features(${target} PRIVATE cxx_std_20)
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    OUTPUT_NAME "prowl-${target}"
    CXX_VISIBILITY_PRESET hidden
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  # Resolve every symbol at link time so a missing one fails the build, not the load.
  target_link_options(${target} PRIVATE -Wl,--no-undefined -Wl,-z,now)
  if(ARG_OUTPUT_DIRECTORY)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIRECTORY})
    return()
  endif()
  if(DEFINED PROWL_PLUGIN_OUTPUT_DIR)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${PROWL_PLUGIN_OUTPUT_DIR})
  endif()
  if(NOT DEFINED PROWL_PLUGIN_INSTALL_DIR)
    set(PROWL_PLUGIN_INSTALL_DIR lib/prowl/plugins)
  endif()
  install(TARGETS ${target} LIBRARY DESTINATION ${PROWL_PLUGIN_INSTALL_DIR} COMPONENT runtime)
endfunction()
