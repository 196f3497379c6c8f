/* Exact eviction: for each node that must send (overloaded, hosting a VM that may not stay, or a
 * SPREAD conflict), the cheapest set of its movable VMs whose removal makes it viable, found by a
 * depth-first branch and bound with a fractional-knapsack bound and a step budget. The sum of the
 * per-node minima is the lower bound. It does not place anything (heuristic.c does). */
#include "core_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct unit {
  double cpu, ram, w;
  int32_t first;  /* smallest VM index of the unit (tie-break) */
  uint32_t start; /* VMs of the unit: vms[start .. start + count) */
  uint32_t count;
} unit_t;

typedef struct search {
  const unit_t* u; /* k free units, decreasing cpu */
  size_t k;
  const size_t* ord[2]; /* unit indices by increasing w / demand, per resource */
  uint8_t* take;
  uint8_t* best_take;
  double best_cost, best_cpu;
  bool found;
  long steps, max_steps;
  bool count_obj;
  /* SPREAD conflicts on the node: pairs (constraint, unit index or -1 for a VM that stays). */
  const uint32_t* conf_c;
  const int32_t* conf_u;
  size_t conf_n;
  /* k-best mode (kmax > 0): the kmax cheapest MINIMAL sets, by cost, then evicted CPU, then search order. */
  size_t kmax, kfound;
  uint8_t* ktake; /* kmax rows of k flags */
  double *kcost, *kcpu;
} search_t;

/* qsort has no context argument in C11: sort small arrays by insertion instead. */
static void sort_units(unit_t* u, size_t k)
{
  for (size_t i = 1; i < k; i++) {
    unit_t x = u[i];
    size_t j = i;
    while (j > 0 && (u[j - 1].cpu < x.cpu || (u[j - 1].cpu == x.cpu && u[j - 1].first > x.first)))
      u[j] = u[j - 1], j--;
    u[j] = x;
  }
}

static void sort_ratio(size_t* ord, const unit_t* u, size_t k, int r)
{
  for (size_t i = 0; i < k; i++)
    ord[i] = i;
  for (size_t i = 1; i < k; i++) {
    size_t x = ord[i], j = i;
    double dx = r ? u[x].ram : u[x].cpu;
    double rx = dx > 0 ? u[x].w / dx : INFINITY;
    while (j > 0) {
      size_t y  = ord[j - 1];
      double dy = r ? u[y].ram : u[y].cpu;
      double ry = dy > 0 ? u[y].w / dy : INFINITY;
      if (ry < rx || (ry == rx && y < x)) break;
      ord[j] = y, j--;
    }
    ord[j] = x;
  }
}

/* Fractional-knapsack lower bound on the cost of covering the excesses with units i..k-1. */
static double frac_bound(const search_t* s, size_t i, const double ex[2])
{
  double lb = 0;
  for (int r = 0; r < 2; r++) {
    double need = ex[r], cost = 0;
    if (need <= CORE__EPS) continue;
    for (size_t j = 0; j < s->k && need > CORE__EPS; j++) {
      size_t x = s->ord[r][j];
      if (x < i) continue;
      double d = r ? s->u[x].ram : s->u[x].cpu;
      if (d <= 0) continue;
      double f = need < d ? need / d : 1.0;
      cost += f * s->u[x].w;
      need -= f * d;
    }
    if (need > CORE__EPS * 10) return INFINITY;
    if (cost > lb) lb = cost;
  }
  return s->count_obj ? ceil(lb - 1e-9) : lb;
}

static bool spread_ok(const search_t* s)
{
  for (size_t a = 0; a < s->conf_n; a++) {
    if (s->conf_u[a] >= 0 && s->take[s->conf_u[a]]) continue;
    for (size_t b = a + 1; b < s->conf_n; b++)
      if (s->conf_c[b] == s->conf_c[a] && !(s->conf_u[b] >= 0 && s->take[s->conf_u[b]])) return false;
  }
  return true;
}

/* No taken unit can stay home: putting any one back breaks capacity or SPREAD. */
static bool minimal(search_t* s, double ex_cpu, double ex_ram)
{
  for (size_t x = 0; x < s->k; x++) {
    if (!s->take[x] || ex_cpu + s->u[x].cpu > CORE__EPS || ex_ram + s->u[x].ram > CORE__EPS) continue;
    s->take[x] = 0;
    bool ok    = spread_ok(s);
    s->take[x] = 1;
    if (ok) return false;
  }
  return true;
}

