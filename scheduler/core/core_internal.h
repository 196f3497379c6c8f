/* Internal to scheduler/core: the per-solve workspace (indexes over the borrowed problem, the
 * current target and its node loads) and the helpers its files share (core__ prefix). Calls go one
 * way: solve.c sequences the stages (evict.c, hard.c, heuristic.c, which reuses evict.c and room_index.c, milp.c on
 * milp_model.c, plan.c); they use constraints.c, which uses problem.c; problem.c builds the locality of locality.c
 * (core__dist, inline here, reads it); alloc.c and params.c are leaves.
 * Not part of the API: schedulers include core.h only. */
#ifndef LUCSIM_CORE_INTERNAL_H
#define LUCSIM_CORE_INTERNAL_H

#include "core.h"
#include "core_assert.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* VM flags */
#define CORE__VF_FIXED 0x01  /* never moves (not movable, ROOT, or on a node that is down) */
#define CORE__VF_REPAIR 0x02 /* may move (repair set, or every non-fixed VM when repair_mode is off) */
#define CORE__VF_FORCED 0x04 /* cannot stay on its current node (BAN, FENCE, OFFLINE) */
/* Node flags */
#define CORE__NF_DOWN 0x01   /* core_node_t.online == false */
#define CORE__NF_OFFREQ 0x02 /* named by an OFFLINE constraint */
#define CORE__NF_VIOL 0x04   /* must send: overloaded, hosts a FORCED VM, or a SPREAD conflict */
#define CORE__NF_SENDS 0x08  /* sends a VM in the current target */
#define CORE__NF_RECV 0x10   /* receives a VM in the current target */

#define CORE__EPS 1e-7

/* Internal return codes (functions returning int; 0 = success). */
#define CORE__ERR_INVALID (-1) /* core__ws_build: the problem is invalid, err says why */
#define CORE__ERR_NOMEM (-2)   /* an allocation failed (mem->failed is set) */

/* alloc.c: the allocations of one call. Error convention: a function that gets NULL from these frees
 * what it holds, leaves the workspace usable only for core__ws_free, and returns CORE__ERR_NOMEM, or,
 * when it returns a count or a flag, a value its doc names; its caller checks mem->failed. */
typedef struct core__mem {
  uint64_t count;   /* allocations attempted so far */
  uint64_t fail_at; /* tests only: the fail_at-th attempt (1-based) fails; 0 = none */
  bool failed;      /* an allocation failed (sticky) */
} core__mem_t;

/* n elements of size bytes (n = 0 allocates one), like malloc / calloc / realloc; NULL with
 * mem->failed set when the allocation fails (core__realloc then leaves p allocated and unchanged). */
void* core__malloc(core__mem_t* mem, size_t n, size_t size);
void* core__calloc(core__mem_t* mem, size_t n, size_t size);
void* core__realloc(core__mem_t* mem, void* p, size_t n, size_t size);

