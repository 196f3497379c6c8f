/* Suite "registry": the scheduler registry (scheduler/registry.c): the built-in tables, their order
 * and names, lookup by name, and plugin loading on real files: a missing file, a file that is not a
 * shared object, and shared objects built by tests/tests.cmake (tests/plugins/refused.c, one defect
 * each; abi_v0.so) are refused with one exact message; the example plugin least_loaded.so loads and
 * runs a real SimGrid run (in a forked child) exactly as the copy compiled into this binary.
 * The plugins sit next to the lucsim binary ($LUCSIM_BINARY, set by ctest). */
#include "run.h"
#include "simrun.h"

#include <CUnit/CUnit.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const sched_ops_t* lucsim_scheduler(void); /* scheduler/examples/least_loaded.c, compiled in */

static const char* const builtin_names[] = {"none", "entropy", "snooze", "dvms"};
#define BUILTINS (sizeof builtin_names / sizeof *builtin_names)

/* The path of a file in the folder of $LUCSIM_BINARY (the build folder); false when unset. */
static bool next_to_lucsim_binary(const char* name, char* buf, size_t size)
{
  const char* bin = getenv("LUCSIM_BINARY");
  if (!bin || !bin[0]) return false;
  char copy[1024];
  snprintf(copy, sizeof copy, "%s", bin);
  snprintf(buf, size, "%s/%s", dirname(copy), name);
  return true;
}

static void test_registry_builtins_are_none_entropy_snooze_dvms_in_order(void)
{
  const sched_ops_t* const* b = sched_builtins();
  CU_ASSERT_PTR_NOT_NULL_FATAL(b);
  size_t n = 0;
  while (b[n] && n <= BUILTINS)
    n++;
  CU_ASSERT_EQUAL_FATAL(n, BUILTINS);
  for (size_t i = 0; i < n; i++) {
    CU_ASSERT_STRING_EQUAL(b[i]->name, builtin_names[i]);
    CU_ASSERT_EQUAL(b[i]->abi_version, SCHED_ABI_VERSION);
    CU_ASSERT_PTR_NOT_NULL(b[i]->init);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b[i]->summary);
    CU_ASSERT(strlen(b[i]->summary) > 0);
  }
  CU_ASSERT_PTR_EQUAL(sched_builtins(), b); /* static storage: the same table every call */
}

static void test_registry_builtin_names_are_unique(void)
{
  const sched_ops_t* const* b = sched_builtins();
  for (size_t i = 0; b[i]; i++)
    for (size_t j = i + 1; b[j]; j++) {
      CU_ASSERT_PTR_NOT_EQUAL(b[i], b[j]);
      CU_ASSERT(strcmp(b[i]->name, b[j]->name) != 0);
    }
}

static void test_registry_find_returns_each_builtin_by_name(void)
{
  const sched_ops_t* const* b = sched_builtins();
  for (size_t i = 0; b[i]; i++)
    CU_ASSERT_PTR_EQUAL(sched_find(b[i]->name), b[i]);
  CU_ASSERT_PTR_EQUAL(sched_find("entropy"), b[1]);
}

static void test_registry_find_of_an_unknown_name_is_null(void)
{
  const char* unknown[] = {"frobnicate", "", "Entropy", "entropy ", "dvm", "dvms2", "least-loaded", "abi-v1"};
  for (size_t i = 0; i < sizeof unknown / sizeof *unknown; i++)
    CU_ASSERT_PTR_NULL(sched_find(unknown[i]));
}

/* Loads path and expects a refusal with message (a format of path, and of the arguments after). */
static void expect_refused(const char* path, const char* message)
{
  lucsim_err_t err;
  lucsim_err_clear(&err);
  CU_ASSERT_PTR_NULL(sched_load_plugin(path, &err));
  CU_ASSERT_STRING_EQUAL(err.field, "scheduler.plugin");
  CU_ASSERT_STRING_EQUAL(err.message, message);
  CU_ASSERT_STRING_EQUAL(err.file, "");
  CU_ASSERT_EQUAL(err.line, 0);
}