static void kbest_insert(search_t* s, double cost, double cpu_ev)
{
  CORE_ASSERT(s->kmax > 0, "a k-best insertion outside k-best mode");
  size_t p = s->kfound;
  while (p > 0 && (s->kcost[p - 1] > cost + 1e-9 * (fabs(cost) + 1) ||
                   (fabs(s->kcost[p - 1] - cost) <= 1e-9 * (fabs(cost) + 1) && s->kcpu[p - 1] > cpu_ev + 1e-9)))
    p--;
  if (p >= s->kmax) return;
  size_t last = s->kfound < s->kmax ? s->kfound : s->kmax - 1;
  for (size_t j = last; j > p; j--) {
    s->kcost[j] = s->kcost[j - 1], s->kcpu[j] = s->kcpu[j - 1];
    memcpy(s->ktake + j * s->k, s->ktake + (j - 1) * s->k, s->k);
  }
  s->kcost[p] = cost, s->kcpu[p] = cpu_ev;
  memcpy(s->ktake + p * s->k, s->take, s->k);
  if (s->kfound < s->kmax) s->kfound++;
}

static void dfs(search_t* s, size_t i, double cost, double cpu_ev, double ex_cpu, double ex_ram)
{
  if (++s->steps > s->max_steps) return;
  if (s->kmax > 0) { /* k-best: prune against the k-th set once k are known */
    if (ex_cpu <= CORE__EPS && ex_ram <= CORE__EPS && spread_ok(s)) {
      if (minimal(s, ex_cpu, ex_ram)) kbest_insert(s, cost, cpu_ev);
      return;
    }
    if (i == s->k) return;
    double ex[2] = {ex_cpu, ex_ram}, kth = s->kcost[s->kmax - 1];
    if (s->kfound == s->kmax && cost + frac_bound(s, i, ex) > kth + 1e-9 * (fabs(kth) + 1)) return;
    s->take[i] = 1;
    dfs(s, i + 1, cost + s->u[i].w, cpu_ev + s->u[i].cpu, ex_cpu - s->u[i].cpu, ex_ram - s->u[i].ram);
    s->take[i] = 0;
    dfs(s, i + 1, cost, cpu_ev, ex_cpu, ex_ram);
    return;
  }
  double tol = 1e-9 * (fabs(s->best_cost) + 1);
  if (ex_cpu <= CORE__EPS && ex_ram <= CORE__EPS && spread_ok(s)) {
    if (!s->found || cost < s->best_cost - tol || (cost <= s->best_cost + tol && cpu_ev < s->best_cpu - 1e-9)) {
      s->found = true, s->best_cost = cost, s->best_cpu = cpu_ev;
      memcpy(s->best_take, s->take, s->k);
    }
    return;
  }
  if (i == s->k) return;
  double ex[2] = {ex_cpu, ex_ram};
  if (s->found && cost + frac_bound(s, i, ex) > s->best_cost + tol) return;
  s->take[i] = 1;
  dfs(s, i + 1, cost + s->u[i].w, cpu_ev + s->u[i].cpu, ex_cpu - s->u[i].cpu, ex_ram - s->u[i].ram);
  s->take[i] = 0;
  dfs(s, i + 1, cost, cpu_ev, ex_cpu, ex_ram);
}

/* Builds the units of node n: returns the number of free units in u (forced ones are evicted at once
 * into evict[] and their cost added to *forced_cost). vms receives the VM lists of the units. */