typedef struct core__ws {
  const core_problem_t* pb;
  const core_params_t* prm;
  core__mem_t* mem; /* borrowed from the call: every allocation of the solve goes through it */
  size_t nn, nv, nc;
  double* cpu;             /* nv: effective CPU demand (PRESERVE applied) */
  double* w;               /* nv: objective weight (1, or ram_bytes) */
  uint8_t* vf;             /* nv: CORE__VF_* */
  uint8_t* nf;             /* nn: CORE__NF_* */
  uint32_t* node_vm_start; /* nn+1: VMs initially on node n are node_vms[start[n] .. start[n+1]) */
  int32_t* node_vms;       /* nv */
  uint32_t* vm_c_start;    /* nv+1: constraints naming v are vm_cs[start[v] .. start[v+1]) */
  uint32_t* vm_cs;
  uint32_t* cn_start; /* nc+1: constraint c's nodes, sorted, are cn[cn_start[c] .. cn_start[c+1]) */
  int32_t* cn;
  int32_t* cn_group;  /* parallel to cn: AMONG group of the node */
  int32_t* gather_of; /* nv: first GATHER constraint naming v, or -1 */
  uint32_t* lonely;   /* indices of LONELY constraints */
  size_t lonely_count;
  uint32_t* maxon; /* indices of MAX_ONLINE constraints */
  size_t maxon_count;
  bool hard_violation;       /* a violated GATHER/AMONG/LONELY/MAX_ONLINE (hard.c plans its repair) */
  bool hard_unplanned;       /* one of them has no heuristic repair (hard.c): GLPK repairs everything */
  const uint8_t* hard_evict; /* nv: the evictions hard.c planned (borrowed), or NULL */
  size_t violating_nodes;
  double* node_lb; /* nn: cheapest eviction cost of the node (evict.c), 0 when it needs none */
  /* Locality (locality.c): node sites when it applies (two sites or more, not CORE_LOCALITY_OFF),
   * else NULL; site_dist: ns x ns distances scaled to [0, 1], or NULL (1 between sites). */
  const uint32_t* site;
  double* site_dist;
  size_t ns;
  /* The current target and its loads. */
  int32_t* pos;      /* nv: node, or CORE_NONE while evicted and not yet placed */
  double* cpu_free;  /* nn: capacity minus the demand placed under pos */
  double* ram_free;  /* nn */
  uint32_t* cnt;     /* nn: VMs placed under pos */
  size_t* mo_active; /* nc: MAX_ONLINE: nodes of the constraint with cnt > 0 */
  /* Scratch, nn each: any function may use them (zeroing them first), none keeps data in them across
   * calls; so core__check, core__target_cost and the lower bound allocate nothing. */
  uint8_t* node_mark;
  double *node_cpu, *node_ram;
  uint32_t* node_cnt;
  core_work_t work;
} core__ws_t;

/* The tolerance the core allows an amount (a capacity, a demand): relative, at least CORE__EPS. */
static inline double core__tolerance(double amount)
{
  return CORE__EPS * (amount > 1 ? amount : 1);
}

/* Node n has room for cpu and ram under pos (the tolerance of core__check). */
static inline bool core__fits(const core__ws_t* ws, int32_t n, double cpu, double ram)
{
  return ws->cpu_free[n] >= cpu - core__tolerance(cpu) && ws->ram_free[n] >= ram - core__tolerance(ram);
}

/* The room left on n once it takes cpu and ram: the CPU and RAM fractions of its capacities left
 * free, added. Worst fit picks the most, best fit the least (heuristic.c, room_index.c). The room
 * index bounds with core__room_score on a subtree's free room: the same expression, so bit for bit. */
static inline double core__room_score(double c, double r, double cpu_free, double ram_free, double cpu, double ram)
{
  return (c > 0 ? (cpu_free - cpu) / c : 0) + (r > 0 ? (ram_free - ram) / r : 0);
}
static inline double core__room_after(const core__ws_t* ws, int32_t n, double cpu, double ram)
{
  return core__room_score(ws->pb->nodes[n].cpu_capacity, (double)ws->pb->nodes[n].ram_capacity_bytes, ws->cpu_free[n],
                          ws->ram_free[n], cpu, ram);
}

/* room_index.c: the worst-fit choice without a scan, over the nodes that neither send nor are down
 * nor named by OFFLINE (their flags must not change while the index lives); NULL when out of memory.
 * core__room_update after n's free room changed, core__room_refresh after any number of changes. */
typedef struct core__room_index core__room_index_t;
core__room_index_t* core__room_build(core__ws_t* ws);
void core__room_update(core__room_index_t* ix, const core__ws_t* ws, int32_t n);
void core__room_refresh(core__room_index_t* ix, const core__ws_t* ws);
void core__room_free(core__room_index_t* ix);
/* The node of most room after a block of cpu and ram from home, ties on the lowest index, among those
 * that fit: exactly the scan's worst-fit choice without locality. CORE_NONE when none fits. */
int32_t core__room_worst_fit(const core__room_index_t* ix, const core__ws_t* ws, double cpu, double ram, int32_t home);

