/* Backbone link failures: a Poisson process over the links with exponential repairs, or the
 * replay of a trace's link lines, and the actor that applies them (wan_faults.h). */
#include "wan_faults.h"
#include "rng.h"

#include <math.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <stdlib.h>
#include <xbt/asserts.h>

struct wan_faults {
  size_t links;
  double gap_mean_s, mttr_s;
  rng_t faults, repairs;
  double next_failure_s;
  double* repair_at; /* per link: its repair time while down, INFINITY while up */
  const fault_trace_link_event_t* trace;
  size_t trace_len, trace_next;
  /* the actor */
  double end_s;
  wan_faults_fn on_event;
  void* userdata;
};

wan_faults_t* wan_faults_create(size_t links, double mtbf_s, double mttr_s, uint64_t seed)
{
  wan_faults_t* w = calloc(1, sizeof *w);
  if (!w) return NULL;
  w->links     = links;
  w->repair_at = malloc((links ? links : 1) * sizeof *w->repair_at);
  if (!w->repair_at) {
    free(w);
    return NULL;
  }
  for (size_t l = 0; l < links; l++)
    w->repair_at[l] = INFINITY;
  w->gap_mean_s = links > 0 && mtbf_s > 0 ? mtbf_s / (double)links : INFINITY;
  w->mttr_s     = mttr_s;
  rng_init(&w->faults, seed, RNG_STREAM_WAN_FAULTS);
  rng_init(&w->repairs, seed, RNG_STREAM_WAN_REPAIRS);
  w->next_failure_s = w->gap_mean_s < INFINITY ? rng_exponential(&w->faults, w->gap_mean_s) : INFINITY;
  return w;
}

wan_faults_t* wan_faults_replay(const fault_trace_link_event_t* events, size_t count)
{
  wan_faults_t* w = wan_faults_create(0, 0, 0, 0);
  if (!w) return NULL;
  w->trace     = events;
  w->trace_len = count;
  return w;
}

void wan_faults_destroy(wan_faults_t* w)
{
  if (!w) return;
  free(w->repair_at);
  free(w);
}

int wan_faults_next(wan_faults_t* w, size_t* link, bool* down, double* time_s)
{
  if (w->trace) {
    if (w->trace_next >= w->trace_len) return 0;
    const fault_trace_link_event_t* e = &w->trace[w->trace_next++];
    *link                             = e->link;
    *down                             = e->down;
    *time_s                           = e->time_s;
    return 1;
  }
  for (;;) {
    size_t first = w->links; /* the earliest repair, lowest link at equal times */
    for (size_t l = 0; l < w->links; l++)
      if (w->repair_at[l] < INFINITY && (first == w->links || w->repair_at[l] < w->repair_at[first])) first = l;
    double repair_s = first < w->links ? w->repair_at[first] : INFINITY;
    if (repair_s == INFINITY && w->next_failure_s == INFINITY) return 0;
    if (repair_s <= w->next_failure_s) {
      w->repair_at[first] = INFINITY;
      *link               = first;
      *down               = false;
      *time_s             = repair_s;
      return 1;
    }
    double t          = w->next_failure_s;
    size_t l          = (size_t)rng_below(&w->faults, w->links);
    w->next_failure_s = t + rng_exponential(&w->faults, w->gap_mean_s);
    if (w->repair_at[l] < INFINITY) continue; /* already down: dropped (memoryless, as for nodes) */
    w->repair_at[l] = t + rng_exponential(&w->repairs, w->mttr_s);
    *link           = l;
    *down           = true;
    *time_s         = t;
    return 1;
  }
}

static void wan_faults_actor(int argc, char* argv[])
{
  (void)argc, (void)argv;
  wan_faults_t* w = sg_actor_self_get_data();
  size_t link;
  bool down;
  double t;
  while (wan_faults_next(w, &link, &down, &t) && t < w->end_s) {
    double now = simgrid_get_clock();
    if (t > now) sg_actor_sleep_for(t - now);
    w->on_event(w->userdata, link, down, simgrid_get_clock());
  }
}

void wan_faults_start_actor(wan_faults_t* w, sg_host_t host, double end_s, wan_faults_fn on_event, void* userdata)
{
  w->end_s      = end_s;
  w->on_event   = on_event;
  w->userdata   = userdata;
  sg_actor_t ac = sg_actor_init("wan-faults", host);
  sg_actor_set_data(ac, w);
  sg_actor_start(ac, wan_faults_actor, 0, NULL);
}
