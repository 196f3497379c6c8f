/* The per-solve workspace: validation of the borrowed problem, indexes (VMs per node, constraints
 * per VM, sorted node sets), the current target with its node loads and its cost. It checks no
 * constraint (constraints.c) and decides nothing (evict.c, heuristic.c, milp.c and plan.c do). */
#include "core_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(char* err, size_t size, const char* what)
{
  if (err && size) snprintf(err, size, "%s", what);
  return CORE__ERR_INVALID;
}

static int cmp_i64(const void* a, const void* b)
{
  int64_t x = *(const int64_t*)a, y = *(const int64_t*)b;
  return (x > y) - (x < y);
}

/* A switch, not a table of pointers: the library keeps no data symbol (nm lists no D/d). */
const char* core__kind_name(core_cstr_kind_t k)
{
  switch (k) {
  case CORE_BAN:
    return "ban";
  case CORE_FENCE:
    return "fence";
  case CORE_SPREAD:
    return "spread";
  case CORE_GATHER:
    return "gather";
  case CORE_AMONG:
    return "among";
  case CORE_LONELY:
    return "lonely";
  case CORE_ROOT:
    return "root";
  case CORE_PRESERVE:
    return "preserve";
  case CORE_OFFLINE:
    return "offline";
  case CORE_MAX_ONLINE:
    return "max-online";
  }
  return "?";
}

static int validate_nodes_and_vms(const core_problem_t* pb, char* err, size_t es)
{
  char buf[256];
  if (pb->node_count > INT32_MAX || pb->vm_count > INT32_MAX)
    return fail(err, es, "problem too large: node_count and vm_count must fit in int32");
  for (size_t n = 0; n < pb->node_count; n++)
    if (!(pb->nodes[n].cpu_capacity >= 0) || !isfinite(pb->nodes[n].cpu_capacity)) {
      snprintf(buf, sizeof buf, "node %zu: cpu_capacity %g is invalid; expected a finite value >= 0", n,
               pb->nodes[n].cpu_capacity);
      return fail(err, es, buf);
    }
  for (size_t v = 0; v < pb->vm_count; v++) {
    const core_vm_t* vm = &pb->vms[v];
    if (vm->node < 0 || (size_t)vm->node >= pb->node_count) {
      snprintf(buf, sizeof buf, "vm %zu: node %d out of range [0, %zu)", v, (int)vm->node, pb->node_count);
      return fail(err, es, buf);
    }
    if (!(vm->cpu_demand >= 0) || !isfinite(vm->cpu_demand)) {
      snprintf(buf, sizeof buf, "vm %zu: cpu_demand %g is invalid; expected a finite value >= 0", v, vm->cpu_demand);
      return fail(err, es, buf);
    }
  }
  return 0;
}

/* AMONG's group_ends: increasing, the last one == node_count. */
static int validate_groups(const core_constraint_t* k, size_t c, char* err, size_t es)
{
  char buf[256];
  size_t prev = 0;
  for (size_t g = 0; g < k->group_count; g++) {
    if (!k->group_ends || k->group_ends[g] < prev || k->group_ends[g] > k->node_count) {
      snprintf(buf, sizeof buf, "constraint %zu (among): group_ends[%zu] is not an increasing end <= %zu", c, g,
               k->node_count);
      return fail(err, es, buf);
    }
    prev = k->group_ends[g];
  }
  if (prev != k->node_count) {
    snprintf(buf, sizeof buf, "constraint %zu (among): groups cover %zu of %zu nodes", c, prev, k->node_count);
    return fail(err, es, buf);
  }
  return 0;
}

static int validate_constraint(const core_problem_t* pb, size_t c, char* err, size_t es)
{
  char buf[256];
  const core_constraint_t* k = &pb->constraints[c];
  if ((unsigned)k->kind > CORE_MAX_ONLINE) {
    snprintf(buf, sizeof buf, "constraint %zu: unknown kind %d", c, (int)k->kind);
    return fail(err, es, buf);
  }
  const char* kn = core__kind_name(k->kind);
  if ((k->vm_count && !k->vms) || (k->node_count && !k->nodes)) {
    snprintf(buf, sizeof buf, "constraint %zu (%s): NULL array with a non-zero count", c, kn);
    return fail(err, es, buf);
  }
  for (size_t i = 0; i < k->vm_count; i++)
    if (k->vms[i] < 0 || (size_t)k->vms[i] >= pb->vm_count) {
      snprintf(buf, sizeof buf, "constraint %zu (%s): vm %d out of range [0, %zu)", c, kn, (int)k->vms[i],
               pb->vm_count);
      return fail(err, es, buf);
    }
  for (size_t i = 0; i < k->node_count; i++)
    if (k->nodes[i] < 0 || (size_t)k->nodes[i] >= pb->node_count) {
      snprintf(buf, sizeof buf, "constraint %zu (%s): node %d out of range [0, %zu)", c, kn, (int)k->nodes[i],
               pb->node_count);
      return fail(err, es, buf);
    }
  if (k->kind == CORE_AMONG && validate_groups(k, c, err, es) != 0) return CORE__ERR_INVALID;
  if (k->kind == CORE_PRESERVE && !(k->cpu_min >= 0 && isfinite(k->cpu_min))) {
    snprintf(buf, sizeof buf, "constraint %zu (preserve): cpu_min %g is invalid; expected >= 0", c, k->cpu_min);
    return fail(err, es, buf);
  }
  return 0;
}

