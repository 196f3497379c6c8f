/* Power management and consolidation of a round's PMs (scheduler.h, sched_round_power), built only
 * on the public API: which PMs to empty, to switch on and to switch off. The emptying itself is a
 * round of the shared core (an OFFLINE constraint on the PMs chosen), so constraints, locality and
 * the plan executor apply to it as to any repair. Policy as in Snooze's power management (idle PMs
 * off after a delay, woken when needed) and the consolidation heuristics of the literature (empty
 * the least loaded hosts first; docs/ENERGY.md gives the sources). */
#include "round_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <xbt/asserts.h>

int sched_param_power(sched_ctx_t* ctx, sched_power_params_t* out, lucsim_err_t* err)
{
  static const sched_param_doc_t docs[] = {
      {"power_management", "switch empty PMs off after power_idle_off, and PMs on again when the load rises"},
      {"power_idle_off", "time an empty PM stays on before it is switched off"},
      {"power_wake_load", "switch PMs on while the demand of a round's PMs is above this share of the capacity on"},
      {"consolidate", "once every PM of a round is viable: on (empty its least loaded PMs onto the others) or milp "
                      "(the core's objective: fewest PMs hosting VMs, then fewest migrations, within its budget)"},
      {"consolidate_fill", "share of a receiver's CPU a consolidation may fill (at most power_wake_load)"},
      {"consolidate_max_pms", "PMs emptied by one consolidation round at most"},
      {NULL, NULL}};
  static const char* const off_on[]       = {"off", "on", NULL};
  static const char* const consolidates[] = {"off", "on", "milp", NULL};
  sched_param_docs(ctx, docs);
  if (sched__refuse_older_abi(ctx, 4, "sched_param_power", "consolidate=milp", err) != 0) return -1;
  int manage, consolidate;
  double max_pms;
  if (sched_param_enum(ctx, "power_management", off_on, 0, &manage, err) != 0 ||
      sched_param_time(ctx, "power_idle_off", 120, 0, 1e9, &out->idle_off_s, err) != 0 ||
      sched_param_double(ctx, "power_wake_load", 0.85, 0.05, 1, &out->wake_load, err) != 0 ||
      sched_param_enum(ctx, "consolidate", consolidates, 0, &consolidate, err) != 0 ||
      sched_param_double(ctx, "consolidate_fill", 0.75, 0.05, 1, &out->consolidate_fill, err) != 0 ||
      sched_param_double(ctx, "consolidate_max_pms", 16, 1, 1e7, &max_pms, err) != 0)
    return -1;
  out->manage = manage == 1, out->consolidate = consolidate >= 1, out->consolidate_max = (size_t)max_pms;
  out->consolidate_milp = consolidate == 2;
  if (out->manage && sched_pms_may_fail(ctx))
    return sched_param_error(ctx, "power_management", err,
                             "is on in a run where PMs fail (injector.faults.*): power states with failures are not "
                             "supported yet; turn one of them off");
  if (out->manage && out->consolidate && out->consolidate_fill > out->wake_load)
    return sched_param_error(ctx, "consolidate_fill", err,
                             "%g is above power_wake_load (%g): consolidated PMs would wake others at once; expected "
                             "consolidate_fill <= power_wake_load",
                             out->consolidate_fill, out->wake_load);
  return 0;
}

static size_t pm_at(const sched_round_t* r, size_t i)
{
  return r->pms ? r->pms[i] : i;
}

static size_t round_pm_count(const sched_ctx_t* ctx, const sched_round_t* r)
{
  return r->pms ? r->pm_count : sched_pm_count(ctx);
}

