/* The load and fault injector: three merged processes (load changes, crashes, repairs), Poisson
 * driven except Weibull uptimes (per-node renewals), and the SimGrid actor that replays them. It draws and orders
 * events; it applies none itself: the hooks given to inj_start_actor do (see injector.h). */
#include "injector.h"
#include "rng.h"

#include <math.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <stdlib.h>
#include <string.h>
#include <xbt/asserts.h>
#include <xbt/log.h>

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(inj, lucsim, "Load and fault injector");

/* A recovery (or, with Weibull uptimes, a failure) to come, in a min-heap ordered by (time_s, node). */
typedef struct inj_pending {
  double time_s;
  size_t node;
} inj_pending_t;

struct inj {
  inj_params_t p;
  size_t vm_count;
  size_t node_count;
  size_t crashable;        /* nodes 0..crashable-1 may crash */
  rng_t arrivals;          /* RNG_STREAM_ARRIVALS: load inter-arrival times */
  rng_t loads;             /* RNG_STREAM_LOADS: load values */
  rng_t vm_choice;         /* RNG_STREAM_VM_CHOICE: which VM */
  rng_t vm_choice_ahead;   /* the same stream INJ_LOOKAHEAD draws ahead: the VM of a later load change */
  size_t vm_ahead;         /* the VM of the load change INJ_LOOKAHEAD after the last one drawn */
  rng_t faults;            /* RNG_STREAM_FAULTS: crash times, then the node of each */
  rng_t repairs;           /* RNG_STREAM_REPAIRS: repair durations */
  double load_gap_mean_s;  /* period / #VMs, or INFINITY when there is no load change */
  double crash_gap_mean_s; /* mtbf / #crashable, or INFINITY when there is no crash */
  double next_load_s;      /* time of the next load change (INFINITY: none) */
  double next_crash_s;     /* time of the next crash draw (INFINITY: none) */
  inj_pending_t* heap;     /* pending recoveries, capacity crashable (a node is down at most once) */
  size_t heap_len;
  inj_pending_t* failures; /* Weibull uptimes: each up node's next failure, capacity crashable */
  size_t failures_len;
  bool* down; /* per crashable node: crashed on its own and not yet recovered */
  /* Failure domains (inj_set_domains): sites or racks whose nodes all fail together. */
  size_t domain_count;
  size_t* domain_of;          /* per crashable node: its domain, or INJ_NO_DOMAIN */
  size_t* domain_start;       /* CSR: the nodes of domain d are domain_nodes[domain_start[d]..[d+1]) */
  size_t* domain_nodes;       /* in node order within each domain */
  bool* domain_down;          /* per domain: out and not yet repaired */
  rng_t domain_faults;        /* RNG_STREAM_DOMAIN_FAULTS: outage times, then the domain of each */
  rng_t domain_repairs;       /* RNG_STREAM_DOMAIN_REPAIRS: their repair durations */
  double next_domain_s;       /* time of the next outage draw (INFINITY: none) */
  inj_pending_t* domain_heap; /* pending domain repairs, capacity domain_count */
  size_t domain_heap_len;
  /* An outage or repair being emitted, one node event at a time (all at burst_time_s). */
  size_t burst_domain; /* INJ_NO_DOMAIN: none */
  size_t burst_next;   /* next index into the domain's nodes */
  bool burst_emitted;  /* an event of this burst was given (the next is not its first) */
  double burst_time_s;
  /* A failure trace (inj_replay_trace) instead of drawn crashes: borrowed, replayed in order. */
  const fault_trace_event_t* trace;
  size_t trace_len, trace_next;
  /* Load changes taken from a source (inj_set_load_source) instead of drawn; the next one is held. */
  inj_load_source_fn load_source;
  void* load_source_data;
  size_t source_vm;
  double source_load;
  /* The actor (inj_start_actor). */
  bool actor_started;
  double end_time_s;
  inj_hooks_t hooks;
  void* userdata;
};

