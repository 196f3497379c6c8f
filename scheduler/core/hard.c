/* Heuristic repairs of the constraints the input breaks that no node eviction fixes: GATHER (members
 * on several nodes), AMONG (members across node groups), LONELY (a member sharing a node with an
 * outsider) and MAX_ONLINE (more nodes active than k). For each broken constraint it flags the VMs
 * of its cheapest repair for eviction (the partners on other nodes than the heaviest one, the members
 * outside the heaviest group, the lighter side of each shared node, the lightest active nodes);
 * heuristic.c then places them under every constraint, which sends GATHER and AMONG partners where
 * those that stay are. Each repair also has a lower bound on its cost, combined with the eviction
 * bound (hard_t), so a heuristic answer at that bound skips GLPK. A broken constraint it cannot plan
 * (fixed members on different nodes, a member on a down node) leaves the whole repair to GLPK. */
#include "core_internal.h"

#include <stdlib.h>
#include <string.h>

/* The repair state of one call. The bound: VMs are grouped in components, each with a lower bound on
 * the cost of the moves among its VMs; a NF_VIOL node starts one (its eviction bound), each repair
 * joins the components its VMs touch. Components are disjoint, so their bounds add up; a repair over
 * VMs of several of them is worth at least the larger of its own bound and their sum. */
typedef struct hard {
  core__ws_t* ws;
  uint8_t* member; /* nv: 1 for the members of the constraint at hand (cleared after it) */
  uint8_t* evict;  /* nv: the planned evictions (the caller's array, ORed into) */
  int32_t* comp;   /* nv: the VM's component, or -1 */
  int32_t* parent; /* per component: union-find parent (itself at a root) */
  double* bound;   /* per component (at its root) */
  uint32_t* stamp; /* per component: the repair that last summed it */
  int32_t* fresh;  /* VMs of the repair at hand in no component yet */
  int32_t* roots;  /* the components the repair at hand touches */
  size_t comps, fresh_count, root_count;
  uint32_t repair; /* repairs so far (stamps) */
  double touched;  /* sum of the bounds of the components the repair at hand touches */
  double lb;       /* what the repairs add to the eviction bound */
} hard_t;

static int32_t root(const hard_t* h, int32_t c)
{
  while (h->parent[c] != c)
    c = h->parent[c];
  return c;
}

static void bound_begin(hard_t* h)
{
  h->repair++, h->touched = 0, h->fresh_count = 0, h->root_count = 0;
}

/* VM v takes part in the repair at hand. */
static void bound_touch(hard_t* h, int32_t v)
{
  if (h->comp[v] < 0) {
    h->fresh[h->fresh_count++] = v, h->comp[v] = -2; /* -2: listed once */
    return;
  }
  if (h->comp[v] == -2) return;
  int32_t r = root(h, h->comp[v]);
  if (h->stamp[r] == h->repair) return;
  h->stamp[r]               = h->repair;
  h->roots[h->root_count++] = r;
  h->touched += h->bound[r];
}

/* The repair at hand costs at least cost: a new component joining those it touched. */
static void bound_end(hard_t* h, double cost)
{
  int32_t x    = (int32_t)h->comps++;
  h->parent[x] = x, h->stamp[x] = 0;
  h->bound[x] = cost > h->touched ? cost : h->touched;
  for (size_t i = 0; i < h->root_count; i++)
    h->parent[h->roots[i]] = x;
  for (size_t i = 0; i < h->fresh_count; i++)
    h->comp[h->fresh[i]] = x;
  h->lb += h->bound[x] - h->touched;
}

static void bound_list(hard_t* h, const int32_t* list, size_t count, double cost)
{
  bound_begin(h);
  for (size_t i = 0; i < count; i++)
    bound_touch(h, list[i]);
  bound_end(h, cost);
}

static bool fixed(const core__ws_t* ws, int32_t v)
{
  return ws->vf[v] & CORE__VF_FIXED;
}

static bool closed(const core__ws_t* ws, int32_t n)
{
  return ws->nf[n] & (CORE__NF_DOWN | CORE__NF_OFFREQ);
}

/* Node n sends a VM under the repairs planned so far (a receiver must not send under no-chain). */
static bool sends(const hard_t* h, int32_t n)
{
  for (uint32_t i = h->ws->node_vm_start[n]; i < h->ws->node_vm_start[n + 1]; i++)
    if (h->evict[h->ws->node_vms[i]]) return true;
  return false;
}

