/* Tests of the injector's correlated outages (sites or racks, inj_set_domains): outages and repairs
 * come as bursts over a domain's nodes, at the rates and durations asked for; a node is down while
 * it failed on its own or its domain is out (so its long-run down fraction is 1 - both
 * availabilities); outages change neither loads nor, without them, any event. */
#include "injector.h"

#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define DOM_SEED UINT64_C(31)
#define DOM_DOMAINS 3
#define DOM_PER 4
#define DOM_NODES (DOM_DOMAINS * DOM_PER + 2) /* the last two nodes are in no domain */

static inj_params_t dom_params(void)
{
  inj_params_t p = {.load_period_s = 300,
                    .load_mean     = 60,
                    .load_stddev   = 20,
                    .load_max      = 100,
                    .load_slots    = 10,
                    .initial_load  = -1,
                    .fault_mtbf_s  = 500,
                    .fault_mttr_s  = 50,
                    .site_mtbf_s   = 1000,
                    .site_mttr_s   = 100};
  return p;
}

static void dom_map(size_t* domain_of)
{
  for (size_t n = 0; n < DOM_NODES; n++)
    domain_of[n] = n < DOM_DOMAINS * DOM_PER ? n / DOM_PER : INJ_NO_DOMAIN;
}

static inj_t* dom_create(const inj_params_t* p, uint64_t seed)
{
  size_t domain_of[DOM_NODES];
  dom_map(domain_of);
  inj_t* inj = inj_create(p, 50, DOM_NODES, DOM_NODES, seed);
  CU_ASSERT_PTR_NOT_NULL_FATAL(inj);
  CU_ASSERT_EQUAL_FATAL(inj_set_domains(inj, domain_of, DOM_DOMAINS), 0);
  return inj;
}

/* Over 10^6 s: each domain is a renewal process of cycle site_mtbf + site_mttr, each node's own
 * failures one of cycle mtbf + mttr, independent; so a domain node is down a fraction
 * 1 - (500/550)(1000/1100) = 0.1736 of the time, a node in no domain 1 - 500/550 = 0.0909. */
static void test_dom_outages_are_bursts_at_the_asked_rates(void)
{
  printf("\n  seed %llu\n", (unsigned long long)DOM_SEED);
  inj_params_t p          = dom_params();
  const double horizon    = 1e6;
  inj_t* inj              = dom_create(&p, DOM_SEED);
  bool down[DOM_NODES]    = {false};
  double since[DOM_NODES] = {0}, down_s[DOM_NODES] = {0};
  double out_since[DOM_DOMAINS] = {0};
  bool out[DOM_DOMAINS]         = {false};
  long outages = 0, repairs = 0, bad = 0, begins = 0;
  double out_s = 0;
  inj_event_t ev;
  while (inj_next(inj, &ev) && ev.time_s < horizon) {
    if (ev.kind == INJ_EV_LOAD) continue;
    size_t n = ev.node, d = ev.domain;
    bool crash = ev.kind == INJ_EV_CRASH;
    begins += ev.outage_begins;
    bad += down[n] == crash; /* crashes find the node up, repairs find it down */
    if (crash)
      since[n] = ev.time_s;
    else
      down_s[n] += ev.time_s - since[n];
    down[n] = crash;
    bad += inj_node_is_down(inj, n) != crash;
    if (d == INJ_NO_DOMAIN) continue;
    bad += n / DOM_PER != d || n >= DOM_DOMAINS * DOM_PER; /* a domain's events are its nodes' */
    if (crash && !out[d]) {                                /* the first node of an outage */
      out[d] = true, out_since[d] = ev.time_s, outages++;
    } else if (!crash && out[d]) {
      out[d] = false, out_s += ev.time_s - out_since[d], repairs++;
    } else if (crash) {
      bad += out_since[d] != ev.time_s; /* an outage's crashes all come at its instant */
    }
  }
  for (size_t n = 0; n < DOM_NODES; n++)
    if (down[n]) down_s[n] += horizon - since[n];
  double dom_down = 0, free_down = 0;
  for (size_t n = 0; n < DOM_DOMAINS * DOM_PER; n++)
    dom_down += down_s[n] / horizon / (DOM_DOMAINS * DOM_PER);
  for (size_t n = DOM_DOMAINS * DOM_PER; n < DOM_NODES; n++)
    free_down += down_s[n] / horizon / 2;
  double expected_outages = DOM_DOMAINS * horizon / (p.site_mtbf_s + p.site_mttr_s);
  printf("  %ld outages (expected %.0f), mean outage %.2f s (expected 100); down fraction %.4f in domains "
         "(expected 0.1736), %.4f outside (expected 0.0909)\n",
         outages, expected_outages, out_s / repairs, dom_down, free_down);
  CU_ASSERT_EQUAL(bad, 0);
  CU_ASSERT_EQUAL(begins, outages); /* each outage's first crash is flagged, once */
  CU_ASSERT_DOUBLE_EQUAL(outages, expected_outages, 0.06 * expected_outages); /* SE about 2 % */
  CU_ASSERT_DOUBLE_EQUAL(out_s / repairs, p.site_mttr_s, 0.06 * p.site_mttr_s);
  CU_ASSERT_DOUBLE_EQUAL(dom_down, 0.1736, 0.1 * 0.1736);
  CU_ASSERT_DOUBLE_EQUAL(free_down, 0.0909, 0.1 * 0.0909);
  inj_destroy(inj);
}

