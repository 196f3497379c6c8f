/* A queue of timers served by one actor, for a scheduler that keeps the timers of many nodes
 * instead of one actor per node waking up (DVMS's agents, Snooze's LC heartbeat watcher): timers
 * come out in (at_s, seq) order, and the serving actor waits on a condition. Internal to the
 * built-in schedulers, not part of scheduler.h.
 * Most timers are armed a fixed delay after the present (a period, a timeout), so each comes after
 * every timer of its kind armed before it: those wait in a first-in first-out queue per kind, O(1)
 * and read in order, and only the others (a message's transit, which depends on its size) in a
 * min-heap. At 1M VMs a heap of every timer took 3.8 % of DVMS's samples, the rings and heap 2.5 %. */
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

#define SCHED_TIMER_FIFOS 8 /* by kind modulo 8 */

typedef struct sched_timer_fifo { /* a ring: items[(head + i) % cap], i < len, in order */
  sched_timer_t* items;
  size_t head, len, cap;
} sched_timer_fifo_t;

typedef struct sched_timer_heap {
  sched_timer_t* items; /* the min-heap of timers armed out of order: items[0] is its earliest */
  size_t len, cap;
  sched_timer_fifo_t fifo[SCHED_TIMER_FIFOS];
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
/* How many timers are queued, and the i-th of them in no particular order (i < the count). */
size_t sched_timer_count(const sched_timer_heap_t* h);
sched_timer_t* sched_timer_at(sched_timer_heap_t* h, size_t i);
/* The earliest timer, or NULL when none. */
const sched_timer_t* sched_timer_peek(const sched_timer_heap_t* h);
/* Removes and returns the earliest timer (there must be one), without waiting. */
sched_timer_t sched_timer_pop(sched_timer_heap_t* h);
/* The timer ahead places behind the front of the ring of kind kind, or NULL: what the caller may
 * start fetching from memory early (a hint: timers armed meanwhile may come first). */
const sched_timer_t* sched_timer_ahead(const sched_timer_heap_t* h, uint8_t kind, size_t ahead);
/* For the serving actor, in its loop: waits until the earliest timer is due (within SimGrid's time
 * precision, 1e-9 s: a shorter wait would return at once without the clock moving), removes and
 * returns it. */
sched_timer_t sched_timer_next(sched_timer_heap_t* h);
/* At the end of the run (the serving actor still waits): frees everything but the timers' data
 * (the caller frees that first: sched_timer_at). */
void sched_timer_heap_free(sched_timer_heap_t* h);

#endif
