/* A small CUnit driver shared by the unit-test binaries: runs one named suite (ctest runs one
 * ctest test per suite) or all of them, and exits non-zero when any assertion failed, because
 * CU_basic_run_tests() alone only reports framework errors. */
#ifndef LUCSIM_TEST_RUNNER_H
#define LUCSIM_TEST_RUNNER_H

#include <CUnit/CUnit.h>

/* argv[1], when given, names the suite to run ("--list" prints the suite names). Returns the exit code. */
int lucsim_test_main(int argc, char** argv, CU_SuiteInfo* suites);

/* The source folder ($LUCSIM_SOURCE_DIR, which ctest sets; else the one this binary was built
 * from, or "."), for tests that read the shipped workloads and bad inputs. Borrowed, static. */
const char* lucsim_test_source_dir(void);

#endif