static size_t build_units(core__ws_t* ws, int32_t n, unit_t* u, int32_t* vms, uint8_t* evict, double* forced_cost,
                          double ex[2], bool* infeasible)
{
  size_t k = 0, nv = 0;
  uint32_t b = ws->node_vm_start[n], e = ws->node_vm_start[n + 1];
  for (uint32_t i = b; i < e; i++) {
    int32_t v = ws->node_vms[i];
    if (!(ws->vf[v] & CORE__VF_REPAIR) || evict[v] == 2) continue;
    int32_t g       = ws->gather_of[v];
    bool unit_fixed = false, unit_forced = false;
    unit_t x = {0, 0, 0, v, (uint32_t)nv, 0};
    for (uint32_t j = i; j < e; j++) { /* the VM, or all its GATHER partners on n */
      int32_t y = ws->node_vms[j];
      if (y != v && (g < 0 || ws->gather_of[y] != g)) continue;
      unit_fixed |= !(ws->vf[y] & CORE__VF_REPAIR);
      unit_forced |= (ws->vf[y] & CORE__VF_FORCED) != 0;
      x.cpu += ws->cpu[y], x.ram += (double)ws->pb->vms[y].ram_bytes, x.w += ws->w[y];
      vms[nv++] = y, x.count++;
      evict[y]  = 2; /* visited */
    }
    if (unit_fixed) {
      nv -= x.count;
      if (unit_forced) *infeasible = true;
      continue;
    }
    if (unit_forced) {
      for (uint32_t j = 0; j < x.count; j++)
        evict[vms[x.start + j]] = 1;
      *forced_cost += x.w, ex[0] -= x.cpu, ex[1] -= x.ram;
      nv -= x.count;
      continue;
    }
    u[k++] = x;
  }
  for (uint32_t i = b; i < e; i++) /* clear the visit marks */
    if (evict[ws->node_vms[i]] == 2) evict[ws->node_vms[i]] = 0;
  for (uint32_t i = b; i < e; i++) {
    int32_t v = ws->node_vms[i];
    if (ws->vf[v] & CORE__VF_FORCED && ws->vf[v] & CORE__VF_FIXED) *infeasible = true;
  }
  return k;
}

/* Scratch arrays of the per-node searches, sized for the most loaded node: maxk VMs, and conf_cap SPREAD
 * conflicts (one per VM and SPREAD constraint naming it, so a VM in several SPREADs counts several). */
typedef struct scratch {
  unit_t* u;
  int32_t* vms;
  size_t* ord;
  uint8_t* take;
  uint32_t* conf_c;
  int32_t* conf_u;
  size_t conf_cap;
} scratch_t;

static void scratch_free(scratch_t* x)
{
  free(x->u), free(x->vms), free(x->ord), free(x->take), free(x->conf_c), free(x->conf_u);
}

/* Returns 0, or CORE__ERR_NOMEM (x then holds nothing). */
static int scratch_init(const core__ws_t* ws, scratch_t* x)
{
  size_t maxk = 0, maxconf = 0;
  for (size_t n = 0; n < ws->nn; n++) {
    uint32_t b = ws->node_vm_start[n], e = ws->node_vm_start[n + 1];
    size_t conf = 0;
    for (uint32_t i = b; i < e; i++)
      conf += ws->vm_c_start[ws->node_vms[i] + 1] - ws->vm_c_start[ws->node_vms[i]];
    maxk    = e - b > maxk ? e - b : maxk;
    maxconf = conf > maxconf ? conf : maxconf;
  }
  core__mem_t* mem = ws->mem;
  x->conf_cap      = maxconf + 1;
  x->u             = core__calloc(mem, maxk + 1, sizeof(unit_t));
  x->vms           = core__calloc(mem, maxk + 1, sizeof(int32_t));
  x->ord           = core__calloc(mem, 2 * (maxk + 1), sizeof(size_t));
  x->take          = core__calloc(mem, 2 * (maxk + 1), 1);
  x->conf_c        = core__calloc(mem, x->conf_cap, sizeof(uint32_t));
  x->conf_u        = core__calloc(mem, x->conf_cap, sizeof(int32_t));
  if (!(x->u && x->vms && x->ord && x->take && x->conf_c && x->conf_u)) {
    scratch_free(x);
    return CORE__ERR_NOMEM;
  }
  return 0;
}

/* Sets up the search of node n (units, SPREAD conflicts, orders) in *s over x. Forced units are marked in
 * evict[] at once; their cost goes to *forced_cost and the remaining excess to ex. */
