/* Suite "config": embedded defaults, shipped workloads, --set overrides, write/read round trips and
 * the exact one-line error of each bad experiment in tests/e2e/bad/ (real libxml2 parsing and
 * RelaxNG validation). It does not run simulations. Needs LUCSIM_SOURCE_DIR (set by ctest). */
#include "config.h"
#include "config_table.h"
#include "roundtrip.h"
#include "runner.h"

#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int load_workload(config_t* c, const char* file, lucsim_err_t* err)
{
  char path[LUCSIM_PATH_MAX];
  snprintf(path, sizeof path, "%s/workloads/%s", lucsim_test_source_dir(), file);
  config_init_defaults(c);
  return config_load_file(c, path, err);
}

static void set_ok(config_t* c, const char* assignment)
{
  lucsim_err_t err;
  lucsim_err_clear(&err);
  int rc = config_apply_set(c, assignment, &err);
  if (rc != 0) fprintf(stderr, "\n  --set %s: %s\n", assignment, err.message);
  CU_ASSERT_EQUAL(rc, 0);
}

static void test_config_defaults_are_the_quickstart_experiment(void)
{
  config_t c;
  lucsim_err_t err;
  config_init_defaults(&c);
  CU_ASSERT_STRING_EQUAL(c.name, "quickstart");
  CU_ASSERT_EQUAL(c.seed, 1);
  CU_ASSERT_EQUAL(c.duration_s, 600.0);
  CU_ASSERT_EQUAL(c.platform.kind, PLAT_KIND_CLUSTER);
  CU_ASSERT_EQUAL(c.platform.pm_count, 32);
  CU_ASSERT_EQUAL(c.platform.service_nodes, 2);
  CU_ASSERT_EQUAL(c.platform.cores, 8);
  CU_ASSERT_EQUAL(c.platform.hypervisor_cores, 1);
  CU_ASSERT_EQUAL(c.platform.core_speed_flops, 1e9);
  CU_ASSERT_EQUAL(c.platform.ram_bytes, 34359738368u);
  CU_ASSERT_EQUAL(c.platform.nic_bw_Bps, 125e6);
  CU_ASSERT_EQUAL(c.platform.nic_latency_s, 50e-6);
  CU_ASSERT_FALSE(c.platform.shared_backbone);
  CU_ASSERT_EQUAL(c.platform.power_idle_W, 0.0);
  CU_ASSERT_EQUAL(c.platform.power_max_W, 0.0);
  CU_ASSERT_EQUAL(c.platform.vm_model, PLAT_VM_MODEL_DATA);
  CU_ASSERT_EQUAL(c.vms.count, 320);
  CU_ASSERT_EQUAL(c.vms.placement, VM_PLACEMENT_FILL);
  CU_ASSERT_EQUAL(c.vms.class_count, 5);
  static const double dirty[] = {0.1, 0.2, 0.3, 0.4, 0.5};
  for (size_t i = 0; i < 5; i++) {
    CU_ASSERT_EQUAL(c.vms.classes[i].vcpus, 1);
    CU_ASSERT_EQUAL(c.vms.classes[i].ram_bytes, 1073741824u);
    CU_ASSERT_EQUAL(c.vms.classes[i].working_set_share, 0.9);
    CU_ASSERT_EQUAL(c.vms.classes[i].dirty_intensity, dirty[i]);
    CU_ASSERT_EQUAL(c.vms.classes[i].mig_speed_Bps, 125e6);
    CU_ASSERT_EQUAL(c.vms.classes[i].weight, 1.0);
  }
  CU_ASSERT_STRING_EQUAL(c.vms.classes[2].name, "small-30");
  CU_ASSERT_EQUAL(c.injector.load_period_s, 300.0);
  CU_ASSERT_EQUAL(c.injector.load_mean, 60.0);
  CU_ASSERT_EQUAL(c.injector.load_stddev, 20.0);
  CU_ASSERT_EQUAL(c.injector.load_min, 0.0);
  CU_ASSERT_EQUAL(c.injector.load_max, 100.0);
  CU_ASSERT_EQUAL(c.injector.load_slots, 10);
  CU_ASSERT_EQUAL(c.injector.initial_load, -1.0);
  CU_ASSERT_EQUAL(c.injector.fault_mtbf_s, 0.0);
  CU_ASSERT_EQUAL(c.injector.fault_mttr_s, 300.0);
  CU_ASSERT_EQUAL(c.migration.max_downtime_s, 0.030);
  CU_ASSERT_EQUAL(c.migration.max_rounds, 30);
  CU_ASSERT_STRING_EQUAL(c.scheduler.name, "none");
  CU_ASSERT_EQUAL(c.scheduler.param_count, 0);
  CU_ASSERT_EQUAL(c.output.trace, OUT_TRACE_FULL);
  CU_ASSERT_EQUAL(c.output.load_sample_period_s, 10.0);
  CU_ASSERT_STRING_EQUAL(c.output.dir, "");
  CU_ASSERT_EQUAL(config_finish(&c, &err), 0);
  CU_ASSERT_STRING_EQUAL(c.output.dir, "results/quickstart-none-s1");
}

