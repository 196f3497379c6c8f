/* The GLPK model of the placement (docs/REFERENCES.md §1, §2, §3): x(v,n) columns for the VMs of the repair
 * set only, the objective, capacity (with the y "node used" columns), assignment, eviction and
 * no-chain rows, and the rows of each constraint family (SPREAD, GATHER, AMONG, LONELY, MAX_ONLINE).
 * It only builds the model: milp.c runs GLPK on it. */
#include "milp_model.h"

#include <math.h>

#include <stdlib.h>
#include <string.h>

/* Appends a(i, j) to the triplets. After an allocation failure it adds nothing (ws->mem->failed): the
 * builder goes on adding rows and columns to GLPK, and core__milp_build reports the failure at its end. */
static void nz_add(core__milp_t* m, int i, int j, double a)
{
  core__mem_t* mem = m->ws->mem;
  if (mem->failed) return;
  if (m->nz + 2 > m->cap) {
    size_t cap = m->cap ? 2 * m->cap : 1024;
    int* ia    = core__realloc(mem, m->ia, cap, sizeof(int));
    if (ia) m->ia = ia;
    int* ja = ia ? core__realloc(mem, m->ja, cap, sizeof(int)) : NULL;
    if (ja) m->ja = ja;
    double* ar = ja ? core__realloc(mem, m->ar, cap, sizeof(double)) : NULL;
    if (!ar) return;
    m->ar = ar, m->cap = cap;
  }
  m->nz++; /* GLPK triplets are 1-based */
  m->ia[m->nz] = i, m->ja[m->nz] = j, m->ar[m->nz] = a;
}

static int row(core__milp_t* m, int type, double lb, double ub)
{
  int i = glp_add_rows(m->P, 1);
  glp_set_row_bnds(m->P, i, type, lb, ub);
  return i;
}

static int bincol(core__milp_t* m)
{
  int j = glp_add_cols(m->P, 1);
  glp_set_col_kind(m->P, j, GLP_BV);
  return j;
}

static void fix(core__milp_t* m, int j, double v)
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

int core__milp_init(core__milp_t* m, core__ws_t* ws, size_t ncols)
{
  memset(m, 0, sizeof *m);
  core__mem_t* mem = ws->mem;
  m->ws            = ws;
  m->x_cap         = ncols;
  m->col_v         = core__calloc(mem, ncols + 1, sizeof(int32_t));
  m->col_n         = core__calloc(mem, ncols + 1, sizeof(int32_t));
  m->ncol_start    = core__calloc(mem, ws->nn + 1, sizeof(uint32_t));
  m->ncol          = core__calloc(mem, ncols + 1, sizeof(int));
  m->home_col      = core__calloc(mem, ws->nv, sizeof(int));
  m->vcol_first    = core__calloc(mem, ws->nv + 1, sizeof(int));
  m->ycol          = core__calloc(mem, ws->nn, sizeof(int));
  m->scol          = core__calloc(mem, ws->nn, sizeof(int));
  if (m->col_v && m->col_n && m->ncol_start && m->ncol && m->home_col && m->vcol_first && m->ycol && m->scol) return 0;
  core__milp_release(m);
  return CORE__ERR_NOMEM;
}

void core__milp_release(core__milp_t* m)
{
  free(m->ia), free(m->ja), free(m->ar), free(m->col_v), free(m->col_n), free(m->ncol_start), free(m->ncol);
  free(m->home_col), free(m->vcol_first), free(m->ycol), free(m->scol);
  memset(m, 0, sizeof *m);
}

/* SPREAD, per node: the members' columns + the constant members <= 1. scratch (nn ints, zero) is left zero. */
static void spread_rows(core__milp_t* m, const core_constraint_t* k, int* scratch)
{
  core__ws_t* ws = m->ws;
  for (size_t j = 0; j < k->vm_count; j++)
    if (!core__milp_is_var(ws, k->vms[j])) scratch[ws->pb->vms[k->vms[j]].node] += 1000000;
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
}

/* GATHER: every variable member's column on n equals the first variable member's (x(v,n) = x(g0,n));
 * columns off the node of a constant member, or where g0 has none, are fixed to 0. scratch as above. */
