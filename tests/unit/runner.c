/* CUnit driver: one suite by name, or all; exit code 1 when an assertion failed (see runner.h). */
#include "runner.h"

#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int lucsim_test_main(int argc, char** argv, CU_SuiteInfo* suites)
{
  const char* only = argc > 1 ? argv[1] : NULL;
  if (only && strcmp(only, "--list") == 0) {
    for (CU_SuiteInfo* s = suites; s->pName; s++)
      printf("%s\n", s->pName);
    return 0;
  }
  if (CU_initialize_registry() != CUE_SUCCESS) return 1;
  int found = 0;
  for (CU_SuiteInfo* s = suites; s->pName; s++) {
    if (only && strcmp(only, s->pName) != 0) continue;
    found++;
    CU_pSuite suite = CU_add_suite(s->pName, s->pInitFunc, s->pCleanupFunc);
    for (CU_TestInfo* t = s->pTests; suite && t->pName; t++)
      CU_add_test(suite, t->pName, t->pTestFunc);
  }
  if (!found) {
    fprintf(stderr, "no test suite named '%s' (try --list)\n", only);
    CU_cleanup_registry();
    return 2;
  }
  CU_basic_set_mode(CU_BRM_VERBOSE);
  CU_basic_run_tests();
  unsigned failures = CU_get_number_of_failures();
  unsigned ran      = CU_get_number_of_tests_run();
  CU_ErrorCode fw   = CU_get_error();
  CU_cleanup_registry();
  if (ran == 0) {
    fprintf(stderr, "no test ran\n");
    return 1;
  }
  return (failures > 0 || fw != CUE_SUCCESS) ? 1 : 0;
}

const char* lucsim_test_source_dir(void)
{
  const char* dir = getenv("LUCSIM_SOURCE_DIR");
#ifdef LUCSIM_SCHEMA_DIR
  return dir ? dir : LUCSIM_SCHEMA_DIR "/..";
#else
  return dir ? dir : ".";
#endif
}
