/* Suite "trace": the Paje writer checked by a reader lucsim did not write. Each test writes a trace,
 * runs pj_dump (pajeng) on it and asserts the intervals it reconstructs; scripts/paje-violations
 * recomputes per-PM violation time from that output. pj_dump missing is a failure, not a skip. */
#include "trace.h"

#include <CUnit/CUnit.h>
#include <inttypes.h>
#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DUMP_MAX_ROWS 64
#define DUMP_FIELD 48

/* One line of pj_dump output, split on ", ". */
typedef struct dump_row {
  char kind[DUMP_FIELD];      /* Container, State, Variable, Link */
  char container[DUMP_FIELD]; /* parent (Container) or container */
  char type[DUMP_FIELD];
  double start_s;
  double end_s;
  char value[DUMP_FIELD]; /* name (Container), value (State, Link), number (Variable) */
  char from[DUMP_FIELD];  /* Link: start container */
  char to[DUMP_FIELD];    /* Link: end container */
  char key[DUMP_FIELD];   /* Link: key */
} dump_row_t;

/* Rows kept (up to DUMP_MAX_ROWS) plus counts over the whole output. */
typedef struct dump {
  int status; /* pj_dump's exit status */
  size_t row_count;
  dump_row_t rows[DUMP_MAX_ROWS];
  size_t containers, states, variables, links;
} dump_t;

static void dump_field(char* dst, const char* src)
{
  snprintf(dst, DUMP_FIELD, "%s", src ? src : "");
}

static void dump_parse_line(dump_t* d, char* line)
{
  line[strcspn(line, "\n")] = '\0';
  char* f[10]               = {0};
  size_t n                  = 0;
  for (char *save = NULL, *tok = strtok_r(line, ",", &save); tok && n < 10; tok = strtok_r(NULL, ",", &save))
    f[n++] = tok + strspn(tok, " ");
  if (n < 5) return;
  if (strcmp(f[0], "Container") == 0)
    d->containers++;
  else if (strcmp(f[0], "State") == 0)
    d->states++;
  else if (strcmp(f[0], "Variable") == 0)
    d->variables++;
  else if (strcmp(f[0], "Link") == 0)
    d->links++;
  if (d->row_count == DUMP_MAX_ROWS) return;
  dump_row_t* r = &d->rows[d->row_count++];
  dump_field(r->kind, f[0]);
  dump_field(r->container, f[1]);
  dump_field(r->type, f[2]);
  r->start_s = atof(f[3]);
  r->end_s   = atof(f[4]);
  if (strcmp(f[0], "Container") == 0)
    dump_field(r->value, f[6]);
  else if (strcmp(f[0], "State") == 0)
    dump_field(r->value, f[7]);
  else if (strcmp(f[0], "Variable") == 0)
    dump_field(r->value, f[6]);
  else if (strcmp(f[0], "Link") == 0) {
    dump_field(r->value, f[6]);
    dump_field(r->from, f[7]);
    dump_field(r->to, f[8]);
    dump_field(r->key, f[9]);
  }
}

