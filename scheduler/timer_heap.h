/* A queue of timers served by one actor, for a scheduler that keeps the timers of many nodes
 * instead of one actor per node waking up (DVMS's agents, Snooze's LC heartbeat watcher): a
 * min-heap, and the condition the serving actor waits on. Internal to the built-in schedulers, not
 * part of scheduler.h. */
#ifndef LUCSIM_TIMER_HEAP_H
#define LUCSIM_TIMER_HEAP_H

#include <simgrid/cond.h>
#include <simgrid/mutex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sched_timer {
  double at_s;
  uint64_t seq; /* the order among timers due at the same time: the caller's (arming order, a node) */
  uint32_t node;
  uint8_t kind;
  void* data; /* what the caller attached (DVMS: a message on its way), or NULL; the caller owns it */
} sched_timer_t;

typedef struct sched_timer_heap {
  sched_timer_t* items; /* items[0] is the earliest */
  size_t len, cap;
  sg_cond_t cond; /* the serving actor waits on it (sched_timer_heap_start); NULL before */
  sg_mutex_t mutex;
  bool served; /* the serving actor holds mutex (released only while it waits) */
} sched_timer_heap_t;

/* Creates the condition and mutex, before the serving actor starts. */
void sched_timer_heap_start(sched_timer_heap_t* h);
/* Adds a timer without waking the serving actor: for the serving actor itself. */
void sched_timer_push(sched_timer_heap_t* h, sched_timer_t t);
/* Adds a timer from another actor: wakes the serving actor when it becomes the earliest. */
void sched_timer_arm(sched_timer_heap_t* h, sched_timer_t t);
/* For the serving actor, in its loop: waits until the earliest timer is due (within SimGrid's time
 * precision, 1e-9 s: a shorter wait would return at once without the clock moving), removes and
 * returns it. */
sched_timer_t sched_timer_next(sched_timer_heap_t* h);
/* At the end of the run (the serving actor still waits): frees everything but the timers' data
 * (the caller frees that first: h->items[0 .. h->len)). */
void sched_timer_heap_free(sched_timer_heap_t* h);

#endif