/* problem.c: builds the workspace of pb under prm (both borrowed for the workspace's life). Returns 0,
 * CORE__ERR_INVALID (err says why) or CORE__ERR_NOMEM; on error ws needs no core__ws_free. */
int core__ws_build(core__ws_t* ws, const core_problem_t* pb, const core_params_t* prm, core__mem_t* mem, char* err,
                   size_t err_size);
void core__ws_free(core__ws_t* ws);
void core__ws_reset_target(core__ws_t* ws); /* pos = current placement, loads recomputed, SENDS/RECV cleared */
void core__move(core__ws_t* ws, int32_t v, int32_t n); /* n may be CORE_NONE (evict) */
bool core__node_in(const core__ws_t* ws, uint32_t c, int32_t n, int32_t* group);
const char* core__kind_name(core_cstr_kind_t k); /* "ban", "fence", ... for messages */
double core__target_cost(const core__ws_t* ws, const int32_t* pos, size_t* moved, size_t* active);

/* constraints.c */
bool core__allowed(core__ws_t* ws, int32_t v, int32_t n); /* every constraint but capacity, under pos */
void core__mark_violations(core__ws_t* ws);               /* sets NF_VIOL, VF_REPAIR, VF_FORCED, hard_violation */
size_t core__check(const core__ws_t* ws, const int32_t* pos, char* msg, size_t msg_size);
/* Constraint c holds under pos, node_cnt[n] being the VMs on n under pos. */
bool core__holds(const core__ws_t* ws, uint32_t c, const int32_t* pos, const uint32_t* node_cnt);
/* core_check_placement with the caller's allocation state (tests set mem->fail_at). */
size_t core__check_placement(const core_problem_t* pb, const int32_t* target, char* msg, size_t msg_size,
                             core__mem_t* mem);

/* locality.c: validates the problem's sites and sets ws->site / site_dist / ns under prm->locality.
 * Returns 0, CORE__ERR_INVALID (err says why) or CORE__ERR_NOMEM. */
int core__locality_build(core__ws_t* ws, char* err, size_t err_size);
/* Sum over the VMs of w x the distance from their current node to pos[v] (0 when locality is off). */
double core__locality_cost(const core__ws_t* ws, const int32_t* pos);
/* The distance, in [0, 1], between nodes a and b: 0 in one site or when the locality is off. */
static inline double core__dist(const core__ws_t* ws, int32_t a, int32_t b)
{
  if (!ws->site) return 0;
  uint32_t x = ws->site[a], y = ws->site[b];
  if (x == y) return 0;
  return ws->site_dist ? ws->site_dist[(size_t)x * ws->ns + y] : 1.0;
}

/* params.c: the cost model applied to w (seconds), and a += b field by field. */
double core__charged_s(const core_params_t* p, const core_work_t* w);
void core__work_add(core_work_t* a, const core_work_t* b);

/* evict.c: the exact per-node eviction. Fills evict[v] = 1 for the chosen VMs, *lb with the lower bound
 * (sum of per-node minima, or of fractional bounds where the search ran out of steps) and sets *exact
 * when every per-node minimum was proven. Returns 0 or CORE__ERR_NOMEM. */
int core__evict_all(core__ws_t* ws, uint8_t* evict, double* lb, bool* exact);

/* evict.c: the greedy evictions (ws->prm->eviction LAZY, ALL or MMT), replacing evict[] on every NF_VIOL
 * node: the VMs that must leave (FORCED), then its movable VMs (GATHER partners as one) in the node's
 * order until it is viable (LAZY), all of them (ALL), or by increasing RAM until it is viable (MMT). A node where a VM
 * that must leave cannot keeps every VM. SPREAD conflicts are not looked at (the FFDs knew no constraint). Returns 0 or
 * CORE__ERR_NOMEM. */
int core__evict_ffd(core__ws_t* ws, uint8_t* evict);

