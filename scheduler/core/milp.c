/* The GLPK solve of the placement MILP (docs/REFERENCES.md §2, §3, §4) on the model of milp_model.c:
 * presolve off after glp_simplex, the heuristic placement injected at GLP_IHEUR once checked against
 * every row, and a deterministic budget (branch-and-bound nodes, simplex iterations, charged seconds)
 * enforced through glp_ios_terminate. tm_lim is only a safety net. GLPK errors are caught
 * (glp_error_hook + longjmp), never fatal. It does not build the model (milp_model.c). */
#include "milp_model.h"

#include <math.h>
#include <setjmp.h>
#include <stdlib.h>

typedef struct milp {
  core__milp_t md; /* the model */
  double* warm;    /* 1-based column values of the warm start (== x), or NULL */
  double* x;       /* scratch: column values, row indices and values (1-based) */
  int* ind;
  double* val;
  bool injected;
  long max_bnb, max_it;
  double budget_s;    /* max_milp_charged_s, or <= 0 */
  double spent_s;     /* charged before this model's simplex (indexing, heuristic, build, earlier models) */
  double it_s, bnb_s; /* charged per simplex iteration, per B&B node of this model */
  bool stopped;
  double bound;
  int bnb;
  jmp_buf jb;
} milp_t;

/* Values of every column of md for a complete target; false when the target has no column somewhere,
 * or when an allocation failed (ws->mem->failed). */
static bool warm_vector(const core__milp_t* md, const int32_t* target, double* x)
{
  const core__ws_t* ws = md->ws;
  int ncols            = glp_get_num_cols(md->P);
  for (int j = 1; j <= ncols; j++)
    x[j] = 0;
  for (size_t v = 0; v < ws->nv; v++) {
    if (!core__milp_is_var(ws, (int32_t)v)) continue;
    int q = 0;
    for (int j = md->vcol_first[v]; j < md->vcol_first[v + 1] && !q; j++)
      if (md->col_n[j] == target[v]) q = j;
    if (!q) return false;
    x[q] = 1;
  }
  /* Auxiliary columns: the only values the rows allow, read off the target. */
  uint8_t* used  = core__calloc(ws->mem, ws->nn, 1);
  uint8_t* sends = core__calloc(ws->mem, ws->nn, 1);
  if (!used || !sends) {
    free(used), free(sends);
    return false;
  }
  for (size_t v = 0; v < ws->nv; v++) {
    used[target[v]] = 1;
    if (target[v] != ws->pb->vms[v].node) sends[ws->pb->vms[v].node] = 1;
  }
  for (size_t n = 0; n < ws->nn; n++) {
    if (md->ycol[n]) x[md->ycol[n]] = used[n];
    if (md->scol[n]) x[md->scol[n]] = sends[n];
  }
  free(used), free(sends);
  for (int j = md->ncx + 1; j <= ncols; j++) { /* among z, lonely o: only fixed ones are known (else the
                                                  vector fails the row check and is not injected) */
    if (glp_get_col_type(md->P, j) == GLP_FX) x[j] = glp_get_col_lb(md->P, j);
  }
  return true;
}

/* Every row and column bound holds for x (GLPK does not check injected solutions). */
static bool vector_ok(glp_prob* P, const double* x, int* ind, double* val)
{
  int ncols = glp_get_num_cols(P), nrows = glp_get_num_rows(P);
  for (int j = 1; j <= ncols; j++) {
    int t = glp_get_col_type(P, j);
    if ((t == GLP_FX || t == GLP_DB || t == GLP_LO) && x[j] < glp_get_col_lb(P, j) - 1e-9) return false;
    if ((t == GLP_FX || t == GLP_DB || t == GLP_UP) && x[j] > glp_get_col_ub(P, j) + 1e-9) return false;
  }
  for (int i = 1; i <= nrows; i++) {
    int len  = glp_get_mat_row(P, i, ind, val);
    double a = 0;
    for (int k = 1; k <= len; k++)
      a += val[k] * x[ind[k]];
    int t    = glp_get_row_type(P, i);
    double e = 1e-7 * (1 + fabs(a));
    if ((t == GLP_FX || t == GLP_DB || t == GLP_LO) && a < glp_get_row_lb(P, i) - e) return false;
    if ((t == GLP_FX || t == GLP_DB || t == GLP_UP) && a > glp_get_row_ub(P, i) + e) return false;
  }
  return true;
}

/* GLPK callback: the deterministic budgets (B&B nodes, iterations, charged seconds), the best bound, and the warm start
 * at the first GLP_IHEUR. */
