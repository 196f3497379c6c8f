/* The GLPK MILP of the placement (docs/REFERENCES.md §2, §3, §4): x(v,n) columns for the movable VMs
 * only, capacity, eviction, no-chain and constraint rows; solved with presolve off after glp_simplex,
 * the heuristic placement injected at GLP_IHEUR once checked against every row, and stopped by a
 * deterministic budget (branch-and-bound nodes, simplex iterations) through glp_ios_terminate.
 * tm_lim is only a safety net. GLPK errors are caught (glp_error_hook + longjmp), never fatal. */
#include "core_internal.h"

#include <assert.h>
#include <glpk.h>
#include <math.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#define RAM_SCALE 1073741824.0 /* RAM rows in GiB: keeps coefficients near the CPU ones */

typedef struct milp {
  core__ws_t* ws;
  glp_prob* P;
  int* ia;
  int* ja;
  double* ar;
  size_t nz, cap;
  int ncx;        /* x columns are 1..ncx */
  int32_t* col_v; /* per x column (1-based) */
  int32_t* col_n;
  uint32_t* ncol_start; /* nn+1: x columns of node n */
  int* ncol;
  int* home_col;   /* nv: column x(v, home) or 0 */
  int* vcol_first; /* nv+1: x columns of v are vcol_first[v] .. vcol_first[v+1]-1 */
  int* ycol;       /* nn: y(n) column or 0 */
  int* scol;       /* nn: s(n) column or 0 */
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

static void nz_add(milp_t* m, int i, int j, double a)
{
  if (m->nz + 2 > m->cap) {
    m->cap = m->cap ? 2 * m->cap : 1024;
    m->ia  = realloc(m->ia, m->cap * sizeof(int));
    m->ja  = realloc(m->ja, m->cap * sizeof(int));
    m->ar  = realloc(m->ar, m->cap * sizeof(double));
    assert(m->ia && m->ja && m->ar && "core: out of memory");
  }
  m->nz++; /* GLPK triplets are 1-based */
  m->ia[m->nz] = i, m->ja[m->nz] = j, m->ar[m->nz] = a;
}

static int row(milp_t* m, int type, double lb, double ub)
{
  int i = glp_add_rows(m->P, 1);
  glp_set_row_bnds(m->P, i, type, lb, ub);
  return i;
}

static int bincol(milp_t* m)
{
  int j = glp_add_cols(m->P, 1);
  glp_set_col_kind(m->P, j, GLP_BV);
  return j;
}

static void fix(milp_t* m, int j, double v)
{
  glp_set_col_bnds(m->P, j, GLP_FX, v, v);
}

/* The node accepts v at all (constraints that only remove columns). */
static bool static_ok(core__ws_t* ws, int32_t v, int32_t n)
{
  if (ws->nf[n] & (CORE__NF_DOWN | CORE__NF_OFFREQ)) return false;
  for (uint32_t i = ws->vm_c_start[v]; i < ws->vm_c_start[v + 1]; i++) {
    uint32_t c = ws->vm_cs[i];
    switch (ws->pb->constraints[c].kind) {
    case CORE_BAN:
      if (core__node_in(ws, c, n, NULL)) return false;
      break;
    case CORE_FENCE:
    case CORE_AMONG:
      if (!core__node_in(ws, c, n, NULL)) return false;
      break;
    default:
      break;
    }
  }
  return true;
}

static bool is_var(const core__ws_t* ws, int32_t v)
{
  return (ws->vf[v] & CORE__VF_REPAIR) != 0;
}

/* Rows for one constraint; scratch is an nn-sized zeroed int array it leaves zeroed. */
static void constraint_rows(milp_t* m, uint32_t c, int* scratch)
{
  core__ws_t* ws             = m->ws;
  const core_constraint_t* k = &ws->pb->constraints[c];
  switch (k->kind) {
  case CORE_SPREAD: { /* per node: members' columns + constant members <= 1 */
    for (size_t j = 0; j < k->vm_count; j++)
      if (!is_var(ws, k->vms[j])) scratch[ws->pb->vms[k->vms[j]].node] += 1000000;
    for (size_t j = 0; j < k->vm_count; j++)
      for (int q = m->vcol_first[k->vms[j]]; q < m->vcol_first[k->vms[j] + 1]; q++)
        scratch[m->col_n[q]]++;
    for (size_t n = 0; n < ws->nn; n++) {
      int consts = scratch[n] / 1000000, vars = scratch[n] % 1000000;
      if (vars > 0 && vars + consts >= 2) {
        int r = row(m, GLP_UP, 0, 1.0 - consts);
        for (size_t j = 0; j < k->vm_count; j++)
          for (int q = m->vcol_first[k->vms[j]]; q < m->vcol_first[k->vms[j] + 1]; q++)
            if (m->col_n[q] == (int32_t)n) nz_add(m, r, q, 1);
      }
      scratch[n] = 0;
    }
    break;
  }
  case CORE_GATHER: {
    int32_t g0 = -1, anchor = CORE_NONE;
    for (size_t j = 0; j < k->vm_count; j++) {
      if (!is_var(ws, k->vms[j]))
        anchor = ws->pb->vms[k->vms[j]].node;
      else if (g0 < 0)
        g0 = k->vms[j];
    }
    if (g0 < 0) break;
    for (int q = m->vcol_first[g0]; q < m->vcol_first[g0 + 1]; q++)
      scratch[m->col_n[q]] = q;
    for (size_t j = 0; j < k->vm_count; j++) {
      int32_t v = k->vms[j];
      if (!is_var(ws, v)) continue;
      for (int q = m->vcol_first[v]; q < m->vcol_first[v + 1]; q++) {
        if (anchor != CORE_NONE && m->col_n[q] != anchor)
          fix(m, q, 0);
        else if (v != g0 && scratch[m->col_n[q]] == 0)
          fix(m, q, 0);
        else if (v != g0) {
          int r = row(m, GLP_FX, 0, 0);
          nz_add(m, r, q, 1), nz_add(m, r, scratch[m->col_n[q]], -1);
        }
      }
    }
    for (size_t n = 0; n < ws->nn; n++)
      scratch[n] = 0;
    break;
  }
  case CORE_AMONG: {
    int base = glp_add_cols(m->P, (int)k->group_count);
    int sum  = row(m, GLP_FX, 1, 1);
    for (size_t g = 0; g < k->group_count; g++) {
      glp_set_col_kind(m->P, base + (int)g, GLP_BV);
      nz_add(m, sum, base + (int)g, 1);
    }
    for (size_t j = 0; j < k->vm_count; j++) {
      int32_t v = k->vms[j], g;
      if (!is_var(ws, v)) {
        if (core__node_in(ws, c, ws->pb->vms[v].node, &g))
          glp_set_col_bnds(m->P, base + g, GLP_FX, 1, 1);
        else
          for (size_t q = 0; q < k->group_count; q++)
            fix(m, base + (int)q, 0);
        continue;
      }
      for (int q = m->vcol_first[v]; q < m->vcol_first[v + 1]; q++)
        if (core__node_in(ws, c, m->col_n[q], &g)) {
          int r = row(m, GLP_UP, 0, 0);
          nz_add(m, r, q, 1), nz_add(m, r, base + g, -1);
        }
    }
    break;
  }
  case CORE_LONELY: {
    uint8_t* member = calloc(ws->nv, 1);
    assert(member);
    for (size_t j = 0; j < k->vm_count; j++)
      member[k->vms[j]] = 1;
    double big = (double)ws->nv;
    for (size_t n = 0; n < ws->nn; n++) {
      if (m->ncol_start[n] == m->ncol_start[n + 1]) continue;
      int o = bincol(m);
      for (uint32_t i = ws->node_vm_start[n]; i < ws->node_vm_start[n + 1]; i++) {
        int32_t v = ws->node_vms[i];
        if (!is_var(ws, v)) fix(m, o, member[v] ? 1 : 0); /* contradictory constants make the model infeasible */
      }
      int rin = row(m, GLP_UP, 0, 0), rout = row(m, GLP_UP, 0, big);
      nz_add(m, rin, o, -big), nz_add(m, rout, o, big);
      for (uint32_t i = m->ncol_start[n]; i < m->ncol_start[n + 1]; i++) {
        int q = m->ncol[i];
        nz_add(m, member[m->col_v[q]] ? rin : rout, q, 1);
      }
    }
    free(member);
    break;
  }
  case CORE_MAX_ONLINE: {
    int r         = row(m, GLP_UP, 0, (double)k->k);
    int32_t last  = CORE_NONE;
    double consts = 0;
    for (uint32_t j = ws->cn_start[c]; j < ws->cn_start[c + 1]; j++) {
      int32_t n = ws->cn[j];
      if (n == last) continue;
      last = n;
      if (m->ycol[n])
        nz_add(m, r, m->ycol[n], 1);
      else
        for (uint32_t i = ws->node_vm_start[n]; i < ws->node_vm_start[n + 1] && consts >= 0; i++)
          if (!is_var(ws, ws->node_vms[i])) {
            consts += 1;
            break;
          }
    }
    glp_set_row_bnds(m->P, r, GLP_UP, 0, (double)k->k - consts);
    break;
  }
  default:
    break;
  }
}

/* Builds every x column, y/s columns, and the capacity, assignment, eviction and no-chain rows. */
static void build(milp_t* m, double scale, bool need_y)
{
  core__ws_t* ws           = m->ws;
  const core_problem_t* pb = ws->pb;
  glp_prob* P              = m->P;
  size_t nn = ws->nn, nv = ws->nv;
  /* x columns, VM by VM (so each VM's columns are contiguous). */
  for (size_t v = 0; v < nv; v++) {
    m->vcol_first[v] = m->ncx + 1;
    if (!is_var(ws, (int32_t)v)) continue;
    for (size_t n = 0; n < nn; n++)
      if (static_ok(ws, (int32_t)v, (int32_t)n)) {
        m->ncx++;
        m->col_v[m->ncx] = (int32_t)v, m->col_n[m->ncx] = (int32_t)n;
        m->ncol_start[n + 1]++;
        if ((int32_t)n == pb->vms[v].node) m->home_col[v] = m->ncx;
      }
  }
  m->vcol_first[nv] = m->ncx + 1;
  if (m->ncx > 0) glp_add_cols(P, m->ncx);
  for (size_t n = 0; n < nn; n++)
    m->ncol_start[n + 1] += m->ncol_start[n];
  uint32_t* fill = malloc((nn + 1) * sizeof(uint32_t));
  assert(fill);
  memcpy(fill, m->ncol_start, (nn + 1) * sizeof(uint32_t));
  for (int q = 1; q <= m->ncx; q++) {
    glp_set_col_kind(P, q, GLP_BV);
    m->ncol[fill[m->col_n[q]]++] = q;
  }
  free(fill);
  /* Objective: sum over variable VMs of w (1 - x(v,home)) (+ alpha * active nodes). */
  double c0 = 0;
  for (size_t v = 0; v < nv; v++)
    if (is_var(ws, (int32_t)v)) {
      c0 += ws->w[v] / scale;
      if (m->home_col[v]) glp_set_obj_coef(P, m->home_col[v], -ws->w[v] / scale);
    }
  double alpha = ws->prm->consolidation_weight / scale;
  /* Constant load per node. */
  for (size_t n = 0; n < nn; n++) {
    double cpu = pb->nodes[n].cpu_capacity, ram = (double)pb->nodes[n].ram_capacity_bytes;
    bool consts = false;
    for (uint32_t i = ws->node_vm_start[n]; i < ws->node_vm_start[n + 1]; i++) {
      int32_t v = ws->node_vms[i];
      if (!is_var(ws, v)) cpu -= ws->cpu[v], ram -= (double)pb->vms[v].ram_bytes, consts = true;
    }
    if (consts && !(ws->nf[n] & CORE__NF_DOWN)) c0 += alpha;
    uint32_t b = m->ncol_start[n], e = m->ncol_start[n + 1];
    if (b == e) continue;
    if (need_y) {
      m->ycol[n] = bincol(m);
      if (consts)
        fix(m, m->ycol[n], 1);
      else
        glp_set_obj_coef(P, m->ycol[n], alpha);
    }
    int rc = row(m, GLP_UP, 0, cpu), rr = row(m, GLP_UP, 0, ram / RAM_SCALE);
    for (uint32_t i = b; i < e; i++) {
      int q = m->ncol[i];
      nz_add(m, rc, q, ws->cpu[m->col_v[q]]);
      nz_add(m, rr, q, (double)pb->vms[m->col_v[q]].ram_bytes / RAM_SCALE);
    }
    if (need_y && !consts) { /* capacity only when used, and no VM on an unused node */
      glp_set_row_bnds(P, rc, GLP_UP, 0, 0), nz_add(m, rc, m->ycol[n], -cpu);
      glp_set_row_bnds(P, rr, GLP_UP, 0, 0), nz_add(m, rr, m->ycol[n], -ram / RAM_SCALE);
      int rl = row(m, GLP_UP, 0, 0);
      for (uint32_t i = b; i < e; i++)
        nz_add(m, rl, m->ncol[i], 1);
      nz_add(m, rl, m->ycol[n], -(double)(e - b));
    }
  }
  glp_set_obj_coef(P, 0, c0);
  /* Assignment. */
  for (size_t v = 0; v < nv; v++) {
    if (!is_var(ws, (int32_t)v)) continue;
    int r = row(m, GLP_FX, 1, 1);
    for (int q = m->vcol_first[v]; q < m->vcol_first[v + 1]; q++)
      nz_add(m, r, q, 1);
  }
  /* Eviction rows: sum of w over the node's own variable VMs that stay <= total - L(n). */
  for (size_t n = 0; ws->prm->milp_eviction_rows && n < nn; n++) {
    if (ws->node_lb[n] <= 0) continue;
    double total = 0;
    for (uint32_t i = ws->node_vm_start[n]; i < ws->node_vm_start[n + 1]; i++)
      if (is_var(ws, ws->node_vms[i])) total += ws->w[ws->node_vms[i]] / scale;
    int r = row(m, GLP_UP, 0, total - ws->node_lb[n] / scale);
    for (uint32_t i = ws->node_vm_start[n]; i < ws->node_vm_start[n + 1]; i++)
      if (m->home_col[ws->node_vms[i]]) nz_add(m, r, m->home_col[ws->node_vms[i]], ws->w[ws->node_vms[i]] / scale);
  }
  /* No-chain: s(n) = 1 lets n send, and then forbids it to receive. */
  for (size_t n = 0; ws->prm->no_chain && n < nn; n++) {
    int own = 0, forced = 0, foreign = 0;
    for (uint32_t i = ws->node_vm_start[n]; i < ws->node_vm_start[n + 1]; i++) {
      int32_t v = ws->node_vms[i];
      if (is_var(ws, v)) own++, forced += m->home_col[v] == 0;
    }
    foreign = (int)(m->ncol_start[n + 1] - m->ncol_start[n]) - (own - forced);
    if (own == 0 || foreign == 0) continue;
    int s = m->scol[n] = bincol(m);
    if (forced) fix(m, s, 1);
    int rs = row(m, GLP_LO, own - forced, 0), rr = row(m, GLP_UP, 0, foreign);
    nz_add(m, rs, s, own - forced), nz_add(m, rr, s, foreign);
    for (uint32_t i = m->ncol_start[n]; i < m->ncol_start[n + 1]; i++) {
      int q = m->ncol[i];
      nz_add(m, m->home_col[m->col_v[q]] == q ? rs : rr, q, 1);
    }
  }
}

/* Values of every column for a complete target; false when the target has no column somewhere. */
static bool warm_vector(milp_t* m, const int32_t* target, double* x)
{
  core__ws_t* ws = m->ws;
  int ncols      = glp_get_num_cols(m->P);
  for (int j = 1; j <= ncols; j++)
    x[j] = 0;
  for (size_t v = 0; v < ws->nv; v++) {
    if (!is_var(ws, (int32_t)v)) continue;
    int q = 0;
    for (int j = m->vcol_first[v]; j < m->vcol_first[v + 1] && !q; j++)
      if (m->col_n[j] == target[v]) q = j;
    if (!q) return false;
    x[q] = 1;
  }
  /* Auxiliary columns: the only values the rows allow, read off the target. */
  uint8_t* used  = calloc(ws->nn, 1);
  uint8_t* sends = calloc(ws->nn, 1);
  assert(used && sends);
  for (size_t v = 0; v < ws->nv; v++) {
    used[target[v]] = 1;
    if (target[v] != ws->pb->vms[v].node) sends[ws->pb->vms[v].node] = 1;
  }
  for (size_t n = 0; n < ws->nn; n++) {
    if (m->ycol[n]) x[m->ycol[n]] = used[n];
    if (m->scol[n]) x[m->scol[n]] = sends[n];
  }
  free(used), free(sends);
  for (int j = m->ncx + 1; j <= ncols; j++) { /* among z, lonely o: only fixed ones are known (else the
                                                 vector fails the row check and is not injected) */
    if (glp_get_col_type(m->P, j) == GLP_FX) x[j] = glp_get_col_lb(m->P, j);
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

int core__milp_solve(core__ws_t* ws, const int32_t* warm, int32_t* sol, bool* optimal, double* bound, bool* tm_fired)
{
  const core_params_t* prm = ws->prm;
  *optimal = false, *bound = -INFINITY, *tm_fired = false;
  size_t nvar = 0, ncols_est = 0;
  for (size_t v = 0; v < ws->nv; v++)
    if (is_var(ws, (int32_t)v)) nvar++;
  for (size_t v = 0; v < ws->nv && ncols_est <= prm->milp_max_columns; v++)
    if (is_var(ws, (int32_t)v))
      for (size_t n = 0; n < ws->nn; n++)
        ncols_est += static_ok(ws, (int32_t)v, (int32_t)n);
  if (nvar == 0 || ncols_est > prm->milp_max_columns) return 0;
  double scale = prm->objective == CORE_OBJ_RAM ? RAM_SCALE : 1.0;
  bool need_y  = prm->consolidation_weight > 0 || ws->maxon_count > 0;
  milp_t* m    = calloc(1, sizeof *m);
  assert(m);
  m->ws = ws, m->max_bnb = prm->max_bnb_nodes, m->max_it = prm->max_lp_iterations, m->bound = -INFINITY;
  m->col_v      = calloc(ncols_est + 1, sizeof(int32_t));
  m->col_n      = calloc(ncols_est + 1, sizeof(int32_t));
  m->ncol_start = calloc(ws->nn + 1, sizeof(uint32_t));
  m->ncol       = calloc(ncols_est + 1, sizeof(int));
  m->home_col   = calloc(ws->nv, sizeof(int));
  m->vcol_first = calloc(ws->nv + 1, sizeof(int));
  m->ycol       = calloc(ws->nn, sizeof(int));
  m->scol       = calloc(ws->nn, sizeof(int));
  int* scratch  = calloc(ws->nn, sizeof(int));
  assert(m->col_v && m->col_n && m->ncol_start && m->ncol && m->home_col && m->vcol_first && m->ycol && m->scol &&
         scratch);
  int found = 0;
  glp_error_hook(on_glpk_error, m);
  if (setjmp(m->jb) == 0) {
    m->P = glp_create_prob();
    glp_set_obj_dir(m->P, GLP_MIN);
    build(m, scale, need_y);
    for (uint32_t c = 0; c < ws->nc; c++)
      constraint_rows(m, c, scratch);
    glp_load_matrix(m->P, (int)m->nz, m->ia, m->ja, m->ar);
    int ncols = glp_get_num_cols(m->P), nrows = glp_get_num_rows(m->P), nnz = glp_get_num_nz(m->P);
    ws->work.milp_size += (uint64_t)nrows + (uint64_t)ncols + (uint64_t)nnz;
    m->budget_s = prm->max_milp_charged_s, m->spent_s = core__charged_s(prm, &ws->work);
    m->it_s       = prm->cost_per_lp_it_s + prm->cost_per_lp_it_size_s * (double)(nrows + nnz);
    m->bnb_s      = prm->cost_per_bnb_s + prm->cost_per_bnb_size_s * (double)(nrows + ncols);
    double it_lim = (double)prm->max_lp_iterations;
    if (m->budget_s > 0 && m->it_s > 0) it_lim = fmin(it_lim, floor((m->budget_s - m->spent_s) / m->it_s));
    double* x = m->x = calloc((size_t)ncols + 1, sizeof(double));
    int* ind = m->ind = calloc((size_t)ncols + 1, sizeof(int));
    double* val = m->val = calloc((size_t)ncols + 1, sizeof(double));
    assert(x && ind && val);
    if (warm && prm->milp_warm_start && !prm->milp_presolve && warm_vector(m, warm, x) && vector_ok(m->P, x, ind, val))
      m->warm = x;
    glp_smcp sp;
    glp_init_smcp(&sp);
    sp.msg_lev = GLP_MSG_OFF, sp.it_lim = it_lim > 0 ? (int)fmin(it_lim, INT32_MAX) : 0, sp.tm_lim = prm->tm_lim_ms;
    int rc = it_lim >= 1 ? 0 : GLP_EITLIM; /* budget already spent: no solve */
    if (rc == 0 && !prm->milp_presolve) {
      rc = glp_simplex(m->P, &sp);
      *tm_fired |= rc == GLP_ETMLIM;
    }
    if (rc == 0 && (prm->milp_presolve || glp_get_status(m->P) == GLP_OPT)) {
      glp_iocp ip;
      glp_init_iocp(&ip);
      ip.msg_lev = GLP_MSG_OFF, ip.presolve = prm->milp_presolve ? GLP_ON : GLP_OFF, ip.tm_lim = prm->tm_lim_ms;
      ip.cb_func = callback, ip.cb_info = m, ip.mip_gap = 0;
      rc = glp_intopt(m->P, &ip);
      *tm_fired |= rc == GLP_ETMLIM;
      int st = glp_mip_status(m->P);
      if (st == GLP_OPT || st == GLP_FEAS) {
        for (size_t v = 0; v < ws->nv; v++)
          sol[v] = ws->pb->vms[v].node;
        for (int q = 1; q <= m->ncx; q++)
          if (glp_mip_col_val(m->P, q) > 0.5) sol[m->col_v[q]] = m->col_n[q];
        found    = 1;
        *optimal = st == GLP_OPT && rc == 0;
        *bound   = *optimal ? glp_mip_obj_val(m->P) * scale : m->bound * scale;
      }
    }
    uint64_t its = (uint64_t)glp_get_it_cnt(m->P);
    ws->work.lp_iterations += its, ws->work.bnb_nodes += (uint64_t)m->bnb;
    ws->work.lp_it_size += its * ((uint64_t)nrows + (uint64_t)nnz);
    ws->work.bnb_size += (uint64_t)m->bnb * ((uint64_t)nrows + (uint64_t)ncols);
    glp_delete_prob(m->P);
    glp_error_hook(NULL, NULL);
  } else { /* a GLPK error: its environment is unusable; freeing it (below) discards the hook too */
    found = 0;
  }
  /* GLPK keeps one environment per OS thread (_Thread_local): free it, or every SimGrid actor thread
   * that solved (thread contexts) would keep its own until exit. The next GLPK call re-creates it. */
  glp_free_env();
  free(m->ia), free(m->ja), free(m->ar), free(m->col_v), free(m->col_n), free(m->ncol_start), free(m->ncol);
  free(m->x), free(m->ind), free(m->val);
  free(m->home_col), free(m->vcol_first), free(m->ycol), free(m->scol), free(scratch), free(m);
  return found;
}
