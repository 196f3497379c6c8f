/* Overload detection of CloudSim's dynamic VM consolidation (Beloglazov and Buyya, CCPE 2012), built
 * only on the public API (scheduler.h, "Overload detection"; docs/ENERGY.md): each VM's CPU history,
 * sampled at the rounds that cover it, gives each PM the utilisation it may reach (its threshold);
 * the round's problem offers each PM that share of its CPU, so the shared core evicts from the PMs
 * above it and fills none beyond it. */
#include "scheduler.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <xbt/asserts.h>

#define HISTORY 30    /* samples kept per VM (CloudSim's PowerVm.HISTORY_LENGTH) */
#define MIN_STAT 12   /* MAD and IQR need this many samples (CloudSim's "safe value") */
#define LR_SAMPLES 10 /* the local regression fits the newest 10 */

struct sched_overload {
  sched_overload_params_t p;
  size_t vm_count;
  float* hist;    /* vm_count x HISTORY CPU demands (load units), ring */
  uint8_t* count; /* per VM: samples held */
  uint8_t* head;  /* per VM: index of the newest */
  double* last_s; /* per VM: time of the newest (one sample per instant) */
  double* host;   /* HISTORY: a node's history, scratch */
  double* share;  /* per problem node, scratch */
  size_t share_cap;
};

int sched_param_overload(sched_ctx_t* ctx, sched_overload_params_t* out, lucsim_err_t* err)
{
  static const sched_param_doc_t docs[] = {
      {"overload", "when a PM must send: capacity (its demand exceeds its CPU), or CloudSim's detectors thr (above "
                   "overload_threshold), mad, iqr (above 1 - overload_safety x the statistic of its history) or lr "
                   "(overload_safety x the local regression's prediction >= 1)"},
      {"overload_threshold", "thr: the utilisation a PM may reach"},
      {"overload_safety", "the safety parameter s of mad, iqr and lr; 0: CloudSim's (2.5, 1.5, 1.2)"},
      {"overload_fallback", "mad, iqr, lr: the static threshold while a PM's history is short"},
      {NULL, NULL}};
  static const char* const rules[]     = {"capacity", "thr", "mad", "iqr", "lr", NULL};
  static const double default_safety[] = {0, 0, 2.5, 1.5, 1.2};
  sched_param_docs(ctx, docs);
  int rule;
  if (sched_param_enum(ctx, "overload", rules, SCHED_OVERLOAD_CAPACITY, &rule, err) != 0 ||
      sched_param_double(ctx, "overload_threshold", 0.8, 0.05, 1, &out->threshold, err) != 0 ||
      sched_param_double(ctx, "overload_safety", 0, 0, 100, &out->safety, err) != 0 ||
      sched_param_double(ctx, "overload_fallback", 0.7, 0.05, 1, &out->fallback, err) != 0)
    return -1;
  out->rule = (sched_overload_rule_t)rule;
  if (out->safety == 0) out->safety = default_safety[rule];
  return 0;
}

sched_overload_t* sched_overload_create(const sched_ctx_t* ctx, const sched_overload_params_t* p)
{
  if (p->rule == SCHED_OVERLOAD_CAPACITY) return NULL;
  sched_overload_t* ov = calloc(1, sizeof *ov);
  xbt_assert(ov, "out of memory");
  size_t n     = sched_vm_count(ctx) ? sched_vm_count(ctx) : 1;
  ov->p        = *p;
  ov->vm_count = sched_vm_count(ctx);
  ov->hist     = calloc(n * HISTORY, sizeof *ov->hist);
  ov->count    = calloc(n, 1);
  ov->head     = calloc(n, 1);
  ov->last_s   = malloc(n * sizeof *ov->last_s);
  ov->host     = calloc(HISTORY, sizeof *ov->host);
  xbt_assert(ov->hist && ov->count && ov->head && ov->last_s && ov->host, "out of memory");
  for (size_t v = 0; v < n; v++)
    ov->last_s[v] = -1;
  return ov;
}

void sched_overload_destroy(sched_overload_t* ov)
{
  if (!ov) return;
  free(ov->hist), free(ov->count), free(ov->head), free(ov->last_s), free(ov->host), free(ov->share);
  free(ov);
}

static int by_value(const void* a, const void* b)
{
  double x = *(const double*)a, y = *(const double*)b;
  return (x > y) - (x < y);
}

/* The median of x[0..n) sorted (n > 0): the middle value, or the mean of the two middle ones. */
static double median_sorted(const double* x, size_t n)
{
  return n % 2 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
}

/* Median absolute deviation, unscaled: median |x - median(x)|. */
static double mad(const double* h, size_t n)
{
  double s[HISTORY], d[HISTORY];
  memcpy(s, h, n * sizeof *s);
  qsort(s, n, sizeof *s, by_value);
  double m = median_sorted(s, n);
  for (size_t i = 0; i < n; i++)
    d[i] = fabs(s[i] - m);
  qsort(d, n, sizeof *d, by_value);
  return median_sorted(d, n);
}

/* Interquartile range as CloudSim computes it: sorted values at 0-based ranks round(0.25 (n+1)) - 1
 * and round(0.75 (n+1)) - 1, halves rounded up, no interpolation. */
static double iqr(const double* h, size_t n)
{
  double s[HISTORY];
  memcpy(s, h, n * sizeof *s);
  qsort(s, n, sizeof *s, by_value);
  size_t q1 = (size_t)floor(0.25 * (double)(n + 1) + 0.5) - 1, q3 = (size_t)floor(0.75 * (double)(n + 1) + 0.5) - 1;
  return s[q3] - s[q1];
}