static void callback(glp_tree* T, void* info)
{
  milp_t* m = info;
  int a, n, t;
  glp_ios_tree_size(T, &a, &n, &t);
  m->bnb  = t;
  int it  = glp_get_it_cnt(glp_ios_get_prob(T));
  bool sz = m->budget_s > 0 && m->spent_s + m->it_s * it + m->bnb_s * t > m->budget_s;
  if (t > m->max_bnb || it > m->max_it || sz) {
    m->stopped = true;
    glp_ios_terminate(T);
    return;
  }
  int best = glp_ios_best_node(T);
  if (best) m->bound = glp_ios_node_bound(T, best);
  if (glp_ios_reason(T) == GLP_IHEUR && m->warm && !m->injected) {
    m->injected = true;
    glp_ios_heur_sol(T, m->warm);
  }
}

static void on_glpk_error(void* info)
{
  longjmp(((milp_t*)info)->jb, 1);
}

static void milp_free(milp_t* m)
{
  if (!m) return;
  core__milp_release(&m->md);
  free(m->x), free(m->ind), free(m->val), free(m);
}

/* NULL when an allocation failed. */
static milp_t* milp_create(core__ws_t* ws, size_t ncols)
{
  milp_t* m = core__calloc(ws->mem, 1, sizeof *m);
  if (!m) return NULL;
  if (core__milp_init(&m->md, ws, ncols) != 0) {
    free(m);
    return NULL;
  }
  m->max_bnb = ws->prm->max_bnb_nodes, m->max_it = ws->prm->max_lp_iterations, m->bound = -INFINITY;
  return m;
}

/* The deterministic budget of this model: the charge of the work so far and per iteration / B&B node
 * (size-aware), and the root simplex's iteration limit it leaves (< 1: no solve). */
static double set_budget(milp_t* m, int nrows, int ncols, int nnz)
{
  const core_params_t* prm = m->md.ws->prm;
  m->budget_s = prm->max_milp_charged_s, m->spent_s = core__charged_s(prm, &m->md.ws->work);
  m->it_s       = prm->cost_per_lp_it_s + prm->cost_per_lp_it_size_s * (double)(nrows + nnz);
  m->bnb_s      = prm->cost_per_bnb_s + prm->cost_per_bnb_size_s * (double)(nrows + ncols);
  double it_lim = (double)prm->max_lp_iterations;
  if (m->budget_s > 0 && m->it_s > 0) it_lim = fmin(it_lim, floor((m->budget_s - m->spent_s) / m->it_s));
  return it_lim;
}

/* The warm start: the scratch vectors, and warm (a complete target) turned into column values when
 * they pass every row; then m->warm is set. Returns 0 or CORE__ERR_NOMEM. */
static int prepare_warm(milp_t* m, const int32_t* warm, int ncols)
{
  const core_params_t* prm = m->md.ws->prm;
  core__mem_t* mem         = m->md.ws->mem;
  double* x = m->x = core__calloc(mem, (size_t)ncols + 1, sizeof(double));
  int* ind = m->ind = core__calloc(mem, (size_t)ncols + 1, sizeof(int));
  double* val = m->val = core__calloc(mem, (size_t)ncols + 1, sizeof(double));
  if (!x || !ind || !val) return CORE__ERR_NOMEM;
  if (warm && prm->milp_warm_start && !prm->milp_presolve && warm_vector(&m->md, warm, x) &&
      vector_ok(m->md.P, x, ind, val))
    m->warm = x;
  return mem->failed ? CORE__ERR_NOMEM : 0;
}

/* The root LP (unless presolving), then branch and bound under the callback's budget. On a feasible
 * MIP, writes the placement into sol and returns 1 with *optimal and *bound (objective units). */
