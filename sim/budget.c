/* Run-size estimates and their limits (see budget.h). The per-event byte and per-node memory costs
 * below were measured on the shipped experiments (vmplaces-128 with none and dvms in the three
 * trace modes; 10K PMs / 100K VMs for memory) and rounded up. */
#include "budget.h"

#include <math.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#define CSV_BYTES_PER_EVENT 10.0          /* violations, migrations, reconfigurations: 2 to 8 measured */
#define TRACE_FULL_BYTES_PER_EVENT 40.0   /* 26 to 38 measured */
#define TRACE_STATES_BYTES_PER_EVENT 10.0 /* 1.3 to 9 measured */
#define BYTES_PER_SAMPLE 80.0             /* a load.csv row (37) and the trace's global variables */
#define BYTES_PER_FAULT 200.0
#define MEMORY_BASE_BYTES (64.0 * 1048576.0)
#define MEMORY_PER_NODE_BYTES (32.0 * 1024.0) /* SimGrid host and links, one 16 KiB actor stack */
#define MEMORY_PER_VM_BYTES 400.0
/* SimGrid's zones and routes of a platform file, per byte of the file: 14.6 measured (a 12 MB file of
 * 150 sites on a ring, mostly zoneRoutes: 178 MB over the run without it) */
#define MEMORY_PER_PLATFORM_FILE_BYTE 16.0
#define LONG_DURATION_S 1e7 /* about 116 days: beyond it, duration is the field to blame */

budget_estimate_t budget_estimate(const config_t* cfg, size_t pms, size_t service_nodes)
{
  budget_estimate_t e    = {0};
  const inj_params_t* in = &cfg->injector;
  double crashable       = (double)pms + (in->fault_service_nodes ? (double)service_nodes : 0.0);
  e.load_events          = (double)cfg->vms.count * cfg->duration_s / in->load_period_s;
  if (in->kind == INJ_KIND_TRACE) { /* at most one change per VM per sample (step) or grid point (linear) */
    double interval = in->trace_interval_s > 0 ? in->trace_interval_s : 300.0;
    double every    = in->trace_interpolation == TRACE_LINEAR
                          ? (in->trace_resolution_s > 0 ? in->trace_resolution_s : interval / 10)
                          : interval;
    e.load_events   = (double)cfg->vms.count * (floor(cfg->duration_s / every) + 1.0);
  }
  e.fault_events       = in->fault_mtbf_s > 0 ? 2.0 * crashable * cfg->duration_s / in->fault_mtbf_s : 0.0;
  double outage_events = in->site_mtbf_s > 0 ? 2.0 * crashable * cfg->duration_s / in->site_mtbf_s : 0.0;
  e.fault_events += outage_events; /* an outage takes each node of its domain down and up once */
  e.samples        = floor(cfg->duration_s / cfg->output.load_sample_period_s) + 1.0;
  e.events         = e.load_events + e.fault_events + e.samples;
  double per_event = CSV_BYTES_PER_EVENT + (cfg->output.trace == OUT_TRACE_FULL     ? TRACE_FULL_BYTES_PER_EVENT
                                            : cfg->output.trace == OUT_TRACE_STATES ? TRACE_STATES_BYTES_PER_EVENT
                                                                                    : 0.0);
  e.output_bytes   = e.load_events * per_event + e.fault_events * BYTES_PER_FAULT + e.samples * BYTES_PER_SAMPLE;
  e.memory_bytes   = MEMORY_BASE_BYTES + ((double)pms + (double)service_nodes) * MEMORY_PER_NODE_BYTES +
                   (double)cfg->vms.count * MEMORY_PER_VM_BYTES;
  struct stat sb;
  if (cfg->platform.kind == PLAT_KIND_FILE && stat(cfg->platform.file, &sb) == 0) {
    e.platform_file_bytes = (double)sb.st_size;
    e.memory_bytes += e.platform_file_bytes * MEMORY_PER_PLATFORM_FILE_BYTE;
  }
  return e;
}

/* "3.2e+12", or "more than 1e308" for an infinite estimate. */
static const char* amount(double v, char* buf, size_t size)
{
  if (isinf(v) || isnan(v))
    snprintf(buf, size, "more than 1e308");
  else
    snprintf(buf, size, "%.3g", v);
  return buf;
}

static const char* gib(double bytes, char* buf, size_t size)
{
  if (isinf(bytes) || isnan(bytes))
    snprintf(buf, size, "more than 1e308 bytes");
  else if (bytes >= 1073741824.0)
    snprintf(buf, size, "%.3g GiB", bytes / 1073741824.0);
  else if (bytes >= 1048576.0)
    snprintf(buf, size, "%.3g MiB", bytes / 1048576.0);
  else
    snprintf(buf, size, "%.3g KiB", bytes / 1024.0);
  return buf;
}