static int validate(const core_problem_t* pb, char* err, size_t es)
{
  if (validate_nodes_and_vms(pb, err, es) != 0) return CORE__ERR_INVALID;
  for (size_t c = 0; c < pb->constraint_count; c++)
    if (validate_constraint(pb, c, err, es) != 0) return CORE__ERR_INVALID;
  return 0;
}

/* The arrays sized by the problem alone (the constraint-sized ones come with index_constraints). */
static int alloc_arrays(core__ws_t* ws)
{
  size_t nn = ws->nn, nv = ws->nv, nc = ws->nc;
  core__mem_t* mem  = ws->mem;
  ws->cpu           = core__calloc(mem, nv, sizeof(double));
  ws->w             = core__calloc(mem, nv, sizeof(double));
  ws->vf            = core__calloc(mem, nv, 1);
  ws->nf            = core__calloc(mem, nn, 1);
  ws->node_vm_start = core__calloc(mem, nn + 1, sizeof(uint32_t));
  ws->node_vms      = core__calloc(mem, nv, sizeof(int32_t));
  ws->vm_c_start    = core__calloc(mem, nv + 1, sizeof(uint32_t));
  ws->cn_start      = core__calloc(mem, nc + 1, sizeof(uint32_t));
  ws->gather_of     = core__calloc(mem, nv, sizeof(int32_t));
  ws->lonely        = core__calloc(mem, nc, sizeof(uint32_t));
  ws->maxon         = core__calloc(mem, nc, sizeof(uint32_t));
  ws->pos           = core__calloc(mem, nv, sizeof(int32_t));
  ws->cpu_free      = core__calloc(mem, nn, sizeof(double));
  ws->ram_free      = core__calloc(mem, nn, sizeof(double));
  ws->cnt           = core__calloc(mem, nn, sizeof(uint32_t));
  ws->mo_active     = core__calloc(mem, nc, sizeof(size_t));
  ws->node_lb       = core__calloc(mem, nn, sizeof(double));
  ws->node_mark     = core__calloc(mem, nn, 1);
  ws->node_cpu      = core__calloc(mem, nn, sizeof(double));
  ws->node_ram      = core__calloc(mem, nn, sizeof(double));
  ws->node_cnt      = core__calloc(mem, nn, sizeof(uint32_t));
  return mem->failed ? CORE__ERR_NOMEM : 0;
}

/* Node flags, VM demands, weights and flags, and the VMs of each node. */
static int index_vms(core__ws_t* ws)
{
  const core_problem_t* pb = ws->pb;
  size_t nn = ws->nn, nv = ws->nv;
  uint32_t* fill = core__calloc(ws->mem, nn + 1, sizeof(uint32_t));
  if (!fill) return CORE__ERR_NOMEM;
  for (size_t n = 0; n < nn; n++)
    if (!pb->nodes[n].online) ws->nf[n] |= CORE__NF_DOWN;
  for (size_t v = 0; v < nv; v++) {
    ws->cpu[v]       = pb->vms[v].cpu_demand;
    ws->w[v]         = ws->prm->objective == CORE_OBJ_RAM ? (double)pb->vms[v].ram_bytes : 1.0;
    ws->gather_of[v] = -1;
    if (!pb->vms[v].movable || (ws->nf[pb->vms[v].node] & CORE__NF_DOWN)) ws->vf[v] |= CORE__VF_FIXED;
    ws->node_vm_start[pb->vms[v].node + 1]++;
  }
  for (size_t n = 0; n < nn; n++)
    ws->node_vm_start[n + 1] += ws->node_vm_start[n];
  memcpy(fill, ws->node_vm_start, (nn + 1) * sizeof(uint32_t));
  for (size_t v = 0; v < nv; v++)
    ws->node_vms[fill[pb->vms[v].node]++] = (int32_t)v;
  free(fill);
  return 0;
}

/* Counts the constraints per VM (vm_c_start, cumulated) and places the node sets (cn_start); lists the
 * LONELY and MAX_ONLINE constraints. Returns the total length of the node sets. */
