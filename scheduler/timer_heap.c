/* The timer queue of timer_heap.h: a first-in first-out ring per kind for the timers armed in order,
 * a binary min-heap on (at_s, seq) for the rest, the earliest of their fronts first; and its serving
 * actor's wait. Any structure that always yields the least (at_s, seq) yields the same sequence
 * (timers with the same pair are alike for their callers), so results do not depend on which
 * timers went where. */
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

static sched_timer_t* fifo_at(const sched_timer_fifo_t* f, size_t i)
{
  size_t at = f->head + i;
  return &f->items[at < f->cap ? at : at - f->cap];
}

static void fifo_push(sched_timer_fifo_t* f, sched_timer_t t)
{
  if (f->len == f->cap) { /* unrolled into a ring twice the size */
    size_t cap           = f->cap ? 2 * f->cap : 256;
    sched_timer_t* items = malloc(cap * sizeof *items);
    xbt_assert(items, "out of memory");
    for (size_t i = 0; i < f->len; i++)
      items[i] = *fifo_at(f, i);
    free(f->items);
    f->items = items, f->cap = cap, f->head = 0;
  }
  *fifo_at(f, f->len++) = t;
}

static void heap_push(sched_timer_heap_t* h, sched_timer_t t)
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

static sched_timer_t heap_pop(sched_timer_heap_t* h)
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

void sched_timer_push(sched_timer_heap_t* h, sched_timer_t t)
{
  sched_timer_fifo_t* f = &h->fifo[t.kind % SCHED_TIMER_FIFOS];
  if (f->len == 0 || !before(&t, fifo_at(f, f->len - 1)))
    fifo_push(f, t);
  else
    heap_push(h, t);
}

/* Where the earliest timer is: a ring (0 .. SCHED_TIMER_FIFOS - 1), the heap (SCHED_TIMER_FIFOS), or
 * -1 when none is queued. */
static int earliest(const sched_timer_heap_t* h)
{
  int where                = -1;
  const sched_timer_t* min = NULL;
  if (h->len > 0) where = SCHED_TIMER_FIFOS, min = &h->items[0];
  for (int k = 0; k < SCHED_TIMER_FIFOS; k++) {
    const sched_timer_fifo_t* f = &h->fifo[k];
    if (f->len > 0 && (!min || before(fifo_at(f, 0), min))) where = k, min = fifo_at(f, 0);
  }
  return where;
}

static const sched_timer_t* front(const sched_timer_heap_t* h, int where)
{
  if (where < 0) return NULL;
  return where == SCHED_TIMER_FIFOS ? &h->items[0] : fifo_at(&h->fifo[where], 0);
}

static sched_timer_t pop_from(sched_timer_heap_t* h, int where)
{
  if (where == SCHED_TIMER_FIFOS) return heap_pop(h);
  sched_timer_fifo_t* f = &h->fifo[where];
  sched_timer_t t       = *fifo_at(f, 0);
  f->head               = f->head + 1 < f->cap ? f->head + 1 : 0;
  f->len--;
  return t;
}

const sched_timer_t* sched_timer_peek(const sched_timer_heap_t* h)
{
  return front(h, earliest(h));
}

sched_timer_t sched_timer_pop(sched_timer_heap_t* h)
{
  int where = earliest(h);
  xbt_assert(where >= 0, "sched_timer_pop on an empty queue");
  return pop_from(h, where);
}

const sched_timer_t* sched_timer_ahead(const sched_timer_heap_t* h, uint8_t kind, size_t ahead)
{
  const sched_timer_fifo_t* f = &h->fifo[kind % SCHED_TIMER_FIFOS];
  return ahead < f->len ? fifo_at(f, ahead) : NULL;
}

size_t sched_timer_count(const sched_timer_heap_t* h)
{
  size_t n = h->len;
  for (int k = 0; k < SCHED_TIMER_FIFOS; k++)
    n += h->fifo[k].len;
  return n;
}

sched_timer_t* sched_timer_at(sched_timer_heap_t* h, size_t i)
{
  if (i < h->len) return &h->items[i];
  i -= h->len;
  for (int k = 0; k < SCHED_TIMER_FIFOS; k++) {
    if (i < h->fifo[k].len) return fifo_at(&h->fifo[k], i);
    i -= h->fifo[k].len;
  }
  xbt_die("sched_timer_at past the queue");
}

void sched_timer_arm(sched_timer_heap_t* h, sched_timer_t t)
{
  /* no lock: actors do not preempt each other, and the serving actor holds the mutex while it runs */
  const sched_timer_t* first = sched_timer_peek(h);
  bool earliest_now          = !first || t.at_s < first->at_s;
  sched_timer_push(h, t);
  if (earliest_now && h->cond) sg_cond_notify_one(h->cond);
}

sched_timer_t sched_timer_next(sched_timer_heap_t* h)
{
  xbt_assert(h->cond, "sched_timer_next before sched_timer_heap_start");
  if (!h->served) {
    sg_mutex_lock(h->mutex);
    h->served = true;
  }
  for (;;) {
    int where                  = earliest(h);
    const sched_timer_t* first = front(h, where);
    if (!first) {
      sg_cond_wait(h->cond, h->mutex);
      continue;
    }
    double now = simgrid_get_clock();
    if (first->at_s > now + TIME_EPS_S) {
      sg_cond_wait_for(h->cond, h->mutex, first->at_s - now);
      continue;
    }
    return pop_from(h, where);
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
  for (int k = 0; k < SCHED_TIMER_FIFOS; k++)
    free(h->fifo[k].items);
  *h = (sched_timer_heap_t){0};
}
