/* Suite "islands": backbone link failures. The islands of generated LUC backbones (real SimGrid
 * platforms loaded in a child process): a ring survives one failed link and splits at the second,
 * a star loses the leaf of any failed link, repairs merge the islands again, the time each pair of
 * sites got separated and the time the backbone spent split are exact. And the drawn link
 * failures (wan_faults.c): the same seed gives the same events, each link alternates down and up,
 * and over a long horizon the failure count and the share of time a link is down match an
 * alternating renewal process of mean up time mtbf and mean repair mttr. */
#include "config.h"
#include "islands.h"
#include "platform.h"
#include "runner.h"
#include "simrun.h"
#include "wan_faults.h"

#include <CUnit/CUnit.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* What a child reports of one scripted scenario. */
typedef struct islands_seen {
  int rc;
  size_t links;
  bool changed[4];    /* islands_set_link's answers, in script order */
  size_t count[4];    /* islands after each step */
  size_t label[4][6]; /* islands_of_site after each step */
  double apart_05[4]; /* islands_separated_since(0, 5) after each step */
  double apart_01[4]; /* islands_separated_since(0, 1) */
  double split_s;     /* islands_split_s at t = 100 */
} islands_seen_t;

typedef struct islands_case {
  plat_topology_t topology;
  size_t link[4]; /* links failed or repaired, at t = 10, 20, 30, 40 */
  bool up[4];
} islands_case_t;

static int run_case(void* arg, void* out, size_t size)
{
  (void)size;
  const islands_case_t* c = arg;
  islands_seen_t* o       = out;
  simrun_init_simgrid();
  config_t* cfg = malloc(sizeof *cfg);
  config_init_defaults(cfg);
  plat_params_t p = cfg->platform;
  free(cfg);
  p.kind          = PLAT_KIND_LUC;
  p.pm_count      = 12;
  p.sites         = 6;
  p.topology      = c->topology;
  p.service_nodes = 1;
  lucsim_err_t err;
  lucsim_err_clear(&err);
  plat_t* plat = plat_load(&p, NULL, &err);
  if (!plat) {
    o->rc = -1;
    return 0;
  }
  islands_t* is = islands_create(plat);
  o->links      = plat_link_count(plat);
  for (int k = 0; k < 4; k++) {
    o->changed[k]  = islands_set_link(is, c->link[k], c->up[k], 10.0 * (k + 1));
    o->count[k]    = islands_count(is);
    o->apart_05[k] = islands_separated_since(is, 0, 5);
    o->apart_01[k] = islands_separated_since(is, 0, 1);
    for (size_t s = 0; s < 6; s++)
      o->label[k][s] = islands_of_site(is, s);
  }
  o->split_s = islands_split_s(is, 100);
  islands_destroy(is);
  plat_destroy(plat);
  return 0;
}

static islands_seen_t run(const islands_case_t* c)
{
  islands_seen_t o = {0};
  CU_ASSERT_EQUAL(simrun_in_child(run_case, (void*)c, &o, sizeof o), 0);
  CU_ASSERT_EQUAL(o.rc, 0);
  return o;
}

/* A ring of 6 sites: links (0,1) (0,5) (1,2) (2,3) (3,4) (4,5), in (a, b) order. */
static void test_ring_splits_at_the_second_link_and_merges_back(void)
{
  /* t=10: (0,1) down: still one ring path; t=20: (3,4) down: {0,5,4} and {1,2,3}; t=30: (3,4)
   * down again: nothing; t=40: (0,1) up: one island */
  islands_case_t c = {PLAT_TOPO_RING, {0, 4, 4, 0}, {false, false, false, true}};
  islands_seen_t o = run(&c);
  CU_ASSERT_EQUAL(o.links, 6);
  CU_ASSERT_FALSE(o.changed[0]);
  CU_ASSERT_EQUAL(o.count[0], 1);
  CU_ASSERT_TRUE(o.changed[1]);
  CU_ASSERT_EQUAL(o.count[1], 2);
  size_t expected[6] = {0, 1, 1, 1, 0, 0};
  CU_ASSERT_EQUAL(memcmp(o.label[1], expected, sizeof expected), 0);
  CU_ASSERT_DOUBLE_EQUAL(o.apart_01[1], 20, 0);
  CU_ASSERT_DOUBLE_EQUAL(o.apart_05[1], -1, 0); /* same island */
  CU_ASSERT_FALSE(o.changed[2]);
  CU_ASSERT_DOUBLE_EQUAL(o.apart_01[2], 20, 0);
  CU_ASSERT_TRUE(o.changed[3]);
  CU_ASSERT_EQUAL(o.count[3], 1);
  CU_ASSERT_DOUBLE_EQUAL(o.apart_01[3], -1, 0);
  CU_ASSERT_DOUBLE_EQUAL(o.split_s, 20, 0); /* split from 20 s to 40 s */
}

