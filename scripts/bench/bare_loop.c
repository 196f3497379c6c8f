/* Baseline for scripts/bench-engine: a bare SimGrid loop that fires the same load events as the
 * injector (same random streams, same count) with no bookkeeping at all, so the engine's own cost
 * can be quoted as a ratio. usage: bench_bare_loop VMS DURATION_S [PERIOD_S] */
#include "rng.h"

#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

typedef struct bare {
  size_t vms;
  double duration_s;
  double period_s;
  size_t events;
  double checksum;
} bare_t;

static void bare_main(int argc, char* argv[])
{
  (void)argc;
  (void)argv;
  bare_t* b = sg_actor_self_get_data();
  rng_t arrivals, loads, choice;
  rng_init(&arrivals, 1, RNG_STREAM_ARRIVALS);
  rng_init(&loads, 1, RNG_STREAM_LOADS);
  rng_init(&choice, 1, RNG_STREAM_VM_CHOICE);
  double t = 0;
  for (;;) {
    t += rng_exponential(&arrivals, b->period_s / (double)b->vms);
    if (t >= b->duration_s) break;
    sg_actor_sleep_for(t - simgrid_get_clock());
    b->checksum += rng_normal(&loads, 60, 20) + (double)rng_below(&choice, b->vms);
    b->events++;
  }
}

int main(int argc, char** argv)
{
  simgrid_init(&argc, argv);
  if (argc < 3) {
    fprintf(stderr, "usage: %s VMS DURATION_S [PERIOD_S]\n", argv[0]);
    return 2;
  }
  bare_t b = {
      .vms = strtoul(argv[1], NULL, 10), .duration_s = atof(argv[2]), .period_s = argc > 3 ? atof(argv[3]) : 300};
  char path[] = "/tmp/lucsim-bare-XXXXXX";
  int fd      = mkstemp(path);
  FILE* f     = fdopen(fd, "w");
  fprintf(
      f,
      "<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
      "<platform version=\"4.1\"><zone id=\"z\" routing=\"Full\"><host id=\"h\" speed=\"1Gf\"/></zone></platform>\n");
  fclose(f);
  simgrid_load_platform(path);
  unlink(path);
  sg_actor_t a = sg_actor_init("bare", sg_host_by_name("h"));
  sg_actor_set_data(a, &b);
  sg_actor_start(a, bare_main, 0, NULL);
  simgrid_run();
  printf("%zu events (checksum %.3f)\n", b.events, b.checksum);
  return 0;
}