static void test_config_quickstart_file_states_the_defaults(void)
{
  config_t defaults, file;
  lucsim_err_t err;
  config_init_defaults(&defaults);
  CU_ASSERT_EQUAL_FATAL(load_workload(&file, "quickstart.xml", &err), 0);
  CU_ASSERT_EQUAL(file.origin_line[1], 5); /* seed, on the <experiment> line */
  CU_ASSERT_EQUAL(file.vms.classes[0].line, 13);
  roundtrip_clear_provenance(&defaults);
  roundtrip_clear_provenance(&file);
  CU_ASSERT_EQUAL(memcmp(&defaults, &file, sizeof file), 0);
}

static void test_config_vmplaces_workloads_parse(void)
{
  static const int sizes[] = {128, 256, 512, 1024};
  for (size_t i = 0; i < 4; i++) {
    config_t c;
    lucsim_err_t err;
    char file[64], name[64], dir[96];
    snprintf(file, sizeof file, "vmplaces-%d.xml", sizes[i]);
    CU_ASSERT_EQUAL_FATAL(load_workload(&c, file, &err), 0);
    CU_ASSERT_EQUAL_FATAL(config_finish(&c, &err), 0);
    snprintf(name, sizeof name, "vmplaces-%d", sizes[i]);
    snprintf(dir, sizeof dir, "results/vmplaces-%d-none-s23", sizes[i]);
    CU_ASSERT_STRING_EQUAL(c.name, name);
    CU_ASSERT_STRING_EQUAL(c.output.dir, dir);
    CU_ASSERT_EQUAL(c.seed, 23);
    CU_ASSERT_EQUAL(c.duration_s, 3600.0);
    CU_ASSERT_EQUAL(c.platform.pm_count, sizes[i]);
    CU_ASSERT_EQUAL(c.platform.service_nodes, sizes[i] / 32 + 1);
    CU_ASSERT_EQUAL(c.platform.cores - c.platform.hypervisor_cores, 7);
    CU_ASSERT_EQUAL(c.platform.ram_bytes, 32ull << 30);
    CU_ASSERT_EQUAL(c.platform.nic_bw_Bps, 125e6);
    CU_ASSERT_EQUAL(c.vms.count, 10 * sizes[i]);
    CU_ASSERT_EQUAL(c.vms.class_count, 5);
    CU_ASSERT_EQUAL(c.vms.classes[4].dirty_intensity, 0.5);
    CU_ASSERT_EQUAL(c.injector.load_period_s, 300.0);
    CU_ASSERT_EQUAL(c.injector.load_mean, 60.0);
    CU_ASSERT_EQUAL(c.injector.load_stddev, 20.0);
    CU_ASSERT_EQUAL(c.injector.load_slots, 10);
    CU_ASSERT_EQUAL(c.injector.fault_mtbf_s, 0.0);
  }
}