static void node_setup(core__ws_t* ws, size_t n, scratch_t* x, uint8_t* evict, search_t* s, double* forced_cost,
                       double ex[2], bool* infeasible)
{
  unit_t* u    = x->u;
  int32_t* vms = x->vms;
  *forced_cost = 0;
  ex[0] = -ws->cpu_free[n], ex[1] = -ws->ram_free[n];
  *infeasible = ws->nf[n] & CORE__NF_DOWN;
  size_t k    = build_units(ws, (int32_t)n, u, vms, evict, forced_cost, ex, infeasible);
  sort_units(u, k);
  /* SPREAD conflicts among the VMs staying candidates on n. */
  size_t conf_n = 0;
  uint32_t b = ws->node_vm_start[n], e = ws->node_vm_start[n + 1];
  for (uint32_t i = b; i < e; i++) {
    int32_t v = ws->node_vms[i];
    if (evict[v]) continue;
    for (uint32_t ci = ws->vm_c_start[v]; ci < ws->vm_c_start[v + 1]; ci++) {
      uint32_t c                 = ws->vm_cs[ci];
      const core_constraint_t* g = &ws->pb->constraints[c];
      if (g->kind != CORE_SPREAD) continue;
      size_t same = 0;
      for (size_t j = 0; j < g->vm_count; j++)
        same += g->vms[j] != v && ws->pb->vms[g->vms[j]].node == (int32_t)n && !evict[g->vms[j]];
      if (!same) continue;
      int32_t owner = -1;
      for (size_t y = 0; y < k && owner < 0; y++)
        for (uint32_t j = 0; j < u[y].count; j++)
          if (vms[u[y].start + j] == v) owner = (int32_t)y;
      CORE_ASSERT(conf_n < x->conf_cap, "more SPREAD conflicts on a node than the scratch holds");
      x->conf_c[conf_n] = c, x->conf_u[conf_n] = owner, conf_n++;
    }
  }
  memset(s, 0, sizeof *s);
  s->u = u, s->k = k, s->ord[0] = x->ord, s->ord[1] = x->ord + k;
  s->take = x->take, s->best_take = x->take + k;
  s->max_steps = ws->prm->max_eviction_steps, s->count_obj = ws->prm->objective == CORE_OBJ_COUNT;
  s->conf_c = x->conf_c, s->conf_u = x->conf_u, s->conf_n = conf_n;
  sort_ratio(x->ord, u, k, 0);
  sort_ratio(x->ord + k, u, k, 1);
  memset(x->take, 0, 2 * k);
}

int core__evict_all(core__ws_t* ws, uint8_t* evict, double* lb_out, bool* exact)
{
  scratch_t x;
  if (scratch_init(ws, &x) != 0) return CORE__ERR_NOMEM;
  memset(evict, 0, ws->nv);
  double lb = 0;
  *exact    = true;
  for (size_t n = 0; n < ws->nn; n++) {
    if (!(ws->nf[n] & CORE__NF_VIOL)) continue;
    double forced_cost, ex[2];
    bool infeasible;
    search_t s;
    node_setup(ws, n, &x, evict, &s, &forced_cost, ex, &infeasible);
    uint32_t b = ws->node_vm_start[n], e = ws->node_vm_start[n + 1];
    if (!infeasible) dfs(&s, 0, 0, 0, ex[0], ex[1]);
    ws->work.vms_examined += (uint64_t)s.steps + (e - b);
    double exroot[2] = {ex[0], ex[1]};
    bool spent       = s.steps > s.max_steps;
    if (infeasible || !s.found) { /* leave the node as it is */
      for (uint32_t i = b; i < e; i++)
        evict[ws->node_vms[i]] = 0;
      *exact         = false;
      ws->node_lb[n] = (infeasible || !spent) ? 0 : frac_bound(&s, 0, exroot);
      lb             = (infeasible || !spent) ? INFINITY : lb + ws->node_lb[n];
      continue;
    }
    if (spent) { /* budget spent: the node's bound is the fractional one */
      *exact         = false;
      ws->node_lb[n] = forced_cost + frac_bound(&s, 0, exroot);
    } else {
      ws->node_lb[n] = forced_cost + s.best_cost;
    }
    lb += ws->node_lb[n];
    for (size_t y = 0; y < s.k; y++)
      if (s.best_take[y])
        for (uint32_t j = 0; j < x.u[y].count; j++)
          evict[x.vms[x.u[y].start + j]] = 1;
  }
  scratch_free(&x);
  *lb_out = lb;
  return 0;
}

/* Increasing RAM, then node order (insertion sort: stable, and a node holds few units). */
static void sort_by_ram(unit_t* u, size_t k)
{
  for (size_t i = 1; i < k; i++) {
    unit_t x = u[i];
    size_t j = i;
    for (; j > 0 && u[j - 1].ram > x.ram; j--)
      u[j] = u[j - 1];
    u[j] = x;
  }
}

