/* A min-heap of timers, for a scheduler that serves the timers of many nodes from one actor
 * instead of one actor per node waking up (DVMS's agents, Snooze's LC heartbeat watcher). Internal
 * to the built-in schedulers, not part of scheduler.h. */
#ifndef LUCSIM_TIMER_HEAP_H
#define LUCSIM_TIMER_HEAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct sched_timer {
  double at_s;
  uint64_t seq; /* the order among timers due at the same time: the caller's (arming order, a node) */
  uint32_t node;
  uint8_t kind;
} sched_timer_t;

typedef struct sched_timer_heap {
  sched_timer_t* items; /* items[0] is the earliest */
  size_t len, cap;
} sched_timer_heap_t;

void sched_timer_push(sched_timer_heap_t* h, sched_timer_t t);
/* Removes and returns the earliest timer (h->len must be > 0). */
sched_timer_t sched_timer_pop(sched_timer_heap_t* h);
void sched_timer_heap_free(sched_timer_heap_t* h);

#endif