static void test_config_set_parses_units_enums_classes_and_params(void)
{
  config_t c;
  char buf[64];
  config_init_defaults(&c);
  set_ok(&c, "platform.ram=512MiB");
  CU_ASSERT_EQUAL(c.platform.ram_bytes, 536870912u);
  set_ok(&c, "platform.ram=1.5GiB");
  CU_ASSERT_EQUAL(c.platform.ram_bytes, 1610612736u);
  set_ok(&c, "platform.ram=32GB");
  CU_ASSERT_EQUAL(c.platform.ram_bytes, 32000000000u);
  set_ok(&c, "platform.bandwidth=10Gbps");
  CU_ASSERT_EQUAL(c.platform.nic_bw_Bps, 1.25e9);
  set_ok(&c, "platform.backbone_bandwidth=125MBps");
  CU_ASSERT_EQUAL(c.platform.backbone_bw_Bps, 125e6);
  set_ok(&c, "platform.latency=30ms");
  CU_ASSERT_EQUAL(c.platform.nic_latency_s, 0.03);
  set_ok(&c, "platform.core_speed=2.5Gf");
  CU_ASSERT_EQUAL(c.platform.core_speed_flops, 2.5e9);
  set_ok(&c, "duration=1h");
  CU_ASSERT_EQUAL(c.duration_s, 3600.0);
  set_ok(&c, "injector.faults.mttr=2min");
  CU_ASSERT_EQUAL(c.injector.fault_mttr_s, 120.0);
  set_ok(&c, "injector.load.mean=70");
  CU_ASSERT_EQUAL(c.injector.load_mean, 70.0);
  set_ok(&c, "seed=18446744073709551615");
  CU_ASSERT_EQUAL(c.seed, UINT64_MAX);
  set_ok(&c, "vms.placement=round_robin");
  CU_ASSERT_EQUAL(c.vms.placement, VM_PLACEMENT_ROUND_ROBIN);
  set_ok(&c, "output.trace=states");
  CU_ASSERT_EQUAL(c.output.trace, OUT_TRACE_STATES);
  set_ok(&c, "platform.vm_model=simgrid");
  CU_ASSERT_EQUAL(c.platform.vm_model, PLAT_VM_MODEL_SIMGRID);
  set_ok(&c, "platform.backbone=true");
  CU_ASSERT_TRUE(c.platform.shared_backbone);
  set_ok(&c, "scheduler=entropy");
  CU_ASSERT_STRING_EQUAL(c.scheduler.name, "entropy");
  set_ok(&c, "scheduler.period=30s");
  set_ok(&c, "scheduler.gm_ratio=32");
  set_ok(&c, "scheduler.period=60s");
  CU_ASSERT_EQUAL(c.scheduler.param_count, 2);
  CU_ASSERT_STRING_EQUAL(config_sched_param(&c, "period"), "60s");
  CU_ASSERT_STRING_EQUAL(config_sched_param(&c, "gm_ratio"), "32");
  CU_ASSERT_PTR_NULL(config_sched_param(&c, "absent"));
  set_ok(&c, "vms.class.small-30.ram=2GiB");
  CU_ASSERT_EQUAL(c.vms.classes[2].ram_bytes, 2147483648u);
  set_ok(&c, "vms.class.4.dirty_intensity=0.75");
  CU_ASSERT_EQUAL(c.vms.classes[4].dirty_intensity, 0.75);
  set_ok(&c, "vms.class.0.name=tiny");
  CU_ASSERT_STRING_EQUAL(c.vms.classes[0].name, "tiny");
  CU_ASSERT_EQUAL(c.origin_line[2], -1); /* duration came from --set */
  CU_ASSERT_EQUAL(config_get(&c, "platform.ram", buf, sizeof buf), 0);
  CU_ASSERT_STRING_EQUAL(buf, "32GB");
  CU_ASSERT_EQUAL(config_get(&c, "platform.bandwidth", buf, sizeof buf), 0);
  CU_ASSERT_STRING_EQUAL(buf, "10Gbps");
  CU_ASSERT_EQUAL(config_get(&c, "platform.latency", buf, sizeof buf), 0);
  CU_ASSERT_STRING_EQUAL(buf, "30ms");
  CU_ASSERT_EQUAL(config_get(&c, "vms.class.small-30.ram", buf, sizeof buf), 0);
  CU_ASSERT_STRING_EQUAL(buf, "2GiB");
  CU_ASSERT_EQUAL(config_get(&c, "scheduler.period", buf, sizeof buf), 0);
  CU_ASSERT_STRING_EQUAL(buf, "60s");
  CU_ASSERT_EQUAL(config_get(&c, "platform.nothing", buf, sizeof buf), -1);
}

static void set_fails(const char* assignment, const char* expected)
{
  config_t c;
  lucsim_err_t err;
  char line[1600];
  config_init_defaults(&c);
  CU_ASSERT_EQUAL(config_apply_set(&c, assignment, &err), -1);
  lucsim_err_format(&err, line, sizeof line);
  if (strcmp(line, expected) != 0) fprintf(stderr, "\n  got:      %s\n  expected: %s\n", line, expected);
  CU_ASSERT_STRING_EQUAL(line, expected);
}