int inj_check_params(const inj_params_t* p, lucsim_err_t* err)
{
  if (!(p->load_period_s >= 0) || isinf(p->load_period_s))
    return lucsim_err_set(err, "", 0, "injector.load.period", "%g is not a finite duration >= 0 (0 = no load change)",
                          p->load_period_s);
  if (!isfinite(p->load_mean))
    return lucsim_err_set(err, "", 0, "injector.load.mean", "%g is not a finite load", p->load_mean);
  if (!(p->load_stddev >= 0) || isinf(p->load_stddev))
    return lucsim_err_set(err, "", 0, "injector.load.stddev", "%g is not a finite standard deviation >= 0",
                          p->load_stddev);
  if (!isfinite(p->load_min) || !isfinite(p->load_max) || p->load_min > p->load_max)
    return lucsim_err_set(err, "", 0, "injector.load.max", "clamp [%g, %g] is not a finite interval with min <= max",
                          p->load_min, p->load_max);
  if (p->load_slots < 0)
    return lucsim_err_set(err, "", 0, "injector.load.slots", "%d is negative; expected a count >= 0 (0 = continuous)",
                          p->load_slots);
  if (!(p->fault_mtbf_s >= 0) || isinf(p->fault_mtbf_s))
    return lucsim_err_set(err, "", 0, "injector.faults.mtbf", "%g is not a finite duration >= 0 (0 = no crash)",
                          p->fault_mtbf_s);
  if (p->fault_mtbf_s > 0 && (!(p->fault_mttr_s > 0) || isinf(p->fault_mttr_s)))
    return lucsim_err_set(err, "", 0, "injector.faults.mttr", "%g is not a finite duration > 0 (needed when mtbf > 0)",
                          p->fault_mttr_s);
  if (!(p->site_mtbf_s >= 0) || isinf(p->site_mtbf_s))
    return lucsim_err_set(err, "", 0, "injector.faults.site_mtbf", "%g is not a finite duration >= 0 (0 = no outage)",
                          p->site_mtbf_s);
  if (p->site_mtbf_s > 0 && (!(p->site_mttr_s > 0) || isinf(p->site_mttr_s)))
    return lucsim_err_set(err, "", 0, "injector.faults.site_mttr",
                          "%g is not a finite duration > 0 (needed when site_mtbf > 0)", p->site_mttr_s);
  if (p->rack_size < 0)
    return lucsim_err_set(err, "", 0, "injector.faults.rack_size", "%d is negative; expected a count >= 0 (0 = sites)",
                          p->rack_size);
  if (p->fault_mtbf_s > 0 && p->fault_distribution == INJ_FAULTS_WEIBULL &&
      (!(p->fault_shape > 0) || isinf(p->fault_shape)))
    return lucsim_err_set(err, "", 0, "injector.faults.shape", "%g is not a finite Weibull shape > 0", p->fault_shape);
  return 0;
}

/* ---- pending recoveries: a binary min-heap on (time_s, node) ---- */

static bool inj_pending_before(const inj_pending_t* a, const inj_pending_t* b)
{
  return a->time_s < b->time_s || (a->time_s == b->time_s && a->node < b->node);
}

static void heap_push(inj_pending_t* heap, size_t* len, size_t cap, double time_s, size_t node)
{
  xbt_assert(*len < cap, "more pending events than crashable nodes");
  size_t i         = (*len)++;
  inj_pending_t in = {time_s, node};
  while (i > 0) {
    size_t parent = (i - 1) / 2;
    if (!inj_pending_before(&in, &heap[parent])) break;
    heap[i] = heap[parent];
    i       = parent;
  }
  heap[i] = in;
}

static inj_pending_t heap_pop(inj_pending_t* heap, size_t* len)
{
  inj_pending_t top  = heap[0];
  inj_pending_t last = heap[--*len];
  size_t n           = *len;
  size_t i           = 0;
  for (;;) {
    size_t child = 2 * i + 1;
    if (child >= n) break;
    if (child + 1 < n && inj_pending_before(&heap[child + 1], &heap[child])) child++;
    if (!inj_pending_before(&heap[child], &last)) break;
    heap[i] = heap[child];
    i       = child;
  }
  if (n > 0) heap[i] = last;
  return top;
}

static void inj_heap_push(inj_t* inj, double time_s, size_t node)
{
  heap_push(inj->heap, &inj->heap_len, inj->crashable, time_s, node);
}

static inj_pending_t inj_heap_pop(inj_t* inj)
{
  return heap_pop(inj->heap, &inj->heap_len);
}

/* Weibull uptimes: node's next failure, an uptime after `from` (its repair). */
static void inj_schedule_failure(inj_t* inj, size_t node, double from)
{
  double uptime = rng_weibull(&inj->faults, inj->p.fault_mtbf_s, inj->p.fault_shape);
  heap_push(inj->failures, &inj->failures_len, inj->crashable, from + uptime, node);
}

