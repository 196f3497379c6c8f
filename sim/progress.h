/* One progress line on stderr while a run goes on (simulated time, % done, events per second, ETA),
 * only when stderr is a terminal and --quiet is not given. The actor exists in every run, printing
 * or not, so that a terminal never changes what is simulated; wall-clock time is only printed. */
#ifndef LUCSIM_PROGRESS_H
#define LUCSIM_PROGRESS_H

#include <simgrid/forward.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct progress {
  double end_s;         /* simulated end of the run */
  const size_t* events; /* counter the run increments (borrowed) */
  bool enabled;         /* print, or only tick */
  double start_wall;    /* monotonic clock at start, seconds */
  double last_print;    /* monotonic clock of the last line */
} progress_t;

/* Starts the progress actor on host; it wakes 200 times before end_s. p is caller-owned and must
 * outlive the simulation. */
void progress_start(progress_t* p, sg_host_t host, double end_s, const size_t* events, bool enabled);
/* Prints the last line (100 %) and a newline when enabled. */
void progress_finish(progress_t* p);

#endif
