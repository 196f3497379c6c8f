/* Runs a SimGrid scenario in a child process, so each test gets a fresh SimGrid engine
 * (SimGrid loads one platform per process). The child writes a result blob back through a pipe. */
#ifndef LUCSIM_TEST_SIMRUN_H
#define LUCSIM_TEST_SIMRUN_H

#include "config.h"

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

/* Sets a test's own experiment up in cfg (called after the defaults, when no file is given). */
typedef void (*simrun_craft_fn)(config_t* cfg, const void* arg);

/* Resolves the experiment of a test run, in the child: creates the temporary folder tmp_dir (a
 * mkdtemp template, rewritten in place), then cfg = the defaults, then `file` (relative to
 * $LUCSIM_SOURCE_DIR, set by ctest) or, when file is NULL, craft(cfg, craft_arg); no trace; results
 * in tmp_dir/r; then sets[0..] (NULL-terminated, at most max_sets) as --set overrides; then
 * config_finish. Returns 0, or the step that failed: 10 folder, 11 file, 12 a set, 13 finish (err
 * filled for 11-13). */
int simrun_experiment(config_t* cfg, const char* file, simrun_craft_fn craft, const void* craft_arg,
                      const char* const* sets, size_t max_sets, char* tmp_dir, lucsim_err_t* err);
/* The crafted scenario of the scheduler suites: *(const int*)pms PMs of 700 load units, 5 VMs of
 * 2 vCPUs each per PM (fill) at 40 % (demand 400), no load change, 300 s. A test then overloads the
 * PMs it wants by raising their VMs' loads at t = 0. */
void simrun_craft_small_cluster(config_t* cfg, const void* pms);
/* Removes tmp_dir and everything in it. Returns 0, or 14 when it could not. */
int simrun_remove(const char* tmp_dir);

#endif
