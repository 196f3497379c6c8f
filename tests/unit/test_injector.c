/* Tests of sim/injector: inter-arrival and load statistics over 100K draws against exact expectations
 * (the clamped, slotted normal computed with erf), the slot grid, stream independence from the
 * fault rate, crash/recovery alternation and rates, and one real SimGrid run of the actor.
 * Statistical tolerances are stated beside each assertion; every randomized test prints its seed. */
#include "injector.h"
#include "simrun.h"

#include <CUnit/CUnit.h>
#include <math.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define INJ_TEST_SEED UINT64_C(23)
#define INJ_TEST_DRAWS 100000
#define INJ_TEST_SQRT_2PI 2.5066282746310002

/* The VMPlaceS scenario: λ = #VMs / 300 s, N(60, 20) clamped to [0, 100], 10 slots, no crash. */
static inj_params_t inj_test_params(void)
{
  inj_params_t p = {.load_period_s = 300,
                    .load_mean     = 60,
                    .load_stddev   = 20,
                    .load_min      = 0,
                    .load_max      = 100,
                    .load_slots    = 10,
                    .initial_load  = -1,
                    .fault_mtbf_s  = 0,
                    .fault_mttr_s  = 0};
  return p;
}

static double inj_test_cdf(double x, double mu, double sd)
{
  return 0.5 * (1.0 + erf((x - mu) / (sd * sqrt(2.0))));
}

/* Exact mean and standard deviation of the load the injector draws: N(mean, sd) clamped to [min, max],
 * then rounded to the nearest grid point (slots > 0), or just clamped (slots = 0). */
static void inj_test_expected_load(const inj_params_t* p, double* mean, double* sd)
{
  const double mu = p->load_mean, s = p->load_stddev, a = p->load_min, b = p->load_max;
  double m1 = 0, m2 = 0;
  if (p->load_slots > 0) {
    double step = (b - a) / p->load_slots;
    for (int k = 0; k <= p->load_slots; k++) {
      double lo   = k == 0 ? 0.0 : inj_test_cdf(a + (k - 0.5) * step, mu, s);
      double hi   = k == p->load_slots ? 1.0 : inj_test_cdf(a + (k + 0.5) * step, mu, s);
      double v    = k == p->load_slots ? b : a + k * step;
      double prob = hi - lo;
      m1 += prob * v;
      m2 += prob * v * v;
    }
  } else {
    double al = (a - mu) / s, be = (b - mu) / s;
    double Pa = inj_test_cdf(a, mu, s), Pb = inj_test_cdf(b, mu, s);
    double fa = exp(-al * al / 2) / INJ_TEST_SQRT_2PI, fb = exp(-be * be / 2) / INJ_TEST_SQRT_2PI;
    m1 = a * Pa + b * (1 - Pb) + mu * (Pb - Pa) + s * (fa - fb);
    m2 = a * a * Pa + b * b * (1 - Pb) + mu * mu * (Pb - Pa) + 2 * mu * s * (fa - fb) +
         s * s * ((Pb - Pa) + al * fa - be * fb);
  }
  *mean = m1;
  *sd   = sqrt(m2 - m1 * m1);
}

static void test_inj_mean_interarrival_is_period_over_vms(void)
{
  printf("\n  seed %llu\n", (unsigned long long)INJ_TEST_SEED);
  inj_params_t p   = inj_test_params();
  const size_t vms = 1000;
  inj_t* inj       = inj_create(&p, vms, 100, 100, INJ_TEST_SEED);
  CU_ASSERT_PTR_NOT_NULL_FATAL(inj);
  long* per_vm = calloc(vms, sizeof *per_vm);
  inj_event_t ev;
  double last = 0;
  int ordered = 1;
  for (int i = 0; i < INJ_TEST_DRAWS; i++) {
    CU_ASSERT_EQUAL_FATAL(inj_next(inj, &ev), 1);
    CU_ASSERT_EQUAL_FATAL(ev.kind, INJ_EV_LOAD);
    CU_ASSERT_FATAL(ev.vm < vms);
    ordered &= ev.time_s >= last;
    last = ev.time_s;
    per_vm[ev.vm]++;
  }
  double gap = last / INJ_TEST_DRAWS, expected = p.load_period_s / vms;
  /* VM choice: chi-square over 1000 VMs (df 999; 0.1 % critical value about 1143). */
  double chi2 = 0, e = (double)INJ_TEST_DRAWS / vms;
  for (size_t v = 0; v < vms; v++)
    chi2 += (per_vm[v] - e) * (per_vm[v] - e) / e;
  printf("  mean gap %.6f s (expected %.6f), chi2 of VM choice %.1f\n", gap, expected, chi2);
  CU_ASSERT_TRUE(ordered);
  CU_ASSERT_DOUBLE_EQUAL(gap, expected, 0.02 * expected); /* 2 %; SE is 0.32 % */
  CU_ASSERT_TRUE(chi2 < 1143);
  free(per_vm);
  inj_destroy(inj);
}

