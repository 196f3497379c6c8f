/* Parameters of the core: the defaults of core_params_t (core_params_init) and the deterministic cost
 * model that turns work units into charged seconds under them. A leaf of the core: it calls no other
 * file of scheduler/core, and it measures nothing (the coefficients are the constants of core.h). */
#include "core_internal.h"

#include <string.h>

void core_params_init(core_params_t* p)
{
  memset(p, 0, sizeof *p);
  p->objective             = CORE_OBJ_COUNT;
  p->locality              = CORE_LOCALITY_SITE;
  p->consolidation_weight  = 0;
  p->no_chain              = true;
  p->repair_mode           = true;
  p->use_heuristic         = true;
  p->use_milp              = true;
  p->milp_eviction_rows    = true;
  p->milp_warm_start       = true;
  p->milp_presolve         = false;
  p->milp_max_columns      = 200000;
  p->max_bnb_nodes         = 2000;
  p->max_lp_iterations     = 200000;
  p->tm_lim_ms             = 10000;
  p->max_eviction_steps    = 20000;
  p->cost_base_s           = CORE_COST_BASE_S;
  p->cost_per_vm_s         = CORE_COST_PER_VM_S;
  p->cost_per_node_s       = CORE_COST_PER_NODE_S;
  p->cost_per_lp_it_s      = CORE_COST_PER_LP_IT_S;
  p->cost_per_bnb_s        = CORE_COST_PER_BNB_S;
  p->max_milp_charged_s    = CORE_MILP_BUDGET_S;
  p->cost_per_milp_nz_s    = CORE_COST_PER_MILP_NZ_S;
  p->cost_per_lp_it_size_s = CORE_COST_PER_LP_IT_SIZE_S;
  p->cost_per_bnb_size_s   = CORE_COST_PER_BNB_SIZE_S;
  p->heuristic_retries     = 3;
  p->placement             = CORE_PLACE_WORST_FIT;
  p->eviction              = CORE_EVICT_EXACT;
  p->placement_index       = true;
}

double core__charged_s(const core_params_t* p, const core_work_t* w)
{
  return p->cost_base_s + p->cost_per_vm_s * (double)w->vms_examined + p->cost_per_node_s * (double)w->nodes_examined +
         p->cost_per_lp_it_s * (double)w->lp_iterations + p->cost_per_bnb_s * (double)w->bnb_nodes +
         p->cost_per_milp_nz_s * (double)w->milp_size + p->cost_per_lp_it_size_s * (double)w->lp_it_size +
         p->cost_per_bnb_size_s * (double)w->bnb_size;
}

void core__work_add(core_work_t* a, const core_work_t* b)
{
  a->vms_examined += b->vms_examined, a->nodes_examined += b->nodes_examined;
  a->lp_iterations += b->lp_iterations, a->bnb_nodes += b->bnb_nodes;
  a->milp_size += b->milp_size, a->lp_it_size += b->lp_it_size, a->bnb_size += b->bnb_size;
  a->retries += b->retries;
}
