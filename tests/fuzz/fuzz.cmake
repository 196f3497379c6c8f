# libFuzzer harnesses of the experiment parser, built only in a clang build folder configured with
# -DLUCSIM_FUZZ=ON (scripts/fuzz, scripts/test): they link the config library (config*.c, error.c)
# and libxml2, nothing else. ctest runs each for a bounded 30 s with -seed=1 (run_bounded.sh).
# The normal build replays their seeds without libFuzzer instead (tests/tests.cmake).

set(LUCSIM_FUZZ_DIR ${PROJECT_SOURCE_DIR}/tests/fuzz)
set(LUCSIM_FUZZ_SECONDS 30 CACHE STRING "Duration of each bounded fuzz run registered in ctest")
foreach(harness experiment set)
  add_executable(fuzz_${harness} ${LUCSIM_FUZZ_DIR}/fuzz_${harness}.c ${LUCSIM_FUZZ_DIR}/fuzz_common.c
    ${LUCSIM_FUZZ_DIR}/roundtrip.c)
  target_include_directories(fuzz_${harness} PRIVATE ${LUCSIM_FUZZ_DIR})
  target_compile_definitions(fuzz_${harness} PRIVATE LUCSIM_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  target_link_libraries(fuzz_${harness} PRIVATE lucsim_config)
  target_link_options(fuzz_${harness} PRIVATE -fsanitize=fuzzer,address,undefined)
  add_test(NAME fuzz_${harness}_bounded COMMAND bash ${LUCSIM_FUZZ_DIR}/run_bounded.sh
    $<TARGET_FILE:fuzz_${harness}> ${harness} ${PROJECT_SOURCE_DIR} ${LUCSIM_FUZZ_SECONDS})
  # One harness at a time (they share the machine with the other builds); a hang fails the test.
  math(EXPR timeout "${LUCSIM_FUZZ_SECONDS} * 3 + 60")
  set_tests_properties(fuzz_${harness}_bounded PROPERTIES WORKING_DIRECTORY ${PROJECT_BINARY_DIR}
    RESOURCE_LOCK lucsim_fuzz TIMEOUT ${timeout})
endforeach()