/* Draws INJ_TEST_DRAWS loads; checks grid and clamp on each, and the moments against the exact ones. */
static void inj_test_load_moments(const inj_params_t* p)
{
  inj_t* inj = inj_create(p, 500, 10, 10, INJ_TEST_SEED);
  CU_ASSERT_PTR_NOT_NULL_FATAL(inj);
  double s = 0, ss = 0;
  int on_grid = 1, in_clamp = 1;
  inj_event_t ev;
  for (int i = 0; i < INJ_TEST_DRAWS; i++) {
    CU_ASSERT_EQUAL_FATAL(inj_next(inj, &ev), 1);
    in_clamp &= ev.load >= p->load_min && ev.load <= p->load_max;
    if (p->load_slots > 0) {
      double step = (p->load_max - p->load_min) / p->load_slots;
      double k    = round((ev.load - p->load_min) / step);
      double v    = k == p->load_slots ? p->load_max : p->load_min + k * step;
      on_grid &= k >= 0 && k <= p->load_slots && ev.load == v;
    }
    s += ev.load;
    ss += ev.load * ev.load;
  }
  double mean = s / INJ_TEST_DRAWS, sd = sqrt(ss / INJ_TEST_DRAWS - mean * mean), emean, esd;
  inj_test_expected_load(p, &emean, &esd);
  printf("  N(%g,%g) in [%g,%g], %d slots: mean %.4f (exact %.4f) sd %.4f (exact %.4f)\n", p->load_mean, p->load_stddev,
         p->load_min, p->load_max, p->load_slots, mean, emean, sd, esd);
  CU_ASSERT_TRUE(on_grid);
  CU_ASSERT_TRUE(in_clamp);
  CU_ASSERT_DOUBLE_EQUAL(mean, emean, 0.02 * emean);                           /* 2 %, as issue #2 asks */
  CU_ASSERT_DOUBLE_EQUAL(mean, emean, 5 * esd / sqrt((double)INJ_TEST_DRAWS)); /* and 5 SE (about 0.5 %) */
  CU_ASSERT_DOUBLE_EQUAL(sd, esd, 0.02 * esd);                                 /* 2 % */
  inj_destroy(inj);
}

static void test_inj_loads_match_clamped_slotted_normal(void)
{
  printf("\n  seed %llu\n", (unsigned long long)INJ_TEST_SEED);
  inj_params_t p = inj_test_params(); /* VMPlaceS: N(60, 20), [0, 100], 10 slots */
  inj_test_load_moments(&p);
  /* Heavy clamping: the raw N(90, 30) mean is 90, the clamped, 4-slot mean 82.71. */
  p.load_mean   = 90;
  p.load_stddev = 30;
  p.load_slots  = 4;
  inj_test_load_moments(&p);
  double m, sd;
  inj_test_expected_load(&p, &m, &sd);
  CU_ASSERT_DOUBLE_EQUAL(m, 82.7149, 1e-4); /* the expectation itself accounts for the clamp */
  /* Continuous (slots = 0), clamped on both sides, and an offset clamp interval. */
  p.load_mean   = 70;
  p.load_stddev = 30;
  p.load_slots  = 0;
  inj_test_load_moments(&p);
  p.load_min   = 20;
  p.load_max   = 80;
  p.load_slots = 3;
  inj_test_load_moments(&p);
}