/* The first failure, in steady state rather than with every node new at t = 0 (with a shape below
 * 1, new nodes fail early: a burst at the start): uptimes chained from INJ_WEIBULL_WARMUP mtbf
 * before 0, the first that ends after 0 being the node's remaining life (repairs left out). */
#define INJ_WEIBULL_WARMUP 10.0
static void inj_schedule_first_failure(inj_t* inj, size_t node)
{
  double t = -INJ_WEIBULL_WARMUP * inj->p.fault_mtbf_s;
  while (t <= 0)
    t += rng_weibull(&inj->faults, inj->p.fault_mtbf_s, inj->p.fault_shape);
  heap_push(inj->failures, &inj->failures_len, inj->crashable, t, node);
}

/* ---- the generator ---- */

inj_t* inj_create(const inj_params_t* p, size_t vm_count, size_t node_count, size_t crashable_nodes, uint64_t seed)
{
  if (inj_check_params(p, NULL) != 0 || crashable_nodes > node_count) return NULL;
  inj_t* inj = calloc(1, sizeof *inj);
  if (!inj) return NULL;
  inj->p             = *p;
  inj->vm_count      = vm_count;
  inj->node_count    = node_count;
  inj->crashable     = p->fault_mtbf_s > 0 || p->site_mtbf_s > 0 ? crashable_nodes : 0;
  inj->burst_domain  = INJ_NO_DOMAIN;
  inj->next_domain_s = INFINITY; /* until inj_set_domains */
  bool weibull       = p->fault_distribution == INJ_FAULTS_WEIBULL;
  if (inj->crashable > 0) {
    inj->heap     = malloc(inj->crashable * sizeof *inj->heap);
    inj->down     = calloc(inj->crashable, sizeof *inj->down);
    weibull       = weibull && p->fault_mtbf_s > 0;
    inj->failures = weibull ? malloc(inj->crashable * sizeof *inj->failures) : NULL;
    if (!inj->heap || !inj->down || (weibull && !inj->failures)) {
      inj_destroy(inj);
      return NULL;
    }
  }
  rng_init(&inj->arrivals, seed, RNG_STREAM_ARRIVALS);
  rng_init(&inj->loads, seed, RNG_STREAM_LOADS);
  rng_init(&inj->vm_choice, seed, RNG_STREAM_VM_CHOICE);
  inj->vm_choice_ahead = inj->vm_choice;
  for (size_t i = 0; i < INJ_LOOKAHEAD && vm_count > 0; i++)
    (void)rng_below(&inj->vm_choice_ahead, vm_count);
  rng_init(&inj->faults, seed, RNG_STREAM_FAULTS);
  rng_init(&inj->repairs, seed, RNG_STREAM_REPAIRS);

  bool loads           = vm_count > 0 && p->load_period_s > 0;
  inj->load_gap_mean_s = loads ? p->load_period_s / (double)vm_count : INFINITY;
  inj->next_load_s     = loads ? rng_exponential(&inj->arrivals, inj->load_gap_mean_s) : INFINITY;
  inj->crash_gap_mean_s =
      inj->crashable > 0 && p->fault_mtbf_s > 0 ? p->fault_mtbf_s / (double)inj->crashable : INFINITY;
  rng_init(&inj->domain_faults, seed, RNG_STREAM_DOMAIN_FAULTS);
  rng_init(&inj->domain_repairs, seed, RNG_STREAM_DOMAIN_REPAIRS);
  if (inj->failures) { /* each node's first failure, in node order */
    for (size_t node = 0; node < inj->crashable; node++)
      inj_schedule_first_failure(inj, node);
    inj->next_crash_s = inj->failures_len ? inj->failures[0].time_s : INFINITY;
  } else {
    inj->next_crash_s =
        inj->crash_gap_mean_s < INFINITY ? rng_exponential(&inj->faults, inj->crash_gap_mean_s) : INFINITY;
  }
  return inj;
}

void inj_destroy(inj_t* inj)
{
  if (!inj) return;
  free(inj->heap);
  free(inj->failures);
  free(inj->down);
  free(inj->domain_of);
  free(inj->domain_start);
  free(inj->domain_nodes);
  free(inj->domain_down);
  free(inj->domain_heap);
  free(inj);
}

