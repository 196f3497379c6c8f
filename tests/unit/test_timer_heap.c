/* Tests of scheduler/timer_heap: timers come out in (at_s, seq) order whichever way they were queued
 * (a ring per kind for timers armed in order, the heap for the others), against a plain scan. */
#include "rng.h"
#include "timer_heap.h"

#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>

#define REF_CAP 4096

/* the reference: an unordered array, its earliest found by a scan */
typedef struct ref {
  sched_timer_t t[REF_CAP];
  size_t len;
} ref_t;

static size_t ref_earliest(const ref_t* r)
{
  size_t best = 0;
  for (size_t i = 1; i < r->len; i++)
    if (r->t[i].at_s < r->t[best].at_s || (r->t[i].at_s == r->t[best].at_s && r->t[i].seq < r->t[best].seq)) best = i;
  return best;
}

/* 200,000 operations as DVMS makes them: a simulated clock that only moves to the timer popped, most
 * timers a fixed delay of their kind after it (periods, timeouts: in order), some a random delay
 * (transits: out of order), kinds past the number of rings (two kinds share one), times on a coarse
 * grid (ties on at_s, ordered by seq), and every queued timer reachable through sched_timer_at. */
static void test_timer_heap_pops_in_order_whichever_way_queued(void)
{
  static ref_t r;
  sched_timer_heap_t h = {0};
  rng_t g;
  rng_init_named(&g, 20261207, "timer_heap");
  static const double delay[12] = {1, 5, 2.5, 30, 0.5, 1, 3, 7, 1, 5, 2, 4};
  double now                    = 0;
  uint64_t seq                  = 0;
  size_t wrong = 0, pops = 0, max_ring = 0, max_heap = 0, bad_enum = 0;
  r.len = 0;
  for (size_t op = 0; op < 200000; op++) {
    bool push = r.len == 0 || (r.len < REF_CAP - 1 && rng_below(&g, 100) < 52);
    if (push) {
      uint8_t kind    = (uint8_t)rng_below(&g, 12);
      double at       = now + (rng_below(&g, 100) < 80 ? delay[kind] : (double)rng_below(&g, 40) * 0.25);
      sched_timer_t t = {.at_s = at, .seq = seq++, .node = (uint32_t)rng_below(&g, 1000), .kind = kind};
      sched_timer_push(&h, t);
      r.t[r.len++] = t;
    } else {
      const sched_timer_t* peek = sched_timer_peek(&h);
      size_t e                  = ref_earliest(&r);
      sched_timer_t got         = sched_timer_pop(&h);
      wrong += !peek || got.seq != r.t[e].seq || got.at_s != r.t[e].at_s || got.node != r.t[e].node;
      now    = got.at_s;
      r.t[e] = r.t[--r.len];
      pops++;
    }
    size_t ring = sched_timer_count(&h) - h.len;
    max_ring    = ring > max_ring ? ring : max_ring;
    max_heap    = h.len > max_heap ? h.len : max_heap;
    if (op % 997 == 0) { /* every queued timer once: the sums of their seq agree */
      uint64_t a = 0, b = 0;
      for (size_t i = 0; i < sched_timer_count(&h); i++)
        a += sched_timer_at(&h, i)->seq;
      for (size_t i = 0; i < r.len; i++)
        b += r.t[i].seq;
      bad_enum += a != b || sched_timer_count(&h) != r.len;
    }
  }
  while (r.len > 0) { /* drain */
    size_t e          = ref_earliest(&r);
    sched_timer_t got = sched_timer_pop(&h);
    wrong += got.seq != r.t[e].seq;
    r.t[e] = r.t[--r.len];
    pops++;
  }
  printf("[%zu pops, up to %zu in rings and %zu in the heap] ", pops, max_ring, max_heap);
  CU_ASSERT_EQUAL(wrong, 0);
  CU_ASSERT_EQUAL(bad_enum, 0);
  CU_ASSERT_PTR_NULL(sched_timer_peek(&h));
  CU_ASSERT(max_ring > 100 && max_heap > 100); /* both ways were taken */
  sched_timer_heap_free(&h);
}

/* sched_timer_ahead names the timers of a ring in order, behind its front, and nothing past its end
 * nor from the heap. */
static void test_timer_heap_ahead_names_a_ring_in_order(void)
{
  sched_timer_heap_t h = {0};
  for (uint64_t i = 0; i < 10; i++)
    sched_timer_push(&h, (sched_timer_t){.at_s = (double)i, .seq = i, .node = (uint32_t)(100 + i), .kind = 3});
  sched_timer_push(&h, (sched_timer_t){.at_s = 0.5, .seq = 10, .node = 7, .kind = 3}); /* out of order: heap */
  CU_ASSERT_EQUAL(h.len, 1);
  const sched_timer_t* t = sched_timer_ahead(&h, 3, 4);
  CU_ASSERT(t && t->node == 104);
  CU_ASSERT_PTR_NULL(sched_timer_ahead(&h, 3, 10));
  CU_ASSERT_PTR_NULL(sched_timer_ahead(&h, 2, 0));
  (void)sched_timer_pop(&h);
  t = sched_timer_ahead(&h, 3 + SCHED_TIMER_FIFOS, 0); /* kinds share rings modulo their count */
  CU_ASSERT(t && t->node == 101);
  sched_timer_heap_free(&h);
}

CU_TestInfo timer_heap_tests[] = {
    {"pops_in_order_whichever_way_queued", test_timer_heap_pops_in_order_whichever_way_queued},
    {"ahead_names_a_ring_in_order", test_timer_heap_ahead_names_a_ring_in_order},
    CU_TEST_INFO_NULL,
};
