/* The solver core's unit-test binary: links only scheduler/core and GLPK (no SimGrid).
 * One line per suite; ctest registers one test per line of this table (tests/tests.cmake). */
#include "runner.h"

/* Suites, one per tests/unit/test_core_*.c file. */
extern CU_TestInfo core_cases_tests[];
extern CU_TestInfo core_constraints_tests[];
extern CU_TestInfo core_random_tests[];
extern CU_TestInfo core_locality_tests[];
extern CU_TestInfo core_proofs_tests[];

static CU_SuiteInfo core_suites[] = {
    {"core_cases", NULL, NULL, NULL, NULL, core_cases_tests},
    {"core_constraints", NULL, NULL, NULL, NULL, core_constraints_tests},
    {"core_random", NULL, NULL, NULL, NULL, core_random_tests},
    {"core_locality", NULL, NULL, NULL, NULL, core_locality_tests},
    {"core_proofs", NULL, NULL, NULL, NULL, core_proofs_tests},
    CU_SUITE_INFO_NULL,
};

int main(int argc, char** argv)
{
  return lucsim_test_main(argc, argv, core_suites);
}