static void gather_rows(core__milp_t* m, const core_constraint_t* k, int* scratch)
{
  core__ws_t* ws = m->ws;
  int32_t g0 = -1, anchor = CORE_NONE;
  for (size_t j = 0; j < k->vm_count; j++) {
    if (!core__milp_is_var(ws, k->vms[j]))
      anchor = ws->pb->vms[k->vms[j]].node;
    else if (g0 < 0)
      g0 = k->vms[j];
  }
  if (g0 < 0) return;
  for (int q = m->vcol_first[g0]; q < m->vcol_first[g0 + 1]; q++)
    scratch[m->col_n[q]] = q;
  for (size_t j = 0; j < k->vm_count; j++) {
    int32_t v = k->vms[j];
    if (!core__milp_is_var(ws, v)) continue;
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
}

/* AMONG: one binary z(g) per group, sum z = 1, and x(v,n) <= z(group of n); a constant member fixes its
 * group (or, outside every group, makes the model infeasible). */
static void among_rows(core__milp_t* m, uint32_t c, const core_constraint_t* k)
{
  core__ws_t* ws = m->ws;
  int base       = glp_add_cols(m->P, (int)k->group_count);
  int sum        = row(m, GLP_FX, 1, 1);
  for (size_t g = 0; g < k->group_count; g++) {
    glp_set_col_kind(m->P, base + (int)g, GLP_BV);
    nz_add(m, sum, base + (int)g, 1);
  }
  for (size_t j = 0; j < k->vm_count; j++) {
    int32_t v = k->vms[j], g;
    if (!core__milp_is_var(ws, v)) {
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
}

/* LONELY, per node with columns: a binary o(n) = "n hosts members"; members need o = 1, outsiders o = 0
 * (big-M rows); constant VMs on n fix o(n). */
static void lonely_rows(core__milp_t* m, const core_constraint_t* k)
{
  core__ws_t* ws  = m->ws;
  uint8_t* member = core__calloc(ws->mem, ws->nv, 1);
  if (!member) return; /* ws->mem->failed: core__milp_build reports it */
  for (size_t j = 0; j < k->vm_count; j++)
    member[k->vms[j]] = 1;
  double big = (double)ws->nv;
  for (size_t n = 0; n < ws->nn; n++) {
    if (m->ncol_start[n] == m->ncol_start[n + 1]) continue;
    int o = bincol(m);
    for (uint32_t i = ws->node_vm_start[n]; i < ws->node_vm_start[n + 1]; i++) {
      int32_t v = ws->node_vms[i];
      if (!core__milp_is_var(ws, v))
        fix(m, o, member[v] ? 1 : 0); /* contradictory constants make the model infeasible */
    }
    int rin = row(m, GLP_UP, 0, 0), rout = row(m, GLP_UP, 0, big);
    nz_add(m, rin, o, -big), nz_add(m, rout, o, big);
    for (uint32_t i = m->ncol_start[n]; i < m->ncol_start[n + 1]; i++) {
      int q = m->ncol[i];
      nz_add(m, member[m->col_v[q]] ? rin : rout, q, 1);
    }
  }
  free(member);
}

/* MAX_ONLINE: the y columns of the named nodes + the named nodes kept on by a constant VM <= k. */
static void max_online_rows(core__milp_t* m, uint32_t c, const core_constraint_t* k)
{
  core__ws_t* ws = m->ws;
  int r          = row(m, GLP_UP, 0, (double)k->k);
  int32_t last   = CORE_NONE;
  double consts  = 0;
  for (uint32_t j = ws->cn_start[c]; j < ws->cn_start[c + 1]; j++) {
    int32_t n = ws->cn[j];
    if (n == last) continue;
    last = n;
    if (m->ycol[n])
      nz_add(m, r, m->ycol[n], 1);
    else
      for (uint32_t i = ws->node_vm_start[n]; i < ws->node_vm_start[n + 1] && consts >= 0; i++)
        if (!core__milp_is_var(ws, ws->node_vms[i])) {
          consts += 1;
          break;
        }
  }
  glp_set_row_bnds(m->P, r, GLP_UP, 0, (double)k->k - consts);
}

/* Rows for one constraint; scratch is an nn-sized zeroed int array it leaves zeroed. BAN, FENCE and the
 * node sets of AMONG only remove columns (static_ok); ROOT and PRESERVE act on the workspace (fixed VMs,
 * demands); OFFLINE nodes get no column. */
static void constraint_rows(core__milp_t* m, uint32_t c, int* scratch)
{
  const core_constraint_t* k = &m->ws->pb->constraints[c];
  switch (k->kind) {
  case CORE_SPREAD:
    spread_rows(m, k, scratch);
    break;
  case CORE_GATHER:
    gather_rows(m, k, scratch);
    break;
  case CORE_AMONG:
    among_rows(m, c, k);
    break;
  case CORE_LONELY:
    lonely_rows(m, k);
    break;
  case CORE_MAX_ONLINE:
    max_online_rows(m, c, k);
    break;
  default:
    break;
  }
}

/* The x columns, VM by VM (so each VM's columns are contiguous: vcol_first), and their index by node
 * (ncol_start, ncol). Returns 0 or CORE__ERR_NOMEM. */
static int x_columns(core__milp_t* m)
{
  core__ws_t* ws = m->ws;
  size_t nn = ws->nn, nv = ws->nv;
  uint32_t* fill = core__malloc(ws->mem, nn + 1, sizeof(uint32_t));
  if (!fill) return CORE__ERR_NOMEM;
  for (size_t v = 0; v < nv; v++) {
    m->vcol_first[v] = m->ncx + 1;
    if (!core__milp_is_var(ws, (int32_t)v)) continue;
    for (size_t n = 0; n < nn; n++)
      if (static_ok(ws, (int32_t)v, (int32_t)n)) {
        m->ncx++;
        CORE_ASSERT((size_t)m->ncx <= m->x_cap, "more x columns than core__milp_count_columns counted");
        m->col_v[m->ncx] = (int32_t)v, m->col_n[m->ncx] = (int32_t)n;
        m->ncol_start[n + 1]++;
        if ((int32_t)n == ws->pb->vms[v].node) m->home_col[v] = m->ncx;
      }
  }
  m->vcol_first[nv] = m->ncx + 1;
  if (m->ncx > 0) glp_add_cols(m->P, m->ncx);
  for (size_t n = 0; n < nn; n++)
    m->ncol_start[n + 1] += m->ncol_start[n];
  memcpy(fill, m->ncol_start, (nn + 1) * sizeof(uint32_t));
  for (int q = 1; q <= m->ncx; q++) {
    glp_set_col_kind(m->P, q, GLP_BV);
    m->ncol[fill[m->col_n[q]]++] = q;
  }
  free(fill);
  return 0;
}

/* Objective: sum over the variable VMs of w (1 - x(v,home)), scaled; under locality, plus eps w dist
 * on each x(v, n) away from home, eps = min w / (2 sum w): the locality term stays below half the
 * lightest migration (m->loc_max, scaled). Returns the constant term. */
static double objective(core__milp_t* m, double scale)
{
  core__ws_t* ws = m->ws;
  double c0 = 0, wmin = INFINITY;
  for (size_t v = 0; v < ws->nv; v++)
    if (core__milp_is_var(ws, (int32_t)v)) {
      c0 += ws->w[v] / scale;
      wmin = ws->w[v] < wmin ? ws->w[v] : wmin;
      if (m->home_col[v]) glp_set_obj_coef(m->P, m->home_col[v], -ws->w[v] / scale);
    }
  m->loc_max = 0;
  if (!ws->site || !(c0 > 0) || !(wmin > 0)) return c0;
  double eps = wmin / scale / (2 * c0);
  for (int q = 1; q <= m->ncx; q++) {
    int32_t v = m->col_v[q], home = ws->pb->vms[v].node;
    double d = core__dist(ws, home, m->col_n[q]);
    if (m->home_col[v] != q && d > 0) glp_set_obj_coef(m->P, q, eps * ws->w[v] / scale * d);
  }
  m->loc_max = wmin / scale / 2;
  return c0;
}

/* Per node: the capacity rows (CPU, RAM) over the room the constant VMs leave and, with need_y, the
 * y(n) column "n hosts a VM" (objective alpha; fixed to 1 under constant VMs, else it gates the
 * capacity and the columns). Adds alpha to *c0 per online node kept on by a constant VM. */
static void node_rows(core__milp_t* m, double alpha, bool need_y, double* c0)
{
  core__ws_t* ws           = m->ws;
  const core_problem_t* pb = ws->pb;
  for (size_t n = 0; n < ws->nn; n++) {
    double cpu = pb->nodes[n].cpu_capacity, ram = (double)pb->nodes[n].ram_capacity_bytes;
    bool consts = false;
    for (uint32_t i = ws->node_vm_start[n]; i < ws->node_vm_start[n + 1]; i++) {
      int32_t v = ws->node_vms[i];
      if (!core__milp_is_var(ws, v)) cpu -= ws->cpu[v], ram -= (double)pb->vms[v].ram_bytes, consts = true;
    }
    if (consts && !(ws->nf[n] & CORE__NF_DOWN)) *c0 += alpha;
    uint32_t b = m->ncol_start[n], e = m->ncol_start[n + 1];
    if (b == e) continue;
    if (need_y) {
      m->ycol[n] = bincol(m);
      if (consts)
        fix(m, m->ycol[n], 1);
      else
        glp_set_obj_coef(m->P, m->ycol[n], alpha);
    }
    int rc = row(m, GLP_UP, 0, cpu), rr = row(m, GLP_UP, 0, ram / CORE__RAM_SCALE);
    for (uint32_t i = b; i < e; i++) {
      int q = m->ncol[i];
      nz_add(m, rc, q, ws->cpu[m->col_v[q]]);
      nz_add(m, rr, q, (double)pb->vms[m->col_v[q]].ram_bytes / CORE__RAM_SCALE);
    }
    if (need_y && !consts) { /* capacity only when used, and no VM on an unused node */
      glp_set_row_bnds(m->P, rc, GLP_UP, 0, 0), nz_add(m, rc, m->ycol[n], -cpu);
      glp_set_row_bnds(m->P, rr, GLP_UP, 0, 0), nz_add(m, rr, m->ycol[n], -ram / CORE__RAM_SCALE);
      int rl = row(m, GLP_UP, 0, 0);
      for (uint32_t i = b; i < e; i++)
        nz_add(m, rl, m->ncol[i], 1);
      nz_add(m, rl, m->ycol[n], -(double)(e - b));
    }
  }
}

/* Assignment: each variable VM on exactly one node. */
static void assignment_rows(core__milp_t* m)
{
  core__ws_t* ws = m->ws;
  for (size_t v = 0; v < ws->nv; v++) {
    if (!core__milp_is_var(ws, (int32_t)v)) continue;
    int r = row(m, GLP_FX, 1, 1);
    for (int q = m->vcol_first[v]; q < m->vcol_first[v + 1]; q++)
      nz_add(m, r, q, 1);
  }
}

/* Eviction rows: sum of w over the node's own variable VMs that stay <= total - L(n). */
static void eviction_rows(core__milp_t* m, double scale)
{
  core__ws_t* ws = m->ws;
  for (size_t n = 0; n < ws->nn; n++) {
    if (ws->node_lb[n] <= 0) continue;
    double total = 0;
    for (uint32_t i = ws->node_vm_start[n]; i < ws->node_vm_start[n + 1]; i++)
      if (core__milp_is_var(ws, ws->node_vms[i])) total += ws->w[ws->node_vms[i]] / scale;
    int r = row(m, GLP_UP, 0, total - ws->node_lb[n] / scale);
    for (uint32_t i = ws->node_vm_start[n]; i < ws->node_vm_start[n + 1]; i++)
      if (m->home_col[ws->node_vms[i]]) nz_add(m, r, m->home_col[ws->node_vms[i]], ws->w[ws->node_vms[i]] / scale);
  }
}

/* No-chain: s(n) = 1 lets n send, and then forbids it to receive. */
static void no_chain_rows(core__milp_t* m)
{
  core__ws_t* ws = m->ws;
  for (size_t n = 0; n < ws->nn; n++) {
    int own = 0, forced = 0, foreign = 0;
    for (uint32_t i = ws->node_vm_start[n]; i < ws->node_vm_start[n + 1]; i++) {
      int32_t v = ws->node_vms[i];
      if (core__milp_is_var(ws, v)) own++, forced += m->home_col[v] == 0;
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

/* In GLPK's column and row order: x columns, objective, node rows (y), assignment, eviction, no-chain
 * (s), then each constraint's rows; then the matrix is loaded. */
int core__milp_build(core__milp_t* m, double scale, bool need_y, int* scratch)
{
  const core_params_t* prm = m->ws->prm;
  m->P                     = glp_create_prob();
  glp_set_obj_dir(m->P, GLP_MIN);
  if (x_columns(m) != 0) return CORE__ERR_NOMEM;
  double c0 = objective(m, scale);
  node_rows(m, prm->consolidation_weight / scale, need_y, &c0);
  glp_set_obj_coef(m->P, 0, c0);
  assignment_rows(m);
  if (prm->milp_eviction_rows) eviction_rows(m, scale);
  if (prm->no_chain) no_chain_rows(m);
  for (uint32_t c = 0; c < m->ws->nc && !m->ws->mem->failed; c++)
    constraint_rows(m, c, scratch);
  if (m->ws->mem->failed) return CORE__ERR_NOMEM;
  glp_load_matrix(m->P, (int)m->nz, m->ia, m->ja, m->ar);
  return 0;
}

/* The number of x columns the model would have (stops counting past milp_max_columns); *nvar gets the
 * number of variable VMs. */
size_t core__milp_count_columns(core__ws_t* ws, size_t* nvar)
{
  size_t ncols = 0;
  *nvar        = 0;
  for (size_t v = 0; v < ws->nv; v++)
    if (core__milp_is_var(ws, (int32_t)v)) (*nvar)++;
  for (size_t v = 0; v < ws->nv && ncols <= ws->prm->milp_max_columns; v++)
    if (core__milp_is_var(ws, (int32_t)v))
      for (size_t n = 0; n < ws->nn; n++)
        ncols += static_ok(ws, (int32_t)v, (int32_t)n);
  return ncols;
}