/* Least squares over the newest LR_SAMPLES samples at x = 1 (oldest) .. 10 (newest), evaluated one
 * scheduling interval ahead (x = 11): CloudSim's local regression, whose weights are never applied. */
static double lr_prediction(const double* h)
{
  double sx = 0, sy = 0, sxx = 0, sxy = 0, n = LR_SAMPLES;
  for (size_t i = 0; i < LR_SAMPLES; i++) {
    double x = (double)(LR_SAMPLES - i), y = h[i]; /* h[0] is the newest */
    sx += x, sy += y, sxx += x * x, sxy += x * y;
  }
  double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx), intercept = (sy - slope * sx) / n;
  return intercept + slope * (LR_SAMPLES + 1);
}

double sched_overload_threshold(const sched_overload_params_t* p, const double* h, size_t n, double u)
{
  if (n > HISTORY) n = HISTORY; /* the newest HISTORY samples, as kept */
  double t;
  switch (p->rule) {
  case SCHED_OVERLOAD_THR:
    t = p->threshold;
    break;
  case SCHED_OVERLOAD_MAD:
    t = n >= MIN_STAT ? 1 - p->safety * mad(h, n) : p->fallback;
    break;
  case SCHED_OVERLOAD_IQR:
    t = n >= MIN_STAT ? 1 - p->safety * iqr(h, n) : p->fallback;
    break;
  case SCHED_OVERLOAD_LR:
    if (n < LR_SAMPLES) {
      t = p->fallback;
    } else { /* overloaded when s x prediction >= 1; the share scales the prediction with the load */
      double predicted = p->safety * lr_prediction(h);
      t                = predicted > 0 ? u / predicted : 1;
    }
    break;
  default:
    t = 1;
    break;
  }
  return t < 0 ? 0 : t > 1 ? 1 : t;
}

static void sample(sched_overload_t* ov, size_t vm, double demand, double now)
{
  xbt_assert(vm < ov->vm_count, "VM %zu beyond the %zu histories", vm, ov->vm_count);
  if (ov->last_s[vm] == now) return;
  size_t head                   = ov->count[vm] ? (ov->head[vm] + 1) % HISTORY : 0;
  ov->head[vm]                  = (uint8_t)head;
  ov->hist[vm * HISTORY + head] = (float)demand;
  ov->last_s[vm]                = now;
  if (ov->count[vm] < HISTORY) ov->count[vm]++;
}

/* The history of node i (age 0 the newest): at each age, the demands of the VMs it hosts now, over
 * its capacity (a VM with a shorter history adds to its own ages only), cut after the last non-zero
 * sample as CloudSim does. Returns its length. */
static size_t node_history(sched_overload_t* ov, const core_problem_t* pb, const uint32_t* first, size_t i,
                           double capacity)
{
  size_t len = 0;
  memset(ov->host, 0, HISTORY * sizeof *ov->host);
  for (uint32_t k = first[i]; k < first[i + 1]; k++) {
    size_t vm = (size_t)pb->vms[k].id;
    for (size_t age = 0; age < ov->count[vm]; age++)
      ov->host[age] += ov->hist[vm * HISTORY + (ov->head[vm] + HISTORY - age) % HISTORY] / capacity;
  }
  for (size_t age = 0; age < HISTORY; age++)
    if (ov->host[age] != 0) len = age + 1;
  return len;
}

void sched_overload_limit(const sched_ctx_t* ctx, sched_overload_t* ov, sched_problem_t* problem,
                          const core_problem_t* pb, bool record)
{
  double now = sched_now(ctx);
  if (record)
    for (size_t k = 0; k < pb->vm_count; k++)
      sample(ov, (size_t)pb->vms[k].id, pb->vms[k].cpu_demand, now);
  /* the VMs of node i are pb->vms[first[i] .. first[i + 1]): sched_problem_build lists them node by node */
  uint32_t* first = calloc(pb->node_count + 1, sizeof *first);
  if (pb->node_count > ov->share_cap) {
    free(ov->share);
    ov->share_cap = pb->node_count;
    ov->share     = malloc(ov->share_cap * sizeof *ov->share);
  }
  xbt_assert(first && (ov->share || pb->node_count == 0), "out of memory");
  for (size_t k = 0; k < pb->vm_count; k++) {
    xbt_assert(k == 0 || pb->vms[k].node >= pb->vms[k - 1].node, "problem VMs not grouped by node");
    first[pb->vms[k].node + 1]++;
  }
  for (size_t i = 0; i < pb->node_count; i++)
    first[i + 1] += first[i];
  for (size_t i = 0; i < pb->node_count; i++) {
    sched_pm_info_t p;
    sched_pm_info(ctx, (size_t)pb->nodes[i].id, &p);
    ov->share[i] = 1; /* an empty PM takes VMs up to its capacity, as CloudSim's idle hosts */
    if (first[i + 1] == first[i] || p.cpu_capacity <= 0) continue;
    size_t n     = node_history(ov, pb, first, i, p.cpu_capacity);
    ov->share[i] = sched_overload_threshold(&ov->p, ov->host, n, p.cpu_demand / p.cpu_capacity);
  }
  sched_problem_limit_cpu(ctx, problem, ov->share);
  free(first);
}