static void test_inj_degenerate_clamp_gives_constant_load(void)
{
  inj_params_t p = inj_test_params();
  p.load_min = p.load_max = 40;
  inj_t* inj              = inj_create(&p, 10, 1, 0, INJ_TEST_SEED);
  CU_ASSERT_PTR_NOT_NULL_FATAL(inj);
  inj_event_t ev;
  for (int i = 0; i < 1000; i++) {
    inj_next(inj, &ev);
    CU_ASSERT_EQUAL(ev.load, 40.0);
  }
  inj_destroy(inj);
}

/* The first n load events of an injector with this MTBF. */
static void inj_test_load_sequence(double mtbf_s, uint64_t seed, size_t n, inj_event_t* out)
{
  inj_params_t p = inj_test_params();
  p.fault_mtbf_s = mtbf_s;
  p.fault_mttr_s = 600;
  inj_t* inj     = inj_create(&p, 2000, 210, 200, seed);
  CU_ASSERT_PTR_NOT_NULL_FATAL(inj);
  size_t got = 0;
  inj_event_t ev;
  while (got < n && inj_next(inj, &ev))
    if (ev.kind == INJ_EV_LOAD) out[got++] = ev;
  CU_ASSERT_EQUAL(got, n);
  inj_destroy(inj);
}

static void test_inj_fault_rate_does_not_change_loads(void)
{
  printf("\n  seed %llu\n", (unsigned long long)INJ_TEST_SEED);
  const size_t n = 20000;
  inj_event_t* a = calloc(n, sizeof *a);
  inj_event_t* b = calloc(n, sizeof *b);
  inj_event_t* c = calloc(n, sizeof *c);
  inj_test_load_sequence(0, INJ_TEST_SEED, n, a);       /* no crash */
  inj_test_load_sequence(3600, INJ_TEST_SEED, n, b);    /* many crashes */
  inj_test_load_sequence(1e6, INJ_TEST_SEED + 1, n, c); /* another seed */
  size_t same = 0, same_other_seed = 0;
  for (size_t i = 0; i < n; i++) {
    same += a[i].time_s == b[i].time_s && a[i].vm == b[i].vm && a[i].load == b[i].load;
    same_other_seed += a[i].time_s == c[i].time_s && a[i].vm == c[i].vm;
  }
  CU_ASSERT_EQUAL(same, n);
  CU_ASSERT_EQUAL(same_other_seed, 0);
  free(a);
  free(b);
  free(c);
}

static void test_inj_crash_and_recover_alternate_per_node(void)
{
  printf("\n  seed %llu\n", (unsigned long long)INJ_TEST_SEED);
  inj_params_t p     = inj_test_params();
  p.fault_mtbf_s     = 100;
  p.fault_mttr_s     = 20;
  const size_t nodes = 12, crashable = 10;
  const double horizon = 200000;
  inj_t* inj           = inj_create(&p, 50, nodes, crashable, INJ_TEST_SEED);
  CU_ASSERT_PTR_NOT_NULL_FATAL(inj);
  double crash_at[10] = {0};
  bool down[10]       = {false};
  long crashes = 0, recoveries = 0, loads = 0, bad = 0;
  double last = 0, down_s = 0;
  inj_event_t ev;
  while (inj_next(inj, &ev) && ev.time_s < horizon) {
    bad += ev.time_s < last;
    last = ev.time_s;
    if (ev.kind == INJ_EV_LOAD) {
      loads++;
      continue;
    }
    if (ev.node >= crashable) {
      bad++;
      continue;
    }
    if (ev.kind == INJ_EV_CRASH) {
      bad += down[ev.node]; /* a crash must find the node up */
      down[ev.node]     = true;
      crash_at[ev.node] = ev.time_s;
      crashes++;
    } else {
      bad += !down[ev.node] || ev.time_s < crash_at[ev.node]; /* a recovery follows its crash */
      down[ev.node] = false;
      down_s += ev.time_s - crash_at[ev.node];
      recoveries++;
    }
    bad += inj_node_is_down(inj, ev.node) != down[ev.node];
  }
  /* Every up node fails at rate 1/MTBF and is repaired after MTTR on average: a renewal process of
   * mean cycle MTBF + MTTR, so crashable * horizon / (MTBF + MTTR) crashes are expected. */
  double expected_crashes = crashable * horizon / (p.fault_mtbf_s + p.fault_mttr_s);
  double mean_repair      = down_s / recoveries;
  printf("  %ld crashes (expected %.0f), %ld recoveries, mean repair %.3f s, %ld loads\n", crashes, expected_crashes,
         recoveries, mean_repair, loads);
  CU_ASSERT_EQUAL(bad, 0);
  CU_ASSERT_TRUE(crashes - recoveries >= 0 && crashes - recoveries <= (long)crashable);
  CU_ASSERT_DOUBLE_EQUAL(crashes, expected_crashes, 0.03 * expected_crashes); /* 3 %; SE about 0.5 % */
  CU_ASSERT_DOUBLE_EQUAL(mean_repair, p.fault_mttr_s, 0.03 * p.fault_mttr_s); /* 3 %; SE 0.7 % */
  CU_ASSERT_DOUBLE_EQUAL(loads, 50 * horizon / p.load_period_s, 0.03 * 50 * horizon / p.load_period_s);
  CU_ASSERT_FALSE(inj_node_is_down(inj, nodes - 1)); /* service nodes never crash here */
  inj_destroy(inj);
}

