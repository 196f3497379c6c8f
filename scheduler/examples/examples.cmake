# The example scheduler of docs/WRITING-A-SCHEDULER.md (scheduler/examples/least_loaded.c), built
# twice: as a plugin shared object loaded with --set scheduler.plugin=PATH (tests/e2e/plugin.sh),
# and compiled into the engine's unit tests (suite "entropy" runs its table directly).
# The plugin resolves every sched_* and core_* symbol from the lucsim executable (ENABLE_EXPORTS,
# and the engine and core libraries are linked whole into it, see CMakeLists.txt).

set(LUCSIM_EXAMPLE_SCHEDULER ${PROJECT_SOURCE_DIR}/scheduler/examples/least_loaded.c)

lucsim_add_plugin(least_loaded ${LUCSIM_EXAMPLE_SCHEDULER}) # only -I scheduler -I scheduler/core
add_dependencies(lucsim least_loaded)

target_sources(lucsim_unit_tests PRIVATE ${LUCSIM_EXAMPLE_SCHEDULER})