static size_t count_constraints(core__ws_t* ws)
{
  size_t total_nodes = 0;
  for (size_t c = 0; c < ws->nc; c++) {
    const core_constraint_t* k = &ws->pb->constraints[c];
    for (size_t i = 0; i < k->vm_count; i++)
      ws->vm_c_start[k->vms[i] + 1]++;
    total_nodes += k->node_count;
    ws->cn_start[c + 1] = (uint32_t)total_nodes;
    if (k->kind == CORE_LONELY) ws->lonely[ws->lonely_count++] = (uint32_t)c;
    if (k->kind == CORE_MAX_ONLINE) ws->maxon[ws->maxon_count++] = (uint32_t)c;
  }
  for (size_t v = 0; v < ws->nv; v++)
    ws->vm_c_start[v + 1] += ws->vm_c_start[v];
  return total_nodes;
}

/* Constraint c's node set, sorted, with the AMONG group of each node (tmp: node_count scratch). */
static void sort_node_set(core__ws_t* ws, size_t c, int64_t* tmp)
{
  const core_constraint_t* k = &ws->pb->constraints[c];
  size_t g                   = 0;
  for (size_t i = 0; i < k->node_count; i++) {
    while (k->kind == CORE_AMONG && g < k->group_count && i >= k->group_ends[g])
      g++;
    tmp[i] = ((int64_t)k->nodes[i] << 32) | (int64_t)g;
    if (k->kind == CORE_OFFLINE) ws->nf[k->nodes[i]] |= CORE__NF_OFFREQ;
  }
  qsort(tmp, k->node_count, sizeof(int64_t), cmp_i64);
  for (size_t i = 0; i < k->node_count; i++) {
    ws->cn[ws->cn_start[c] + i]       = (int32_t)(tmp[i] >> 32);
    ws->cn_group[ws->cn_start[c] + i] = (int32_t)(tmp[i] & 0xffffffff);
  }
}

/* The constraints of each VM (a VM listed twice by one constraint is an error), their effect on the
 * VMs (ROOT fixes, PRESERVE raises the demand, the first GATHER groups), and the sorted node sets. */
static int index_constraints(core__ws_t* ws, size_t total_nodes, char* err, size_t es)
{
  size_t nv      = ws->nv;
  ws->vm_cs      = core__calloc(ws->mem, ws->vm_c_start[nv], sizeof(uint32_t));
  uint32_t* fill = core__calloc(ws->mem, nv + 1, sizeof(uint32_t));
  ws->cn         = core__calloc(ws->mem, total_nodes, sizeof(int32_t));
  ws->cn_group   = core__calloc(ws->mem, total_nodes, sizeof(int32_t));
  int64_t* tmp   = core__calloc(ws->mem, total_nodes, sizeof(int64_t));
  if (ws->mem->failed) {
    free(tmp), free(fill);
    return CORE__ERR_NOMEM;
  }
  memcpy(fill, ws->vm_c_start, (nv + 1) * sizeof(uint32_t));
  for (size_t c = 0; c < ws->nc; c++) {
    const core_constraint_t* k = &ws->pb->constraints[c];
    for (size_t i = 0; i < k->vm_count; i++) {
      int32_t v = k->vms[i];
      if (fill[v] > ws->vm_c_start[v] && ws->vm_cs[fill[v] - 1] == c) {
        char buf[128];
        snprintf(buf, sizeof buf, "constraint %zu (%s): vm %d listed twice", c, core__kind_name(k->kind), (int)v);
        free(tmp), free(fill);
        return fail(err, es, buf);
      }
      ws->vm_cs[fill[v]++] = (uint32_t)c;
      if (k->kind == CORE_ROOT) ws->vf[v] |= CORE__VF_FIXED;
      if (k->kind == CORE_PRESERVE && ws->cpu[v] < k->cpu_min) ws->cpu[v] = k->cpu_min;
      if (k->kind == CORE_GATHER && ws->gather_of[v] < 0) ws->gather_of[v] = (int32_t)c;
    }
    sort_node_set(ws, c, tmp);
  }
  free(tmp);
  free(fill);
  return 0;
}

int core__ws_build(core__ws_t* ws, const core_problem_t* pb, const core_params_t* prm, core__mem_t* mem, char* err,
                   size_t err_size)
{
  memset(ws, 0, sizeof *ws);
  if (validate(pb, err, err_size) != 0) return CORE__ERR_INVALID;
  ws->pb = pb, ws->prm = prm, ws->mem = mem;
  ws->nn = pb->node_count, ws->nv = pb->vm_count, ws->nc = pb->constraint_count;
  int rc = alloc_arrays(ws);
  if (rc == 0) rc = index_vms(ws);
  if (rc == 0) rc = index_constraints(ws, count_constraints(ws), err, err_size);
  if (rc == 0) rc = core__locality_build(ws, err, err_size);
  if (rc != 0) {
    core__ws_free(ws);
    return rc;
  }
  core__ws_reset_target(ws);
  return 0;
}