static void test_registry_load_refuses_a_missing_file(void)
{
  char dir[] = "/tmp/lucsim-registry-XXXXXX";
  CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
  char path[256], message[768];
  snprintf(path, sizeof path, "%s/missing.so", dir);
  snprintf(message, sizeof message, "cannot load '%s': %s: cannot open shared object file: No such file or directory",
           path, path);
  expect_refused(path, message);
  CU_ASSERT_EQUAL(simrun_remove(dir), 0);
}

static void test_registry_load_refuses_a_file_that_is_not_a_shared_object(void)
{
  char dir[] = "/tmp/lucsim-registry-XXXXXX";
  CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
  char path[256], message[768];
  snprintf(path, sizeof path, "%s/text.so", dir);
  FILE* f = fopen(path, "w");
  CU_ASSERT_PTR_NOT_NULL_FATAL(f);
  for (int i = 0; i < 8; i++) /* longer than an ELF header */
    fputs("this is a text file, not a shared object\n", f);
  fclose(f);
  snprintf(message, sizeof message, "cannot load '%s': %s: invalid ELF header", path, path);
  expect_refused(path, message);
  CU_ASSERT_EQUAL(simrun_remove(dir), 0);
}

static void test_registry_load_refuses_shared_objects_with_a_defect(void)
{
  struct {
    const char* file;
    const char* message; /* %s: the path */
  } cases[] = {
      {"refused_no_entry.so", "'%s' exports no function lucsim_scheduler()"},
      {"refused_no_table.so", "'%s' returns no scheduler table"},
      {"refused_no_init.so", "'%s' returns a table without name or init"},
      {"refused_builtin_name.so", "'%s' registers 'entropy', the name of a built-in scheduler"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    char path[1100], message[1400];
    CU_ASSERT_FATAL(next_to_lucsim_binary(cases[i].file, path, sizeof path));
    snprintf(message, sizeof message, cases[i].message, path);
    expect_refused(path, message);
  }
  /* the refused table named "entropy" did not replace the built-in */
  CU_ASSERT_PTR_EQUAL(sched_find("entropy"), sched_builtins()[1]);
}

static void test_registry_load_refuses_an_abi_version_out_of_range(void)
{
  char path[1100], message[1400];
  CU_ASSERT_FATAL(next_to_lucsim_binary("abi_v0.so", path, sizeof path));
  snprintf(message, sizeof message, "'%s' was built for scheduler ABI 0; expected %d to %d", path,
           SCHED_ABI_VERSION_MIN, SCHED_ABI_VERSION);
  expect_refused(path, message);
}

/* ---- the example plugin, loaded and run ---- */

typedef struct example_run {
  bool from_plugin; /* load least_loaded.so, else the compiled-in table */
} example_run_t;

typedef struct example_outcome {
  int load_rc, execute_rc;
  lucsim_err_t err;
  char name[32];
  bool same_table_as_compiled_in;
  bool found_by_name; /* sched_find(its name) after loading */
  size_t migrations_ok;
  mon_totals_t mon;
} example_outcome_t;

/* The crafted 4-PM cluster (simrun_craft_small_cluster) with PM 0 overloaded at t = 0, as suite
 * "entropy" runs the compiled-in example. */
static int run_example(void* arg, void* blob, size_t size)
{
  (void)size;
  const example_run_t* er = arg;
  example_outcome_t* out  = blob;
  const sched_ops_t* ops  = lucsim_scheduler();
  if (er->from_plugin) {
    char path[1100];
    if (!next_to_lucsim_binary("least_loaded.so", path, sizeof path)) return 30;
    ops          = sched_load_plugin(path, &out->err);
    out->load_rc = ops ? 0 : -1;
    if (!ops) return 0;
  }
  snprintf(out->name, sizeof out->name, "%s", ops->name);
  out->same_table_as_compiled_in = ops == lucsim_scheduler();
  out->found_by_name             = sched_find(ops->name) != NULL;
  simrun_init_simgrid();
  char tmp[]    = "/tmp/lucsim-registry-XXXXXX";
  config_t* cfg = malloc(sizeof *cfg);
  int pms       = 4;
  int rc        = simrun_experiment(cfg, NULL, simrun_craft_small_cluster, &pms, NULL, 0, tmp, &out->err);
  if (rc != 0) return rc;
  lucsim_run_t* run = run_create_with(cfg, ops, &out->err);
  if (!run) return 31;
  for (size_t vm = 0; vm < 5; vm++) /* fill: VMs 0-4 are on PM 0 */
    cluster_set_load(run->cluster, vm, 80, 0);
  out->execute_rc    = run_execute(run, &out->err);
  out->migrations_ok = run->counters.migrations_ok;
  out->mon           = mon_totals(run->mon);
  run_destroy(run);
  free(cfg);
  return simrun_remove(tmp);
}

static void test_registry_load_of_the_example_plugin_runs_like_the_compiled_in_copy(void)
{
  example_outcome_t plugin, compiled;
  memset(&plugin, 0, sizeof plugin);
  memset(&compiled, 0, sizeof compiled);
  example_run_t from_plugin = {.from_plugin = true}, from_binary = {.from_plugin = false};
  CU_ASSERT_EQUAL_FATAL(simrun_in_child(run_example, &from_plugin, &plugin, sizeof plugin), 0);
  CU_ASSERT_EQUAL_FATAL(plugin.load_rc, 0);
  CU_ASSERT_STRING_EQUAL(plugin.name, "least-loaded");
  CU_ASSERT_FALSE(plugin.same_table_as_compiled_in); /* the shared object's own table */
  CU_ASSERT_FALSE(plugin.found_by_name);             /* loading does not register it as a built-in */
  CU_ASSERT_EQUAL(plugin.execute_rc, 0);
  CU_ASSERT_EQUAL(plugin.migrations_ok, 1);
  CU_ASSERT_EQUAL(plugin.mon.detected, 1);
  CU_ASSERT_EQUAL_FATAL(simrun_in_child(run_example, &from_binary, &compiled, sizeof compiled), 0);
  CU_ASSERT_TRUE(compiled.same_table_as_compiled_in);
  CU_ASSERT_EQUAL(compiled.execute_rc, 0);
  /* the same code on the same run: the same result, to the last bit */
  CU_ASSERT_EQUAL(plugin.migrations_ok, compiled.migrations_ok);
  CU_ASSERT_EQUAL(plugin.mon.violation_s, compiled.mon.violation_s);
  CU_ASSERT_EQUAL(plugin.mon.intervals, compiled.mon.intervals);
}

CU_TestInfo registry_tests[] = {
    {"builtins_are_none_entropy_snooze_dvms_in_order", test_registry_builtins_are_none_entropy_snooze_dvms_in_order},
    {"builtin_names_are_unique", test_registry_builtin_names_are_unique},
    {"find_returns_each_builtin_by_name", test_registry_find_returns_each_builtin_by_name},
    {"find_of_an_unknown_name_is_null", test_registry_find_of_an_unknown_name_is_null},
    {"load_refuses_a_missing_file", test_registry_load_refuses_a_missing_file},
    {"load_refuses_a_file_that_is_not_a_shared_object", test_registry_load_refuses_a_file_that_is_not_a_shared_object},
    {"load_refuses_shared_objects_with_a_defect", test_registry_load_refuses_shared_objects_with_a_defect},
    {"load_refuses_an_abi_version_out_of_range", test_registry_load_refuses_an_abi_version_out_of_range},
    {"load_of_the_example_plugin_runs_like_the_compiled_in_copy",
     test_registry_load_of_the_example_plugin_runs_like_the_compiled_in_copy},
    CU_TEST_INFO_NULL,
};
