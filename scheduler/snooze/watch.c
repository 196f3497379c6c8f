/* The local controllers' heartbeat deadlines: an LC that hears no beat from its GM for
 * heartbeat_timeout leaves it and rejoins (docs/SNOOZE.md, "Heartbeats"). A GM's beat is written into
 * its LCs' records without waking them (gm.c); one actor keeps the deadline of every serving LC in
 * a heap and wakes an LC only when its deadline passes without a newer beat, when it renews it.
 * Before, each of 10,000 LCs woke up every period to learn that nothing had happened. The actor
 * stands for each LC's local timer: it sends nothing, so the host it runs on does not matter. */
#include "snooze_internal.h"

#include <simgrid/actor.h>
#include <simgrid/cond.h>
#include <simgrid/mutex.h>
#include <stdlib.h>
#include <xbt/asserts.h>

#define EPS_S 1e-9

typedef struct watch_entry {
  double at_s;
  size_t pm;
} watch_entry_t;

struct snooze_watch {
  watch_entry_t* heap; /* binary min-heap on (at_s, pm) */
  size_t len, cap;
  sg_mutex_t mutex;
  sg_cond_t cond; /* signalled when an entry becomes the earliest */
};

static bool earlier(watch_entry_t a, watch_entry_t b)
{
  return a.at_s < b.at_s || (a.at_s == b.at_s && a.pm < b.pm);
}

static void heap_push(snooze_watch_t* w, watch_entry_t e)
{
  if (w->len == w->cap) {
    w->cap  = w->cap ? 2 * w->cap : 64;
    w->heap = realloc(w->heap, w->cap * sizeof *w->heap);
    xbt_assert(w->heap, "out of memory");
  }
  size_t i = w->len++;
  while (i > 0 && earlier(e, w->heap[(i - 1) / 2])) {
    w->heap[i] = w->heap[(i - 1) / 2];
    i          = (i - 1) / 2;
  }
  w->heap[i] = e;
}

static watch_entry_t heap_pop(snooze_watch_t* w)
{
  watch_entry_t top  = w->heap[0];
  watch_entry_t last = w->heap[--w->len];
  size_t i           = 0;
  for (;;) {
    size_t c = 2 * i + 1;
    if (c >= w->len) break;
    if (c + 1 < w->len && earlier(w->heap[c + 1], w->heap[c])) c++;
    if (!earlier(w->heap[c], last)) break;
    w->heap[i] = w->heap[c];
    i          = c;
  }
  if (w->len > 0) w->heap[i] = last;
  return top;
}

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
  free(w->heap);
  free(w);
}

void snooze__watch_arm(snooze_t* sz, snooze_lc_t* lc, double at_s)
{
  snooze_watch_t* w = sz->watch;
  lc->watch_at_s    = at_s;
  lc->watched       = true;
  /* no lock: actors do not preempt each other, and the watcher holds the mutex only while it runs */
  watch_entry_t e = {.at_s = at_s, .pm = lc->pm};
  bool first      = w->len == 0 || earlier(e, w->heap[0]);
  heap_push(w, e);
  if (first) sg_cond_notify_one(w->cond);
}

void snooze__watch_main(int argc, char* argv[])
{
  (void)argc, (void)argv;
  snooze_t* sz      = sg_actor_self_get_data();
  snooze_watch_t* w = sz->watch;
  sg_mutex_lock(w->mutex);
  for (;;) {
    if (w->len == 0) {
      sg_cond_wait(w->cond, w->mutex);
      continue;
    }
    double now = sched_now(sz->ctx);
    if (w->heap[0].at_s > now + EPS_S) {
      sg_cond_wait_for(w->cond, w->mutex, w->heap[0].at_s - now);
      continue;
    }
    watch_entry_t e = heap_pop(w);
    snooze_lc_t* lc = &sz->lcs[e.pm];
    if (!lc->watched || lc->watch_at_s != e.at_s) continue; /* the LC woke up meanwhile, or re-armed */
    double renewed = lc->last_beat_s + sz->timeout_s;
    if (lc->gm != SNOOZE_NONE && renewed > e.at_s + EPS_S) { /* a beat came since: a later deadline */
      lc->watch_at_s = renewed;
      heap_push(w, (watch_entry_t){.at_s = renewed, .pm = e.pm});
      continue;
    }
    lc->watched = false;
    sg_sem_release(lc->sem);
  }
}