int inj_set_domains(inj_t* inj, const size_t* domain_of, size_t domain_count)
{
  if (inj->p.site_mtbf_s <= 0 || inj->crashable == 0 || domain_count == 0) return 0;
  size_t n          = inj->crashable;
  inj->domain_of    = malloc(n * sizeof *inj->domain_of);
  inj->domain_start = calloc(domain_count + 1, sizeof *inj->domain_start);
  inj->domain_nodes = malloc(n * sizeof *inj->domain_nodes);
  inj->domain_down  = calloc(domain_count, sizeof *inj->domain_down);
  inj->domain_heap  = malloc(domain_count * sizeof *inj->domain_heap);
  if (!inj->domain_of || !inj->domain_start || !inj->domain_nodes || !inj->domain_down || !inj->domain_heap) return -1;
  inj->domain_count = domain_count;
  for (size_t node = 0; node < n; node++) { /* counting sort: each domain's nodes in node order */
    xbt_assert(domain_of[node] == INJ_NO_DOMAIN || domain_of[node] < domain_count, "node %zu: bad domain", node);
    inj->domain_of[node] = domain_of[node];
    if (domain_of[node] != INJ_NO_DOMAIN) inj->domain_start[domain_of[node] + 1]++;
  }
  for (size_t d = 0; d < domain_count; d++)
    inj->domain_start[d + 1] += inj->domain_start[d];
  size_t* fill = malloc(domain_count * sizeof *fill);
  if (!fill) return -1;
  memcpy(fill, inj->domain_start, domain_count * sizeof *fill);
  for (size_t node = 0; node < n; node++)
    if (domain_of[node] != INJ_NO_DOMAIN) inj->domain_nodes[fill[domain_of[node]]++] = node;
  free(fill);
  inj->next_domain_s = rng_exponential(&inj->domain_faults, inj->p.site_mtbf_s / (double)domain_count);
  return 0;
}

/* A node is down when it failed on its own or its domain is out. */
static bool inj_effectively_down(const inj_t* inj, size_t node)
{
  if (inj->down[node]) return true;
  size_t d = inj->domain_of ? inj->domain_of[node] : INJ_NO_DOMAIN;
  return d != INJ_NO_DOMAIN && inj->domain_down[d];
}

/* The next node event of the outage or repair being emitted: its nodes not down on their own
 * (those stay down either way), in node order. Returns 0 when the burst is over. */
static int inj_next_in_burst(inj_t* inj, inj_event_t* ev)
{
  size_t d = inj->burst_domain;
  while (inj->burst_next < inj->domain_start[d + 1]) {
    size_t node = inj->domain_nodes[inj->burst_next++];
    if (inj->down[node]) continue;
    ev->kind           = inj->domain_down[d] ? INJ_EV_CRASH : INJ_EV_RECOVER;
    ev->time_s         = inj->burst_time_s;
    ev->node           = node;
    ev->domain         = d;
    ev->outage_begins  = inj->domain_down[d] && !inj->burst_emitted;
    inj->burst_emitted = true;
    return 1;
  }
  inj->burst_domain = INJ_NO_DOMAIN;
  return 0;
}

static void inj_start_burst(inj_t* inj, size_t domain, bool down, double time_s)
{
  inj->domain_down[domain] = down;
  inj->burst_domain        = domain;
  inj->burst_next          = inj->domain_start[domain];
  inj->burst_emitted       = false;
  inj->burst_time_s        = time_s;
}

/* Draws or takes the next domain outage or repair at or before `before`; returns true when one
 * started (its burst may still be empty: every node of it already down on its own). */
static bool inj_domain_step(inj_t* inj, double before)
{
  double repair_s = inj->domain_heap_len > 0 ? inj->domain_heap[0].time_s : INFINITY;
  if (inj->domain_heap_len > 0 && repair_s <= inj->next_domain_s && repair_s <= before) {
    inj_pending_t r = heap_pop(inj->domain_heap, &inj->domain_heap_len);
    inj_start_burst(inj, r.node, false, r.time_s);
    return true;
  }
  if (inj->next_domain_s > before || inj->next_domain_s == INFINITY) return false;
  double t           = inj->next_domain_s;
  size_t d           = (size_t)rng_below(&inj->domain_faults, inj->domain_count);
  inj->next_domain_s = t + rng_exponential(&inj->domain_faults, inj->p.site_mtbf_s / (double)inj->domain_count);
  if (inj->domain_down[d]) return true; /* already out: dropped, as for nodes (memoryless) */
  heap_push(inj->domain_heap, &inj->domain_heap_len, inj->domain_count,
            t + rng_exponential(&inj->domain_repairs, inj->p.site_mttr_s), d);
  inj_start_burst(inj, d, true, t);
  return true;
}