static void test_config_set_rejects_bad_paths_and_values(void)
{
  set_fails("platform.pmz=3",
            "platform.pmz: no such field; did you mean 'platform.pms'? (fields: workloads/README.md)");
  set_fails("zzzz.qqqq=3", "zzzz.qqqq: no such field (the fields are listed in workloads/README.md)");
  set_fails("injector.load.period=-3", "injector.load.period: -3 is negative; expected a time in (0, 1e+300] seconds");
  set_fails("platform.bandwidth=nan",
            "platform.bandwidth: nan is not a number; expected a rate in (0, 1e+300] bytes/s");
  set_fails("platform.bandwidth=inf", "platform.bandwidth: inf is infinite; expected a rate in (0, 1e+300] bytes/s");
  set_fails("platform.bandwidth=0", "platform.bandwidth: 0 is out of range; expected a rate in (0, 1e+300] bytes/s");
  set_fails("platform.ram=12 parsecs", "platform.ram: '12 parsecs' is not a size (e.g. 1GiB, 512MiB, 32GB or bytes)");
  set_fails("platform.ram=0.5", "platform.ram: 0.5 is not a whole number of bytes");
  set_fails("injector.load.max=101", "injector.load.max: 101 is out of range; expected a number in [0, 100]");
  set_fails("output.trace=some", "output.trace: 'some' is not one of: none, states, full");
  set_fails("platform.backbone=yes", "platform.backbone: 'yes' is not a boolean; expected true or false");
  set_fails("seed=-1", "seed: -1 is negative; expected an integer in [0, 18446744073709551615]");
  set_fails("vms.class.big.ram=1GiB", "vms.class.big.ram: no VM class 'big'; the classes are small-10, small-20, "
                                      "small-30, small-40, small-50 (or their index from 0)");
  set_fails("vms.class.1.name=small-10", "vms.class.1.name: class name 'small-10' is already used");
  set_fails("scheduler=a.b", "scheduler.name: 'a.b' is not a valid name; expected a letter or digit, then "
                             "letters, digits, '_' or '-'");
  set_fails("scheduler.bad key=1", "scheduler.bad key: 'bad key' is not a valid parameter name; expected letters, "
                                   "digits, '_', '-' or '.'");
  set_fails("novalue", "'novalue' is not PATH=VALUE (e.g. injector.load.mean=70)");
}

/* Writes cfg, reads it back over fresh defaults, and checks the two structs are identical. */
static void check_round_trip(config_t* c)
{
  char dir[] = "/tmp/lucsim-config-XXXXXX", path[64];
  lucsim_err_t err;
  config_t back;
  CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
  snprintf(path, sizeof path, "%s/experiment.xml", dir);
  CU_ASSERT_EQUAL_FATAL(config_finish(c, &err), 0);
  CU_ASSERT_EQUAL_FATAL(config_write_xml(c, path, &err), 0);
  config_init_defaults(&back);
  CU_ASSERT_EQUAL(config_load_file(&back, path, &err), 0);
  CU_ASSERT_EQUAL(config_finish(&back, &err), 0);
  roundtrip_clear_provenance(c);
  roundtrip_clear_provenance(&back);
  CU_ASSERT_EQUAL(memcmp(c, &back, sizeof back), 0);
  unlink(path);
  rmdir(dir);
}

static void test_config_written_experiment_reads_back_identical(void)
{
  config_t c;
  lucsim_err_t err;
  config_init_defaults(&c);
  check_round_trip(&c);

  config_init_defaults(&c);
  set_ok(&c, "platform.ram=1.5GiB");
  set_ok(&c, "platform.bandwidth=123456789.123");
  set_ok(&c, "platform.latency=0.1");
  set_ok(&c, "platform.power_idle=95.5");
  set_ok(&c, "platform.power_max=201");
  set_ok(&c, "duration=1e-3");
  set_ok(&c, "injector.load.stddev=0.3");
  set_ok(&c, "injector.load.initial=33.333333333333336");
  set_ok(&c, "vms.count=7");
  set_ok(&c, "vms.class.small-20.migration_speed=0");
  set_ok(&c, "vms.class.small-20.working_set=0.1");
  set_ok(&c, "scheduler=dvms");
  set_ok(&c, "scheduler.timeout=4.5s");
  set_ok(&c, "scheduler.note=a <b> & \"c\"");
  set_ok(&c, "output.dir=out dir/x");
  check_round_trip(&c);

  CU_ASSERT_EQUAL_FATAL(load_workload(&c, "vmplaces-1024.xml", &err), 0);
  check_round_trip(&c);
}

static void test_config_reads_scheduler_params_and_relative_platform_file(void)
{
  char dir[] = "/tmp/lucsim-config-XXXXXX", exp[64], plat[64];
  lucsim_err_t err;
  config_t c;
  CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
  snprintf(exp, sizeof exp, "%s/exp.xml", dir);
  snprintf(plat, sizeof plat, "%s/plat.xml", dir);
  FILE* f = fopen(plat, "w");
  CU_ASSERT_PTR_NOT_NULL_FATAL(f);
  fputs("<platform/>\n", f);
  fclose(f);
  f = fopen(exp, "w");
  CU_ASSERT_PTR_NOT_NULL_FATAL(f);
  fputs("<experiment>\n"
        "  <platform kind=\"file\" file=\"plat.xml\"/>\n"
        "  <scheduler name=\"entropy\">\n"
        "    <param name=\"period\" value=\"30s\"/>\n"
        "    <param name=\"solver\" value=\"milp\"/>\n"
        "  </scheduler>\n"
        "</experiment>\n",
        f);
  fclose(f);
  config_init_defaults(&c);
  CU_ASSERT_EQUAL_FATAL(config_load_file(&c, exp, &err), 0);
  CU_ASSERT_EQUAL(config_finish(&c, &err), 0);
  CU_ASSERT_STRING_EQUAL(c.name, "exp");
  CU_ASSERT_STRING_EQUAL(c.platform.file, plat);
  CU_ASSERT_EQUAL(c.scheduler.param_count, 2);
  CU_ASSERT_STRING_EQUAL(c.scheduler.params[1].key, "solver");
  CU_ASSERT_STRING_EQUAL(c.scheduler.params[1].value, "milp");
  CU_ASSERT_EQUAL(c.scheduler.params[1].line, 5);
  CU_ASSERT_STRING_EQUAL(c.output.dir, "results/exp-entropy-s1");
  unlink(exp);
  unlink(plat);
  rmdir(dir);
}

