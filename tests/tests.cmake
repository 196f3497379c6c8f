# Under the sanitizers SimGrid runs actors as threads, and each simulated context switch is a
# thread hand-off: twice as fast when the process stays on one CPU. ctest hands each test one CPU
# of the resource "cpus" (scripts/test writes the spec file), and tests/pin-cpu pins the test to it.
# Without a spec file (plain `ctest`), tests run unpinned.
set(LUCSIM_TEST_LAUNCHER)
if(LUCSIM_SANITIZE)
  set(LUCSIM_TEST_LAUNCHER bash ${PROJECT_SOURCE_DIR}/tests/pin-cpu)
endif()
function(lucsim_pin_test name)
  if(LUCSIM_SANITIZE)
    set_tests_properties(${name} PROPERTIES RESOURCE_GROUPS "cpus:1")
  endif()
endfunction()

# Unit tests: two CUnit binaries (the solver core links only core + GLPK; the engine suites link
# everything). ctest runs one test per suite; suite names are read from each binary's table.

function(lucsim_register_suites binary table_file prefix)
  # Every {"name", NULL, ... entry, however clang-format lays the table out (one or two per line).
  file(STRINGS ${table_file} lines REGEX "^[ \t]*\\{[ \t]*\"[a-z0-9_]+\"")
  string(REGEX MATCHALL "\\{[ \t]*\"[a-z0-9_]+\", NULL" entries "${lines}")
  foreach(entry IN LISTS entries)
    string(REGEX MATCH "\"([a-z0-9_]+)\"" _ "${entry}")
    set(suite ${CMAKE_MATCH_1})
    add_test(NAME ${prefix}_${suite} COMMAND ${LUCSIM_TEST_LAUNCHER} $<TARGET_FILE:${binary}> ${suite})
    lucsim_pin_test(${prefix}_${suite})
    set_tests_properties(${prefix}_${suite} PROPERTIES WORKING_DIRECTORY ${PROJECT_BINARY_DIR}
      ENVIRONMENT "LUCSIM_SOURCE_DIR=${PROJECT_SOURCE_DIR};LUCSIM_BINARY=$<TARGET_FILE:lucsim>")
  endforeach()
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${table_file})
endfunction()

file(GLOB CORE_TEST_SOURCES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/unit/test_core*.c)
add_executable(lucsim_core_tests ${PROJECT_SOURCE_DIR}/tests/unit/main_core.c
  ${PROJECT_SOURCE_DIR}/tests/unit/runner.c ${CORE_TEST_SOURCES})
target_include_directories(lucsim_core_tests PRIVATE ${PROJECT_SOURCE_DIR}/tests/unit)
target_link_libraries(lucsim_core_tests PRIVATE lucsim_core PkgConfig::CUNIT)
lucsim_register_suites(lucsim_core_tests ${PROJECT_SOURCE_DIR}/tests/unit/main_core.c unit)

file(GLOB ENGINE_TEST_SOURCES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/unit/test_*.c)
list(FILTER ENGINE_TEST_SOURCES EXCLUDE REGEX "/test_core[^/]*\\.c$")
add_executable(lucsim_unit_tests ${PROJECT_SOURCE_DIR}/tests/unit/main.c ${PROJECT_SOURCE_DIR}/tests/unit/simrun.c ${PROJECT_SOURCE_DIR}/tests/unit/migrun.c
  ${PROJECT_SOURCE_DIR}/tests/unit/runner.c ${PROJECT_SOURCE_DIR}/tests/fuzz/roundtrip.c ${ENGINE_TEST_SOURCES})
target_include_directories(lucsim_unit_tests PRIVATE ${PROJECT_SOURCE_DIR}/tests/unit ${PROJECT_SOURCE_DIR}/tests/fuzz)
target_link_libraries(lucsim_unit_tests PRIVATE lucsim_engine PkgConfig::CUNIT)
add_dependencies(lucsim_unit_tests lucsim)
# Suite "registry" dlopens plugins (next to the lucsim binary): they resolve the sched_* API from
# this executable, as from lucsim.
set_target_properties(lucsim_unit_tests PROPERTIES ENABLE_EXPORTS ON)
lucsim_register_suites(lucsim_unit_tests ${PROJECT_SOURCE_DIR}/tests/unit/main.c unit)