/* evict.c: up to k minimal eviction sets of node n (a NF_VIOL node; no evicted VM can stay without
 * breaking capacity or SPREAD), cheapest first (cost, then evicted CPU, then search order), so the first
 * is core__evict_all's choice when its search was exact. evict (nv flags) is scratch, restored on return.
 * sets (caller memory, k * c bytes, c = VMs initially on n): row j flags node_vms[node_vm_start[n] + i]
 * evicted when sets[j * c + i]. Reads n's load under ws->pos: call it on the initial placement. Returns the
 * number of sets found (0 when none, when n is viable, or when an allocation failed: ws->mem->failed). */
size_t core__evict_alternatives(core__ws_t* ws, int32_t n, size_t k, uint8_t* evict, uint8_t* sets);

/* heuristic.c: places the evicted VMs (pos == CORE_NONE) by decreasing CPU, on the first node with room,
 * or the one left with the least (best fit) or the most (worst fit) room, per mode. forbid_senders: never
 * place on a node that sends. revert: units of a node that cannot all be placed go back home (requires
 * forbid_senders). Returns the number of VMs left unplaced (0 = complete). When an allocation fails it
 * moves nothing and returns the number of flagged VMs (ws->mem->failed). */
size_t core__place_evicted(core__ws_t* ws, const uint8_t* evict, bool forbid_senders, bool revert,
                           core_placement_t mode);

/* heuristic.c: from the current placement, places evict (the cheapest sets) first fit; on failure best
 * fit; then up to prm->heuristic_retries rounds where every node that had a VM left unplaced takes its
 * next-cheapest minimal eviction set (round r: its r-th), each placed first fit then best fit. Returns
 * true with ws->pos a complete placement passing core__check and evict the sets it used; false with
 * evict as given (ws->pos is then the last attempt), or when an allocation failed (ws->mem->failed). */
bool core__place_with_retries(core__ws_t* ws, uint8_t* evict);

/* hard.c: for every GATHER, AMONG, LONELY or MAX_ONLINE constraint the current placement (ws->pos,
 * initial) breaks, flags in evict (ORed in) the VMs of its cheapest single-constraint repair, and sets
 * *lb_extra to what the repairs add to the eviction bound (core__evict_all's, whose per-node parts
 * ws->node_lb holds). Sets ws->hard_unplanned when one has no such repair. Returns 0 or
 * CORE__ERR_NOMEM. */
int core__plan_hard_repairs(core__ws_t* ws, uint8_t* evict, double* lb_extra);
/* hard.c: the eviction sets (evict) of the NF_VIOL nodes that hard.c's repairs (hard) touch, chosen
 * again with those VMs gone (a node they relieve may need less, or nothing more); hard's flags are
 * ORed in. Returns 0 or CORE__ERR_NOMEM. */
int core__refit_evictions(core__ws_t* ws, uint8_t* evict, const uint8_t* hard);

/* proofs.c: true when no full repair exists (the up nodes' room is short, or, in repair mode under
 * no-chain, a sender cannot send or the senders cannot shed enough); GLPK is then not called. Counts
 * its work. False when out of memory (ws->mem->failed). */
bool core__repair_is_impossible(core__ws_t* ws);

/* milp.c: solves the MILP over the REPAIR VMs (every non-fixed VM when !repair_mode). warm is a
 * complete viable target or NULL. On success writes the placement into sol (nv entries) and returns 1;
 * returns 0 when GLPK found nothing (or the model is too large / infeasible), CORE__ERR_NOMEM when an
 * allocation failed. *optimal: proven optimal for the model; *bound: GLPK's best bound (objective units)
 * or -inf. */
int core__milp_solve(core__ws_t* ws, const int32_t* warm, int32_t* sol, bool* optimal, double* bound, bool* tm_fired);

/* plan.c: orders the moves from the current placement to target (complete: a node for every VM) into
 * out->steps/deps. Returns 0, -1 when the plan is unreachable (a cycle with no pivot node), or
 * CORE__ERR_NOMEM (the plan is then partial: the caller discards it). */
int core__plan_build(core__ws_t* ws, const int32_t* target, core_result_t* out);

/* solve.c: core_solve with the caller's allocation state (tests set mem->fail_at). */
int core__solve(const core_problem_t* pb, const core_params_t* p, core_result_t* out, core__mem_t* mem);

#endif