/* GATHER: keep the members of the node where they weigh most (the one a fixed member pins), if it has
 * room for the others; else move them all, as one block (heuristic.c). Bound: the weight of the members
 * outside the heaviest node. */
static bool repair_gather(hard_t* h, const core_constraint_t* k)
{
  core__ws_t* ws = h->ws;
  int32_t pinned = CORE_NONE, anchor = CORE_NONE;
  double total = 0, best_w = -1;
  for (size_t j = 0; j < k->vm_count; j++) {
    int32_t v = k->vms[j], n = ws->pos[v];
    if (ws->nf[n] & CORE__NF_DOWN) return false;
    if (fixed(ws, v)) {
      if (pinned != CORE_NONE && pinned != n) return false;
      pinned = n;
    }
    total += ws->w[v];
  }
  double max_w = 0;
  for (size_t j = 0; j < k->vm_count; j++) { /* candidate anchors: the member nodes, heaviest first */
    int32_t n   = ws->pos[k->vms[j]];
    double on_n = 0, cpu_in = 0, ram_in = 0;
    for (size_t i = 0; i < k->vm_count; i++) {
      int32_t y = k->vms[i];
      if (ws->pos[y] == n)
        on_n += ws->w[y];
      else
        cpu_in += ws->cpu[y], ram_in += (double)ws->pb->vms[y].ram_bytes;
    }
    if (on_n > max_w) max_w = on_n;
    bool usable = (pinned == CORE_NONE || n == pinned) && !closed(ws, n) && !(ws->nf[n] & CORE__NF_VIOL) &&
                  !sends(h, n) && ws->cpu_free[n] + CORE__EPS >= cpu_in && ws->ram_free[n] >= ram_in;
    if (usable && (on_n > best_w || (on_n == best_w && n < anchor))) best_w = on_n, anchor = n;
  }
  ws->work.vms_examined += (uint64_t)k->vm_count * k->vm_count;
  if (anchor == CORE_NONE && pinned != CORE_NONE) return false;
  for (size_t j = 0; j < k->vm_count; j++)
    if (ws->pos[k->vms[j]] != anchor) h->evict[k->vms[j]] = 1;
  bound_list(h, k->vms, k->vm_count, total - max_w);
  return true;
}

/* AMONG: keep the members inside the group where they weigh most (the one fixed members pin); move the
 * others. Bound: the weight of the members outside that group. */
static bool repair_among(hard_t* h, uint32_t c)
{
  core__ws_t* ws             = h->ws;
  const core_constraint_t* k = &ws->pb->constraints[c];
  double* in_group           = core__calloc(ws->mem, k->group_count, sizeof(double));
  if (!in_group) return false;
  int32_t pinned = CORE_NONE, g;
  double total   = 0;
  bool ok        = true;
  for (size_t j = 0; j < k->vm_count && ok; j++) {
    int32_t v = k->vms[j], n = ws->pos[v];
    bool in = core__node_in(ws, c, n, &g);
    total += ws->w[v];
    if (in) in_group[g] += ws->w[v];
    if (ws->nf[n] & CORE__NF_DOWN) ok = false;
    if (fixed(ws, v)) {
      ok     = ok && in && (pinned == CORE_NONE || pinned == g);
      pinned = g;
    }
  }
  int32_t best = pinned;
  for (size_t i = 0; ok && pinned == CORE_NONE && i < k->group_count; i++)
    if (in_group[i] > 0 && (best == CORE_NONE || in_group[i] > in_group[best])) best = (int32_t)i;
  ws->work.vms_examined += k->vm_count;
  if (ok) {
    for (size_t j = 0; j < k->vm_count; j++)
      if (!core__node_in(ws, c, ws->pos[k->vms[j]], &g) || g != best) h->evict[k->vms[j]] = 1;
    bound_list(h, k->vms, k->vm_count, total - (best == CORE_NONE ? 0 : in_group[best]));
  }
  free(in_group);
  return ok;
}

/* LONELY: on every node shared by members and outsiders, the lighter movable side leaves. Bound: the
 * sum of the lighter sides. */