/* Weibull uptimes (shape 0.7, mean 100 s): per node, the times from t = 0 or a repair to the next
 * crash have mean mtbf and a coefficient of variation of sqrt(G(1 + 2/k) / G(1 + 1/k)^2 - 1) = 1.46
 * (an exponential's is 1); crashes and repairs still alternate; the loads are those of exponential
 * failures (their own streams). */
static void test_inj_weibull_uptimes_have_the_mean_and_spread(void)
{
  inj_params_t p        = inj_test_params();
  p.fault_mtbf_s        = 100;
  p.fault_mttr_s        = 20;
  p.fault_distribution  = INJ_FAULTS_WEIBULL;
  p.fault_shape         = 0.7;
  const size_t nodes    = 10;
  const double horizon  = 200000;
  inj_t* inj            = inj_create(&p, 50, nodes, nodes, INJ_TEST_SEED);
  inj_params_t pe       = p;
  pe.fault_distribution = INJ_FAULTS_EXPONENTIAL;
  inj_t* expo           = inj_create(&pe, 50, nodes, nodes, INJ_TEST_SEED);
  CU_ASSERT_PTR_NOT_NULL_FATAL(inj);
  CU_ASSERT_PTR_NOT_NULL_FATAL(expo);
  double up_since[10] = {0};
  bool down[10]       = {false};
  double sum = 0, sum2 = 0;
  long uptimes = 0, bad = 0, load_mismatches = 0, loads = 0;
  inj_event_t ev, ee;
  while (inj_next(inj, &ev) && ev.time_s < horizon) {
    if (ev.kind == INJ_EV_LOAD) {
      bool more;
      while ((more = inj_next(expo, &ee)) && ee.kind != INJ_EV_LOAD)
        ;
      CU_ASSERT_TRUE_FATAL(more);
      load_mismatches += ee.vm != ev.vm || ee.load != ev.load || ee.time_s != ev.time_s;
      loads++;
      continue;
    }
    if (ev.kind == INJ_EV_CRASH) {
      bad += down[ev.node];
      double u = ev.time_s - up_since[ev.node];
      sum += u, sum2 += u * u, uptimes++;
      down[ev.node] = true;
    } else {
      bad += !down[ev.node];
      down[ev.node]     = false;
      up_since[ev.node] = ev.time_s;
    }
  }
  double mean = sum / uptimes, cv = sqrt(sum2 / uptimes - mean * mean) / mean;
  printf("\n  %ld Weibull uptimes: mean %.2f s (expected 100), CV %.3f (expected 1.46), %ld loads\n", uptimes, mean, cv,
         loads);
  CU_ASSERT_EQUAL(bad, 0);
  CU_ASSERT_TRUE(uptimes > 10000);
  CU_ASSERT_DOUBLE_EQUAL(mean, 100.0, 5.0); /* SE about 1.2 % */
  CU_ASSERT_TRUE(cv > 1.3 && cv < 1.65);
  CU_ASSERT_EQUAL(load_mismatches, 0);
  CU_ASSERT_TRUE(loads > 1000);
  inj_destroy(inj);
  inj_destroy(expo);
}

