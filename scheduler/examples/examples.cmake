# The example scheduler of docs/WRITING-A-SCHEDULER.md (scheduler/examples/least_loaded.c), built
# twice: as a plugin shared object loaded with --set scheduler.plugin=PATH (tests/e2e/plugin.sh),
# and compiled into the engine's unit tests (suite "entropy" runs its table directly).
# The plugin resolves every sched_* and core_* symbol from the lucsim executable (ENABLE_EXPORTS,
# and the engine and core libraries are linked whole into it, see CMakeLists.txt).

set(LUCSIM_EXAMPLE_SCHEDULER ${PROJECT_SOURCE_DIR}/scheduler/examples/least_loaded.c)

add_library(least_loaded MODULE ${LUCSIM_EXAMPLE_SCHEDULER})
set_target_properties(least_loaded PROPERTIES PREFIX "" C_VISIBILITY_PRESET default)
target_include_directories(least_loaded PRIVATE ${PROJECT_SOURCE_DIR}/scheduler ${PROJECT_SOURCE_DIR}/sim
  ${PROJECT_SOURCE_DIR}/scheduler/core)
# SimGrid's headers (and its actor calls); the sched_* symbols stay undefined until dlopen.
target_link_libraries(least_loaded PRIVATE PkgConfig::SIMGRID)
add_dependencies(lucsim least_loaded)

target_sources(lucsim_unit_tests PRIVATE ${LUCSIM_EXAMPLE_SCHEDULER})