/* Node fails on its own at t: its repair is scheduled; returns whether ev got the CRASH (not when
 * the node is already down with its domain: the failure is seen at the outage's end). */
static bool inj_node_fails(inj_t* inj, size_t node, double t, inj_event_t* ev)
{
  bool hidden     = inj_effectively_down(inj, node);
  inj->down[node] = true;
  inj_heap_push(inj, t + rng_exponential(&inj->repairs, inj->p.fault_mttr_s), node);
  if (hidden) return false;
  ev->kind   = INJ_EV_CRASH;
  ev->time_s = t;
  ev->node   = node;
  return true;
}

/* A load value: N(mean, sd), clamped, then rounded to the nearest grid point (see injector.h). */
static double inj_draw_load(inj_t* inj)
{
  const inj_params_t* p = &inj->p;
  double x              = rng_normal(&inj->loads, p->load_mean, p->load_stddev);
  if (x < p->load_min) x = p->load_min;
  if (x > p->load_max) x = p->load_max;
  if (p->load_slots > 0 && p->load_max > p->load_min) {
    double step = (p->load_max - p->load_min) / p->load_slots;
    double k    = floor((x - p->load_min) / step + 0.5);
    x           = k >= p->load_slots ? p->load_max : p->load_min + k * step;
  }
  return x;
}

/* The source's next change becomes the pending load event (next_load_s INFINITY when none). */
static void inj_fetch_source(inj_t* inj)
{
  double t;
  if (inj->load_source(inj->load_source_data, &t, &inj->source_vm, &inj->source_load))
    inj->next_load_s = t;
  else
    inj->next_load_s = INFINITY;
}

void inj_set_load_source(inj_t* inj, inj_load_source_fn next, void* data)
{
  inj->load_source      = next;
  inj->load_source_data = data;
  inj_fetch_source(inj);
}

int inj_replay_trace(inj_t* inj, const fault_trace_event_t* events, size_t count)
{
  if (inj->p.fault_mtbf_s > 0 || inj->p.site_mtbf_s > 0) return -1; /* drawn and replayed failures do not mix */
  free(inj->down);
  inj->down = calloc(inj->node_count ? inj->node_count : 1, sizeof *inj->down);
  if (!inj->down) return -1;
  inj->crashable  = inj->node_count;
  inj->trace      = events;
  inj->trace_len  = count;
  inj->trace_next = 0;
  return 0;
}

int inj_next(inj_t* inj, inj_event_t* ev)
{
  memset(ev, 0, sizeof *ev);
  ev->domain = INJ_NO_DOMAIN;
  if (inj->trace_next < inj->trace_len && inj->trace[inj->trace_next].time_s <= inj->next_load_s) {
    const fault_trace_event_t* t = &inj->trace[inj->trace_next++];
    inj->down[t->node]           = t->down;
    ev->kind                     = t->down ? INJ_EV_CRASH : INJ_EV_RECOVER;
    ev->time_s                   = t->time_s;
    ev->node                     = t->node;
    return 1;
  }
  for (;;) {
    if (inj->burst_domain != INJ_NO_DOMAIN && inj_next_in_burst(inj, ev)) return 1;
    double recover_s = inj->heap_len > 0 ? inj->heap[0].time_s : INFINITY;
    double node_s    = fmin(recover_s, fmin(inj->next_crash_s, inj->next_load_s));
    if (inj->domain_count > 0 && inj_domain_step(inj, node_s)) continue;
    if (inj->heap_len > 0 && recover_s <= inj->next_crash_s && recover_s <= inj->next_load_s) {
      inj_pending_t r   = inj_heap_pop(inj);
      inj->down[r.node] = false;
      if (inj->failures) { /* its next uptime starts now */
        inj_schedule_failure(inj, r.node, r.time_s);
        inj->next_crash_s = inj->failures[0].time_s;
      }
      if (inj_effectively_down(inj, r.node)) continue; /* repaired, but its site is still out */
      ev->kind   = INJ_EV_RECOVER;
      ev->time_s = r.time_s;
      ev->node   = r.node;
      return 1;
    }
    if (inj->failures && inj->next_crash_s <= inj->next_load_s && inj->next_crash_s < INFINITY) {
      inj_pending_t f   = heap_pop(inj->failures, &inj->failures_len);
      inj->next_crash_s = inj->failures_len ? inj->failures[0].time_s : INFINITY;
      if (inj_node_fails(inj, f.node, f.time_s, ev)) return 1;
      continue;
    }
    if (inj->next_crash_s <= inj->next_load_s && inj->next_crash_s < INFINITY) {
      double t          = inj->next_crash_s;
      size_t node       = (size_t)rng_below(&inj->faults, inj->crashable);
      inj->next_crash_s = t + rng_exponential(&inj->faults, inj->crash_gap_mean_s);
      if (inj->down[node]) continue; /* already down: this failure is dropped (memoryless, see injector.h) */
      if (inj_node_fails(inj, node, t, ev)) return 1;
      continue;
    }
    if (inj->next_load_s == INFINITY) return 0;
    ev->kind   = INJ_EV_LOAD;
    ev->time_s = inj->next_load_s;
    if (inj->load_source) {
      ev->vm   = inj->source_vm;
      ev->load = inj->source_load;
      inj_fetch_source(inj);
      return 1;
    }
    ev->vm           = (size_t)rng_below(&inj->vm_choice, inj->vm_count);
    inj->vm_ahead    = (size_t)rng_below(&inj->vm_choice_ahead, inj->vm_count);
    ev->load         = inj_draw_load(inj);
    inj->next_load_s = ev->time_s + rng_exponential(&inj->arrivals, inj->load_gap_mean_s);
    return 1;
  }
}