static void test_inj_without_vms_or_faults_has_no_event(void)
{
  inj_params_t p = inj_test_params();
  inj_event_t ev;
  inj_t* inj = inj_create(&p, 0, 4, 4, INJ_TEST_SEED);
  CU_ASSERT_PTR_NOT_NULL_FATAL(inj);
  CU_ASSERT_EQUAL(inj_next(inj, &ev), 0);
  inj_destroy(inj);
  p.load_period_s = 0;
  inj             = inj_create(&p, 10, 4, 4, INJ_TEST_SEED);
  CU_ASSERT_PTR_NOT_NULL_FATAL(inj);
  CU_ASSERT_EQUAL(inj_next(inj, &ev), 0);
  inj_destroy(inj);
  /* Faults only: crashes and recoveries, no load. */
  p.fault_mtbf_s = 10;
  p.fault_mttr_s = 1;
  inj            = inj_create(&p, 10, 4, 4, INJ_TEST_SEED);
  CU_ASSERT_PTR_NOT_NULL_FATAL(inj);
  int loads = 0;
  for (int i = 0; i < 1000; i++) {
    CU_ASSERT_EQUAL(inj_next(inj, &ev), 1);
    loads += ev.kind == INJ_EV_LOAD;
  }
  CU_ASSERT_EQUAL(loads, 0);
  inj_destroy(inj);
  inj_destroy(NULL);
}

static void test_inj_rejects_bad_parameters(void)
{
  inj_params_t p = inj_test_params();
  lucsim_err_t err;
  CU_ASSERT_EQUAL(inj_check_params(&p, &err), 0);
  p.load_period_s = -3;
  CU_ASSERT_EQUAL(inj_check_params(&p, &err), -1);
  CU_ASSERT_STRING_EQUAL(err.field, "injector.load.period");
  CU_ASSERT_STRING_EQUAL(err.message, "-3 is not a finite duration >= 0 (0 = no load change)");
  CU_ASSERT_PTR_NULL(inj_create(&p, 10, 1, 1, 1));
  p             = inj_test_params();
  p.load_stddev = NAN;
  CU_ASSERT_EQUAL(inj_check_params(&p, &err), -1);
  CU_ASSERT_STRING_EQUAL(err.field, "injector.load.stddev");
  p          = inj_test_params();
  p.load_min = 50;
  p.load_max = 40;
  CU_ASSERT_EQUAL(inj_check_params(&p, &err), -1);
  CU_ASSERT_STRING_EQUAL(err.message, "clamp [50, 40] is not a finite interval with min <= max");
  p              = inj_test_params();
  p.fault_mtbf_s = 1000;
  p.fault_mttr_s = 0;
  CU_ASSERT_EQUAL(inj_check_params(&p, &err), -1);
  CU_ASSERT_STRING_EQUAL(err.field, "injector.faults.mttr");
  CU_ASSERT_STRING_EQUAL(err.message, "0 is not a finite duration > 0 (needed when mtbf > 0)");
  p = inj_test_params();
  CU_ASSERT_PTR_NULL(inj_create(&p, 10, 2, 3, 1)); /* more crashable nodes than nodes */
}

/* ---- the actor, in a real SimGrid run ---- */

#define INJ_SIM_MAX 4096

typedef struct inj_sim_record {
  int kind;
  size_t id; /* vm or node */
  double load;
  double now;
} inj_sim_record_t;

typedef struct inj_sim_out {
  size_t count;
  size_t instant_ends; /* on_instant_end calls */
  size_t early_ends;   /* of which came before another event of the same instant */
  double end_clock;
  inj_sim_record_t rec[INJ_SIM_MAX];
  size_t aheads;                   /* on_load_ahead calls */
  size_t ahead_after[INJ_SIM_MAX]; /* events applied before each call */
  size_t ahead_next[INJ_SIM_MAX], ahead_later[INJ_SIM_MAX];
} inj_sim_out_t;

typedef struct inj_sim_arg {
  inj_params_t p;
  size_t vms, nodes;
  double end_time_s;
} inj_sim_arg_t;

