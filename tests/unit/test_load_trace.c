/* Suite "load_trace": load traces read from real files (PlanetLab-format folders and CSV files
 * written to a temporary folder) and replayed by load_trace_next: the values and times each VM
 * gets, only changes after t = 0, step and linear interpolation, holding the last sample or
 * looping, the RAM column, the seeded mapping and start samples, and every kind of bad input named by file and
 * line. Not the whole run (tests/e2e/load_trace.sh drives real runs). */
#include "load_trace.h"

#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static void write_file(const char* name, const char* text)
{
  char path[128];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE* f = fopen(path, "w");
  CU_ASSERT_PTR_NOT_NULL_FATAL(f);
  fputs(text, f);
  fclose(f);
}

static void setup_dir(void)
{
  snprintf(dir, sizeof dir, "/tmp/lucsim-lt-XXXXXX");
  CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
}

static void remove_dir(void)
{
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  CU_ASSERT_EQUAL(system(cmd), 0);
}

static inj_params_t params(const char* sub)
{
  inj_params_t p = {0};
  p.kind         = INJ_KIND_TRACE;
  snprintf(p.trace_path, sizeof p.trace_path, "%s/%s", dir, sub);
  return p;
}

typedef struct ev {
  double t;
  size_t vm;
  double load;
} ev_t;

/* Every event of lt, up to cap. */
static size_t drain(load_trace_t* lt, ev_t* evs, size_t cap)
{
  size_t n = 0;
  ev_t e;
  while (n < cap && load_trace_next(lt, &e.t, &e.vm, &e.load))
    evs[n++] = e;
  return n;
}

/* The traced VM each VM follows, from load_trace.csv's writer. */
static void map_of(const load_trace_t* lt, char names[][16], double* starts, size_t count)
{
  char* buf  = NULL;
  size_t len = 0;
  FILE* f    = open_memstream(&buf, &len);
  CU_ASSERT_EQUAL_FATAL(load_trace_write_map(lt, f), 0);
  fclose(f);
  char* line = strchr(buf, '\n') + 1; /* header */
  for (size_t v = 0; v < count; v++) {
    size_t vm;
    CU_ASSERT_EQUAL_FATAL(sscanf(line, "%zu,%15[^,],%lf", &vm, names[v], &starts[v]), 3);
    CU_ASSERT_EQUAL(vm, v);
    line = strchr(line, '\n') + 1;
  }
  free(buf);
}

static void test_planetlab_step_gives_each_vm_its_file_changes_only(void)
{
  setup_dir();
  mkdir(strcat(strcpy((char[96]){0}, dir), "/pl"), 0755);
  write_file("pl/a", "10\n20\n20\n40\n");
  write_file("pl/b", "50\n50\n50\n");
  write_file("pl/.hidden", "not a trace\n");
  inj_params_t p = params("pl");
  lucsim_err_t err;
  load_trace_t* lt = load_trace_load(&p, 3, 7, 3600, &err);
  CU_ASSERT_PTR_NOT_NULL_FATAL(lt);
  CU_ASSERT_EQUAL(load_trace_series_count(lt), 2);
  char names[3][16];
  double starts[3];
  map_of(lt, names, starts, 3);
  CU_ASSERT_STRING_EQUAL(names[2], names[0]); /* VM 2 reuses the first traced VM: every one used once first */
  CU_ASSERT_STRING_NOT_EQUAL(names[0], names[1]);
  ev_t evs[32];
  size_t n = drain(lt, evs, 32);
  /* t = 0: every VM once, in VM order; then a's changes at 300 s (20) and 900 s (40), b none */
  size_t a_vms = strcmp(names[0], "a") == 0 ? 2 : 1;
  CU_ASSERT_EQUAL(n, 3 + 2 * a_vms);
  for (size_t v = 0; v < 3; v++) {
    CU_ASSERT_EQUAL(evs[v].t, 0.0);
    CU_ASSERT_EQUAL(evs[v].vm, v);
    CU_ASSERT_EQUAL(evs[v].load, strcmp(names[v], "a") == 0 ? 10.0 : 50.0);
  }
  CU_ASSERT_EQUAL(evs[3].t, 300.0);
  CU_ASSERT_EQUAL(evs[3].load, 20.0);
  CU_ASSERT_EQUAL(evs[n - 1].t, 900.0);
  CU_ASSERT_EQUAL(evs[n - 1].load, 40.0);
  for (size_t i = 3; i < n; i++)
    CU_ASSERT_STRING_EQUAL(names[evs[i].vm], "a");
  load_trace_free(lt);
  remove_dir();
}