/* <param scheduler=>: one file carries each scheduler's values; the scheduler's own beats the
 * common one whatever their order, --set beats both, and the resolved file keeps the scopes. */
static void test_config_scoped_scheduler_params(void)
{
  char dir[] = "/tmp/lucsim-config-XXXXXX", exp[64];
  lucsim_err_t err;
  config_t c;
  CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
  snprintf(exp, sizeof exp, "%s/exp.xml", dir);
  FILE* f = fopen(exp, "w");
  CU_ASSERT_PTR_NOT_NULL_FATAL(f);
  fputs("<experiment>\n"
        "  <scheduler name=\"entropy\">\n"
        "    <param scheduler=\"entropy\" name=\"compute_model\" value=\"entropy-uncapped\"/>\n"
        "    <param name=\"compute_model\" value=\"deterministic\"/>\n"
        "    <param scheduler=\"snooze\" name=\"scheduling\" value=\"poll\"/>\n"
        "  </scheduler>\n"
        "</experiment>\n",
        f);
  fclose(f);
  config_init_defaults(&c);
  CU_ASSERT_EQUAL_FATAL(config_load_file(&c, exp, &err), 0);
  CU_ASSERT_EQUAL(c.scheduler.param_count, 3);
  CU_ASSERT_STRING_EQUAL(config_sched_param(&c, "compute_model"), "entropy-uncapped");
  CU_ASSERT_PTR_NULL(config_sched_param(&c, "scheduling")); /* snooze's */
  CU_ASSERT_STRING_EQUAL(config_sched_param_pick(&c, "snooze", "scheduling", NULL)->value, "poll");
  CU_ASSERT_STRING_EQUAL(config_sched_param_pick(&c, "dvms", "compute_model", NULL)->value, "deterministic");
  CU_ASSERT_EQUAL(config_sched_param_pick(&c, "entropy", "compute_model", NULL)->line, 3);
  check_round_trip(&c); /* the scopes survive the resolved experiment.xml */
  set_ok(&c, "scheduler.compute_model=entropy-like");
  CU_ASSERT_EQUAL(c.scheduler.param_count, 2); /* the entropy-scoped value went, the common one changed */
  CU_ASSERT_STRING_EQUAL(config_sched_param(&c, "compute_model"), "entropy-like");
  CU_ASSERT_STRING_EQUAL(config_sched_param_pick(&c, "snooze", "compute_model", NULL)->value, "entropy-like");
  unlink(exp);
  rmdir(dir);
}

/* kind=file: the fields the platform file decides are refused when set, whatever the order of the
 * overrides, their defaults are silent, platform.ram and hypervisor_cores stay allowed, and the
 * resolved experiment leaves the decided fields out (so that it reads back). */