# Test plugins (tests/plugins/), loaded by tests/e2e/plugin.sh: a table of scheduler ABI version 1,
# which must load and run, and the same source declaring versions the registry must refuse.
lucsim_add_plugin(abi_v1 ${PROJECT_SOURCE_DIR}/tests/plugins/abi_v1.c)
# A version-3 scheduler running rounds with the version-3 layout of sched_round_t.
lucsim_add_plugin(abi_v3_round ${PROJECT_SOURCE_DIR}/tests/plugins/abi_v3_round.c)
lucsim_add_plugin(abi_v3_solver ${PROJECT_SOURCE_DIR}/tests/plugins/abi_v3_round.c)
target_compile_definitions(abi_v3_solver PRIVATE TEST_PLUGIN_PARAM_SOLVER)
foreach(refused IN ITEMS "v0=0" "negative=-1" "future=SCHED_ABI_VERSION+1")
  string(REGEX MATCH "^([a-z0-9]+)=(.*)$" _ "${refused}")
  lucsim_add_plugin(abi_${CMAKE_MATCH_1} ${PROJECT_SOURCE_DIR}/tests/plugins/abi_v1.c)
  target_compile_definitions(abi_${CMAKE_MATCH_1} PRIVATE "TEST_PLUGIN_ABI=${CMAKE_MATCH_2}")
endforeach()
# Plugins the registry must refuse, one defect each (tests/plugins/refused.c), loaded by suite "registry".
foreach(defect IN ITEMS no_entry no_table no_init builtin_name)
  string(TOUPPER ${defect} macro)
  lucsim_add_plugin(refused_${defect} ${PROJECT_SOURCE_DIR}/tests/plugins/refused.c)
  target_compile_definitions(refused_${defect} PRIVATE "TEST_PLUGIN_DEFECT=${macro}")
  add_dependencies(lucsim_unit_tests refused_${defect})
endforeach()
add_dependencies(lucsim_unit_tests abi_v0)

# End-to-end tests: whole runs of the lucsim binary (tests/e2e/*.sh), each a ctest test. They source
# tests/e2e/lib.bash (temporary folder, check, col, finish), which is not *.sh so not a test itself.
file(GLOB E2E_SCRIPTS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/e2e/*.sh)
foreach(script IN LISTS E2E_SCRIPTS)
  get_filename_component(name ${script} NAME_WE)
  if(LUCSIM_SANITIZE AND name STREQUAL "soak") # minutes under the sanitizers; smaller fault runs cover them
    continue()
  endif()
  if(LUCSIM_SANITIZE AND name STREQUAL "actor_stacks") # thread contexts there: no stack size to check
    continue()
  endif()
  add_test(NAME e2e_${name} COMMAND ${LUCSIM_TEST_LAUNCHER} bash ${script} $<TARGET_FILE:lucsim> ${PROJECT_SOURCE_DIR})
  lucsim_pin_test(e2e_${name})
  set_tests_properties(e2e_${name} PROPERTIES WORKING_DIRECTORY ${PROJECT_BINARY_DIR})
endforeach()

# The allocator lucsim was linked with is the one it loads and reports (CMakeLists.txt, LUCSIM_TCMALLOC).
add_test(NAME allocator COMMAND bash ${PROJECT_SOURCE_DIR}/tests/allocator.sh $<TARGET_FILE:lucsim> ${LUCSIM_ALLOCATOR})

# The fuzz harnesses' checks without libFuzzer (tests/fuzz/replay.c): every seed, regression input
# of past findings and shipped or bad experiment goes through the same harness code once. The
# harnesses themselves are built and run only in a clang fuzz build folder (tests/fuzz/fuzz.cmake).
set(LUCSIM_FUZZ_DIR ${PROJECT_SOURCE_DIR}/tests/fuzz)
foreach(harness experiment set)
  add_executable(fuzz_replay_${harness} ${LUCSIM_FUZZ_DIR}/replay.c ${LUCSIM_FUZZ_DIR}/fuzz_${harness}.c
    ${LUCSIM_FUZZ_DIR}/fuzz_common.c ${LUCSIM_FUZZ_DIR}/roundtrip.c)
  target_include_directories(fuzz_replay_${harness} PRIVATE ${LUCSIM_FUZZ_DIR})
  target_compile_definitions(fuzz_replay_${harness} PRIVATE LUCSIM_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  target_link_libraries(fuzz_replay_${harness} PRIVATE lucsim_config)
  add_test(NAME fuzz_replay_${harness} COMMAND bash -c
    "rm -rf seeds-${harness} && '${LUCSIM_FUZZ_DIR}/seeds.sh' ${harness} '${PROJECT_SOURCE_DIR}' seeds-${harness} && \
     '$<TARGET_FILE:fuzz_replay_${harness}>' seeds-${harness}")
  set_tests_properties(fuzz_replay_${harness} PROPERTIES WORKING_DIRECTORY ${PROJECT_BINARY_DIR})
endforeach()