static int run_glpk(milp_t* m, double it_lim, double scale, int32_t* sol, bool* optimal, double* bound, bool* tm_fired)
{
  core__ws_t* ws           = m->md.ws;
  const core_params_t* prm = ws->prm;
  glp_smcp sp;
  glp_init_smcp(&sp);
  sp.msg_lev = GLP_MSG_OFF, sp.it_lim = it_lim > 0 ? (int)fmin(it_lim, INT32_MAX) : 0, sp.tm_lim = prm->tm_lim_ms;
  int rc = it_lim >= 1 ? 0 : GLP_EITLIM; /* budget already spent: no solve */
  if (rc == 0 && !prm->milp_presolve) {
    rc = glp_simplex(m->md.P, &sp);
    *tm_fired |= rc == GLP_ETMLIM;
  }
  if (rc != 0 || (!prm->milp_presolve && glp_get_status(m->md.P) != GLP_OPT)) return 0;
  glp_iocp ip;
  glp_init_iocp(&ip);
  ip.msg_lev = GLP_MSG_OFF, ip.presolve = prm->milp_presolve ? GLP_ON : GLP_OFF, ip.tm_lim = prm->tm_lim_ms;
  ip.cb_func = callback, ip.cb_info = m, ip.mip_gap = 0;
  rc = glp_intopt(m->md.P, &ip);
  *tm_fired |= rc == GLP_ETMLIM;
  int st = glp_mip_status(m->md.P);
  if (st != GLP_OPT && st != GLP_FEAS) return 0;
  for (size_t v = 0; v < ws->nv; v++)
    sol[v] = ws->pb->vms[v].node;
  for (int q = 1; q <= m->md.ncx; q++)
    if (glp_mip_col_val(m->md.P, q) > 0.5) sol[m->md.col_v[q]] = m->md.col_n[q];
  *optimal = st == GLP_OPT && rc == 0;
  *bound   = *optimal ? glp_mip_obj_val(m->md.P) * scale : m->bound * scale;
  *bound -= m->md.loc_max * scale; /* a bound on the migration cost alone */
  return 1;
}

/* The GLPK work of this model, into ws->work. */
static void account_work(milp_t* m, int nrows, int ncols, int nnz)
{
  core_work_t* w = &m->md.ws->work;
  uint64_t its   = (uint64_t)glp_get_it_cnt(m->md.P);
  w->lp_iterations += its, w->bnb_nodes += (uint64_t)m->bnb;
  w->lp_it_size += its * ((uint64_t)nrows + (uint64_t)nnz);
  w->bnb_size += (uint64_t)m->bnb * ((uint64_t)nrows + (uint64_t)ncols);
}

/* Builds and solves the model under GLPK's error hook; only this frame calls setjmp, and nothing it
 * changes after setjmp is read after a longjmp. Returns run_glpk's answer, 0 when the model could not be
 * built (ws->mem->failed) or GLPK raised an error (its environment is then unusable: the caller frees it,
 * which discards the hook too). */
static int build_and_solve(milp_t* m, const int32_t* warm, int* scratch, int32_t* sol, bool* optimal, double* bound,
                           bool* tm_fired)
{
  core__ws_t* ws = m->md.ws;
  double scale   = ws->prm->objective == CORE_OBJ_RAM ? CORE__RAM_SCALE : 1.0;
  bool need_y    = ws->prm->consolidation_weight > 0 || ws->maxon_count > 0;
  glp_error_hook(on_glpk_error, m);
  if (setjmp(m->jb) != 0) return 0;
  int found = 0;
  if (core__milp_build(&m->md, scale, need_y, scratch) == 0) {
    int ncols = glp_get_num_cols(m->md.P), nrows = glp_get_num_rows(m->md.P), nnz = glp_get_num_nz(m->md.P);
    ws->work.milp_size += (uint64_t)nrows + (uint64_t)ncols + (uint64_t)nnz;
    double it_lim = set_budget(m, nrows, ncols, nnz);
    if (prepare_warm(m, warm, ncols) == 0) {
      found = run_glpk(m, it_lim, scale, sol, optimal, bound, tm_fired);
      account_work(m, nrows, ncols, nnz);
    }
  }
  glp_delete_prob(m->md.P);
  glp_error_hook(NULL, NULL);
  return found;
}

int core__milp_solve(core__ws_t* ws, const int32_t* warm, int32_t* sol, bool* optimal, double* bound, bool* tm_fired)
{
  *optimal = false, *bound = -INFINITY, *tm_fired = false;
  size_t nvar, ncols_est = core__milp_count_columns(ws, &nvar);
  if (nvar == 0 || ncols_est > ws->prm->milp_max_columns) return 0;
  milp_t* m    = milp_create(ws, ncols_est);
  int* scratch = core__calloc(ws->mem, ws->nn, sizeof(int));
  int found    = m && scratch ? build_and_solve(m, warm, scratch, sol, optimal, bound, tm_fired) : 0;
  /* GLPK keeps one environment per OS thread (_Thread_local): free it, or every SimGrid actor thread
   * that solved (thread contexts) would keep its own until exit. The next GLPK call re-creates it. */
  glp_free_env();
  free(scratch);
  milp_free(m);
  return ws->mem->failed ? CORE__ERR_NOMEM : found;
}