/* Demand of the round's PMs that are up, and the CPU capacity of those on (booting ones too). */
static void round_load(const sched_ctx_t* ctx, const sched_round_t* r, double* demand, double* capacity_on)
{
  *demand = *capacity_on = 0;
  for (size_t i = 0; i < round_pm_count(ctx, r); i++) {
    size_t pm = pm_at(r, i);
    sched_pm_info_t p;
    sched_pm_info(ctx, pm, &p);
    if (!p.online) continue;
    *demand += p.cpu_demand;
    sched_power_t s = sched_pm_power(ctx, pm);
    if (s == SCHED_POWER_ON || s == SCHED_POWER_BOOTING) *capacity_on += p.cpu_capacity;
  }
}

typedef struct candidate {
  size_t node; /* problem node index: position in the round */
  double demand;
} candidate_t;

static int by_demand(const void* a, const void* b)
{
  const candidate_t *x = a, *y = b;
  if (x->demand != y->demand) return x->demand < y->demand ? -1 : 1;
  return x->node < y->node ? -1 : x->node > y->node;
}

/* A consolidation round over r's PMs with solver (best fit, receivers filled up to consolidate_fill),
 * the problem's nodes empty[0..k) required empty; recorded as "<actor>+consolidate". */
static void consolidation_round(sched_ctx_t* ctx, const sched_round_t* r, const sched_power_params_t* pp,
                                sched_solver_params_t* solver, const size_t* empty, size_t k)
{
  char actor[128];
  snprintf(actor, sizeof actor, "%s+consolidate", r->actor);
  solver->core.placement = CORE_PLACE_BEST_FIT; /* pack the receivers, up to the fill */
  sched_round_t cr       = *r;
  cr.actor               = actor;
  cr.solver              = solver;
  cr.headroom            = 1 - pp->consolidate_fill > r->headroom ? 1 - pp->consolidate_fill : r->headroom;
  sched_round_report_t rep;
  sched__round_solve(ctx, &cr, empty, k, &rep);
}

/* Empties the least loaded PMs while the other PMs hosting VMs can take their demand within
 * consolidate_fill of their capacity (in total: the core checks each receiver). Empty PMs do not
 * count as room, so a consolidation never moves VMs onto them (without power management they stay
 * on, and counting them would make every round empty other PMs onto them again). */
static void consolidate(sched_ctx_t* ctx, const sched_round_t* r, const sched_power_params_t* pp)
{
  size_t n = round_pm_count(ctx, r), count = 0;
  candidate_t* cands = malloc((n ? n : 1) * sizeof *cands);
  size_t* chosen     = malloc((n ? n : 1) * sizeof *chosen);
  xbt_assert(cands && chosen, "out of memory");
  double demand = 0, capacity = 0;
  for (size_t i = 0; i < n; i++) {
    size_t pm = pm_at(r, i);
    sched_pm_info_t p;
    sched_pm_info(ctx, pm, &p);
    if (!p.online || sched_pm_power(ctx, pm) != SCHED_POWER_ON || p.vm_count == 0) continue;
    demand += p.cpu_demand, capacity += p.cpu_capacity; /* empty PMs are no receivers: they are to stay empty */
    if (p.viable && !p.maintenance && p.migrations_in == 0 && p.migrations_out == 0)
      cands[count++] = (candidate_t){i, p.cpu_demand};
  }
  qsort(cands, count, sizeof *cands, by_demand);
  size_t k = 0;
  for (size_t c = 0; c < count && k < pp->consolidate_max; c++) {
    sched_pm_info_t p;
    sched_pm_info(ctx, pm_at(r, cands[c].node), &p);
    if (demand > pp->consolidate_fill * (capacity - p.cpu_capacity)) break;
    capacity -= p.cpu_capacity;
    chosen[k++] = cands[c].node;
  }
  if (k > 0) {
    /* the heuristic alone: a PM whose VMs do not all fit elsewhere keeps them (the core's partial
     * repair), as the literature's all-or-nothing emptying; GLPK on every such round of every
     * Snooze group manager made Snooze 6x slower (docs/ENERGY.md) */
    sched_solver_params_t solver = *r->solver;
    solver.core.use_milp         = false;
    consolidation_round(ctx, r, pp, &solver, chosen, k);
  }
  free(cands);
  free(chosen);
}

