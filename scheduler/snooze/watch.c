/* The local controllers' heartbeat deadlines: an LC that hears no beat from its GM for
 * heartbeat_timeout leaves it and rejoins (docs/SNOOZE.md, "Heartbeats"). A GM's beat is written into
 * its LCs' records without waking them (gm.c); one actor keeps the deadline of every serving LC in
 * a heap and wakes an LC only when its deadline passes without a newer beat, when it renews it.
 * Before, each of 10,000 LCs woke up every period to learn that nothing had happened. The actor
 * stands for each LC's local timer: it sends nothing, so the host it runs on does not matter. */
#include "snooze_internal.h"
#include "timer_heap.h"

#include <simgrid/actor.h>
#include <simgrid/cond.h>
#include <simgrid/mutex.h>
#include <stdlib.h>
#include <xbt/asserts.h>

#define EPS_S 1e-9

/* Heap entries: node = the LC's PM, seq = the PM too (LCs due at the same time wake in PM order). */
struct snooze_watch {
  sched_timer_heap_t deadlines;
  sg_mutex_t mutex;
  sg_cond_t cond; /* signalled when a deadline becomes the earliest */
};

snooze_watch_t* snooze__watch_create(void)
{
  snooze_watch_t* w = calloc(1, sizeof *w);
  xbt_assert(w, "out of memory");
  w->mutex = sg_mutex_init();
  w->cond  = sg_cond_init();
  return w;
}

void snooze__watch_destroy(snooze_watch_t* w)
{
  if (!w) return;
  sg_cond_notify_all(w->cond); /* the watcher still waits on it: the simulation is over */
  sg_cond_destroy(w->cond);
  sg_mutex_destroy(w->mutex);
  sched_timer_heap_free(&w->deadlines);
  free(w);
}

void snooze__watch_arm(snooze_t* sz, snooze_lc_t* lc, double at_s)
{
  snooze_watch_t* w = sz->watch;
  lc->watch_at_s    = at_s;
  lc->watched       = true;
  /* no lock: actors do not preempt each other, and the watcher holds the mutex only while it runs */
  bool first = w->deadlines.len == 0 || at_s < w->deadlines.items[0].at_s;
  sched_timer_push(&w->deadlines, (sched_timer_t){.at_s = at_s, .seq = lc->pm, .node = (uint32_t)lc->pm});
  if (first) sg_cond_notify_one(w->cond);
}

void snooze__watch_main(int argc, char* argv[])
{
  (void)argc, (void)argv;
  snooze_t* sz      = sg_actor_self_get_data();
  snooze_watch_t* w = sz->watch;
  sg_mutex_lock(w->mutex);
  for (;;) {
    if (w->deadlines.len == 0) {
      sg_cond_wait(w->cond, w->mutex);
      continue;
    }
    double now = sched_now(sz->ctx);
    if (w->deadlines.items[0].at_s > now + EPS_S) {
      sg_cond_wait_for(w->cond, w->mutex, w->deadlines.items[0].at_s - now);
      continue;
    }
    sched_timer_t e = sched_timer_pop(&w->deadlines);
    snooze_lc_t* lc = &sz->lcs[e.node];
    if (!lc->watched || lc->watch_at_s != e.at_s) continue; /* the LC woke up meanwhile, or re-armed */
    double renewed = lc->last_beat_s + sz->timeout_s;
    if (lc->gm != SNOOZE_NONE && renewed > e.at_s + EPS_S) { /* a beat came since: a later deadline */
      lc->watch_at_s = renewed;
      sched_timer_push(&w->deadlines, (sched_timer_t){.at_s = renewed, .seq = e.node, .node = e.node});
      continue;
    }
    lc->watched = false;
    sg_sem_release(lc->sem);
  }
}
