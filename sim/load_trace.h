/* load_trace_t: recorded CPU loads replayed as the VMs' load changes (injector.kind=trace,
 * docs/LOAD-TRACES.md), instead of the Gaussian injector's draws. Two formats:
 * - planetlab: a folder of files, one per traced VM, each one integer CPU percentage (0 to 100) a
 *   line, one sample every injector.trace.interval (300 s in the PlanetLab trace: 288 a day);
 * - csv: one file, header `vm,time_s,cpu_pct`, then one sample a row (any VM name, time in seconds
 *   from the trace's start, CPU % from 0 to 100), the rows of a VM in any order; with the header
 *   `vm,time_s,cpu_pct,ram_pct`, each row also gives the share of the VM's RAM in use (0 to 100),
 *   which the live migrations read (load_trace_ram_share).
 * Each lucsim VM follows one traced VM: the traced VMs in a shuffled order drawn from the seed
 * (their own stream), VM i taking the (i mod #traced)-th, so every traced VM is used before one is
 * reused; with start=random a VM also starts at one of its trace's samples drawn from the seed. Each
 * sample holds until the next (step), or loads move linearly between samples, one change every
 * resolution (linear). Past its last sample a VM keeps it, or its trace starts over (loop). Only
 * changes are produced, plus every VM's first load at t = 0. Knows nothing of SimGrid: the injector
 * pulls the events (inj_set_load_source). */
#ifndef LUCSIM_LOAD_TRACE_H
#define LUCSIM_LOAD_TRACE_H

#include "config.h"
#include "error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct load_trace load_trace_t;

/* Reads p->trace_path (p->trace_format; auto: a folder is planetlab, a file csv) and maps vm_count
 * VMs onto its traced VMs with seed; changes at or after end_s (the experiment's end) are never
 * produced. Returns NULL with err on bad input: a missing or unreadable
 * path (field injector.trace.path), a folder with no trace file, a file without sample, a bad line
 * (FILE:LINE, the value and what was expected), a CSV header other than vm,time_s,cpu_pct[,ram_pct], a traced
 * VM with two samples at one time; or out of memory. Owned by the caller: load_trace_free. */
load_trace_t* load_trace_load(const inj_params_t* p, size_t vm_count, uint64_t seed, double end_s, lucsim_err_t* err);
void load_trace_free(load_trace_t* lt); /* accepts NULL */

/* The next load change, by time then VM index: 1 with *time_s, *vm, *load (% of one vCPU), or 0 when
 * there is no more before end_s. O(log vm_count). The signature
 * of inj_load_source_fn (lt passed as void*). */
int load_trace_next(void* lt, double* time_s, size_t* vm, double* load);

/* Whether the trace gives RAM use (a CSV with the ram_pct column). */
bool load_trace_has_ram(const load_trace_t* lt);

/* The share of VM vm's RAM in use at time_s (0 to 1) as its trace says, stepped or interpolated as
 * its CPU load (linear: at the last point of the resolution grid), looped as it; 1 for a trace
 * without RAM. O(log samples). The signature of mig_ram_share_fn (lt passed as void*). */
double load_trace_ram_share(void* lt, size_t vm, double time_s);

/* Number of traced VMs (files, or CSV VM names). */
size_t load_trace_series_count(const load_trace_t* lt);

/* load_trace.csv: `vm,trace,start_s`: for every VM the traced VM it follows (file name, or CSV VM
 * name) and the time in that trace it starts at. Returns 0, or -1 on a write error. */
int load_trace_write_map(const load_trace_t* lt, FILE* f);

#endif