static void test_config_file_kind_refuses_what_the_file_decides(void)
{
  static const char* const decided[] = {"platform.pms=3",
                                        "platform.service_nodes=0",
                                        "platform.cores=4",
                                        "platform.core_speed=2Gf",
                                        "platform.bandwidth=10Gbps",
                                        "platform.latency=1ms",
                                        "platform.backbone=true",
                                        "platform.backbone_bandwidth=1Gbps",
                                        "platform.sites=2",
                                        "platform.wan_latency=2ms",
                                        NULL};
  char dir[]                         = "/tmp/lucsim-config-XXXXXX", plat[64], set[128], out[96], line[256];
  lucsim_err_t err;
  config_t* c = malloc(sizeof *c);
  CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
  snprintf(plat, sizeof plat, "%s/plat.xml", dir);
  snprintf(out, sizeof out, "%s/written.xml", dir);
  FILE* f = fopen(plat, "w");
  CU_ASSERT_PTR_NOT_NULL_FATAL(f);
  fputs("<platform/>\n", f);
  fclose(f);
  snprintf(set, sizeof set, "platform.file=%s", plat);
  for (size_t i = 0; decided[i]; i++) {
    config_init_defaults(c);
    CU_ASSERT_EQUAL(config_apply_set(c, decided[i], &err), 0); /* before kind: refused all the same */
    CU_ASSERT_EQUAL(config_apply_set(c, "platform.kind=file", &err), 0);
    CU_ASSERT_EQUAL(config_apply_set(c, set, &err), 0);
    CU_ASSERT_EQUAL(config_finish(c, &err), -1);
    lucsim_err_format(&err, line, sizeof line);
    char expected[160];
    snprintf(expected, sizeof expected,
             "%.*s: is set but platform.kind is file: the platform file decides it; remove it",
             (int)strcspn(decided[i], "="), decided[i]);
    CU_ASSERT_STRING_EQUAL(line, expected);
  }
  config_init_defaults(c);
  CU_ASSERT_EQUAL(config_apply_set(c, "platform.kind=file", &err), 0);
  CU_ASSERT_EQUAL(config_apply_set(c, set, &err), 0);
  CU_ASSERT_EQUAL(config_apply_set(c, "platform.ram=16GiB", &err), 0);
  CU_ASSERT_EQUAL(config_apply_set(c, "platform.hypervisor_cores=12", &err), 0); /* above the default cores */
  CU_ASSERT_EQUAL(config_finish(c, &err), 0);
  CU_ASSERT_EQUAL(config_write_xml(c, out, &err), 0);
  config_t* back = malloc(sizeof *back);
  config_init_defaults(back);
  CU_ASSERT_EQUAL(config_load_file(back, out, &err), 0);
  CU_ASSERT_EQUAL(config_finish(back, &err), 0);
  CU_ASSERT_EQUAL(back->platform.ram_bytes, (uint64_t)16 << 30);
  CU_ASSERT_EQUAL(back->platform.hypervisor_cores, 12);
  f = fopen(out, "r");
  CU_ASSERT_PTR_NOT_NULL_FATAL(f);
  char text[8192];
  size_t n = fread(text, 1, sizeof text - 1, f);
  text[n]  = '\0';
  fclose(f);
  CU_ASSERT_PTR_NULL(strstr(text, " pms="));
  CU_ASSERT_PTR_NULL(strstr(text, " latency="));
  free(back);
  free(c);
  unlink(out);
  unlink(plat);
  rmdir(dir);
}

/* Replaces "@BAD_DIR@" in text by dir (the bad inputs' folder, as the e2e script does) into out;
 * returns out. text and out may be the same buffer. */
static const char* with_bad_dir(const char* text, const char* dir, char* out, size_t size)
{
  char copy[1600];
  snprintf(copy, sizeof copy, "%s", text);
  const char* at = strstr(copy, "@BAD_DIR@");
  if (at)
    snprintf(out, size, "%.*s%s%s", (int)(at - copy), copy, dir, at + strlen("@BAD_DIR@"));
  else
    snprintf(out, size, "%s", copy);
  return out;
}

/* Loads tests/e2e/bad/NAME.xml as `lucsim run NAME.xml [NAME.args]` does from that folder, and checks
 * the one-line error against `expected` and against NAME.err (the e2e script's oracle). */
