/* Placement constraints (core.h, docs/REFERENCES.md §2) and capacity, checked on the workspace: at the
 * insertion of one VM (core__allowed), on a whole placement (core__check, core_check_placement), and on
 * the input to find what must be repaired (core__mark_violations). Every family lives here: ban, fence,
 * spread, gather, among, lonely, root, preserve (as a demand), offline/online and max-online. It builds
 * no index (problem.c) and decides no move (evict.c, heuristic.c, milp.c, plan.c). */
#include "core_internal.h"

#include <stdio.h>
#include <string.h>

static bool vm_in(const core__ws_t* ws, int32_t v, uint32_t c)
{
  for (uint32_t i = ws->vm_c_start[v]; i < ws->vm_c_start[v + 1]; i++)
    if (ws->vm_cs[i] == c) return true;
  return false;
}

/* Constraint c, which names v, accepts v on n under pos (ROOT aside: core__allowed decides it). */
static bool member_allows(const core__ws_t* ws, int32_t v, int32_t n, uint32_t c)
{
  const core_constraint_t* k = &ws->pb->constraints[c];
  int32_t g, gu;
  size_t members = 0;
  switch (k->kind) {
  case CORE_BAN:
    return !core__node_in(ws, c, n, NULL);
  case CORE_FENCE:
    return core__node_in(ws, c, n, NULL);
  case CORE_SPREAD:
    for (size_t j = 0; j < k->vm_count; j++)
      if (k->vms[j] != v && ws->pos[k->vms[j]] == n) return false;
    return true;
  case CORE_GATHER:
    for (size_t j = 0; j < k->vm_count; j++)
      if (k->vms[j] != v && ws->pos[k->vms[j]] >= 0 && ws->pos[k->vms[j]] != n) return false;
    return true;
  case CORE_AMONG:
    if (!core__node_in(ws, c, n, &g)) return false;
    for (size_t j = 0; j < k->vm_count; j++) {
      int32_t p = ws->pos[k->vms[j]];
      if (k->vms[j] != v && p >= 0 && (!core__node_in(ws, c, p, &gu) || gu != g)) return false;
    }
    return true;
  case CORE_LONELY:
    for (size_t j = 0; j < k->vm_count; j++)
      members += (k->vms[j] != v && ws->pos[k->vms[j]] == n);
    return ws->cnt[n] - (ws->pos[v] == n) <= members;
  default:
    return true;
  }
}

/* n hosts a member of a LONELY constraint that does not name v. */
static bool lonely_elsewhere(const core__ws_t* ws, int32_t v, int32_t n)
{
  for (size_t i = 0; i < ws->lonely_count; i++) {
    const core_constraint_t* k = &ws->pb->constraints[ws->lonely[i]];
    if (vm_in(ws, v, ws->lonely[i])) continue;
    for (size_t j = 0; j < k->vm_count; j++)
      if (ws->pos[k->vms[j]] == n) return true;
  }
  return false;
}

/* Putting v on n would switch on a node of a MAX_ONLINE constraint already at its k. */
static bool max_online_full(const core__ws_t* ws, int32_t v, int32_t n)
{
  if (ws->cnt[n] == 0 || (ws->cnt[n] == 1 && ws->pos[v] == n))
    for (size_t i = 0; i < ws->maxon_count; i++) {
      uint32_t c = ws->maxon[i];
      if (core__node_in(ws, c, n, NULL) && ws->mo_active[c] >= ws->pb->constraints[c].k && ws->pos[v] != n) return true;
    }
  return false;
}

bool core__allowed(core__ws_t* ws, int32_t v, int32_t n)
{
  ws->work.nodes_examined++;
  if (ws->nf[n] & (CORE__NF_DOWN | CORE__NF_OFFREQ)) return false;
  for (uint32_t i = ws->vm_c_start[v]; i < ws->vm_c_start[v + 1]; i++) {
    uint32_t c = ws->vm_cs[i];
    if (ws->pb->constraints[c].kind == CORE_ROOT) return n == ws->pb->vms[v].node; /* decides alone */
    if (!member_allows(ws, v, n, c)) return false;
  }
  return !lonely_elsewhere(ws, v, n) && !max_online_full(ws, v, n);
}