/* Runs pj_dump -l 9 on path and parses its output. A missing pj_dump gives status 127. */
static void dump_run(const char* path, dump_t* d)
{
  memset(d, 0, sizeof *d);
  char cmd[600];
  snprintf(cmd, sizeof cmd, "pj_dump -l 9 '%s'", path);
  FILE* p = popen(cmd, "r");
  CU_ASSERT_PTR_NOT_NULL_FATAL(p);
  char line[512];
  while (fgets(line, sizeof line, p))
    dump_parse_line(d, line);
  int st    = pclose(p);
  d->status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static size_t dump_count(const dump_t* d, const char* kind, const char* container, const char* type)
{
  size_t n = 0;
  for (size_t i = 0; i < d->row_count; i++)
    n += strcmp(d->rows[i].kind, kind) == 0 && (!container || strcmp(d->rows[i].container, container) == 0) &&
         (!type || strcmp(d->rows[i].type, type) == 0);
  return n;
}

/* The row of that kind/container/type starting at start_s, or NULL. */
static const dump_row_t* dump_find(const dump_t* d, const char* kind, const char* container, const char* type,
                                   double start_s)
{
  for (size_t i = 0; i < d->row_count; i++) {
    const dump_row_t* r = &d->rows[i];
    if (strcmp(r->kind, kind) == 0 && strcmp(r->container, container) == 0 && strcmp(r->type, type) == 0 &&
        fabs(r->start_s - start_s) < 1e-9)
      return r;
  }
  return NULL;
}

static void assert_interval(const dump_t* d, const char* kind, const char* container, const char* type, double start_s,
                            double end_s, const char* value)
{
  const dump_row_t* r = dump_find(d, kind, container, type, start_s);
  CU_ASSERT_PTR_NOT_NULL_FATAL(r);
  CU_ASSERT_DOUBLE_EQUAL(r->end_s, end_s, 1e-9);
  CU_ASSERT_STRING_EQUAL(r->value, value);
}

static const dump_row_t* dump_link(const dump_t* d, const char* key)
{
  for (size_t i = 0; i < d->row_count; i++)
    if (strcmp(d->rows[i].kind, "Link") == 0 && strcmp(d->rows[i].key, key) == 0) return &d->rows[i];
  return NULL;
}

static void temp_path(char* buf, size_t size, const char* name)
{
  const char* dir = getenv("TMPDIR");
  snprintf(buf, size, "%s/lucsim-trace-%ld-%s", dir && dir[0] ? dir : "/tmp", (long)getpid(), name);
}

/* The hand-made scenario (3 PMs, 1 service node, end at 60 s); exact expectations below. */
static void write_scenario(trace_t* tr)
{
  trace_pm_state(tr, 0, 2, TRACE_PM_VIOLATION); /* pm-2 starts in violation; pm-0/pm-1 default to normal */
  trace_pm_variable(tr, 0, 0, TRACE_PM_CPU_DEMAND, 150);
  trace_pm_variable(tr, 0, 0, TRACE_PM_VM_COUNT, 3);
  trace_root_variable(tr, 0, TRACE_ROOT_GLOBAL_LOAD, 50);
  trace_root_variable(tr, 0, TRACE_ROOT_PMS_IN_VIOLATION, 1);
  trace_sched_state(tr, 0, true, 0, TRACE_SCHED_FREE);
  trace_pm_state(tr, 0.5, 2, TRACE_PM_VIOLATION); /* unchanged: no new interval */
  trace_pm_state(tr, 1, 2, TRACE_PM_NORMAL);
  trace_root_variable(tr, 1, TRACE_ROOT_PMS_IN_VIOLATION, 0);
  trace_pm_state(tr, 5, 1, TRACE_PM_VIOLATION_OUT);
  trace_pm_state(tr, 7.75, 1, TRACE_PM_NORMAL);
  trace_pm_state(tr, 10.5, 0, TRACE_PM_VIOLATION);
  trace_pm_variable(tr, 10.5, 0, TRACE_PM_CPU_DEMAND, 250);
  trace_root_variable(tr, 10.5, TRACE_ROOT_GLOBAL_LOAD, 62.5);
  trace_sched_state(tr, 10.5, true, 0, TRACE_SCHED_COMPUTE);
  trace_sched_state(tr, 10.5, false, 0, TRACE_SCHED_BOOKED);
  trace_pm_variable(tr, 11, 0, TRACE_PM_CPU_DEMAND, 250); /* unchanged: not written */
  trace_sched_state(tr, 11, true, 0, TRACE_SCHED_RECONFIGURE);
  trace_pm_state(tr, 12.25, 0, TRACE_PM_VIOLATION_DET);
  trace_migration_start(tr, 12.25, 7, 0, 1);
  trace_sched_state(tr, 15, true, 0, TRACE_SCHED_FREE);
  trace_migration_end(tr, 20, 7, 0, 1);
  trace_pm_state(tr, 20, 0, TRACE_PM_NORMAL);
  trace_pm_variable(tr, 20, 0, TRACE_PM_CPU_DEMAND, 120.25);
  trace_pm_variable(tr, 20, 0, TRACE_PM_VM_COUNT, 2);
  trace_sched_state(tr, 20, false, 0, TRACE_SCHED_FREE);
  trace_pm_state(tr, 30.123456789, 0, TRACE_PM_VIOLATION);
  trace_pm_state(tr, 31, 0, TRACE_PM_NORMAL);
  trace_pm_state(tr, 40, 1, TRACE_PM_OFF);
  trace_migration_start(tr, 45, 8, 2, 1); /* still in flight at the end: ends at 60 on pm-1 */
  trace_pm_state(tr, 50, 1, TRACE_PM_NORMAL);
}

static void assert_scenario_states(const dump_t* d)
{
  CU_ASSERT_EQUAL(dump_count(d, "State", "pm-0", "PM_STATE"), 6);
  assert_interval(d, "State", "pm-0", "PM_STATE", 0, 10.5, "normal");
  assert_interval(d, "State", "pm-0", "PM_STATE", 10.5, 12.25, "violation");
  assert_interval(d, "State", "pm-0", "PM_STATE", 12.25, 20, "violation-det");
  assert_interval(d, "State", "pm-0", "PM_STATE", 20, 30.123456789, "normal");
  assert_interval(d, "State", "pm-0", "PM_STATE", 30.123456789, 31, "violation");
  assert_interval(d, "State", "pm-0", "PM_STATE", 31, 60, "normal");
  CU_ASSERT_EQUAL(dump_count(d, "State", "pm-1", "PM_STATE"), 5);
  assert_interval(d, "State", "pm-1", "PM_STATE", 0, 5, "normal");
  assert_interval(d, "State", "pm-1", "PM_STATE", 5, 7.75, "violation-out");
  assert_interval(d, "State", "pm-1", "PM_STATE", 7.75, 40, "normal");
  assert_interval(d, "State", "pm-1", "PM_STATE", 40, 50, "off");
  assert_interval(d, "State", "pm-1", "PM_STATE", 50, 60, "normal");
  CU_ASSERT_EQUAL(dump_count(d, "State", "pm-2", "PM_STATE"), 2);
  assert_interval(d, "State", "pm-2", "PM_STATE", 0, 1, "violation");
  assert_interval(d, "State", "pm-2", "PM_STATE", 1, 60, "normal");
  CU_ASSERT_EQUAL(dump_count(d, "State", "service-0", "SCHED_STATE"), 4);
  assert_interval(d, "State", "service-0", "SCHED_STATE", 0, 10.5, "free");
  assert_interval(d, "State", "service-0", "SCHED_STATE", 10.5, 11, "compute");
  assert_interval(d, "State", "service-0", "SCHED_STATE", 11, 15, "reconfigure");
  assert_interval(d, "State", "service-0", "SCHED_STATE", 15, 60, "free");
  CU_ASSERT_EQUAL(dump_count(d, "State", "pm-0", "SCHED_STATE"), 2);
  assert_interval(d, "State", "pm-0", "SCHED_STATE", 10.5, 20, "booked");
  assert_interval(d, "State", "pm-0", "SCHED_STATE", 20, 60, "free");
  CU_ASSERT_EQUAL(d->states, 19);
}

static void test_trace_full_scenario_reads_back_through_pj_dump(void)
{
  char path[512];
  temp_path(path, sizeof path, "full.paje");
  lucsim_err_t err;
  trace_t* tr = trace_open(path, OUT_TRACE_FULL, 3, 1, NULL, &err);
  CU_ASSERT_PTR_NOT_NULL_FATAL(tr);
  write_scenario(tr);
  CU_ASSERT_EQUAL(trace_close(tr, 60, &err), 0);
  trace_destroy(tr);

  dump_t* d = malloc(sizeof *d);
  dump_run(path, d);
  CU_ASSERT_EQUAL_FATAL(d->status, 0); /* 127: pj_dump (Debian package pajeng) is not installed */
  CU_ASSERT_EQUAL(d->containers, 6);   /* pj_dump's implicit "0", lucsim, 3 PMs, 1 service node */
  CU_ASSERT_EQUAL(dump_count(d, "Container", "lucsim", "PM"), 3);
  CU_ASSERT_EQUAL(dump_count(d, "Container", "lucsim", "SERVICE"), 1);
  CU_ASSERT_EQUAL(dump_count(d, "Container", "0", "ROOT"), 1);
  assert_interval(d, "Container", "lucsim", "SERVICE", 0, 60, "service-0");
  assert_scenario_states(d);

  CU_ASSERT_EQUAL(d->links, 2);
  const dump_row_t* l7 = dump_link(d, "7");
  CU_ASSERT_PTR_NOT_NULL_FATAL(l7);
  CU_ASSERT_STRING_EQUAL(l7->type, "MIGRATION");
  CU_ASSERT_STRING_EQUAL(l7->value, "migration");
  CU_ASSERT_DOUBLE_EQUAL(l7->start_s, 12.25, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL(l7->end_s, 20, 1e-9);
  CU_ASSERT_STRING_EQUAL(l7->from, "pm-0");
  CU_ASSERT_STRING_EQUAL(l7->to, "pm-1");
  const dump_row_t* l8 = dump_link(d, "8");
  CU_ASSERT_PTR_NOT_NULL_FATAL(l8);
  CU_ASSERT_DOUBLE_EQUAL(l8->start_s, 45, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL(l8->end_s, 60, 1e-9);
  CU_ASSERT_STRING_EQUAL(l8->from, "pm-2");
  CU_ASSERT_STRING_EQUAL(l8->to, "pm-1");

  /* Variables: repeated values are not written, so no split intervals. */
  CU_ASSERT_EQUAL(d->variables, 9);
  CU_ASSERT_EQUAL(dump_count(d, "Variable", "pm-0", "cpu_demand"), 3);
  assert_interval(d, "Variable", "pm-0", "cpu_demand", 0, 10.5, "150.000000000");
  assert_interval(d, "Variable", "pm-0", "cpu_demand", 10.5, 20, "250.000000000");
  assert_interval(d, "Variable", "pm-0", "cpu_demand", 20, 60, "120.250000000");
  assert_interval(d, "Variable", "pm-0", "vm_count", 0, 20, "3.000000000");
  assert_interval(d, "Variable", "pm-0", "vm_count", 20, 60, "2.000000000");
  assert_interval(d, "Variable", "lucsim", "global_load", 10.5, 60, "62.500000000");
  assert_interval(d, "Variable", "lucsim", "pms_in_violation", 0, 1, "1.000000000");
  free(d);
  unlink(path);
}

static void test_trace_violation_script_sums_pj_dump_states(void)
{
  const char* src = getenv("LUCSIM_SOURCE_DIR"); /* set by ctest (tests/tests.cmake) */
#ifdef LUCSIM_SCHEMA_DIR
  if (!src) src = LUCSIM_SCHEMA_DIR "/.."; /* the source tree's workloads/ folder, when run by hand */
#endif
  CU_ASSERT_PTR_NOT_NULL_FATAL(src);
  char path[512];
  temp_path(path, sizeof path, "script.paje");
  lucsim_err_t err;
  trace_t* tr = trace_open(path, OUT_TRACE_FULL, 3, 1, NULL, &err);
  CU_ASSERT_PTR_NOT_NULL_FATAL(tr);
  write_scenario(tr);
  CU_ASSERT_EQUAL(trace_close(tr, 60, &err), 0);
  trace_destroy(tr);

  char cmd[1400];
  snprintf(cmd, sizeof cmd, "python3 '%s/scripts/paje-violations' --trace '%s'", src, path);
  FILE* p = popen(cmd, "r");
  CU_ASSERT_PTR_NOT_NULL_FATAL(p);
  char out[1024] = "";
  size_t n       = fread(out, 1, sizeof out - 1, p);
  out[n]         = '\0';
  CU_ASSERT_EQUAL(pclose(p), 0);
  /* pm-0: 1.75 + 7.75 + 0.876543211 (violation, violation-det); pm-1: 2.75 out; pm-2: 1 from t = 0. */
  CU_ASSERT_STRING_EQUAL(out, "pm,violation_s,violation_out_s\n"
                              "0,10.376543211,0.000000000\n"
                              "1,0.000000000,2.750000000\n"
                              "2,1.000000000,0.000000000\n");
  unlink(path);
}

static void test_trace_states_mode_omits_variables_and_links(void)
{
  char path[512];
  temp_path(path, sizeof path, "states.paje");
  lucsim_err_t err;
  trace_t* tr = trace_open(path, OUT_TRACE_STATES, 3, 1, NULL, &err);
  CU_ASSERT_PTR_NOT_NULL_FATAL(tr);
  write_scenario(tr);
  CU_ASSERT_EQUAL(trace_close(tr, 60, &err), 0);
  trace_destroy(tr);

  dump_t* d = malloc(sizeof *d);
  dump_run(path, d);
  CU_ASSERT_EQUAL_FATAL(d->status, 0);
  CU_ASSERT_EQUAL(d->containers, 6);
  CU_ASSERT_EQUAL(d->variables, 0);
  CU_ASSERT_EQUAL(d->links, 0);
  assert_scenario_states(d);
  free(d);

  /* Not even the types: the file never names a variable or the link type. */
  FILE* f = fopen(path, "r");
  CU_ASSERT_PTR_NOT_NULL_FATAL(f);
  char line[256];
  size_t mentions = 0;
  while (fgets(line, sizeof line, f))
    mentions += strstr(line, "cpu_demand") != NULL || strstr(line, "MIGRATION") != NULL;
  fclose(f);
  CU_ASSERT_EQUAL(mentions, 0);
  unlink(path);
}

static void test_trace_none_mode_writes_no_file(void)
{
  char path[512];
  temp_path(path, sizeof path, "none.paje");
  unlink(path);
  lucsim_err_t err;
  trace_t* tr = trace_open(path, OUT_TRACE_NONE, 3, 1, NULL, &err);
  CU_ASSERT_PTR_NOT_NULL_FATAL(tr);
  write_scenario(tr);
  CU_ASSERT_EQUAL(trace_events_written(tr), 0);
  CU_ASSERT_EQUAL(trace_bytes_written(tr), 0);
  CU_ASSERT_EQUAL(trace_close(tr, 60, &err), 0);
  trace_destroy(tr);
  struct stat st;
  CU_ASSERT_EQUAL(stat(path, &st), -1);
  /* A NULL handle is accepted too. */
  write_scenario(NULL);
  CU_ASSERT_EQUAL(trace_close(NULL, 60, &err), 0);
  trace_destroy(NULL);
}

static void test_trace_open_reports_unwritable_path(void)
{
  lucsim_err_t err;
  lucsim_err_clear(&err);
  trace_t* tr = trace_open("/nonexistent-lucsim-dir/trace.paje", OUT_TRACE_FULL, 2, 0, NULL, &err);
  CU_ASSERT_PTR_NULL(tr);
  CU_ASSERT_STRING_EQUAL(err.file, "/nonexistent-lucsim-dir/trace.paje");
  CU_ASSERT_STRING_EQUAL(err.field, "output.trace");
  CU_ASSERT_STRING_EQUAL(err.message, "cannot create the trace: No such file or directory");
}

static void test_trace_close_reports_write_errors(void)
{
  lucsim_err_t err;
  lucsim_err_clear(&err);
  trace_t* tr = trace_open("/dev/full", OUT_TRACE_FULL, 2, 0, NULL, &err);
  CU_ASSERT_PTR_NOT_NULL_FATAL(tr);
  trace_pm_state(tr, 1, 0, TRACE_PM_VIOLATION);
  CU_ASSERT_EQUAL(trace_close(tr, 2, &err), -1);
  CU_ASSERT_STRING_EQUAL(err.field, "output.trace");
  CU_ASSERT_STRING_EQUAL(err.message, "cannot write the trace: No space left on device");
  trace_destroy(tr);
}

static size_t file_read(const char* path, char* buf, size_t size)
{
  FILE* f = fopen(path, "rb");
  if (!f) return 0;
  size_t n = fread(buf, 1, size - 1, f);
  buf[n]   = '\0';
  fclose(f);
  return n;
}

static void test_trace_times_keep_nanoseconds(void)
{
  char path[512];
  temp_path(path, sizeof path, "times.paje");
  lucsim_err_t err;
  trace_t* tr = trace_open(path, OUT_TRACE_STATES, 1, 0, NULL, &err);
  CU_ASSERT_PTR_NOT_NULL_FATAL(tr);
  trace_pm_state(tr, 1e-9, 0, TRACE_PM_VIOLATION);
  trace_pm_state(tr, 0.1, 0, TRACE_PM_NORMAL);
  trace_pm_state(tr, 2.9999999996, 0, TRACE_PM_VIOLATION); /* rounds to the nanosecond: 3 */
  trace_pm_state(tr, 123456.123456789, 0, TRACE_PM_NORMAL);
  trace_pm_state(tr, 999999.000000001, 0, TRACE_PM_OFF);
  CU_ASSERT_EQUAL(trace_close(tr, 1e6, &err), 0);
  trace_destroy(tr);

  char* text = malloc(1 << 16);
  file_read(path, text, 1 << 16);
  CU_ASSERT_PTR_NOT_NULL(strstr(text, "\n11 0 p0 PS n\n11 0.000000001 p0 PS v\n11 0.1 p0 PS n\n11 3 p0 PS v\n"));
  CU_ASSERT_PTR_NOT_NULL(strstr(text, "\n11 123456.123456789 p0 PS n\n11 999999.000000001 p0 PS off\n"));
  CU_ASSERT_PTR_NOT_NULL(strstr(text, "\n7 1000000 P p0\n7 1000000 R r\n"));
  free(text);

  dump_t* d = malloc(sizeof *d);
  dump_run(path, d);
  CU_ASSERT_EQUAL_FATAL(d->status, 0);
  CU_ASSERT_EQUAL(d->states, 6);
  assert_interval(d, "State", "pm-0", "PM_STATE", 0, 1e-9, "normal");
  assert_interval(d, "State", "pm-0", "PM_STATE", 1e-9, 0.1, "violation");
  assert_interval(d, "State", "pm-0", "PM_STATE", 0.1, 3, "normal");
  assert_interval(d, "State", "pm-0", "PM_STATE", 3, 123456.123456789, "violation");
  assert_interval(d, "State", "pm-0", "PM_STATE", 123456.123456789, 999999.000000001, "normal");
  assert_interval(d, "State", "pm-0", "PM_STATE", 999999.000000001, 1e6, "off");
  free(d);
  unlink(path);
}

static void test_trace_same_calls_give_identical_files(void)
{
  char path_a[512], path_b[512];
  temp_path(path_a, sizeof path_a, "same-a.paje");
  temp_path(path_b, sizeof path_b, "same-b.paje");
  const char* paths[2] = {path_a, path_b};
  lucsim_err_t err;
  for (int i = 0; i < 2; i++) {
    trace_t* tr = trace_open(paths[i], OUT_TRACE_FULL, 3, 1, NULL, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(tr);
    write_scenario(tr);
    CU_ASSERT_EQUAL(trace_close(tr, 60, &err), 0);
    trace_destroy(tr);
  }
  char* a  = malloc(1 << 16);
  char* b  = malloc(1 << 16);
  size_t n = file_read(path_a, a, 1 << 16);
  CU_ASSERT(n > 2900);      /* the header alone is about 2.4 KB */
  CU_ASSERT_EQUAL(n, 3006); /* exactly: the same calls always write the same 3006 bytes */
  CU_ASSERT_EQUAL(file_read(path_b, b, 1 << 16), n);
  CU_ASSERT_EQUAL(memcmp(a, b, n), 0);
  free(a);
  free(b);
  unlink(path_a);
  unlink(path_b);
}

/* Sparse migration ids exercise the open-link table's hashing and deletion. */
#define LINKS_TOTAL 6000
#define LINKS_PMS 200
#define LINK_ID(k) ((uint64_t)(k)*7919u + 13u)

static void test_trace_many_links_all_end_where_expected(void)
{
  const unsigned seed = 12345;
  printf("(seed %u) ", seed);
  char path[512];
  temp_path(path, sizeof path, "links.paje");
  lucsim_err_t err;
  trace_t* tr = trace_open(path, OUT_TRACE_FULL, LINKS_PMS, 0, NULL, &err);
  CU_ASSERT_PTR_NOT_NULL_FATAL(tr);
  double* start_s = malloc(LINKS_TOTAL * sizeof *start_s);
  double* end_s   = malloc(LINKS_TOTAL * sizeof *end_s);
  size_t* active  = malloc(LINKS_TOTAL * sizeof *active);
  size_t n_active = 0, started = 0;
  uint64_t lcg = seed;
  double now   = 0;
  /* 1500 links open at once first, then random starts and ends; the rest stay open to the end. */
  for (size_t step = 0; started < LINKS_TOTAL; step++) {
    now += 0.001;
    lcg        = lcg * 6364136223846793005ull + 1442695040888963407ull;
    bool start = started < 1500 || n_active == 0 || (lcg >> 33) % 2 == 0;
    if (start) {
      size_t k   = started++;
      start_s[k] = now;
      end_s[k]   = -1;
      trace_migration_start(tr, now, LINK_ID(k), k % LINKS_PMS, (k * 3 + 1) % LINKS_PMS);
      active[n_active++] = k;
    } else {
      size_t pick  = (size_t)((lcg >> 40) % n_active);
      size_t k     = active[pick];
      active[pick] = active[--n_active];
      end_s[k]     = now;
      trace_migration_end(tr, now, LINK_ID(k), k % LINKS_PMS, (k * 3 + 1) % LINKS_PMS);
    }
  }
  double end_time = now + 1;
  for (size_t i = 0; i < n_active; i++)
    end_s[active[i]] = end_time;
  CU_ASSERT_EQUAL(trace_close(tr, end_time, &err), 0);
  trace_destroy(tr);

  char cmd[600];
  snprintf(cmd, sizeof cmd, "pj_dump -l 9 '%s'", path);
  FILE* p = popen(cmd, "r");
  CU_ASSERT_PTR_NOT_NULL_FATAL(p);
  char line[512];
  size_t links = 0, good = 0;
  while (fgets(line, sizeof line, p)) {
    char from[32], to[32];
    double s, e;
    unsigned long long key;
    if (sscanf(line, "Link, lucsim, MIGRATION, %lf, %lf, %*f, migration, %31[^,], %31[^,], %llu", &s, &e, from, to,
               &key) != 5)
      continue;
    links++;
    size_t k = (size_t)((key - 13) / 7919);
    char want_from[32], want_to[32];
    snprintf(want_from, sizeof want_from, "pm-%zu", k % LINKS_PMS);
    snprintf(want_to, sizeof want_to, "pm-%zu", (k * 3 + 1) % LINKS_PMS);
    good += k < LINKS_TOTAL && LINK_ID(k) == key && fabs(s - start_s[k]) < 1e-9 && fabs(e - end_s[k]) < 1e-9 &&
            strcmp(from, want_from) == 0 && strcmp(to, want_to) == 0;
  }
  int st = pclose(p);
  CU_ASSERT_EQUAL(WIFEXITED(st) ? WEXITSTATUS(st) : -1, 0); /* incomplete links would make it fail */
  CU_ASSERT_EQUAL(links, LINKS_TOTAL);
  CU_ASSERT_EQUAL(good, LINKS_TOTAL);
  CU_ASSERT(n_active > 100);       /* some links really were closed by trace_close */
  CU_ASSERT_EQUAL(n_active, 1376); /* exactly, for this seed */
  free(start_s);
  free(end_s);
  free(active);
  unlink(path);
}

static size_t heap_bytes(void)
{
  struct mallinfo2 mi = mallinfo2();
  return mi.uordblks + mi.hblkhd;
}

static long rss_kib(void)
{
  long pages = 0, resident = 0;
  FILE* f = fopen("/proc/self/statm", "r");
  if (f) {
    if (fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    fclose(f);
  }
  return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

/* One event of a synthetic 10K-PM run: states, variables, migrations (ends follow starts). */
static void stress_event(trace_t* tr, size_t i, double now)
{
  size_t pm = (i * 7) % 10000;
  switch (i % 8) {
  case 0:
    /* A PM comes back every 10000 calls, when i / 10000 has grown by one: never the same state twice. */
    trace_pm_state(tr, now, pm, (trace_pm_state_t)((i / 8 + i / 10000) % TRACE_PM_STATE_COUNT));
    break;
  case 1:
  case 2:
    trace_pm_variable(tr, now, pm, TRACE_PM_CPU_DEMAND, (double)(i % 1601) * 0.25);
    break;
  case 3:
    trace_pm_variable(tr, now, pm, TRACE_PM_VM_COUNT, (double)(i % 23));
    break;
  case 4:
    trace_root_variable(tr, now, TRACE_ROOT_GLOBAL_LOAD, (double)(i % 10007) / 100.0);
    break;
  case 5:
    trace_migration_start(tr, now, i, pm, (pm + 1) % 10000);
    break;
  case 6:
    trace_migration_end(tr, now, i - 1, (i * 7 - 7) % 10000, ((i * 7 - 7) % 10000 + 1) % 10000);
    break;
  default:
    trace_sched_state(tr, now, false, pm, (trace_sched_state_t)((i / 8) % TRACE_SCHED_STATE_COUNT));
    break;
  }
}

static void test_trace_million_events_in_bounded_memory(void)
{
  char path[512];
  temp_path(path, sizeof path, "stress.paje");
  lucsim_err_t err;
  trace_t* tr = trace_open(path, OUT_TRACE_FULL, 10000, 100, NULL, &err);
  CU_ASSERT_PTR_NOT_NULL_FATAL(tr);
  const size_t warmup = 100000, total = 1100000;
  for (size_t i = 0; i < warmup; i++)
    stress_event(tr, i, (double)i * 0.0033);
  size_t heap0    = heap_bytes();
  long rss0       = rss_kib();
  uint64_t ev0    = trace_events_written(tr);
  uint64_t bytes0 = trace_bytes_written(tr);
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (size_t i = warmup; i < total; i++)
    stress_event(tr, i, (double)i * 0.0033);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  size_t heap1 = heap_bytes();
  long rss1    = rss_kib();
  uint64_t ev  = trace_events_written(tr) - ev0;
  uint64_t b   = trace_bytes_written(tr) - bytes0;
  /* One-time buffers of glibc's printf may appear (a few KiB); one allocation per event would be >= 16 MB. */
  CU_ASSERT((long long)heap1 - (long long)heap0 < 65536);
  CU_ASSERT(rss1 - rss0 < 2048);       /* loose: resident memory does not follow the 1M events */
  CU_ASSERT_EQUAL(ev, total - warmup); /* the generator never repeats a value: every call writes */
  CU_ASSERT_EQUAL(trace_close(tr, (double)total * 0.0033, &err), 0);
  trace_destroy(tr);
  double wall_s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
  printf("(%" PRIu64 " events, %.1f bytes/event, %.0f events/s, heap %+lld B, RSS +%ld KiB) ", ev,
         (double)b / (double)ev, (double)ev / wall_s, (long long)heap1 - (long long)heap0, rss1 - rss0);
  unlink(path);
}

CU_TestInfo trace_tests[] = {
    {"full_scenario_reads_back_through_pj_dump", test_trace_full_scenario_reads_back_through_pj_dump},
    {"violation_script_sums_pj_dump_states", test_trace_violation_script_sums_pj_dump_states},
    {"states_mode_omits_variables_and_links", test_trace_states_mode_omits_variables_and_links},
    {"none_mode_writes_no_file", test_trace_none_mode_writes_no_file},
    {"open_reports_unwritable_path", test_trace_open_reports_unwritable_path},
    {"close_reports_write_errors", test_trace_close_reports_write_errors},
    {"times_keep_nanoseconds", test_trace_times_keep_nanoseconds},
    {"same_calls_give_identical_files", test_trace_same_calls_give_identical_files},
    {"many_links_all_end_where_expected", test_trace_many_links_all_end_where_expected},
    {"million_events_in_bounded_memory", test_trace_million_events_in_bounded_memory},
    CU_TEST_INFO_NULL,
};