int core__evict_ffd(core__ws_t* ws, uint8_t* evict)
{
  CORE_ASSERT(ws->prm->eviction != CORE_EVICT_EXACT, "core__evict_ffd with the exact eviction");
  scratch_t x;
  if (scratch_init(ws, &x) != 0) return CORE__ERR_NOMEM;
  for (size_t n = 0; n < ws->nn; n++) {
    if (!(ws->nf[n] & CORE__NF_VIOL)) continue;
    uint32_t b = ws->node_vm_start[n], e = ws->node_vm_start[n + 1];
    for (uint32_t i = b; i < e; i++)
      evict[ws->node_vms[i]] = 0;
    double forced_cost, ex[2] = {-ws->cpu_free[n], -ws->ram_free[n]};
    bool infeasible = ws->nf[n] & CORE__NF_DOWN;
    size_t k        = build_units(ws, (int32_t)n, x.u, x.vms, evict, &forced_cost, ex, &infeasible);
    ws->work.vms_examined += e - b;
    if (infeasible) { /* a VM that must leave cannot: the node stays as it is, as with the exact eviction */
      for (uint32_t i = b; i < e; i++)
        evict[ws->node_vms[i]] = 0;
      continue;
    }
    bool all = ws->prm->eviction == CORE_EVICT_ALL;
    if (ws->prm->eviction == CORE_EVICT_MMT) sort_by_ram(x.u, k);
    for (size_t y = 0; y < k && (all || ex[0] > CORE__EPS || ex[1] > CORE__EPS); y++) { /* node order, or RAM (MMT) */
      for (uint32_t j = 0; j < x.u[y].count; j++)
        evict[x.vms[x.u[y].start + j]] = 1;
      ex[0] -= x.u[y].cpu, ex[1] -= x.u[y].ram;
    }
  }
  scratch_free(&x);
  return 0;
}

size_t core__evict_alternatives(core__ws_t* ws, int32_t n, size_t k, uint8_t* evict, uint8_t* sets)
{
  uint32_t b = ws->node_vm_start[n], e = ws->node_vm_start[n + 1];
  size_t cnt = e - b, found = 0;
  if (k == 0 || cnt == 0 || !(ws->nf[n] & CORE__NF_VIOL)) return 0;
  scratch_t x;
  if (scratch_init(ws, &x) != 0) return 0;
  uint8_t* saved = core__malloc(ws->mem, cnt, 1);
  uint8_t* ktake = core__calloc(ws->mem, k * (cnt + 1), 1); /* k rows of at most cnt units */
  double* kcost  = core__calloc(ws->mem, k, sizeof(double));
  double* kcpu   = core__calloc(ws->mem, k, sizeof(double));
  if (!(saved && ktake && kcost && kcpu)) {
    free(saved), free(ktake), free(kcost), free(kcpu), scratch_free(&x);
    return 0;
  }
  for (uint32_t i = b; i < e; i++)
    saved[i - b] = evict[ws->node_vms[i]], evict[ws->node_vms[i]] = 0;
  double forced_cost, ex[2];
  bool infeasible;
  search_t s;
  node_setup(ws, (size_t)n, &x, evict, &s, &forced_cost, ex, &infeasible);
  s.kmax = k, s.ktake = ktake, s.kcost = kcost, s.kcpu = kcpu;
  if (!infeasible) dfs(&s, 0, 0, 0, ex[0], ex[1]);
  ws->work.vms_examined += (uint64_t)s.steps + cnt;
  found = s.kfound;
  for (size_t j = 0; j < found; j++) {
    uint8_t* row = sets + j * cnt;
    for (uint32_t i = b; i < e; i++) /* forced VMs (marked by node_setup) leave in every set */
      row[i - b] = evict[ws->node_vms[i]] == 1;
    for (size_t y = 0; y < s.k; y++)
      if (s.ktake[j * s.k + y])
        for (uint32_t q = 0; q < x.u[y].count; q++)
          for (uint32_t i = b; i < e; i++)
            if (ws->node_vms[i] == x.vms[x.u[y].start + q]) row[i - b] = 1;
  }
  for (uint32_t i = b; i < e; i++)
    evict[ws->node_vms[i]] = saved[i - b];
  free(saved), free(s.ktake), free(s.kcost), free(s.kcpu);
  scratch_free(&x);
  return found;
}