static void check_bad(const char* name, const char* expected)
{
  char bad_dir[LUCSIM_PATH_MAX], cwd[LUCSIM_PATH_MAX], here[LUCSIM_PATH_MAX], file[128], line[1600];
  char oracle[1600] = "", full[1600];
  snprintf(bad_dir, sizeof bad_dir, "%s/tests/e2e/bad", lucsim_test_source_dir());
  CU_ASSERT_PTR_NOT_NULL_FATAL(getcwd(cwd, sizeof cwd));
  CU_ASSERT_EQUAL_FATAL(chdir(bad_dir), 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL(getcwd(here, sizeof here));
  config_t c;
  lucsim_err_t err;
  config_init_defaults(&c);
  snprintf(file, sizeof file, "%s.xml", name);
  int rc = config_load_file(&c, file, &err);
  snprintf(file, sizeof file, "%s.args", name);
  FILE* args = fopen(file, "r");
  char set[512];
  while (rc == 0 && args && fscanf(args, "--set %511s ", set) == 1)
    rc = config_apply_set(&c, set, &err);
  if (args) fclose(args);
  if (rc == 0) rc = config_finish(&c, &err);
  snprintf(file, sizeof file, "%s.err", name);
  FILE* f = fopen(file, "r");
  if (f && fgets(oracle, sizeof oracle, f)) oracle[strcspn(oracle, "\n")] = '\0';
  if (f) fclose(f);
  CU_ASSERT_EQUAL(chdir(cwd), 0);
  CU_ASSERT_EQUAL(rc, -1);
  lucsim_err_format(&err, line, sizeof line);
  expected = with_bad_dir(expected, here, full, sizeof full);
  with_bad_dir(oracle, here, oracle, sizeof oracle);
  if (strcmp(line, expected) != 0 || strcmp(oracle, expected) != 0)
    fprintf(stderr, "\n  %s:\n  got:      %s\n  expected: %s\n  .err:     %s\n", name, line, expected, oracle);
  CU_ASSERT_STRING_EQUAL(line, expected);
  CU_ASSERT_STRING_EQUAL(oracle, expected);
}

#define SCHEMA_ERR "not a valid experiment (workloads/lucsim.rng): "
#define NO_DOCTYPE "DOCTYPE declarations are not allowed (no DTD, no entities in experiment files)"

static void test_config_bad_files_give_exact_errors(void)
{
  check_bad("malformed", "malformed.xml:4: malformed XML: Opening and ending tag mismatch: platform line 3 and "
                         "experiment");
  check_bad("empty", "empty.xml: the file is empty; expected an <experiment> document");
  check_bad("missing_file", "missing_file.xml: cannot read the experiment file: No such file or directory");
  check_bad("entity_bomb", "entity_bomb.xml:2: " NO_DOCTYPE);
  check_bad("external_entity", "external_entity.xml:2: " NO_DOCTYPE);
  check_bad("wrong_root", "wrong_root.xml:2: " SCHEMA_ERR "Expecting element experiment, got experimnt");
  check_bad("unknown_element", "unknown_element.xml:3: " SCHEMA_ERR "Did not expect element platfrom there");
  check_bad("unknown_attribute", "unknown_attribute.xml:3: " SCHEMA_ERR "Invalid attribute pmz for element platform");
  check_bad("out_of_order", "out_of_order.xml:4: " SCHEMA_ERR "Did not expect element platform there");
  check_bad("missing_class_name", "missing_class_name.xml:4: " SCHEMA_ERR "<class> needs a name attribute");
  check_bad("wrong_type", "wrong_type.xml:3: platform.pms: 'many' is not an integer");
  check_bad("zero_pms", "zero_pms.xml:3: platform.pms: 0 is out of range; expected an integer in [1, 1000000]");
  /* The line of an element is where its start tag ends (libxml2), here the attribute's line. */
  check_bad("negative_rate", "negative_rate.xml:4: platform.bandwidth: -3 is negative; expected a rate in (0, 1e+300] "
                             "bytes/s");
  check_bad("negative_time", "negative_time.xml:3: migration.max_downtime: -30ms is negative; expected a time in "
                             "(0, 1e+300] seconds");
  check_bad("nan_load", "nan_load.xml:4: injector.load.mean: nan is not a number; expected a number in [0, 1e+300]");
  check_bad("inf_duration", "inf_duration.xml:2: duration: inf is infinite; expected a time in (0, 1e+300] seconds");
  check_bad("bad_unit", "bad_unit.xml:3: platform.latency: '50 msec' is not a time (e.g. 50us, 30ms, 300s, 1h or "
                        "seconds)");
  check_bad("unknown_enum", "unknown_enum.xml:3: vms.placement: 'random' is not one of: fill, round_robin, capacity");
  check_bad("bad_scheduler_name", "bad_scheduler_name.xml:3: scheduler.name: 'entropy 2' is not a valid name; "
                                  "expected a letter or digit, then letters, digits, '_' or '-'");
  check_bad("clamp_min_above_max", "clamp_min_above_max.xml:4: injector.load.min: clamp min 80 is above max 20");
  check_bad("hypervisor_cores", "hypervisor_cores.xml:3: platform.hypervisor_cores: 8 of the 8 cores kept for the "
                                "hypervisor; expected fewer than platform.cores");
  check_bad("cluster_too_small", "cluster_too_small.xml:4: vms.count: cluster too small: 100 VMs of at least 1 GiB "
                                 "do not fit in the RAM of 2 PMs of 16 GiB (at most 32 VMs)");
  check_bad("class_too_big", "class_too_big.xml:4: vms.class.huge.ram: 64 GiB does not fit in a PM of 32 GiB "
                             "(platform.ram)");
  check_bad("missing_platform_file", "missing_platform_file.xml:3: platform.file: cannot read "
                                     "'@BAD_DIR@/no-such-platform.xml': No such file or directory");
  check_bad("unknown_set", "platform.pmz: no such field; did you mean 'platform.pms'? (fields: workloads/README.md)");
  check_bad("bad_set_value", "injector.load.period: -3 is negative; expected a time in (0, 1e+300] seconds");
  /* Encodings: every libxml2 message is one line (some used to print two to four lines). */
  check_bad("utf16_no_bom",
            "utf16_no_bom.xml:1: malformed XML: Char 0x0 out of allowed range (the file holds NUL bytes: UTF-16 or "
            "UTF-32 without a byte-order mark or an <?xml encoding?> declaration? save it as UTF-8)");
  check_bad("utf16_lone_surrogate", "utf16_lone_surrogate.xml:3: malformed XML: input conversion failed due to input "
                                    "error, bytes 0x00 0xD8 0x2E 0x00");
  check_bad("utf16_truncated", "utf16_truncated.xml:3: malformed XML: Specification mandates value for attribute pm");
  check_bad("utf16_bad_value",
            "utf16_bad_value.xml:3: platform.pms: 0 is out of range; expected an integer in [1, 1000000]");
  check_bad(
      "invalid_utf8",
      "invalid_utf8.xml:3: malformed XML: Input is not proper UTF-8, indicate encoding ! Bytes: 0xE9 0x2E 0x78 0x6D");
  check_bad("control_char_ref", "control_char_ref.xml:4: malformed XML: xmlParseCharRef: invalid xmlChar value 1");
  /* --set values that cannot be written to an XML file, and the true limits of numbers. */
  check_bad("set_invalid_utf8", "platform.file: 'plat\\xFF.xml' is not valid UTF-8");
  check_bad("set_control_char", "scheduler.note: 'a b' holds U+0001, which XML 1.0 cannot represent");
  check_bad("set_ram_too_large",
            "platform.ram: 18446744073709551615 is out of range; expected a size in (0, 1152921504606846976] bytes");
  check_bad("set_mean_too_large", "injector.load.mean: 1e308 is out of range; expected a number in [0, 1e+300]");
  check_bad("set_pms_too_large",
            "platform.pms: 99999999999999999999 is out of range; expected an integer in [1, 1000000]");
  check_bad("set_seed_too_large",
            "seed: 18446744073709551616 is out of range; expected an integer in [0, 18446744073709551615]");
  check_bad("set_duration_underflow", "duration: 1e-400 is too close to 0 for a double (the smallest is 4.9e-324 "
                                      "seconds); expected a time in (0, 1e+300] seconds");
}

static void test_config_readme_documents_every_field(void)
{
  char path[LUCSIM_PATH_MAX], needle[160];
  snprintf(path, sizeof path, "%s/workloads/README.md", lucsim_test_source_dir());
  FILE* f = fopen(path, "r");
  CU_ASSERT_PTR_NOT_NULL_FATAL(f);
  static char text[65536];
  size_t n = fread(text, 1, sizeof text - 1, f);
  fclose(f);
  text[n] = '\0';
  CU_ASSERT_EQUAL(config_field_count(), 76);
  for (size_t i = 0; i < config_field_count(); i++) {
    snprintf(needle, sizeof needle, "| `%s` |", config_field_path(i));
    if (!strstr(text, needle)) fprintf(stderr, "\n  workloads/README.md lacks %s\n", needle);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, needle));
  }
  for (size_t i = 0; i < config_class_field_count(); i++) {
    snprintf(needle, sizeof needle, "| `vms.class.<name>.%s` |", config_class_field_name(i));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, needle));
  }
  for (size_t i = 0; i < config__ves_field_count; i++) {
    snprintf(needle, sizeof needle, "| `%s` |", config__ves_fields[i].path);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, needle));
  }
  for (size_t i = 0; i < config__ve_template_field_count; i++) {
    snprintf(needle, sizeof needle, "| `ves.template.<name>.%s` |", config__ve_template_fields[i].path);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, needle));
  }
  for (size_t i = 0; i < config__ve_tier_field_count; i++) {
    snprintf(needle, sizeof needle, "| `ves.template.<name>.tier.<tier>.%s` |", config__ve_tier_fields[i].path);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, needle));
  }
  for (size_t i = 0; i < config__infra_field_count; i++) { /* the <constraints> attributes, with their doc */
    snprintf(needle, sizeof needle, "| `%s` |", config__infra_fields[i].attr);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, needle));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, config__infra_fields[i].doc));
  }
}

CU_TestInfo config_tests[] = {
    {"defaults_are_the_quickstart_experiment", test_config_defaults_are_the_quickstart_experiment},
    {"quickstart_file_states_the_defaults", test_config_quickstart_file_states_the_defaults},
    {"vmplaces_workloads_parse", test_config_vmplaces_workloads_parse},
    {"set_parses_units_enums_classes_and_params", test_config_set_parses_units_enums_classes_and_params},
    {"set_rejects_bad_paths_and_values", test_config_set_rejects_bad_paths_and_values},
    {"written_experiment_reads_back_identical", test_config_written_experiment_reads_back_identical},
    {"reads_scheduler_params_and_relative_platform_file",
     test_config_reads_scheduler_params_and_relative_platform_file},
    {"scoped_scheduler_params", test_config_scoped_scheduler_params},
    {"file_kind_refuses_what_the_file_decides", test_config_file_kind_refuses_what_the_file_decides},
    {"bad_files_give_exact_errors", test_config_bad_files_give_exact_errors},
    {"readme_documents_every_field", test_config_readme_documents_every_field},
    CU_TEST_INFO_NULL,
};
