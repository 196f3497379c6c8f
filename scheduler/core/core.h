/* core: the one placement solver every scheduler calls (Entropy, Snooze, DVMS, plugins).
 * Problem in (nodes, VMs, placement constraints), result out (status, target placement, ordered
 * migration plan with dependencies and pivots, cost, proven lower bound, work units, charged time).
 * Pure C: no SimGrid, no global state, no logging, no clock in any decision (GLPK's tm_lim is only
 * a safety net, reported in the result). It is not a simulator: it never executes the plan. */
#ifndef LUCSIM_CORE_H
#define LUCSIM_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CORE_NONE (-1) /* "no node" / "no VM" / "no step" in index fields */

/* ---------------------------------------------------------------------------------------------
 * Problem: plain arrays, all borrowed by core_solve for the duration of the call (never kept).
 * Units: CPU in load units (100 = one core fully used), RAM in bytes.
 * ------------------------------------------------------------------------------------------- */

typedef struct core_node {
  double cpu_capacity;         /* load units the VMs may use, >= 0 */
  uint64_t ram_capacity_bytes; /* RAM the VMs may use */
  bool online;                 /* false: the node is down; it receives nothing, its VMs stay where they are
                                  (a dead host cannot send) and its viability is not checked */
  int64_t id;                  /* caller's identifier, never interpreted */
} core_node_t;

typedef struct core_vm {
  double cpu_demand;  /* current CPU demand, load units, >= 0 */
  uint64_t ram_bytes; /* RAM, bytes */
  int32_t node;       /* index of the hosting node in core_problem_t.nodes */
  bool movable;       /* false: a constant (e.g. already migrating); it still uses its node's capacity */
  int64_t id;         /* caller's identifier, never interpreted */
} core_vm_t;

/* Placement constraints (Entropy / BtrPlace semantics, docs/REFERENCES.md §2). They hold on the
 * target placement (discrete semantics); ROOT and SPREAD are also kept during the plan. */
typedef enum core_cstr_kind {
  CORE_BAN,        /* vms never on any of nodes */
  CORE_FENCE,      /* vms only on nodes */
  CORE_SPREAD,     /* vms on pairwise distinct nodes; the plan never sends a member to a node that hosts or
                      is receiving another member */
  CORE_GATHER,     /* vms all on one node (they move as one block) */
  CORE_AMONG,      /* vms all inside one node group: nodes is the concatenation of groups, group_ends[g]
                      is the end (exclusive) of group g in nodes; groups must be disjoint */
  CORE_LONELY,     /* vms share no node with a VM outside vms */
  CORE_ROOT,       /* vms never move */
  CORE_PRESERVE,   /* each of vms is counted with at least cpu_min load units */
  CORE_OFFLINE,    /* nodes host nothing in the target (their VMs must leave) */
  CORE_MAX_ONLINE, /* at most k of nodes host a VM in the target */
} core_cstr_kind_t;

typedef struct core_constraint {
  core_cstr_kind_t kind;
  const int32_t* vms; /* borrowed; VM indices (BAN, FENCE, SPREAD, GATHER, AMONG, LONELY, ROOT, PRESERVE) */
  size_t vm_count;
  const int32_t* nodes; /* borrowed; node indices (BAN, FENCE, AMONG, OFFLINE, MAX_ONLINE) */
  size_t node_count;
  const size_t* group_ends; /* borrowed; AMONG only: group_count increasing ends, the last == node_count */
  size_t group_count;
  double cpu_min; /* PRESERVE only: load units */
  size_t k;       /* MAX_ONLINE only */
} core_constraint_t;

typedef struct core_problem {
  const core_node_t* nodes; /* borrowed, node_count entries */
  size_t node_count;
  const core_vm_t* vms; /* borrowed, vm_count entries */
  size_t vm_count;
  const core_constraint_t* constraints; /* borrowed, may be NULL when constraint_count == 0 */
  size_t constraint_count;
  /* Locality (optional; core_params_t.locality says how it is used). node_site: the site of each
   * node, node_count entries < site_count, or NULL (one site). site_distance: NULL, or site_count x
   * site_count distances (row-major, finite, >= 0; e.g. route latencies), read only under
   * CORE_LOCALITY_DISTANCE. With fewer than two sites the locality changes nothing. */
  const uint32_t* node_site; /* borrowed */
  size_t site_count;
  const double* site_distance; /* borrowed */
} core_problem_t;

/* ---------------------------------------------------------------------------------------------
 * Parameters: fill with core_params_init(), then change what you need (as glp_init_iocp).
 * ------------------------------------------------------------------------------------------- */

typedef enum core_objective {
  CORE_OBJ_COUNT, /* minimise the number of migrations (each costs 1) */
  CORE_OBJ_RAM,   /* minimise the migrated RAM (each costs ram_bytes; cost is in bytes) */
} core_objective_t;