static int refuse(const config_t* cfg, const char* field, lucsim_err_t* err, const char* what)
{
  const char* file;
  int line;
  config_locate(cfg, field, &file, &line);
  return lucsim_err_set(err, file, line, field, "%s", what);
}

static double physical_memory(void)
{
  long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
  return pages > 0 && page > 0 ? (double)pages * (double)page : INFINITY;
}

/* The fault field most to blame: the one of the shorter MTBF. */
static const char* budget_fault_field(const inj_params_t* in)
{
  bool outages = in->site_mtbf_s > 0 && (in->fault_mtbf_s <= 0 || in->site_mtbf_s < in->fault_mtbf_s);
  return outages ? "injector.faults.site_mtbf" : "injector.faults.mtbf";
}

int budget_check(const config_t* cfg, size_t pms, size_t service_nodes, lucsim_err_t* err)
{
  if (cfg->force) return 0;
  budget_estimate_t e = budget_estimate(cfg, pms, service_nodes);
  char what[700], a[48], b[48], c[48], d[48], limit[48];
  bool long_run = cfg->duration_s > LONG_DURATION_S;
  if (!(e.events <= cfg->limits.events)) {
    const char* field = long_run                                                  ? "duration"
                        : e.samples > e.load_events && e.samples > e.fault_events ? "output.load_period"
                        : e.fault_events > e.load_events                          ? budget_fault_field(&cfg->injector)
                        : cfg->injector.kind == INJ_KIND_TRACE                    ? "injector.trace.interval"
                        : cfg->injector.load_period_s < 1                         ? "injector.load.period"
                                                                                  : "vms.count";
    snprintf(what, sizeof what,
             "the run would simulate about %s events (%s load changes, %s faults, %s load samples); the limit is %s "
             "(limits.events): raise it with --set limits.events=N, or add --force",
             amount(e.events, a, sizeof a), amount(e.load_events, b, sizeof b), amount(e.fault_events, c, sizeof c),
             amount(e.samples, d, sizeof d), amount(cfg->limits.events, limit, sizeof limit));
    return refuse(cfg, field, err, what);
  }
  if (!(e.output_bytes <= (double)cfg->limits.output_bytes)) {
    const char* field = long_run ? "duration" : cfg->output.trace != OUT_TRACE_NONE ? "output.trace" : "vms.count";
    snprintf(what, sizeof what,
             "the run would write about %s into its results folder (%s events, trace %s); the limit is %s "
             "(limits.output): raise it with --set limits.output=SIZE, use output.trace=none, or add --force",
             gib(e.output_bytes, a, sizeof a), amount(e.events, b, sizeof b),
             cfg->output.trace == OUT_TRACE_FULL     ? "full"
             : cfg->output.trace == OUT_TRACE_STATES ? "states"
                                                     : "none",
             gib((double)cfg->limits.output_bytes, c, sizeof c));
    return refuse(cfg, field, err, what);
  }
  double memory = cfg->limits.memory_bytes ? (double)cfg->limits.memory_bytes : physical_memory();
  if (!(e.memory_bytes <= memory)) {
    double nodes      = (double)(pms + service_nodes) * MEMORY_PER_NODE_BYTES;
    double vms        = (double)cfg->vms.count * MEMORY_PER_VM_BYTES;
    double file       = e.platform_file_bytes * MEMORY_PER_PLATFORM_FILE_BYTE;
    const char* field = file > nodes && file > vms ? "platform.file" : nodes > vms ? "platform.pms" : "vms.count";
    char sizes[160];
    if (e.platform_file_bytes > 0 && pms + service_nodes == 0) /* a platform file, its hosts not counted yet */
      snprintf(sizes, sizeof sizes, "%d VMs and a platform file of %s (before its hosts are counted)", cfg->vms.count,
               gib(e.platform_file_bytes, c, sizeof c));
    else
      snprintf(sizes, sizeof sizes, "%zu PMs, %zu service nodes and %d VMs%s%s", pms, service_nodes, cfg->vms.count,
               e.platform_file_bytes > 0 ? " and a platform file of " : "",
               e.platform_file_bytes > 0 ? gib(e.platform_file_bytes, c, sizeof c) : "");
    snprintf(what, sizeof what,
             "the run would need about %s of memory for %s; the limit is %s (%s): raise it with --set "
             "limits.memory=SIZE, or add --force",
             gib(e.memory_bytes, a, sizeof a), sizes, gib(memory, b, sizeof b),
             cfg->limits.memory_bytes ? "limits.memory" : "the machine's physical memory, limits.memory=0");
    return refuse(cfg, field, err, what);
  }
  return 0;
}
