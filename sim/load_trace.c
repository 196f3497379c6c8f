/* Replaying a load trace (load_trace.h): which traced VM each VM follows and from where, and the
 * load changes in time order, from a heap of the VMs keyed by their next change. Reading the files
 * is load_trace_read.c's. */
#include "load_trace_internal.h"

#include "rng.h"
#include "stats.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DEFAULT_INTERVAL_S 300.0 /* the PlanetLab trace's */

typedef struct lt_vm {
  double next_s; /* simulated time of its next change (INFINITY: none) */
  double shift;  /* where it starts in its series, s from the series' first sample */
  double cur;    /* the last load produced */
  uint64_t j;    /* linear: index of its next change on the resolution grid */
  uint32_t sid;  /* its series */
  uint32_t k;    /* its current sample (step) or segment start (linear) */
  uint32_t lap;  /* times its series started over (loop) */
  bool started;  /* its first load (at t = 0) was produced */
} lt_vm_t;

struct load_trace {
  lt_set_t set;
  double* period; /* per series: last sample - first + interval (the loop's length) */
  lt_vm_t* vms;
  size_t vm_count;
  uint32_t* heap; /* VM indices, min (next_s, index) on top */
  size_t heap_len;
  bool linear, loop;
  double resolution_s;
  double end_s; /* changes at or after it are not produced (a looped trace would never end) */
};

static inline double rel(const lt_series_t* s, size_t k)
{
  return s->t[k] - s->t[0];
}

static inline bool before(const load_trace_t* lt, uint32_t a, uint32_t b)
{
  double x = lt->vms[a].next_s, y = lt->vms[b].next_s;
  return x < y || (x == y && a < b);
}

static void sift_down(load_trace_t* lt, size_t i)
{
  for (;;) {
    size_t l = 2 * i + 1, r = l + 1, m = i;
    if (l < lt->heap_len && before(lt, lt->heap[l], lt->heap[m])) m = l;
    if (r < lt->heap_len && before(lt, lt->heap[r], lt->heap[m])) m = r;
    if (m == i) return;
    uint32_t tmp = lt->heap[i];
    lt->heap[i] = lt->heap[m], lt->heap[m] = tmp;
    i = m;
  }
}

/* The load of m at its next_s, and m moved to its following change (step: the next sample). */
static double step_value(load_trace_t* lt, lt_vm_t* m)
{
  const lt_series_t* s = &lt->set.series[m->sid];
  double value         = s->v[m->k];
  if (m->k + 1 < s->n) {
    m->k++;
    m->next_s = m->lap * lt->period[m->sid] + rel(s, m->k) - m->shift;
  } else if (lt->loop) {
    m->k = 0;
    m->lap++;
    m->next_s = m->lap * lt->period[m->sid] - m->shift;
  } else {
    m->next_s = INFINITY;
  }
  return value;
}

/* values (a column of s) at tau, s from its first sample, sample k the last at or before tau: on the
 * line to the next sample, or past the last back to the first over the last interval (loop), or
 * the last sample held. */
static double interpolated(const lt_series_t* s, const float* values, size_t k, double tau, double period, bool loop)
{
  if (k + 1 < s->n) {
    double a = rel(s, k), b = rel(s, k + 1);
    return values[k] + (values[k + 1] - values[k]) * (tau - a) / (b - a);
  }
  if (loop) {
    double a = rel(s, s->n - 1);
    return values[s->n - 1] + (values[0] - values[s->n - 1]) * (tau - a) / (period - a);
  }
  return values[s->n - 1];
}

/* The same, linear: the load interpolated at next_s, then the next point of the resolution grid. */
static double linear_value(load_trace_t* lt, lt_vm_t* m)
{
  const lt_series_t* s = &lt->set.series[m->sid];
  double period        = lt->period[m->sid];
  double tau           = m->next_s + m->shift - m->lap * period;
  while (lt->loop && tau >= period) {
    m->lap++, m->k = 0;
    tau -= period;
  }
  while (m->k + 1 < s->n && rel(s, m->k + 1) <= tau)
    m->k++;
  double value = interpolated(s, s->v, m->k, tau, period, lt->loop);
  bool last    = m->k + 1 >= s->n && !lt->loop;
  m->j++;
  m->next_s = last ? INFINITY : (double)m->j * lt->resolution_s;
  return value;
}

int load_trace_next(void* arg, double* time_s, size_t* vm, double* load)
{
  load_trace_t* lt = arg;
  while (lt->heap_len > 0) {
    uint32_t v   = lt->heap[0];
    lt_vm_t* m   = &lt->vms[v];
    double t     = m->next_s;
    double value = lt->linear ? linear_value(lt, m) : step_value(lt, m);
    if (m->next_s >= lt->end_s) lt->heap[0] = lt->heap[--lt->heap_len];
    sift_down(lt, 0);
    if (!m->started || value != m->cur) { /* only changes, and every VM's first load */
      m->started = true;
      m->cur     = value;
      *time_s = t, *vm = v, *load = value;
      return 1;
    }
  }
  return 0;
}

/* Series index of each VM, and where it starts: a permutation of the series drawn from the seed
 * (VM i follows the (i mod #series)-th), then, with start=random, a sample of it per VM. */
