/* Progress line for interactive runs (see progress.h). */
#include "progress.h"

#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <stdio.h>
#include <time.h>

#define PROGRESS_STEPS 200

static double wall_seconds(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void print_line(progress_t* p, double t, double now)
{
  double elapsed = now - p->start_wall;
  double done    = p->end_s > 0 ? t / p->end_s : 1;
  double rate    = elapsed > 0 ? (double)*p->events / elapsed : 0;
  double eta     = done > 0 ? elapsed * (1 - done) / done : 0;
  fprintf(stderr, "\r  t = %.0f / %.0f s  %5.1f %%  %.3g events/s  ETA %.0f s   ", t, p->end_s, 100 * done, rate, eta);
  fflush(stderr);
  p->last_print = now;
}

static void progress_main(int argc, char* argv[])
{
  (void)argc;
  (void)argv;
  progress_t* p = sg_actor_self_get_data();
  for (int step = 1; step < PROGRESS_STEPS; step++) {
    double t = p->end_s * step / PROGRESS_STEPS;
    sg_actor_sleep_for(t - simgrid_get_clock());
    double now = wall_seconds();
    if (p->enabled && now - p->last_print >= 0.2) print_line(p, t, now);
  }
}

void progress_start(progress_t* p, sg_host_t host, double end_s, const size_t* events, bool enabled)
{
  *p            = (progress_t){.end_s = end_s, .events = events, .enabled = enabled};
  p->start_wall = wall_seconds();
  p->last_print = p->start_wall;
  sg_actor_t a  = sg_actor_init("progress", host);
  sg_actor_set_data(a, p);
  sg_actor_start(a, progress_main, 0, NULL);
}

void progress_finish(progress_t* p)
{
  if (!p->enabled) return;
  print_line(p, p->end_s, wall_seconds());
  fputc('\n', stderr);
}
