/* Runs a SimGrid scenario in a child process, so each test gets a fresh SimGrid engine
 * (SimGrid loads one platform per process). The child writes a result blob back through a pipe. */
#ifndef LUCSIM_TEST_SIMRUN_H
#define LUCSIM_TEST_SIMRUN_H

#include <stddef.h>

/* The scenario runs in the child: it may call simgrid_init/simgrid_load_platform/simgrid_run and
 * fills out[0..out_size) (zeroed before the call). Its return value is the child's exit status. */
typedef int (*simrun_fn)(void* arg, void* out, size_t out_size);

/* Forks, runs fn in the child, copies the child's out blob back into out. Returns the child's exit
 * status (0 when the scenario returned 0), or -1 when the child crashed or could not be started. */
int simrun_in_child(simrun_fn fn, void* arg, void* out, size_t out_size);

/* Arguments for simgrid_init() with quiet logs; raw contexts, or threads in sanitized builds
 * (LUCSIM_TEST_CONTEXTS overrides the factory). argc/argv are static storage of the child. */
void simrun_init_simgrid(void);

#endif