bool inj_node_is_down(const inj_t* inj, size_t node)
{
  return node < inj->crashable && inj_effectively_down(inj, node);
}

/* ---- the actor ---- */

static void inj_actor_main(int argc, char* argv[])
{
  (void)argc;
  (void)argv;
  inj_t* inj       = sg_actor_self_get_data();
  size_t counts[3] = {0, 0, 0};
  inj_event_t ev, next;
  bool have = inj_next(inj, &ev) && ev.time_s < inj->end_time_s;
  while (have) {
    sg_actor_sleep_until(ev.time_s);
    double now = simgrid_get_clock();
    counts[ev.kind]++;
    switch (ev.kind) {
    case INJ_EV_LOAD:
      XBT_DEBUG("t=%.6f vm %zu load %g", now, ev.vm, ev.load);
      if (inj->hooks.on_load) inj->hooks.on_load(inj->userdata, ev.vm, ev.load, now);
      break;
    case INJ_EV_CRASH:
      XBT_DEBUG("t=%.6f node %zu crashes", now, ev.node);
      if (inj->hooks.on_crash) inj->hooks.on_crash(inj->userdata, &ev, now);
      break;
    case INJ_EV_RECOVER:
      XBT_DEBUG("t=%.6f node %zu recovers", now, ev.node);
      if (inj->hooks.on_recover) inj->hooks.on_recover(inj->userdata, &ev, now);
      break;
    }
    /* one event ahead, to tell the last event of an instant (a site outage's crashes) */
    have = inj_next(inj, &next) && next.time_s < inj->end_time_s;
    if ((!have || next.time_s > ev.time_s) && inj->hooks.on_instant_end) inj->hooks.on_instant_end(inj->userdata, now);
    if (have && next.kind == INJ_EV_LOAD && inj->hooks.on_load_ahead)
      inj->hooks.on_load_ahead(inj->userdata, next.vm, inj->load_source ? next.vm : inj->vm_ahead);
    ev = next;
  }
  if (isfinite(inj->end_time_s)) sg_actor_sleep_until(inj->end_time_s);
  XBT_VERB("injector done: %zu load changes, %zu crashes, %zu recoveries", counts[INJ_EV_LOAD], counts[INJ_EV_CRASH],
           counts[INJ_EV_RECOVER]);
}

void inj_start_actor(inj_t* inj, sg_host_t host, double end_time_s, const inj_hooks_t* hooks, void* userdata)
{
  xbt_assert(!inj->actor_started, "inj_start_actor called twice on one injector");
  inj->actor_started = true;
  inj->end_time_s    = end_time_s;
  if (hooks) inj->hooks = *hooks;
  inj->userdata  = userdata;
  sg_actor_t act = sg_actor_init("injector", host);
  sg_actor_set_data(act, inj);
  sg_actor_start(act, inj_actor_main, 0, NULL);
}
