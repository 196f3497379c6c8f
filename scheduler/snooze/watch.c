/* The local controllers' heartbeat deadlines: an LC that hears no beat from its GM for
 * heartbeat_timeout leaves it and rejoins (docs/SNOOZE.md, "Heartbeats"). A GM's beat is written into
 * its LCs' records without waking them (gm.c); one actor keeps the deadline of every serving LC in
 * a heap and wakes an LC only when its deadline passes without a newer beat, when it renews it.
 * Before, each of 10,000 LCs woke up every period to learn that nothing had happened. The actor
 * stands for each LC's local timer: it sends nothing, so the host it runs on does not matter. */
#include "snooze_internal.h"

#include <simgrid/actor.h>
#include <simgrid/semaphore.h>

#define EPS_S 1e-9

void snooze__watch_arm(snooze_t* sz, snooze_lc_t* lc, double at_s)
{
  lc->watch_at_s = at_s;
  lc->watched    = true;
  /* seq = node = the PM: LCs due at the same time wake in PM order */
  sched_timer_arm(&sz->watch, (sched_timer_t){.at_s = at_s, .seq = lc->pm, .node = (uint32_t)lc->pm});
}

void snooze__watch_main(int argc, char* argv[])
{
  (void)argc, (void)argv;
  snooze_t* sz = sg_actor_self_get_data();
  for (;;) {
    sched_timer_t e = sched_timer_next(&sz->watch);
    snooze_lc_t* lc = &sz->lcs[e.node];
    if (!lc->watched || lc->watch_at_s != e.at_s) continue; /* the LC woke up meanwhile, or re-armed */
    double renewed = lc->last_beat_s + sz->timeout_s;
    if (lc->gm != SNOOZE_NONE && renewed > e.at_s + EPS_S) { /* a beat came since: a later deadline */
      lc->watch_at_s = renewed;
      sched_timer_push(&sz->watch, (sched_timer_t){.at_s = renewed, .seq = e.node, .node = e.node});
      continue;
    }
    lc->watched = false;
    sg_sem_release(lc->sem);
  }
}
