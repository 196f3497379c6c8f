/* Run-size budget: before anything is simulated or written, estimate from the experiment alone
 * how many events the run will simulate, how many bytes its results folder will hold and how much
 * memory it will need, and refuse (bad input, exit 2) a run above limits.* unless --force, so that
 * a typo such as duration=1e300 or load_period=1ns never fills a disk or the memory.
 * The estimates are expected values from measured per-event costs, not bounds (README.md, "Run-size budget"). */
#ifndef LUCSIM_BUDGET_H
#define LUCSIM_BUDGET_H

#include "config.h"
#include "error.h"

#include <stddef.h>

typedef struct budget_estimate {
  double load_events;         /* VM load changes: VMs x duration / injector.load.period */
  double fault_events;        /* crashes and repairs */
  double samples;             /* load.csv rows */
  double events;              /* the sum of the three */
  double output_bytes;        /* CSV files and trace */
  double memory_bytes;        /* peak resident memory, with SimGrid's copy of a platform file (kind=file) */
  double platform_file_bytes; /* size of the platform file (kind=file), else 0 */
} budget_estimate_t;

/* Estimates the run of cfg on pms PMs and service_nodes service nodes. */
budget_estimate_t budget_estimate(const config_t* cfg, size_t pms, size_t service_nodes);

/* Returns 0 when the estimate is within cfg->limits (or cfg->force), else -1 with err naming the
 * field that makes the run large, the estimate and the limit. */
int budget_check(const config_t* cfg, size_t pms, size_t service_nodes, lucsim_err_t* err);

#endif