/* Whole-constraint evaluation under pos; node_cnt[n] = VMs on n under pos. */
bool core__holds(const core__ws_t* ws, uint32_t c, const int32_t* pos, const uint32_t* node_cnt)
{
  const core_constraint_t* k = &ws->pb->constraints[c];
  int32_t g0                 = -1, g;
  size_t active              = 0;
  switch (k->kind) {
  case CORE_BAN:
  case CORE_FENCE:
    for (size_t j = 0; j < k->vm_count; j++)
      if (core__node_in(ws, c, pos[k->vms[j]], NULL) == (k->kind == CORE_BAN)) return false;
    return true;
  case CORE_SPREAD:
    for (size_t j = 0; j < k->vm_count; j++)
      for (size_t i = 0; i < j; i++)
        if (pos[k->vms[i]] == pos[k->vms[j]]) return false;
    return true;
  case CORE_GATHER:
    for (size_t j = 1; j < k->vm_count; j++)
      if (pos[k->vms[j]] != pos[k->vms[0]]) return false;
    return true;
  case CORE_AMONG:
    for (size_t j = 0; j < k->vm_count; j++) {
      if (!core__node_in(ws, c, pos[k->vms[j]], &g) || (g0 >= 0 && g != g0)) return false;
      g0 = g;
    }
    return true;
  case CORE_LONELY:
    for (size_t j = 0; j < k->vm_count; j++) {
      uint32_t same = 0;
      for (size_t i = 0; i < k->vm_count; i++)
        same += pos[k->vms[i]] == pos[k->vms[j]];
      if (node_cnt[pos[k->vms[j]]] != same) return false;
    }
    return true;
  case CORE_ROOT:
    for (size_t j = 0; j < k->vm_count; j++)
      if (pos[k->vms[j]] != ws->pb->vms[k->vms[j]].node) return false;
    return true;
  case CORE_OFFLINE:
    for (size_t j = 0; j < k->node_count; j++)
      if (node_cnt[k->nodes[j]] > 0) return false;
    return true;
  case CORE_MAX_ONLINE:
    for (uint32_t j = ws->cn_start[c]; j < ws->cn_start[c + 1]; j++)
      active += node_cnt[ws->cn[j]] > 0 && (j == ws->cn_start[c] || ws->cn[j] != ws->cn[j - 1]);
    return active <= k->k;
  default:
    return true;
  }
}

static bool over(double free_amount, double cap)
{
  return free_amount < -core__tolerance(cap);
}

/* Nodes over capacity or named by OFFLINE with VMs, VMs that may not stay (BAN, FENCE, OFFLINE) and
 * their nodes: NF_VIOL, VF_FORCED. */
static void mark_overloads_and_forced(core__ws_t* ws)
{
  const core_problem_t* pb = ws->pb;
  for (size_t n = 0; n < ws->nn; n++) {
    bool viol = !(ws->nf[n] & CORE__NF_DOWN) && (over(ws->cpu_free[n], pb->nodes[n].cpu_capacity) ||
                                                 over(ws->ram_free[n], (double)pb->nodes[n].ram_capacity_bytes) ||
                                                 (ws->nf[n] & CORE__NF_OFFREQ && ws->cnt[n] > 0));
    if (viol) ws->nf[n] |= CORE__NF_VIOL;
  }
  for (size_t v = 0; v < ws->nv; v++) {
    int32_t n = pb->vms[v].node;
    if (ws->nf[n] & CORE__NF_OFFREQ) ws->vf[v] |= CORE__VF_FORCED;
    for (uint32_t i = ws->vm_c_start[v]; i < ws->vm_c_start[v + 1]; i++) {
      const core_constraint_t* k = &pb->constraints[ws->vm_cs[i]];
      if ((k->kind == CORE_BAN && core__node_in(ws, ws->vm_cs[i], n, NULL)) ||
          (k->kind == CORE_FENCE && !core__node_in(ws, ws->vm_cs[i], n, NULL)))
        ws->vf[v] |= CORE__VF_FORCED;
    }
    if (ws->vf[v] & CORE__VF_FORCED) ws->nf[n] |= CORE__NF_VIOL;
  }
}

/* The constraints broken by the input: SPREAD makes the shared nodes send; GATHER, AMONG, LONELY and
 * MAX_ONLINE are hard violations (no node eviction repairs them: hard.c plans their repair) whose VMs
 * may move. */
static void mark_broken_constraints(core__ws_t* ws)
{
  for (uint32_t c = 0; c < ws->nc; c++) {
    const core_constraint_t* k = &ws->pb->constraints[c];
    if (core__holds(ws, c, ws->pos, ws->cnt)) continue;
    if (k->kind == CORE_SPREAD) { /* members sharing a node: that node must send all but one */
      for (size_t j = 0; j < k->vm_count; j++)
        for (size_t i = 0; i < k->vm_count; i++)
          if (i != j && ws->pos[k->vms[i]] == ws->pos[k->vms[j]]) ws->nf[ws->pos[k->vms[j]]] |= CORE__NF_VIOL;
    } else if (k->kind == CORE_GATHER || k->kind == CORE_AMONG || k->kind == CORE_LONELY) {
      ws->hard_violation = true;
      for (size_t j = 0; j < k->vm_count; j++)
        ws->vf[k->vms[j]] |= CORE__VF_REPAIR;
      if (k->kind == CORE_LONELY) /* the outsiders sharing a node with members may move too */
        for (size_t j = 0; j < k->vm_count; j++) {
          int32_t n = ws->pos[k->vms[j]];
          for (uint32_t i = ws->node_vm_start[n]; i < ws->node_vm_start[n + 1]; i++)
            ws->vf[ws->node_vms[i]] |= CORE__VF_REPAIR;
        }
    } else if (k->kind == CORE_MAX_ONLINE) {
      ws->hard_violation = true;
      for (uint32_t j = ws->cn_start[c]; j < ws->cn_start[c + 1]; j++)
        for (uint32_t i = ws->node_vm_start[ws->cn[j]]; i < ws->node_vm_start[ws->cn[j] + 1]; i++)
          ws->vf[ws->node_vms[i]] |= CORE__VF_REPAIR;
    }
  }
}