static bool repair_lonely(hard_t* h, const core_constraint_t* k)
{
  core__ws_t* ws = h->ws;
  bool ok        = true;
  for (size_t j = 0; j < k->vm_count; j++)
    h->member[k->vms[j]] = 1;
  for (size_t j = 0; j < k->vm_count && ok; j++) {
    int32_t n = ws->pos[k->vms[j]];
    if (ws->node_mark[n]) continue;
    ws->node_mark[n] = 1;
    double w[2]      = {0, 0}; /* movable weight: [0] members, [1] outsiders */
    bool pin[2]      = {false, false};
    size_t outsiders = 0;
    uint32_t b = ws->node_vm_start[n], e = ws->node_vm_start[n + 1];
    for (uint32_t i = b; i < e; i++) {
      int32_t y = ws->node_vms[i];
      int side  = !h->member[y];
      outsiders += side;
      if (fixed(ws, y))
        pin[side] = true;
      else
        w[side] += ws->w[y];
    }
    ws->work.vms_examined += e - b;
    if (outsiders == 0) continue;
    if (pin[0] && pin[1]) ok = false;
    int leave = pin[0] ? 1 : pin[1] ? 0 : w[1] <= w[0];
    for (uint32_t i = b; ok && i < e; i++)
      if ((int)!h->member[ws->node_vms[i]] == leave) h->evict[ws->node_vms[i]] = 1;
    if (ok) bound_list(h, ws->node_vms + b, e - b, w[leave]);
  }
  for (size_t j = 0; j < k->vm_count; j++)
    h->member[k->vms[j]] = 0, ws->node_mark[ws->pos[k->vms[j]]] = 0;
  return ok;
}

typedef struct active_node {
  double w;
  int32_t n;
} active_node_t;

static int cmp_active(const void* a, const void* b)
{
  const active_node_t *x = a, *y = b;
  if (x->w != y->w) return x->w < y->w ? -1 : 1;
  return (x->n > y->n) - (x->n < y->n);
}

/* MAX_ONLINE: the active nodes of the set beyond k empty, the lightest first (those with no fixed VM).
 * Bound: their weight (every valid target empties at least that many of them). */
static bool repair_max_online(hard_t* h, uint32_t c)
{
  core__ws_t* ws             = h->ws;
  const core_constraint_t* k = &ws->pb->constraints[c];
  uint32_t lo = ws->cn_start[c], hi = ws->cn_start[c + 1];
  active_node_t* act = core__malloc(ws->mem, hi - lo, sizeof(active_node_t));
  if (!act) return false;
  size_t active = 0, movable = 0;
  for (uint32_t j = lo; j < hi; j++) {
    int32_t n = ws->cn[j];
    if ((j > lo && n == ws->cn[j - 1]) || ws->cnt[n] == 0 || (ws->nf[n] & CORE__NF_DOWN)) continue;
    active++;
    active_node_t a = {0, n};
    bool pinned     = false;
    for (uint32_t i = ws->node_vm_start[n]; i < ws->node_vm_start[n + 1]; i++) {
      pinned = pinned || fixed(ws, ws->node_vms[i]);
      a.w += ws->w[ws->node_vms[i]];
    }
    ws->work.vms_examined += ws->node_vm_start[n + 1] - ws->node_vm_start[n];
    if (!pinned) act[movable++] = a;
  }
  size_t excess = active - k->k;
  bool ok       = movable >= excess;
  if (ok) {
    qsort(act, movable, sizeof *act, cmp_active);
    double cost = 0;
    for (size_t i = 0; i < excess; i++) {
      for (uint32_t j = ws->node_vm_start[act[i].n]; j < ws->node_vm_start[act[i].n + 1]; j++)
        h->evict[ws->node_vms[j]] = 1;
      cost += act[i].w;
    }
    bound_begin(h); /* the bound reasons on the VMs of every active node of the set */
    for (uint32_t j = lo; j < hi; j++)
      if (j == lo || ws->cn[j] != ws->cn[j - 1])
        for (uint32_t i = ws->node_vm_start[ws->cn[j]]; i < ws->node_vm_start[ws->cn[j] + 1]; i++)
          bound_touch(h, ws->node_vms[i]);
    bound_end(h, cost);
  }
  free(act);
  return ok;
}

