/* Internal to the two MILP files of scheduler/core: the GLPK model of the placement (its columns, their
 * index by VM and by node, the matrix triplets), built by milp_model.c and solved by milp.c. Nothing
 * else in the core includes it. */
#ifndef LUCSIM_CORE_MILP_MODEL_H
#define LUCSIM_CORE_MILP_MODEL_H

#include "core_internal.h"

#include <glpk.h>

#define CORE__RAM_SCALE 1073741824.0 /* RAM rows in GiB: keeps coefficients near the CPU ones */

typedef struct core__milp {
  core__ws_t* ws;
  glp_prob* P;
  int* ia; /* matrix triplets, 1-based (GLPK's glp_load_matrix) */
  int* ja;
  double* ar;
  size_t nz, cap;
  int ncx;        /* x columns are 1..ncx */
  size_t x_cap;   /* the x columns the arrays below hold */
  int32_t* col_v; /* per x column (1-based) */
  int32_t* col_n;
  uint32_t* ncol_start; /* nn+1: x columns of node n */
  int* ncol;
  int* home_col;   /* nv: column x(v, home) or 0 */
  int* vcol_first; /* nv+1: x columns of v are vcol_first[v] .. vcol_first[v+1]-1 */
  int* ycol;       /* nn: y(n) column or 0 */
  int* scol;       /* nn: s(n) column or 0 */
  double loc_max;  /* an upper bound of the locality term of the objective (0 without locality) */
} core__milp_t;

/* v is a variable of the model (it has x columns): a VM of the repair set. */
static inline bool core__milp_is_var(const core__ws_t* ws, int32_t v)
{
  return (ws->vf[v] & CORE__VF_REPAIR) != 0;
}

/* The number of x columns the model of ws would have, counted up to just past prm->milp_max_columns;
 * *nvar gets the number of variable VMs. */
size_t core__milp_count_columns(core__ws_t* ws, size_t* nvar);

/* m (caller memory) gets zeroed column arrays for ncols x columns (core__milp_count_columns) and the
 * workspace ws (borrowed). Returns 0 or CORE__ERR_NOMEM (then m holds nothing). core__milp_release frees
 * the arrays, not m->P. */
int core__milp_init(core__milp_t* m, core__ws_t* ws, size_t ncols);
void core__milp_release(core__milp_t* m);

/* Builds the whole model into m->P (created here, even on failure; the caller deletes it) on an
 * initialised m; scratch is an nn-sized zeroed int array (left zeroed). Returns 0, or CORE__ERR_NOMEM
 * (the model is then incomplete and not loaded).
 * scale divides the objective (1, or CORE__RAM_SCALE under CORE_OBJ_RAM); need_y adds the y columns
 * (consolidation, MAX_ONLINE). */
int core__milp_build(core__milp_t* m, double scale, bool need_y, int* scratch);

#endif