void core__ws_free(core__ws_t* ws)
{
  if (!ws) return;
  void* arrays[] = {ws->cpu,       ws->w,          ws->vf,       ws->nf,        ws->node_vm_start,
                    ws->node_vms,  ws->vm_c_start, ws->vm_cs,    ws->cn_start,  ws->cn,
                    ws->cn_group,  ws->gather_of,  ws->lonely,   ws->maxon,     ws->pos,
                    ws->cpu_free,  ws->ram_free,   ws->cnt,      ws->mo_active, ws->node_lb,
                    ws->node_mark, ws->node_cpu,   ws->node_ram, ws->node_cnt,  ws->site_dist};
  for (size_t i = 0; i < sizeof arrays / sizeof arrays[0]; i++)
    free(arrays[i]);
  memset(ws, 0, sizeof *ws);
}

void core__ws_reset_target(core__ws_t* ws)
{
  const core_problem_t* pb = ws->pb;
  for (size_t n = 0; n < ws->nn; n++) {
    ws->cpu_free[n] = pb->nodes[n].cpu_capacity;
    ws->ram_free[n] = (double)pb->nodes[n].ram_capacity_bytes;
    ws->cnt[n]      = 0;
    ws->nf[n] &= (uint8_t) ~(CORE__NF_SENDS | CORE__NF_RECV);
  }
  for (size_t v = 0; v < ws->nv; v++) {
    int32_t n  = pb->vms[v].node;
    ws->pos[v] = n;
    ws->cpu_free[n] -= ws->cpu[v];
    ws->ram_free[n] -= (double)pb->vms[v].ram_bytes;
    ws->cnt[n]++;
  }
  for (size_t i = 0; i < ws->maxon_count; i++) {
    uint32_t c       = ws->maxon[i];
    ws->mo_active[c] = 0;
    int32_t last     = CORE_NONE;
    for (uint32_t j = ws->cn_start[c]; j < ws->cn_start[c + 1]; j++)
      if (ws->cn[j] != last && ws->cnt[ws->cn[j]] > 0) ws->mo_active[c]++, last = ws->cn[j];
  }
}

static void maxon_update(core__ws_t* ws, int32_t n, int delta)
{
  for (size_t i = 0; i < ws->maxon_count; i++)
    if (core__node_in(ws, ws->maxon[i], n, NULL)) ws->mo_active[ws->maxon[i]] += (size_t)delta;
}

void core__move(core__ws_t* ws, int32_t v, int32_t n)
{
  CORE_ASSERT(v >= 0 && (size_t)v < ws->nv, "core__move: VM index out of range");
  CORE_ASSERT(n == CORE_NONE || (n >= 0 && (size_t)n < ws->nn), "core__move: node index out of range");
  int32_t old = ws->pos[v];
  double ram  = (double)ws->pb->vms[v].ram_bytes;
  if (old >= 0) {
    ws->cpu_free[old] += ws->cpu[v];
    ws->ram_free[old] += ram;
    if (--ws->cnt[old] == 0 && ws->maxon_count) maxon_update(ws, old, -1);
  }
  ws->pos[v] = n;
  if (n >= 0) {
    ws->cpu_free[n] -= ws->cpu[v];
    ws->ram_free[n] -= ram;
    if (ws->cnt[n]++ == 0 && ws->maxon_count) maxon_update(ws, n, +1);
  }
}

bool core__node_in(const core__ws_t* ws, uint32_t c, int32_t n, int32_t* group)
{
  uint32_t lo = ws->cn_start[c], hi = ws->cn_start[c + 1];
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (ws->cn[mid] < n)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo < ws->cn_start[c + 1] && ws->cn[lo] == n) {
    if (group) *group = ws->cn_group[lo];
    return true;
  }
  return false;
}

double core__target_cost(const core__ws_t* ws, const int32_t* pos, size_t* moved, size_t* active)
{
  double cost = 0;
  size_t m = 0, a = 0;
  uint8_t* used = ws->node_mark;
  memset(used, 0, ws->nn);
  for (size_t v = 0; v < ws->nv; v++) {
    if (pos[v] != ws->pb->vms[v].node) cost += ws->w[v], m++;
    if (pos[v] >= 0 && !used[pos[v]] && !(ws->nf[pos[v]] & CORE__NF_DOWN)) used[pos[v]] = 1, a++;
  }
  if (moved) *moved = m;
  if (active) *active = a;
  return cost + ws->prm->consolidation_weight * (double)a;
}