/* Switches on the round's PMs that are off, in round order, while the demand is above wake_load of
 * the capacity on (and one when the repair failed and none is booting). Returns how many. */
static size_t wake(sched_ctx_t* ctx, const sched_round_t* r, const sched_power_params_t* pp, bool repair_failed)
{
  double demand, capacity_on;
  round_load(ctx, r, &demand, &capacity_on);
  size_t n = round_pm_count(ctx, r), booting = 0, woken = 0;
  for (size_t i = 0; i < n; i++)
    booting += sched_pm_power(ctx, pm_at(r, i)) == SCHED_POWER_BOOTING;
  bool need_one = repair_failed && booting == 0;
  for (size_t i = 0; i < n && (demand > pp->wake_load * capacity_on || need_one); i++) {
    size_t pm = pm_at(r, i);
    if (sched_pm_power(ctx, pm) != SCHED_POWER_OFF || sched_pm_power_on(ctx, pm) != 0) continue;
    sched_pm_info_t p;
    sched_pm_info(ctx, pm, &p);
    capacity_on += p.cpu_capacity;
    need_one = false;
    woken++;
  }
  return woken;
}

/* Switches off the round's PMs empty for idle_off_s, last first, while the demand stays under
 * wake_load of the capacity left on. */
static void switch_off_idle(sched_ctx_t* ctx, const sched_round_t* r, const sched_power_params_t* pp)
{
  double demand, capacity_on, now = sched_now(ctx);
  round_load(ctx, r, &demand, &capacity_on);
  for (size_t i = round_pm_count(ctx, r); i-- > 0;) {
    size_t pm    = pm_at(r, i);
    double since = sched_pm_empty_since(ctx, pm);
    if (since < 0 || now - since < pp->idle_off_s || sched_pm_power(ctx, pm) != SCHED_POWER_ON) continue;
    sched_pm_info_t p;
    sched_pm_info(ctx, pm, &p);
    if (!p.online || demand > pp->wake_load * (capacity_on - p.cpu_capacity)) continue;
    if (sched_pm_power_off(ctx, pm) == 0) capacity_on -= p.cpu_capacity;
  }
}

/* Weight of a PM hosting VMs in the core's consolidation objective, in migrations: emptying a PM is
 * worth up to this many migrations (the design-time setting of docs/REFERENCES.md §3.5). */
#define CONSOLIDATION_WEIGHT 5

/* consolidate=milp: the core's objective O2 over the round's PMs, every VM a variable, receivers
 * filled up to consolidate_fill; GLPK within its deterministic budget decides which PMs empty. */
static void consolidate_milp(sched_ctx_t* ctx, const sched_round_t* r, const sched_power_params_t* pp)
{
  sched_solver_params_t solver     = *r->solver;
  solver.core.repair_mode          = false;
  solver.core.consolidation_weight = CONSOLIDATION_WEIGHT;
  consolidation_round(ctx, r, pp, &solver, NULL, 0);
}

void sched_round_power(sched_ctx_t* ctx, const sched_round_t* r, const sched_round_report_t* repair)
{
  const sched_power_params_t* pp = r->power;
  if (pp->consolidate && repair->plan.outcome == SCHED_OUTCOME_NOTHING_TO_DO && sched_island_count(ctx) <= 1) {
    if (pp->consolidate_milp)
      consolidate_milp(ctx, r, pp);
    else
      consolidate(ctx, r, pp);
  }
  if (!pp->manage || !sched_node_is_up(ctx, r->node)) return;
  bool failed = repair->plan.outcome == SCHED_OUTCOME_NO_SOLUTION || repair->plan.outcome == SCHED_OUTCOME_PARTIAL;
  if (wake(ctx, r, pp, failed) == 0) switch_off_idle(ctx, r, pp);
}