static void inj_sim_push(inj_sim_out_t* out, int kind, size_t id, double load, double now)
{
  if (out->count < INJ_SIM_MAX) out->rec[out->count] = (inj_sim_record_t){kind, id, load, now};
  out->count++;
}
static void inj_sim_on_load(void* ud, size_t vm, double load, double now)
{
  inj_sim_push(ud, INJ_EV_LOAD, vm, load, now);
}
static void inj_sim_on_crash(void* ud, const inj_event_t* ev, double now)
{
  inj_sim_push(ud, INJ_EV_CRASH, ev->node, 0, now);
}
static void inj_sim_on_recover(void* ud, const inj_event_t* ev, double now)
{
  inj_sim_push(ud, INJ_EV_RECOVER, ev->node, 0, now);
}

static void inj_sim_on_instant_end(void* ud, double now)
{
  inj_sim_out_t* out = ud;
  out->instant_ends++;
  (void)now;
  out->early_ends += out->count == 0 || out->rec[out->count - 1].now != now;
}

static void inj_sim_on_load_ahead(void* ud, size_t next_vm, size_t later_vm)
{
  inj_sim_out_t* out = ud;
  if (out->aheads < INJ_SIM_MAX) {
    out->ahead_after[out->aheads] = out->count;
    out->ahead_next[out->aheads]  = next_vm;
    out->ahead_later[out->aheads] = later_vm;
  }
  out->aheads++;
}

static int inj_sim_scenario(void* varg, void* vout, size_t out_size)
{
  (void)out_size;
  const inj_sim_arg_t* arg = varg;
  char path[]              = "/tmp/lucsim-inj-test-XXXXXX";
  int fd                   = mkstemp(path);
  if (fd < 0) return 3;
  const char xml[] = "<?xml version='1.0'?>\n"
                     "<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
                     "<platform version=\"4.1\">\n"
                     "  <zone id=\"z\" routing=\"Full\">\n"
                     "    <host id=\"injector-host\" speed=\"1Gf\"/>\n"
                     "  </zone>\n"
                     "</platform>\n";
  ssize_t written  = write(fd, xml, sizeof xml - 1);
  close(fd);
  if (written != (ssize_t)(sizeof xml - 1)) return 4;
  simrun_init_simgrid();
  simgrid_load_platform(path);
  unlink(path);
  inj_t* inj = inj_create(&arg->p, arg->vms, arg->nodes, arg->nodes, INJ_TEST_SEED);
  if (!inj) return 5;
  inj_hooks_t hooks = {.on_load        = inj_sim_on_load,
                       .on_crash       = inj_sim_on_crash,
                       .on_recover     = inj_sim_on_recover,
                       .on_instant_end = inj_sim_on_instant_end,
                       .on_load_ahead  = inj_sim_on_load_ahead};
  inj_start_actor(inj, sg_host_by_name("injector-host"), arg->end_time_s, &hooks, vout);
  simgrid_run();
  ((inj_sim_out_t*)vout)->end_clock = simgrid_get_clock();
  inj_destroy(inj);
  return 0;
}