int core__plan_hard_repairs(core__ws_t* ws, uint8_t* evict, double* lb_extra)
{
  *lb_extra = 0;
  if (!ws->hard_violation) return 0;
  size_t cap = ws->nn + ws->nv + ws->nc + 1; /* components: nodes, then at most one per repair */
  hard_t h   = {.ws     = ws,
                .member = core__calloc(ws->mem, ws->nv, 1),
                .evict  = evict,
                .comp   = core__malloc(ws->mem, ws->nv, sizeof(int32_t)),
                .parent = core__malloc(ws->mem, cap, sizeof(int32_t)),
                .bound  = core__malloc(ws->mem, cap, sizeof(double)),
                .stamp  = core__calloc(ws->mem, cap, sizeof(uint32_t)),
                .fresh  = core__malloc(ws->mem, ws->nv, sizeof(int32_t)),
                .roots  = core__malloc(ws->mem, cap, sizeof(int32_t))};
  if (!h.member || !h.comp || !h.parent || !h.bound || !h.stamp || !h.fresh || !h.roots) {
    free(h.member), free(h.comp), free(h.parent), free(h.bound), free(h.stamp), free(h.fresh), free(h.roots);
    return CORE__ERR_NOMEM;
  }
  for (size_t v = 0; v < ws->nv; v++)
    h.comp[v] = -1;
  for (size_t n = 0; n < ws->nn; n++) { /* a NF_VIOL node: its VMs and its eviction bound */
    h.parent[n] = (int32_t)n, h.bound[n] = ws->nf[n] & CORE__NF_VIOL ? ws->node_lb[n] : 0;
    if (ws->nf[n] & CORE__NF_VIOL)
      for (uint32_t i = ws->node_vm_start[n]; i < ws->node_vm_start[n + 1]; i++)
        h.comp[ws->node_vms[i]] = (int32_t)n;
  }
  h.comps = ws->nn;
  memset(ws->node_mark, 0, ws->nn);
  for (int pass = 0; pass < 2; pass++) /* GATHER last: its anchor must be a node that sends nothing */
    for (uint32_t c = 0; c < ws->nc && !ws->mem->failed; c++) {
      const core_constraint_t* k = &ws->pb->constraints[c];
      bool hard =
          k->kind == CORE_GATHER || k->kind == CORE_AMONG || k->kind == CORE_LONELY || k->kind == CORE_MAX_ONLINE;
      if (!hard || (k->kind == CORE_GATHER) != (pass == 1) || core__holds(ws, c, ws->pos, ws->cnt)) continue;
      bool planned = k->kind == CORE_GATHER   ? repair_gather(&h, k)
                     : k->kind == CORE_AMONG  ? repair_among(&h, c)
                     : k->kind == CORE_LONELY ? repair_lonely(&h, k)
                                              : repair_max_online(&h, c);
      if (!planned) ws->hard_unplanned = true;
    }
  free(h.member), free(h.comp), free(h.parent), free(h.bound), free(h.stamp), free(h.fresh), free(h.roots);
  *lb_extra = h.lb;
  return ws->mem->failed ? CORE__ERR_NOMEM : 0;
}

int core__refit_evictions(core__ws_t* ws, uint8_t* evict, const uint8_t* hard)
{
  for (size_t n = 0; n < ws->nn && !ws->mem->failed; n++) {
    if (!(ws->nf[n] & CORE__NF_VIOL)) continue;
    uint32_t b = ws->node_vm_start[n], e = ws->node_vm_start[n + 1];
    bool touched = false;
    for (uint32_t i = b; i < e; i++)
      touched = touched || hard[ws->node_vms[i]];
    if (!touched) continue;
    uint8_t* row  = core__malloc(ws->mem, e - b, 1);
    uint8_t* keep = core__malloc(ws->mem, e - b, 1);
    if (!row || !keep) {
      free(row), free(keep);
      break;
    }
    for (uint32_t i = b; i < e; i++) { /* the VMs hard.c moves count as forced out */
      int32_t v   = ws->node_vms[i];
      keep[i - b] = ws->vf[v];
      if (hard[v]) ws->vf[v] |= CORE__VF_FORCED;
    }
    size_t found = core__evict_alternatives(ws, (int32_t)n, 1, evict, row);
    for (uint32_t i = b; i < e; i++) {
      int32_t v = ws->node_vms[i];
      ws->vf[v] = keep[i - b];
      if (found == 1) evict[v] = row[i - b] | hard[v];
    }
    free(row), free(keep);
  }
  return ws->mem->failed ? CORE__ERR_NOMEM : 0;
}