static void test_loop_starts_over_and_hold_keeps_the_last_sample(void)
{
  setup_dir();
  write_file("t.csv", "vm,time_s,cpu_pct\nx,100,30\nx,0,10\nx,50,20\n"); /* rows in any order */
  inj_params_t p     = params("t.csv");
  p.trace_interval_s = 100; /* the last sample lasts 100 s: a period of 200 s */
  lucsim_err_t err;
  load_trace_t* lt = load_trace_load(&p, 1, 1, 1000, &err);
  CU_ASSERT_PTR_NOT_NULL_FATAL(lt);
  ev_t evs[64];
  size_t n = drain(lt, evs, 64);
  CU_ASSERT_EQUAL(n, 3); /* held: 10 at 0, 20 at 50, 30 at 100, then nothing */
  CU_ASSERT_EQUAL(evs[2].t, 100.0);
  CU_ASSERT_EQUAL(evs[2].load, 30.0);
  load_trace_free(lt);

  p.trace_loop = true;
  lt           = load_trace_load(&p, 1, 1, 1000, &err);
  CU_ASSERT_PTR_NOT_NULL_FATAL(lt);
  n = drain(lt, evs, 64);
  CU_ASSERT_EQUAL(n, 15); /* 3 changes per 200 s period, 5 periods before 1000 s */
  CU_ASSERT_EQUAL(evs[3].t, 200.0);
  CU_ASSERT_EQUAL(evs[3].load, 10.0);
  CU_ASSERT_EQUAL(evs[14].t, 900.0);
  CU_ASSERT_EQUAL(evs[14].load, 30.0);
  load_trace_free(lt);
  remove_dir();
}

