/* The timer heap of timer_heap.h: a binary min-heap on (at_s, seq). */
#include "timer_heap.h"

#include <stdlib.h>
#include <xbt/asserts.h>

static int before(const sched_timer_t* x, const sched_timer_t* y)
{
  return x->at_s < y->at_s || (x->at_s == y->at_s && x->seq < y->seq);
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

sched_timer_t sched_timer_pop(sched_timer_heap_t* h)
{
  xbt_assert(h->len > 0, "pop from an empty timer heap");
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

void sched_timer_heap_free(sched_timer_heap_t* h)
{
  free(h->items);
  *h = (sched_timer_heap_t){0};
}