static void test_inj_actor_applies_events_at_their_times(void)
{
  printf("\n  seed %llu\n", (unsigned long long)INJ_TEST_SEED);
  inj_sim_arg_t arg  = {.p = inj_test_params(), .vms = 40, .nodes = 6};
  arg.p.fault_mtbf_s = 600;
  arg.p.fault_mttr_s = 60;
  /* The reference: the same generator outside SimGrid. End exactly at the time of event 1500,
   * which must not be applied. */
  const size_t n        = 1500;
  inj_event_t* expected = calloc(n + 1, sizeof *expected);
  inj_t* ref            = inj_create(&arg.p, arg.vms, arg.nodes, arg.nodes, INJ_TEST_SEED);
  CU_ASSERT_PTR_NOT_NULL_FATAL(ref);
  for (size_t i = 0; i <= n; i++)
    CU_ASSERT_EQUAL_FATAL(inj_next(ref, &expected[i]), 1);
  inj_destroy(ref);
  CU_ASSERT_FATAL(expected[n].time_s > expected[n - 1].time_s);
  arg.end_time_s = expected[n].time_s;

  inj_sim_out_t* out = calloc(1, sizeof *out);
  CU_ASSERT_EQUAL_FATAL(simrun_in_child(inj_sim_scenario, &arg, out, sizeof *out), 0);
  CU_ASSERT_EQUAL(out->count, n);
  size_t mismatches = 0, kinds[3] = {0, 0, 0};
  double worst_dt = 0;
  for (size_t i = 0; i < n && i < out->count; i++) {
    const inj_event_t* e = &expected[i];
    size_t id            = e->kind == INJ_EV_LOAD ? e->vm : e->node;
    mismatches += out->rec[i].kind != (int)e->kind || out->rec[i].id != id || out->rec[i].load != e->load;
    double dt = fabs(out->rec[i].now - e->time_s);
    worst_dt  = dt > worst_dt ? dt : worst_dt;
    kinds[e->kind]++;
  }
  printf("  %zu events applied (%zu loads, %zu crashes, %zu recoveries), worst |clock - time| %.3g s, end %.6f\n",
         out->count, kinds[INJ_EV_LOAD], kinds[INJ_EV_CRASH], kinds[INJ_EV_RECOVER], worst_dt, out->end_clock);
  CU_ASSERT_EQUAL(mismatches, 0);
  CU_ASSERT_TRUE(kinds[INJ_EV_CRASH] > 0 && kinds[INJ_EV_RECOVER] > 0);
  CU_ASSERT_EQUAL(worst_dt, 0.0); /* the hooks run exactly at the drawn times */
  CU_ASSERT_EQUAL(out->end_clock, arg.end_time_s);
  /* one instant end per distinct event time, right after that time's last event */
  size_t instants = 0;
  for (size_t i = 0; i < n; i++)
    instants += i + 1 == n || expected[i + 1].time_s > expected[i].time_s;
  CU_ASSERT_EQUAL(out->instant_ends, instants);
  CU_ASSERT_EQUAL(out->early_ends, 0);
  /* the look-ahead hint: before each load change but the first, its VM and the VM of the load change
   * INJ_LOOKAHEAD after it (drawn by a copy of the VM stream, so it must be the very same VM) */
  size_t loads = kinds[INJ_EV_LOAD] - (expected[0].kind == INJ_EV_LOAD), wrong_next = 0, wrong_later = 0, checked = 0;
  CU_ASSERT_EQUAL(out->aheads, loads);
  for (size_t j = 0; j < out->aheads && j < INJ_SIM_MAX; j++) {
    size_t i = out->ahead_after[j]; /* the hinted event is expected[i] */
    wrong_next += expected[i].kind != INJ_EV_LOAD || expected[i].vm != out->ahead_next[j];
    size_t later = i, skip = INJ_LOOKAHEAD;
    while (skip > 0 && ++later < n)
      skip -= expected[later].kind == INJ_EV_LOAD;
    if (later >= n) continue; /* beyond the reference */
    checked++;
    wrong_later += expected[later].vm != out->ahead_later[j];
  }
  printf("  %zu look-ahead hints, %zu checked against the VM %d load changes later\n", out->aheads, checked,
         INJ_LOOKAHEAD);
  CU_ASSERT_EQUAL(wrong_next, 0);
  CU_ASSERT_EQUAL(wrong_later, 0);
  CU_ASSERT_TRUE(checked + 10 > loads);
  free(out);
  free(expected);
}

CU_TestInfo injector_tests[] = {
    {"mean_interarrival_is_period_over_vms", test_inj_mean_interarrival_is_period_over_vms},
    {"loads_match_clamped_slotted_normal", test_inj_loads_match_clamped_slotted_normal},
    {"degenerate_clamp_gives_constant_load", test_inj_degenerate_clamp_gives_constant_load},
    {"fault_rate_does_not_change_loads", test_inj_fault_rate_does_not_change_loads},
    {"crash_and_recover_alternate_per_node", test_inj_crash_and_recover_alternate_per_node},
    {"weibull_uptimes_have_the_mean_and_spread", test_inj_weibull_uptimes_have_the_mean_and_spread},
    {"without_vms_or_faults_has_no_event", test_inj_without_vms_or_faults_has_no_event},
    {"rejects_bad_parameters", test_inj_rejects_bad_parameters},
    {"actor_applies_events_at_their_times", test_inj_actor_applies_events_at_their_times},
    CU_TEST_INFO_NULL,
};