/* A star around site 0: link k joins 0 and k + 1. */
static void test_star_loses_the_leaf_of_a_failed_link(void)
{
  /* t=10: (0,5) down; t=20: (0,1) down; t=30: (0,5) up; t=40: (0,2) down; still split at 100 */
  islands_case_t c = {PLAT_TOPO_STAR, {4, 0, 4, 1}, {false, false, true, false}};
  islands_seen_t o = run(&c);
  CU_ASSERT_EQUAL(o.links, 5);
  CU_ASSERT_TRUE(o.changed[0]);
  CU_ASSERT_EQUAL(o.count[0], 2);
  CU_ASSERT_EQUAL(o.label[0][5], 5);
  CU_ASSERT_EQUAL(o.label[0][3], 0);
  CU_ASSERT_DOUBLE_EQUAL(o.apart_05[0], 10, 0);
  CU_ASSERT_EQUAL(o.count[1], 3);
  CU_ASSERT_DOUBLE_EQUAL(o.apart_05[1], 10, 0); /* still since the first split */
  CU_ASSERT_DOUBLE_EQUAL(o.apart_01[1], 20, 0);
  CU_ASSERT_EQUAL(o.count[2], 2);
  CU_ASSERT_DOUBLE_EQUAL(o.apart_05[2], -1, 0);
  CU_ASSERT_EQUAL(o.count[3], 3);
  CU_ASSERT_DOUBLE_EQUAL(o.split_s, 90, 0); /* split from 10 s on */
}

static void test_drawn_link_failures_are_seeded_and_alternate(void)
{
  wan_faults_t* a = wan_faults_create(5, 1000, 100, 7);
  wan_faults_t* b = wan_faults_create(5, 1000, 100, 7);
  wan_faults_t* c = wan_faults_create(5, 1000, 100, 8);
  bool down[5]    = {false};
  double last     = 0;
  int differs     = 0;
  for (int i = 0; i < 2000; i++) {
    size_t la, lb, lc;
    bool da, db, dc;
    double ta, tb, tc;
    CU_ASSERT_EQUAL_FATAL(wan_faults_next(a, &la, &da, &ta), 1);
    CU_ASSERT_EQUAL_FATAL(wan_faults_next(b, &lb, &db, &tb), 1);
    CU_ASSERT_EQUAL_FATAL(wan_faults_next(c, &lc, &dc, &tc), 1);
    CU_ASSERT(la == lb && da == db && ta == tb);
    differs += ta != tc;
    CU_ASSERT_FATAL(la < 5);
    CU_ASSERT(da != down[la]); /* down, up, down... */
    down[la] = da;
    CU_ASSERT(ta >= last);
    last = ta;
  }
  CU_ASSERT(differs > 1900);
  wan_faults_destroy(a);
  wan_faults_destroy(b);
  wan_faults_destroy(c);
}

static void test_drawn_link_failures_match_their_rates(void)
{
  const size_t links = 10;
  const double mtbf = 1000, mttr = 100, horizon = 1e6;
  wan_faults_t* w = wan_faults_create(links, mtbf, mttr, 42);
  double down_since[10], down_total = 0;
  size_t failures = 0, link;
  bool down;
  double t;
  while (wan_faults_next(w, &link, &down, &t) && t < horizon) {
    if (down) {
      failures++;
      down_since[link] = t;
    } else {
      down_total += t - down_since[link];
    }
  }
  wan_faults_destroy(w);
  /* each link: up for an exponential time of mean mtbf (a uniform link of a Poisson process of
   * rate links / mtbf, dropped when it is down), then down for one of mean mttr */
  double expected = (double)links * horizon / (mtbf + mttr); /* 9,091 */
  CU_ASSERT(fabs((double)failures - expected) < 0.03 * expected);
  double share = down_total / ((double)links * horizon);
  CU_ASSERT(fabs(share - mttr / (mtbf + mttr)) < 0.005); /* 9.09 % */
}

static void test_replayed_link_events_come_in_order(void)
{
  const fault_trace_link_event_t events[] = {{5, 1, true}, {5, 0, true}, {9, 1, false}};
  wan_faults_t* w                         = wan_faults_replay(events, 3);
  size_t link;
  bool down;
  double t;
  for (int i = 0; i < 3; i++) {
    CU_ASSERT_EQUAL(wan_faults_next(w, &link, &down, &t), 1);
    CU_ASSERT(link == events[i].link && down == events[i].down && t == events[i].time_s);
  }
  CU_ASSERT_EQUAL(wan_faults_next(w, &link, &down, &t), 0);
  wan_faults_destroy(w);
}

CU_TestInfo islands_tests[] = {
    {"ring_splits_at_the_second_link_and_merges_back", test_ring_splits_at_the_second_link_and_merges_back},
    {"star_loses_the_leaf_of_a_failed_link", test_star_loses_the_leaf_of_a_failed_link},
    {"drawn_link_failures_are_seeded_and_alternate", test_drawn_link_failures_are_seeded_and_alternate},
    {"drawn_link_failures_match_their_rates", test_drawn_link_failures_match_their_rates},
    {"replayed_link_events_come_in_order", test_replayed_link_events_come_in_order},
    CU_TEST_INFO_NULL,
};