static void test_linear_interpolates_on_the_resolution_grid(void)
{
  setup_dir();
  write_file("t.csv", "vm,time_s,cpu_pct\nx,0,0\nx,100,50\n");
  inj_params_t p        = params("t.csv");
  p.trace_interpolation = TRACE_LINEAR;
  p.trace_resolution_s  = 25;
  lucsim_err_t err;
  load_trace_t* lt = load_trace_load(&p, 1, 1, 1000, &err);
  CU_ASSERT_PTR_NOT_NULL_FATAL(lt);
  ev_t evs[64];
  size_t n = drain(lt, evs, 64);
  /* 0, 12.5, 25, 37.5 at 0, 25, 50, 75 s; 50 at 100 s; then held (no change): 5 events */
  CU_ASSERT_EQUAL(n, 5);
  for (size_t i = 0; i < n; i++) {
    CU_ASSERT_DOUBLE_EQUAL(evs[i].t, 25.0 * (double)i, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(evs[i].load, 12.5 * (double)i, 1e-12);
  }
  load_trace_free(lt);
  remove_dir();
}

/* The RAM column: read with the CPU (rows in any order), stepped, interpolated on the CPU's grid,
 * held past the last sample or looped; 1 (all the RAM) for a trace without it. */
static void test_ram_share_follows_the_trace_as_the_cpu(void)
{
  setup_dir();
  write_file("t.csv", "vm,time_s,cpu_pct,ram_pct\nx,100,30,80\nx,0,10,20\n");
  write_file("cpu.csv", "vm,time_s,cpu_pct\nx,0,10\n");
  inj_params_t p     = params("t.csv");
  p.trace_interval_s = 100; /* the last sample lasts 100 s: a period of 200 s */
  lucsim_err_t err;
  load_trace_t* lt = load_trace_load(&p, 1, 1, 1000, &err);
  CU_ASSERT_PTR_NOT_NULL_FATAL(lt);
  CU_ASSERT(load_trace_has_ram(lt));
  CU_ASSERT_DOUBLE_EQUAL(load_trace_ram_share(lt, 0, 0), 0.2, 1e-6);
  CU_ASSERT_DOUBLE_EQUAL(load_trace_ram_share(lt, 0, 99.9), 0.2, 1e-6);
  CU_ASSERT_DOUBLE_EQUAL(load_trace_ram_share(lt, 0, 100), 0.8, 1e-6);
  CU_ASSERT_DOUBLE_EQUAL(load_trace_ram_share(lt, 0, 950), 0.8, 1e-6); /* held */
  ev_t evs[8];
  CU_ASSERT_EQUAL(drain(lt, evs, 8), 2); /* the CPU column still drives the loads */
  CU_ASSERT_EQUAL(evs[1].load, 30.0);
  load_trace_free(lt);

  p.trace_loop = true;
  lt           = load_trace_load(&p, 1, 1, 1000, &err);
  CU_ASSERT_PTR_NOT_NULL_FATAL(lt);
  CU_ASSERT_DOUBLE_EQUAL(load_trace_ram_share(lt, 0, 250), 0.2, 1e-6); /* second lap, sample 0 */
  CU_ASSERT_DOUBLE_EQUAL(load_trace_ram_share(lt, 0, 350), 0.8, 1e-6);
  load_trace_free(lt);

  p.trace_loop          = false;
  p.trace_interpolation = TRACE_LINEAR;
  p.trace_resolution_s  = 25;
  lt                    = load_trace_load(&p, 1, 1, 1000, &err);
  CU_ASSERT_PTR_NOT_NULL_FATAL(lt);
  CU_ASSERT_DOUBLE_EQUAL(load_trace_ram_share(lt, 0, 50), 0.5, 1e-6);
  CU_ASSERT_DOUBLE_EQUAL(load_trace_ram_share(lt, 0, 74.9), 0.5, 1e-6); /* the grid point at 50 s */
  CU_ASSERT_DOUBLE_EQUAL(load_trace_ram_share(lt, 0, 75), 0.65, 1e-6);
  CU_ASSERT_DOUBLE_EQUAL(load_trace_ram_share(lt, 0, 500), 0.8, 1e-6);
  load_trace_free(lt);

  p  = params("cpu.csv");
  lt = load_trace_load(&p, 1, 1, 1000, &err);
  CU_ASSERT_PTR_NOT_NULL_FATAL(lt);
  CU_ASSERT(!load_trace_has_ram(lt));
  CU_ASSERT_EQUAL(load_trace_ram_share(lt, 0, 10), 1.0);
  load_trace_free(lt);
  remove_dir();
}

static void test_seeded_mapping_and_random_starts(void)
{
  setup_dir();
  mkdir(strcat(strcpy((char[96]){0}, dir), "/pl"), 0755);
  for (int i = 0; i < 8; i++) {
    char name[8], text[64];
    snprintf(name, sizeof name, "pl/%d", i);
    snprintf(text, sizeof text, "%d\n%d\n%d\n%d\n", i, i + 10, i + 20, i + 30);
    write_file(name, text);
  }
  inj_params_t p = params("pl");
  p.trace_start  = TRACE_START_RANDOM;
  lucsim_err_t err;
  char n1[20][16], n2[20][16], n3[20][16];
  double s1[20], s2[20], s3[20];
  load_trace_t* a = load_trace_load(&p, 20, 5, 3600, &err);
  load_trace_t* b = load_trace_load(&p, 20, 5, 3600, &err);
  load_trace_t* c = load_trace_load(&p, 20, 6, 3600, &err);
  CU_ASSERT_PTR_NOT_NULL_FATAL(a);
  CU_ASSERT_PTR_NOT_NULL_FATAL(b);
  CU_ASSERT_PTR_NOT_NULL_FATAL(c);
  map_of(a, n1, s1, 20);
  map_of(b, n2, s2, 20);
  map_of(c, n3, s3, 20);
  bool same = true, other = false;
  for (size_t v = 0; v < 20; v++) {
    same  = same && strcmp(n1[v], n2[v]) == 0 && s1[v] == s2[v];
    other = other || strcmp(n1[v], n3[v]) != 0 || s1[v] != s3[v];
    CU_ASSERT(s1[v] == 0 || s1[v] == 300 || s1[v] == 600 || s1[v] == 900); /* a sample's time */
  }
  CU_ASSERT(same);  /* the same seed: the same mapping and starts */
  CU_ASSERT(other); /* another seed: another */
  /* a VM's first load is its start sample: file i holds i + 10 k at sample k */
  ev_t e;
  for (size_t v = 0; v < 20; v++) {
    CU_ASSERT_EQUAL_FATAL(load_trace_next(a, &e.t, &e.vm, &e.load), 1);
    CU_ASSERT_EQUAL(e.vm, v);
    CU_ASSERT_EQUAL(e.load, atof(n1[v]) + s1[v] / 30);
  }
  load_trace_free(a);
  load_trace_free(b);
  load_trace_free(c);
  remove_dir();
}

static void test_bad_traces_name_file_line_and_field(void)
{
  setup_dir();
  mkdir(strcat(strcpy((char[96]){0}, dir), "/pl"), 0755);
  mkdir(strcat(strcpy((char[96]){0}, dir), "/empty"), 0755);
  write_file("pl/a", "10\n20\n");
  write_file("pl/b", "10\n101\n");
  write_file("header.csv", "vm,time,cpu\nx,0,1\n");
  write_file("ram.csv", "vm,time_s,cpu_pct,ram_bytes\nx,0,1,5\n");
  write_file("rampct.csv", "vm,time_s,cpu_pct,ram_pct\nx,0,1,5\nx,5,1,100.5\n");
  write_file("ramcols.csv", "vm,time_s,cpu_pct,ram_pct\nx,0,1\n");
  write_file("dup.csv", "vm,time_s,cpu_pct\nx,0,1\ny,0,1\nx,0,2\n");
  write_file("cols.csv", "vm,time_s,cpu_pct\nx,0\n");
  write_file("time.csv", "vm,time_s,cpu_pct\nx,-3,1\n");
  write_file("cpu.csv", "vm,time_s,cpu_pct\nx,0,1\nx,5,abc\n");
  write_file("none.csv", "vm,time_s,cpu_pct\n");
  const struct {
    const char* sub;
    trace_format_t format;
    int line;
    const char* file; /* under dir, "" for none */
    const char* message;
  } cases[] = {
      {"pl", TRACE_FORMAT_AUTO, 2, "pl/b", "'101' is not a CPU percentage; expected an integer from 0 to 100"},
      {"header.csv", TRACE_FORMAT_AUTO, 1, "header.csv",
       "header 'vm,time,cpu'; expected vm,time_s,cpu_pct or vm,time_s,cpu_pct,ram_pct"},
      {"ram.csv", TRACE_FORMAT_AUTO, 1, "ram.csv",
       "header 'vm,time_s,cpu_pct,ram_bytes'; expected vm,time_s,cpu_pct or vm,time_s,cpu_pct,ram_pct"},
      {"rampct.csv", TRACE_FORMAT_AUTO, 3, "rampct.csv",
       "'100.5' is not a RAM percentage; expected a number from 0 to 100"},
      {"ramcols.csv", TRACE_FORMAT_AUTO, 2, "ramcols.csv", "3 columns; expected vm,time_s,cpu_pct,ram_pct"},
      {"dup.csv", TRACE_FORMAT_AUTO, 4, "dup.csv", "VM 'x' has a second sample at 0 s"},
      {"cols.csv", TRACE_FORMAT_AUTO, 2, "cols.csv", "2 columns; expected vm,time_s,cpu_pct"},
      {"time.csv", TRACE_FORMAT_AUTO, 2, "time.csv", "'-3' is not a time; expected seconds >= 0"},
      {"cpu.csv", TRACE_FORMAT_AUTO, 3, "cpu.csv", "'abc' is not a CPU percentage; expected a number from 0 to 100"},
      {"none.csv", TRACE_FORMAT_AUTO, 0, "none.csv", "no sample after the header"},
      {"empty", TRACE_FORMAT_AUTO, 0, "", NULL},
      {"pl", TRACE_FORMAT_CSV, 0, "", NULL},
      {"absent", TRACE_FORMAT_AUTO, 0, "", NULL},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    inj_params_t p = params(cases[i].sub);
    p.trace_format = cases[i].format;
    lucsim_err_t err;
    lucsim_err_clear(&err);
    load_trace_t* lt = load_trace_load(&p, 4, 1, 3600, &err);
    CU_ASSERT_PTR_NULL(lt);
    load_trace_free(lt);
    CU_ASSERT_STRING_EQUAL(err.field, "injector.trace.path");
    CU_ASSERT_EQUAL(err.line, cases[i].line);
    char file[160];
    snprintf(file, sizeof file, "%s/%s", dir, cases[i].file);
    if (cases[i].file[0]) CU_ASSERT_STRING_EQUAL(err.file, file);
    if (cases[i].message) {
      CU_ASSERT_STRING_EQUAL(err.message, cases[i].message);
      if (strcmp(err.message, cases[i].message) != 0) fprintf(stderr, "case %zu: %s\n", i, err.message);
    }
  }
  remove_dir();
}

CU_TestInfo load_trace_tests[] = {
    {"planetlab_step_gives_each_vm_its_file_changes_only", test_planetlab_step_gives_each_vm_its_file_changes_only},
    {"loop_starts_over_and_hold_keeps_the_last_sample", test_loop_starts_over_and_hold_keeps_the_last_sample},
    {"linear_interpolates_on_the_resolution_grid", test_linear_interpolates_on_the_resolution_grid},
    {"ram_share_follows_the_trace_as_the_cpu", test_ram_share_follows_the_trace_as_the_cpu},
    {"seeded_mapping_and_random_starts", test_seeded_mapping_and_random_starts},
    {"bad_traces_name_file_line_and_field", test_bad_traces_name_file_line_and_field},
    CU_TEST_INFO_NULL,
};