/* Counts the violating nodes; the repair set is their VMs (every VM outside repair mode), never a fixed one. */
static void mark_repair_set(core__ws_t* ws)
{
  ws->violating_nodes = 0;
  for (size_t n = 0; n < ws->nn; n++)
    if (ws->nf[n] & CORE__NF_VIOL) {
      ws->violating_nodes++;
      for (uint32_t i = ws->node_vm_start[n]; i < ws->node_vm_start[n + 1]; i++)
        ws->vf[ws->node_vms[i]] |= CORE__VF_REPAIR;
    }
  for (size_t v = 0; v < ws->nv; v++) {
    if (!ws->prm->repair_mode) ws->vf[v] |= CORE__VF_REPAIR;
    if (ws->vf[v] & CORE__VF_FIXED) ws->vf[v] &= (uint8_t)~CORE__VF_REPAIR;
  }
}

void core__mark_violations(core__ws_t* ws)
{
  mark_overloads_and_forced(ws);
  mark_broken_constraints(ws);
  mark_repair_set(ws);
}

#define NOTE(...)                                                                                                      \
  do {                                                                                                                 \
    if (count++ == 0 && msg && msg_size) snprintf(msg, msg_size, __VA_ARGS__);                                         \
  } while (0)

size_t core__check(const core__ws_t* ws, const int32_t* pos, char* msg, size_t msg_size)
{
  const core_problem_t* pb = ws->pb;
  size_t count             = 0;
  if (msg && msg_size) msg[0] = '\0';
  double* cpu    = ws->node_cpu;
  double* ram    = ws->node_ram;
  uint32_t* ncnt = ws->node_cnt;
  memset(cpu, 0, ws->nn * sizeof(double));
  memset(ram, 0, ws->nn * sizeof(double));
  memset(ncnt, 0, ws->nn * sizeof(uint32_t));
  for (size_t v = 0; v < ws->nv; v++) {
    int32_t n = pos[v], h = pb->vms[v].node;
    if (n < 0 || (size_t)n >= ws->nn) {
      NOTE("vm %zu: target node %d out of range", v, (int)n);
      continue;
    }
    if (n != h && (ws->vf[v] & CORE__VF_FIXED))
      NOTE("vm %zu: fixed (not movable, root, or on a down node) but moved %d -> %d", v, (int)h, (int)n);
    if (n != h && (ws->nf[n] & CORE__NF_DOWN)) NOTE("vm %zu: sent to node %d, which is down", v, (int)n);
    cpu[n] += ws->cpu[v];
    ram[n] += (double)pb->vms[v].ram_bytes;
    ncnt[n]++;
  }
  for (size_t n = 0; n < ws->nn; n++) {
    if (ws->nf[n] & CORE__NF_DOWN) continue;
    if (over(pb->nodes[n].cpu_capacity - cpu[n], pb->nodes[n].cpu_capacity))
      NOTE("node %zu: cpu %g > capacity %g", n, cpu[n], pb->nodes[n].cpu_capacity);
    if (over((double)pb->nodes[n].ram_capacity_bytes - ram[n], (double)pb->nodes[n].ram_capacity_bytes))
      NOTE("node %zu: ram %.0f > capacity %llu", n, ram[n], (unsigned long long)pb->nodes[n].ram_capacity_bytes);
  }
  bool ranges_ok = true;
  for (size_t v = 0; v < ws->nv; v++)
    ranges_ok = ranges_ok && pos[v] >= 0 && (size_t)pos[v] < ws->nn;
  for (uint32_t c = 0; ranges_ok && c < ws->nc; c++)
    if (!core__holds(ws, c, pos, ncnt))
      NOTE("constraint %u (%s) violated", c, core__kind_name(pb->constraints[c].kind));
  return count;
}

size_t core__check_placement(const core_problem_t* pb, const int32_t* target, char* msg, size_t msg_size,
                             core__mem_t* mem)
{
  core_params_t prm;
  core_params_init(&prm);
  core__ws_t ws;
  char err[256];
  int rc = core__ws_build(&ws, pb, &prm, mem, err, sizeof err);
  if (rc != 0) {
    if (msg && msg_size && rc == CORE__ERR_NOMEM) snprintf(msg, msg_size, "out of memory");
    if (msg && msg_size && rc == CORE__ERR_INVALID) snprintf(msg, msg_size, "invalid problem: %s", err);
    return 1;
  }
  size_t n = core__check(&ws, target, msg, msg_size);
  core__ws_free(&ws);
  return n;
}

size_t core_check_placement(const core_problem_t* pb, const int32_t* target, char* msg, size_t msg_size)
{
  core__mem_t mem = {0};
  return core__check_placement(pb, target, msg, msg_size, &mem);
}