static int map_vms(load_trace_t* lt, const inj_params_t* p, uint64_t seed)
{
  size_t count    = lt->set.count;
  uint32_t* order = malloc(count * sizeof *order);
  if (!order) return -1;
  rng_t rng;
  rng_init(&rng, seed, RNG_STREAM_TRACE_MAP);
  for (size_t i = 0; i < count; i++)
    order[i] = (uint32_t)i;
  for (size_t i = count; i > 1; i--) { /* Fisher-Yates */
    size_t r     = (size_t)rng_below(&rng, i);
    uint32_t tmp = order[i - 1];
    order[i - 1] = order[r], order[r] = tmp;
  }
  for (size_t v = 0; v < lt->vm_count; v++) {
    lt_vm_t* m           = &lt->vms[v];
    m->sid               = order[v % count];
    const lt_series_t* s = &lt->set.series[m->sid];
    m->k                 = p->trace_start == TRACE_START_RANDOM ? (uint32_t)rng_below(&rng, s->n) : 0;
    m->shift             = rel(s, m->k);
    m->next_s            = 0;
    if (lt->linear) m->k = 0;  /* linear_value finds the segment from the shift */
    lt->heap[v] = (uint32_t)v; /* every next_s is 0: index order is a heap */
  }
  lt->heap_len = lt->vm_count;
  free(order);
  return 0;
}

load_trace_t* load_trace_load(const inj_params_t* p, size_t vm_count, uint64_t seed, double end_s, lucsim_err_t* err)
{
  struct stat st;
  if (stat(p->trace_path, &st) != 0) {
    lucsim_err_set(err, NULL, 0, "injector.trace.path", "cannot read '%s': %s", p->trace_path, strerror(errno));
    return NULL;
  }
  trace_format_t format = p->trace_format;
  if (format == TRACE_FORMAT_AUTO) format = S_ISDIR(st.st_mode) ? TRACE_FORMAT_PLANETLAB : TRACE_FORMAT_CSV;
  if ((format == TRACE_FORMAT_PLANETLAB) != S_ISDIR(st.st_mode)) {
    lucsim_err_set(err, NULL, 0, "injector.trace.path", "'%s' is %s; format %s expects %s", p->trace_path,
                   S_ISDIR(st.st_mode) ? "a folder" : "a file", format == TRACE_FORMAT_PLANETLAB ? "planetlab" : "csv",
                   format == TRACE_FORMAT_PLANETLAB ? "a folder of files" : "a file");
    return NULL;
  }
  load_trace_t* lt = calloc(1, sizeof *lt);
  if (!lt) {
    lucsim_err_set(err, NULL, 0, NULL, "out of memory (load trace)");
    return NULL;
  }
  double interval  = p->trace_interval_s > 0 ? p->trace_interval_s : DEFAULT_INTERVAL_S;
  lt->linear       = p->trace_interpolation == TRACE_LINEAR;
  lt->loop         = p->trace_loop;
  lt->resolution_s = p->trace_resolution_s > 0 ? p->trace_resolution_s : interval / 10;
  lt->vm_count     = vm_count;
  lt->end_s        = end_s;
  int rc           = format == TRACE_FORMAT_PLANETLAB ? lt_read_planetlab(p->trace_path, interval, &lt->set, err)
                                                      : lt_read_csv(p->trace_path, &lt->set, err);
  if (rc == 0) {
    lt->period = malloc(lt->set.count * sizeof *lt->period);
    lt->vms    = calloc(vm_count + 1, sizeof *lt->vms);
    lt->heap   = malloc((vm_count + 1) * sizeof *lt->heap);
    if (!lt->period || !lt->vms || !lt->heap || map_vms(lt, p, seed) != 0)
      rc = lucsim_err_set(err, NULL, 0, NULL, "out of memory (load trace of %zu VMs)", vm_count);
  }
  if (rc != 0) {
    load_trace_free(lt);
    return NULL;
  }
  for (size_t i = 0; i < lt->set.count; i++)
    lt->period[i] = rel(&lt->set.series[i], lt->set.series[i].n - 1) + interval;
  return lt;
}

void load_trace_free(load_trace_t* lt)
{
  if (!lt) return;
  lt_set_free(&lt->set);
  free(lt->period);
  free(lt->vms);
  free(lt->heap);
  free(lt);
}

bool load_trace_has_ram(const load_trace_t* lt)
{
  return lt->set.has_ram;
}

/* The last sample of s at or before tau (s from its first sample), or sample 0. */
static size_t sample_at(const lt_series_t* s, double tau)
{
  size_t lo = 0, hi = s->n; /* rel(lo) <= tau < rel(hi) (sample 0 when tau is before every sample) */
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (rel(s, mid) <= tau)
      lo = mid;
    else
      hi = mid;
  }
  return lo;
}

double load_trace_ram_share(void* arg, size_t vm, double time_s)
{
  const load_trace_t* lt = arg;
  const lt_vm_t* m       = &lt->vms[vm];
  const lt_series_t* s   = &lt->set.series[m->sid];
  if (!s->ram) return 1.0;
  if (lt->linear) time_s = floor(time_s / lt->resolution_s) * lt->resolution_s; /* the CPU's grid point */
  double period = lt->period[m->sid];
  double tau    = time_s + m->shift;
  if (lt->loop) tau -= floor(tau / period) * period;
  size_t k   = sample_at(s, tau);
  double pct = lt->linear ? interpolated(s, s->ram, k, tau, period, lt->loop) : s->ram[k];
  return pct / 100.0;
}

size_t load_trace_series_count(const load_trace_t* lt)
{
  return lt->set.count;
}

int load_trace_write_map(const load_trace_t* lt, FILE* f)
{
  fputs("vm,trace,start_s\n", f);
  for (size_t v = 0; v < lt->vm_count; v++) {
    fprintf(f, "%zu,", v);
    stats_csv_string(f, lt->set.series[lt->vms[v].sid].name);
    fprintf(f, ",%.9f\n", lt->vms[v].shift);
  }
  return ferror(f) ? -1 : 0;
}