/* Cost-model coefficients (seconds per work unit, see core_work_t). Measured once: `scripts/bench-core`
 * (bench_core, Release build, thread CPU time per solve) on the reference machine, 2 cores (nproc = 2), AMD
 * EPYC family 26 model 2, GLPK 5.0 (Debian); 280 solves with the worst-fit default placement: the 160
 * default-parameter solves of the table (8-1,024 PMs, heuristic only), 60 GLPK-alone solves of the repair
 * MILP (8-128 PMs; easy, hard, hard with SPREAD; both objectives; no budget) and 60 default solves of
 * the same instances (budgeted GLPK), fitted by scripts/bench/core_fit.py (least squares on the relative
 * error, non-negative coefficients). Fit quality: median relative error 16 %, 90th percentile 41 %, per
 * size in docs/PERFORMANCE.md ("Solver core"). The GLPK terms are size-aware: an iteration costs in
 * proportion to rows + nonzeros of its model, a B&B node to rows + columns (the size-free terms came
 * out 0 and are kept as knobs). They are constants: charged time never depends on the host running
 * lucsim. */
#define CORE_COST_BASE_S 5.7e-6           /* per call (problem indexing) */
#define CORE_COST_PER_VM_S 2.2e-8         /* per VM examined (eviction search, placement, plan) */
#define CORE_COST_PER_NODE_S 6.2e-9       /* per candidate node examined */
#define CORE_COST_PER_LP_IT_S 0.0         /* per simplex iteration (size-free part) */
#define CORE_COST_PER_BNB_S 0.0           /* per branch-and-bound node (size-free part) */
#define CORE_COST_PER_MILP_NZ_S 3.6e-8    /* per row + column + nonzero of each GLPK model built */
#define CORE_COST_PER_LP_IT_SIZE_S 6.5e-9 /* per simplex iteration x (rows + nonzeros) */
#define CORE_COST_PER_BNB_SIZE_S 2.6e-7   /* per branch-and-bound node x (rows + columns) */
/* Default budget of one core_solve's GLPK work, in charged seconds: the cost model above applied to the
 * work of the whole call so far, checked at every GLPK callback and turned into the root simplex's
 * iteration limit. So the B&B node budget scales down with the model: about 2,000 nodes (the
 * max_bnb_nodes cap) at 8 PMs, 1,300 at 16, 90 at 64 PMs hard (rows + columns = 11K). Deterministic:
 * the same work is charged the same everywhere; on the reference machine a default solve stays well
 * under 1 s of CPU (docs/PERFORMANCE.md). */
#define CORE_MILP_BUDGET_S 0.25

/* Where the heuristic puts each evicted VM among the nodes with room (constraints permitting). */
typedef enum {
  CORE_PLACE_FIRST_FIT, /* the lowest-index node: packs receivers, which then overload on the next rise */
  CORE_PLACE_BEST_FIT,  /* the node left with the least room (CPU + RAM shares): packs tightest */
  CORE_PLACE_WORST_FIT  /* the node left with the most room: spreads load, leaves receivers headroom */
} core_placement_t;

/* Which VMs leave a node that must send (a violating node) before the heuristic places them. */
typedef enum {
  CORE_EVICT_EXACT, /* the cheapest set that makes the node viable (exact search; the lower bound's) */
  CORE_EVICT_LAZY,  /* the node's VMs in their order until it is viable: VMPlaceS' Lazy FFD */
  CORE_EVICT_ALL,   /* every VM of the node, which may come back to it: VMPlaceS' Optimistic FFD */
  CORE_EVICT_MMT,   /* the least RAM first until it is viable: CloudSim's minimum migration time */
} core_eviction_t;

/* How a destination's network distance from a VM's current node weighs (core_problem_t.node_site):
 * the heuristic tries the candidate nodes nearest first (same site, then nearer sites), its fit rule
 * deciding only among equally near ones; the MILP adds to each move a cost proportional to its
 * distance, less than half the smallest migration weight in total (it only decides between plans
 * of equal migration cost); and a MILP placement of equal cost with less distance replaces the
 * heuristic's. result.cost never includes it. */
typedef enum {
  CORE_LOCALITY_OFF,      /* sites ignored */
  CORE_LOCALITY_SITE,     /* distance 0 inside a site, 1 between sites (the default) */
  CORE_LOCALITY_DISTANCE, /* site_distance (scaled to [0, 1]); CORE_LOCALITY_SITE when it is NULL */
} core_locality_t;