/* Adding outages leaves the loads as they were; without site_mtbf, inj_set_domains changes nothing. */
static void test_dom_outages_change_no_load_and_off_changes_nothing(void)
{
  inj_params_t with = dom_params(), without = dom_params();
  without.site_mtbf_s = 0;
  inj_t* a            = dom_create(&with, DOM_SEED);
  inj_t* b            = dom_create(&without, DOM_SEED);
  inj_t* c            = inj_create(&without, 50, DOM_NODES, DOM_NODES, DOM_SEED); /* never told of domains */
  CU_ASSERT_PTR_NOT_NULL_FATAL(c);
  long loads = 0, load_diff = 0, diff = 0, domain_events = 0;
  inj_event_t ea, eb, ec;
  while (inj_next(a, &ea) && ea.time_s < 1e5) {
    domain_events += ea.domain != INJ_NO_DOMAIN;
    if (ea.kind != INJ_EV_LOAD) continue;
    while (inj_next(b, &eb) && eb.kind != INJ_EV_LOAD)
      ;
    load_diff += eb.time_s != ea.time_s || eb.vm != ea.vm || eb.load != ea.load;
    loads++;
  }
  inj_destroy(b);
  b = dom_create(&without, DOM_SEED);
  for (int i = 0; i < 20000; i++) {
    CU_ASSERT_EQUAL_FATAL(inj_next(b, &eb), inj_next(c, &ec));
    diff += eb.kind != ec.kind || eb.time_s != ec.time_s || eb.node != ec.node || eb.domain != INJ_NO_DOMAIN;
  }
  printf("\n  %ld loads compared, %ld domain events\n", loads, domain_events);
  CU_ASSERT_TRUE(loads > 10000);
  CU_ASSERT_TRUE(domain_events > 100);
  CU_ASSERT_EQUAL(load_diff, 0);
  CU_ASSERT_EQUAL(diff, 0);
  inj_destroy(a);
  inj_destroy(b);
  inj_destroy(c);
}

static void test_dom_rejects_bad_outage_parameters(void)
{
  lucsim_err_t err;
  inj_params_t p = dom_params();
  p.site_mttr_s  = 0;
  CU_ASSERT_EQUAL(inj_check_params(&p, &err), -1);
  CU_ASSERT_STRING_EQUAL(err.field, "injector.faults.site_mttr");
  CU_ASSERT_STRING_EQUAL(err.message, "0 is not a finite duration > 0 (needed when site_mtbf > 0)");
  p             = dom_params();
  p.site_mtbf_s = INFINITY;
  CU_ASSERT_EQUAL(inj_check_params(&p, &err), -1);
  CU_ASSERT_STRING_EQUAL(err.field, "injector.faults.site_mtbf");
  p           = dom_params();
  p.rack_size = -2;
  CU_ASSERT_EQUAL(inj_check_params(&p, &err), -1);
  CU_ASSERT_STRING_EQUAL(err.field, "injector.faults.rack_size");
  /* replayed and drawn outages do not mix */
  p              = dom_params();
  p.fault_mtbf_s = 0;
  inj_t* inj     = inj_create(&p, 10, 4, 4, DOM_SEED);
  CU_ASSERT_PTR_NOT_NULL_FATAL(inj);
  CU_ASSERT_EQUAL(inj_replay_trace(inj, NULL, 0), -1);
  inj_destroy(inj);
}

CU_TestInfo injector_domains_tests[] = {
    {"outages_are_bursts_at_the_asked_rates", test_dom_outages_are_bursts_at_the_asked_rates},
    {"outages_change_no_load_and_off_changes_nothing", test_dom_outages_change_no_load_and_off_changes_nothing},
    {"rejects_bad_outage_parameters", test_dom_rejects_bad_outage_parameters},
    CU_TEST_INFO_NULL,
};
