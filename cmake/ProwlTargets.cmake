# Helpers over the targets the tree defines.

# prowl_targets_under(<dir> <out-var>): every target defined in source
# directory <dir> and the directories below it (call after they are added).
function(prowl_targets_under dir out)
  get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  foreach(sub IN LISTS subdirs)
    prowl_targets_under(${sub} more)
    list(APPEND targets ${more})
  endforeach()
  set(${out} ${targets} PARENT_SCOPE)
endfunction()

# prowl_add_runtime_target(): the target prowl_runtime builds what
# scripts/run.sh runs and nothing more: the prowl executable and every plugin
# prowl_add_plugin() put into PROWL_PLUGIN_OUTPUT_DIR (the shipped plugins;
# test fixtures go elsewhere). A plugin added under plugins/ joins it without
# an edit here. Call after plugins/ is added.
function(prowl_add_runtime_target)
  prowl_targets_under(${PROJECT_SOURCE_DIR}/plugins targets)
  set(plugins)
  foreach(target IN LISTS targets)
    get_target_property(type ${target} TYPE)
    get_target_property(dir ${target} LIBRARY_OUTPUT_DIRECTORY)
    if(type STREQUAL "MODULE_LIBRARY" AND dir STREQUAL PROWL_PLUGIN_OUTPUT_DIR)
      list(APPEND plugins ${target})
    endif()
  endforeach()
  if(NOT plugins)
    message(FATAL_ERROR "prowl_runtime: no plugin under plugins/ builds into ${PROWL_PLUGIN_OUTPUT_DIR}")
  endif()
  add_custom_target(prowl_runtime)
  add_dependencies(prowl_runtime prowl ${plugins})
endfunction()