typedef struct core_params {
  core_objective_t objective;  /* default CORE_OBJ_COUNT */
  core_locality_t locality;    /* default CORE_LOCALITY_SITE */
  core_placement_t placement;  /* default CORE_PLACE_WORST_FIT (docs/PERFORMANCE.md, "Placement policy") */
  bool placement_index;        /* default true: worst fit without locality finds each node through an index
                                  (the node, the result and the work units of the scan, faster on large
                                  problems); false: it scans every node (the reference, for tests) */
  double consolidation_weight; /* cost added per node hosting a VM in the target, in objective units
                                  (migrations, or bytes for CORE_OBJ_RAM); 0 (default) = no consolidation.
                                  Heuristically: only when > 0 does the core try to empty nodes */
  bool no_chain;               /* default true: a node either sends or receives, so the plan is one step */
  bool repair_mode;            /* default true: only VMs on violating nodes or named by a violated
                                  constraint may move. false: every movable VM is a MILP variable */
  bool use_heuristic;          /* default true: exact-eviction heuristic and its lower bound */
  bool use_milp;               /* default true: GLPK when the heuristic misses its bound or fails, unless
                                  a node that must send provably cannot (repair mode, no-chain: none of
                                  its VMs fits where its constraints allow; result NO_SOLUTION or PARTIAL) */
  bool milp_eviction_rows;     /* default true: add the per-node eviction rows to the MILP */
  bool milp_warm_start;        /* default true: inject the heuristic placement (needs milp_presolve false) */
  bool milp_presolve;          /* default false (GLPK's MIP presolver; incompatible with the warm start) */
  size_t milp_max_columns;     /* default 200000: larger models are not built (the heuristic answer stands) */
  /* Deterministic work budget of one MILP solve; the search stops at the first one reached. */
  long max_bnb_nodes;      /* default 2000 branch-and-bound nodes (and see max_milp_charged_s) */
  long max_lp_iterations;  /* default 200000 simplex iterations (root LP included) */
  int tm_lim_ms;           /* default 10000: wall-clock safety net only; result.safety_net_fired says so */
  long max_eviction_steps; /* default 20000: search steps per node in the exact eviction, then the
                              node's bound falls back to a fractional-knapsack bound */
  /* Cost model (see CORE_COST_*): charged_seconds = base + per_vm*vms_examined + per_node*nodes_examined
   * + per_lp_it*lp_iterations + per_bnb*bnb_nodes + per_milp_nz*milp_size + per_lp_it_size*lp_it_size
   * + per_bnb_size*bnb_size. */
  double cost_base_s, cost_per_vm_s, cost_per_node_s, cost_per_lp_it_s, cost_per_bnb_s;
  /* Size-aware budget of the GLPK work: default CORE_MILP_BUDGET_S. GLPK stops (keeping its incumbent) once
   * the charged time of the whole call would exceed it; <= 0 disables it (max_bnb_nodes and
   * max_lp_iterations still apply). On larger models this admits fewer B&B nodes: in effect the node
   * budget scales down with rows + columns. */
  double max_milp_charged_s;
  double cost_per_milp_nz_s, cost_per_lp_it_size_s, cost_per_bnb_size_s;
  /* Heuristic retries when the placement of the cheapest evictions fails (docs/REFERENCES.md §3.3):
   * one best-fit placement, then up to this many rounds where each node whose VMs could not be placed
   * switches to its next-cheapest minimal eviction set. Default 3; 0 = only the best-fit retry. */
  size_t heuristic_retries;
  /* Added with scheduler ABI 4 (members are only ever added at the end) */
  core_eviction_t eviction; /* default CORE_EVICT_EXACT; the others make the heuristic one placement attempt of
                               those VMs (no best-fit retry, no next-cheapest sets); the lower bound stays
                               the exact eviction's */
} core_params_t;

/* Fills p with the defaults above. p is caller memory. */
void core_params_init(core_params_t* p);

/* ---------------------------------------------------------------------------------------------
 * Result.
 * ------------------------------------------------------------------------------------------- */

typedef enum core_status {
  CORE_NOTHING_TO_DO,   /* every node viable and every constraint satisfied (and no consolidation gain found) */
  CORE_SOLVED,          /* target viable, all constraints hold, plan reachable */
  CORE_PARTIAL,         /* the plan fixes some violating nodes, leaves others violating, creates no new violation */
  CORE_NO_SOLUTION,     /* nothing found within the budget (or proven infeasible); plan empty */
  CORE_ERROR_NO_MEMORY, /* an allocation failed: the solve stopped there. Plan empty (step_count 0, migrations 0),
                           solver NONE, error "out of memory"; target holds the current placement unless it could
                           not be allocated (then target_cap < vm_count); work and charged_seconds count the work
                           done. Handle it as CORE_NO_SOLUTION; the result stays reusable */
} core_status_t;

typedef enum core_solver {
  CORE_SOLVER_NONE,      /* nothing was solved (nothing to do, or no solution) */
  CORE_SOLVER_HEURISTIC, /* the exact-eviction heuristic's placement was kept */
  CORE_SOLVER_MILP,      /* GLPK's placement was kept (re-checked outside GLPK) */
} core_solver_t;

