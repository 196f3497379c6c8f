/* The timer queue of timer_heap.h: a binary min-heap on (at_s, seq), and its serving actor's wait. */
#include "timer_heap.h"

#include <simgrid/engine.h>
#include <stdlib.h>
#include <xbt/asserts.h>

#define TIME_EPS_S 1e-9 /* SimGrid's default time precision (surf/precision) */

static int before(const sched_timer_t* x, const sched_timer_t* y)
{
  return x->at_s < y->at_s || (x->at_s == y->at_s && x->seq < y->seq);
}

void sched_timer_heap_start(sched_timer_heap_t* h)
{
  h->cond  = sg_cond_init();
  h->mutex = sg_mutex_init();
}

void sched_timer_push(sched_timer_heap_t* h, sched_timer_t t)
{
  if (h->len == h->cap) {
    h->cap   = h->cap ? 2 * h->cap : 1024;
    h->items = realloc(h->items, h->cap * sizeof *h->items);
    xbt_assert(h->items, "out of memory");
  }
  size_t i = h->len++;
  while (i > 0 && before(&t, &h->items[(i - 1) / 2])) {
    h->items[i] = h->items[(i - 1) / 2];
    i           = (i - 1) / 2;
  }
  h->items[i] = t;
}

void sched_timer_arm(sched_timer_heap_t* h, sched_timer_t t)
{
  /* no lock: actors do not preempt each other, and the serving actor holds the mutex while it runs */
  bool first = h->len == 0 || t.at_s < h->items[0].at_s;
  sched_timer_push(h, t);
  if (first && h->cond) sg_cond_notify_one(h->cond);
}

static sched_timer_t pop(sched_timer_heap_t* h)
{
  sched_timer_t top  = h->items[0];
  sched_timer_t last = h->items[--h->len];
  size_t i           = 0;
  for (;;) {
    size_t c = 2 * i + 1;
    if (c >= h->len) break;
    if (c + 1 < h->len && before(&h->items[c + 1], &h->items[c])) c++;
    if (!before(&h->items[c], &last)) break;
    h->items[i] = h->items[c];
    i           = c;
  }
  if (h->len > 0) h->items[i] = last;
  return top;
}

sched_timer_t sched_timer_next(sched_timer_heap_t* h)
{
  xbt_assert(h->cond, "sched_timer_next before sched_timer_heap_start");
  if (!h->served) {
    sg_mutex_lock(h->mutex);
    h->served = true;
  }
  for (;;) {
    if (h->len == 0) {
      sg_cond_wait(h->cond, h->mutex);
      continue;
    }
    double now = simgrid_get_clock();
    if (h->items[0].at_s > now + TIME_EPS_S) {
      sg_cond_wait_for(h->cond, h->mutex, h->items[0].at_s - now);
      continue;
    }
    return pop(h);
  }
}

void sched_timer_heap_free(sched_timer_heap_t* h)
{
  if (h->cond) {
    /* the serving actor still waits on it and never runs again: SimGrid refuses to destroy a
     * condition with a waiter, and nothing else frees it (it skips its cleanups while actors live) */
    sg_cond_notify_all(h->cond);
    sg_cond_destroy(h->cond);
  }
  if (h->mutex) sg_mutex_destroy(h->mutex);
  free(h->items);
  *h = (sched_timer_heap_t){0};
}