typedef struct core_step {
  int32_t vm;         /* VM index */
  int32_t from, to;   /* node indices */
  bool is_pivot;      /* this move bounces vm to a pivot node to break a cycle; a later step moves it on */
  uint32_t wave;      /* 0-based: the step can start once the steps of earlier waves it depends on end */
  uint32_t dep_first; /* predecessors: out->deps[dep_first .. dep_first + dep_count) are step indices that */
  uint32_t dep_count; /* must have COMPLETED before this step starts (destination room, spread) */
} core_step_t;

typedef struct core_work {
  uint64_t vms_examined;   /* VM visits: eviction search steps, placement attempts, plan checks */
  uint64_t nodes_examined; /* candidate-node checks */
  uint64_t lp_iterations;  /* GLPK simplex iterations */
  uint64_t bnb_nodes;      /* GLPK branch-and-bound nodes */
  uint64_t milp_size;      /* sum over the GLPK models built of rows + columns + nonzeros */
  uint64_t lp_it_size;     /* sum over the models of simplex iterations x (rows + nonzeros) */
  uint64_t bnb_size;       /* sum over the models of branch-and-bound nodes x (rows + columns) */
  uint64_t retries;        /* heuristic placement attempts after the first (best fit, next-cheapest sets) */
} core_work_t;

typedef struct core_result {
  core_status_t status;
  core_solver_t solver;
  int32_t* target;    /* owned by the result: vm_count node indices (target[v] == vms[v].node if v stays) */
  core_step_t* steps; /* owned by the result: step_count steps in a valid start order */
  size_t step_count;
  uint32_t* deps; /* owned by the result: dependency lists of steps */
  size_t dep_count;
  size_t migrations;      /* VMs whose target differs from their node (pivot bounces not counted) */
  size_t pivots;          /* extra pivot moves in the plan */
  size_t active_nodes;    /* nodes hosting at least one VM in the target */
  double cost;            /* objective of target: sum of weights of moved VMs + consolidation_weight*active_nodes */
  double heuristic_cost;  /* the heuristic's cost (or -1 when it found no full placement) */
  double lower_bound;     /* proven lower bound on the cost of any viable target (exact eviction + node bound) */
  bool proven_optimal;    /* cost == lower_bound, or GLPK proved the model it solved optimal (the repair and
                             no-chain restrictions, when on, are part of that model) */
  bool safety_net_fired;  /* GLPK's tm_lim stopped a search: the answer depends on the host's speed */
  bool milp_ran;          /* GLPK was called */
  size_t violating_nodes; /* nodes not viable (or breaking a constraint) in the input */
  core_work_t work;       /* deterministic work units */
  double charged_seconds; /* simulated computation time, from the cost model on work */
  char error[256];        /* core_solve returned -1: why (bad index, negative capacity, ...); "out of memory" with
                             CORE_ERROR_NO_MEMORY */
  /* Capacities of the owned arrays (internal bookkeeping for buffer reuse). */
  size_t target_cap, steps_cap, deps_cap;
} core_result_t;

/* A result ready for its first core_solve (all zeros). */
#define CORE_RESULT_INIT                                                                                               \
  {                                                                                                                    \
    0                                                                                                                  \
  }

/* Solves pb under p (NULL = defaults) into out. out must be CORE_RESULT_INIT or a result of an earlier
 * core_solve: its arrays are reused (grown with realloc) so a scheduler calling core_solve in a loop
 * allocates nothing per call once warm (a result whose arrays do not match its capacities is a bug:
 * the core aborts). pb and p are borrowed, only for the call.
 * Returns 0 (then out->status tells the outcome, CORE_ERROR_NO_MEMORY when an allocation failed), or -1
 * on an invalid problem (out->error says why; out->status is CORE_NO_SOLUTION). */
int core_solve(const core_problem_t* pb, const core_params_t* p, core_result_t* out);

/* Frees the arrays owned by r and zeroes it (r itself is caller memory). r may be NULL. */
void core_result_free(core_result_t* r);

/* Checks a placement against pb independently of any solver: every online node within capacity,
 * every constraint satisfied (ROOT: target == current node). target has vm_count entries (borrowed).
 * Returns the number of violations found (0 = viable); when msg is non-NULL, the first one is described.
 * An invalid problem, or an allocation failure, counts as one violation ("invalid problem: ...",
 * "out of memory"). */
size_t core_check_placement(const core_problem_t* pb, const int32_t* target, char* msg, size_t msg_size);

/* Names for logs: "nothing-to-do", "solved", "partial", "no-solution", "no-memory"; "none", "heuristic",
 * "milp". */
const char* core_status_name(core_status_t s);
const char* core_solver_name(core_solver_t s);

#endif
