/* The worst-fit node without a scan (core_internal.h, core__room_*): a max segment tree over the node
 * indexes, each subtree holding what bounds the room any block could leave on its nodes. A query
 * walks the subtrees whose bound could still beat the best node found, most promising first, and
 * computes the exact score (core__room_after, the scan's own expression) only at the nodes it
 * reaches. It returns the node the scan would choose, bit for bit: bounds only prune what cannot
 * win (a subtree of nodes with equal capacities is bounded by the score of its largest free CPU and
 * RAM, exact because floating-point subtraction, division by a positive number and addition are
 * monotone; mixed capacities get a slack), and ties go to the lowest index as in the scan.
 * Ties are common (loads come in slots, VMs in classes: thousands of nodes share the same free CPU
 * and RAM), and a slack bound cannot tell a tie from a win, so the walk went down to every tied
 * node right of the best one (650 subtrees per query at 100K nodes, 70 at 10K). Each subtree
 * therefore keeps the free CPU and RAM of its best key, whose nodes score exactly alike when their
 * capacities are equal, and a slack bound only for the nodes with other free room. */
#include "core_internal.h"

#include <math.h>
#include <stdlib.h>

typedef struct room_node {
  double max_cpu_free, max_ram_free; /* over the eligible nodes below; -inf when none */
  double max_key;                    /* max of cpu_free / c + ram_free / r */
  double top_cpu_free, top_ram_free; /* the free room of a node with that key (-inf when none) */
  double other_key;                  /* bounds the key of the nodes whose free room differs from top's */
  double cpu_cap, ram_cap;           /* the capacities shared by every eligible node below, or NAN */
  double min_inv_cpu, min_inv_ram;   /* min of 1 / c and 1 / r (0 for a zero capacity) */
} room_node_t;

struct core__room_index {
  size_t leaves;  /* a power of two >= nn */
  room_node_t* t; /* 2 x leaves, root at 1, node n at leaves + n */
  uint8_t* eligible;
};

static bool node_eligible(const core__ws_t* ws, size_t n)
{
  return !(ws->nf[n] & (CORE__NF_SENDS | CORE__NF_DOWN | CORE__NF_OFFREQ));
}

static void set_leaf(core__room_index_t* ix, const core__ws_t* ws, size_t n)
{
  room_node_t* l = &ix->t[ix->leaves + n];
  if (!ix->eligible[n]) {
    *l = (room_node_t){-INFINITY, -INFINITY, -INFINITY, -INFINITY, -INFINITY, -INFINITY, NAN, NAN, INFINITY, INFINITY};
    return;
  }
  double c = ws->pb->nodes[n].cpu_capacity, r = (double)ws->pb->nodes[n].ram_capacity_bytes;
  l->max_cpu_free = ws->cpu_free[n], l->max_ram_free = ws->ram_free[n];
  l->max_key      = (c > 0 ? ws->cpu_free[n] / c : 0) + (r > 0 ? ws->ram_free[n] / r : 0);
  l->top_cpu_free = ws->cpu_free[n], l->top_ram_free = ws->ram_free[n], l->other_key = -INFINITY;
  l->cpu_cap = c, l->ram_cap = r;
  l->min_inv_cpu = c > 0 ? 1 / c : 0, l->min_inv_ram = r > 0 ? 1 / r : 0;
}

static double shared(double a, double b, bool a_empty, bool b_empty)
{
  if (a_empty) return b;
  if (b_empty) return a;
  return a == b ? a : NAN;
}

static void pull(room_node_t* t, size_t i)
{
  const room_node_t *a = &t[2 * i], *b = &t[2 * i + 1];
  bool a_empty = a->max_cpu_free == -INFINITY, b_empty = b->max_cpu_free == -INFINITY;
  room_node_t* p        = &t[i];
  p->max_cpu_free       = fmax(a->max_cpu_free, b->max_cpu_free);
  p->max_ram_free       = fmax(a->max_ram_free, b->max_ram_free);
  const room_node_t *hi = a->max_key >= b->max_key ? a : b, *lo = hi == a ? b : a;
  bool same_top   = lo->top_cpu_free == hi->top_cpu_free && lo->top_ram_free == hi->top_ram_free;
  p->max_key      = hi->max_key;
  p->top_cpu_free = hi->top_cpu_free, p->top_ram_free = hi->top_ram_free;
  p->other_key   = fmax(fmax(hi->other_key, lo->other_key), same_top ? -INFINITY : lo->max_key);
  p->cpu_cap     = shared(a->cpu_cap, b->cpu_cap, a_empty, b_empty);
  p->ram_cap     = shared(a->ram_cap, b->ram_cap, a_empty, b_empty);
  p->min_inv_cpu = fmin(a->min_inv_cpu, b->min_inv_cpu);
  p->min_inv_ram = fmin(a->min_inv_ram, b->min_inv_ram);
}

core__room_index_t* core__room_build(core__ws_t* ws)
{
  core__room_index_t* ix = core__calloc(ws->mem, 1, sizeof *ix);
  if (!ix) return NULL;
  ix->leaves = 1;
  while (ix->leaves < ws->nn)
    ix->leaves *= 2;
  ix->t        = core__malloc(ws->mem, 2 * ix->leaves, sizeof(room_node_t));
  ix->eligible = core__calloc(ws->mem, ix->leaves, 1);
  if (!ix->t || !ix->eligible) {
    core__room_free(ix);
    return NULL;
  }
  for (size_t n = 0; n < ix->leaves; n++)
    ix->eligible[n] = n < ws->nn && node_eligible(ws, n);
  core__room_refresh(ix, ws);
  return ix;
}

void core__room_refresh(core__room_index_t* ix, const core__ws_t* ws)
{
  for (size_t n = 0; n < ix->leaves; n++)
    set_leaf(ix, ws, n);
  for (size_t i = ix->leaves - 1; i >= 1; i--)
    pull(ix->t, i);
}

void core__room_update(core__room_index_t* ix, const core__ws_t* ws, int32_t n)
{
  set_leaf(ix, ws, (size_t)n);
  for (size_t i = (ix->leaves + (size_t)n) / 2; i >= 1; i /= 2)
    pull(ix->t, i);
}

void core__room_free(core__room_index_t* ix)
{
  if (!ix) return;
  free(ix->t);
  free(ix->eligible);
  free(ix);
}

typedef struct query {
  const core__ws_t* ws;
  const core__room_index_t* ix;
  double cpu, ram, cpu_tol, ram_tol;
  int32_t home, best;
  double best_room;
} query_t;

/* From a key: an upper bound of the room on a node whose cpu_free / c + ram_free / r is at most key,
 * with a slack because rounding may put the exact score above it. */
static double key_bound(const query_t* q, const room_node_t* s, double key)
{
  if (key == -INFINITY) return -INFINITY;
  double b = key - q->cpu * s->min_inv_cpu - q->ram * s->min_inv_ram;
  return b + 1e-9 * (1 + fabs(key) + q->cpu * s->min_inv_cpu + q->ram * s->min_inv_ram);
}

/* An upper bound of the room a block leaves on any eligible node below i; -inf when none fits. */
static double bound(const query_t* q, size_t i)
{
  const room_node_t* s = &q->ix->t[i];
  if (!(s->max_cpu_free >= q->cpu - q->cpu_tol) || !(s->max_ram_free >= q->ram - q->ram_tol)) return -INFINITY;
  if (isnan(s->cpu_cap) || isnan(s->ram_cap)) return key_bound(q, s, s->max_key);
  /* equal capacities: the nodes with top's free room score exactly alike, the others below their key;
     all of them at most the score of the largest free CPU and RAM (loose when on two nodes) */
  double c = s->cpu_cap, r = s->ram_cap, top = -INFINITY;
  if (s->top_cpu_free >= q->cpu - q->cpu_tol && s->top_ram_free >= q->ram - q->ram_tol)
    top = core__room_score(c, r, s->top_cpu_free, s->top_ram_free, q->cpu, q->ram);
  return fmin(fmax(top, key_bound(q, s, s->other_key)),
              core__room_score(c, r, s->max_cpu_free, s->max_ram_free, q->cpu, q->ram));
}

/* Could a node in [lo, hi) with room at most b displace the best? Equal rooms win only below it. */
static bool may_win(const query_t* q, double b, size_t lo)
{
  if (q->best < 0) return b > -INFINITY;
  return b > q->best_room || (b == q->best_room && lo < (size_t)q->best);
}

/* b: bound(q, i), which the parent computed to order its children */
static void visit(query_t* q, size_t i, size_t lo, size_t width, double b)
{
  if (!may_win(q, b, lo)) return;
  if (width == 1) {
    int32_t n = (int32_t)lo;
    if (!q->ix->eligible[lo] || n == q->home || !core__fits(q->ws, n, q->cpu, q->ram)) return;
    double room = core__room_after(q->ws, n, q->cpu, q->ram);
    if (q->best < 0 || room > q->best_room || (room == q->best_room && n < q->best)) q->best = n, q->best_room = room;
    return;
  }
  size_t half = width / 2, l = 2 * i, r = 2 * i + 1;
  double bl = bound(q, l), br = bound(q, r);
  if (br > bl) { /* the more promising side first */
    visit(q, r, lo + half, half, br);
    visit(q, l, lo, half, bl);
  } else {
    visit(q, l, lo, half, bl);
    visit(q, r, lo + half, half, br);
  }
}

int32_t core__room_worst_fit(const core__room_index_t* ix, const core__ws_t* ws, double cpu, double ram, int32_t home)
{
  query_t q = {.ws = ws, .ix = ix, .cpu = cpu, .ram = ram, .home = home, .best = CORE_NONE, .best_room = -INFINITY};
  q.cpu_tol = core__tolerance(cpu), q.ram_tol = core__tolerance(ram);
  visit(&q, 1, 0, ix->leaves, bound(&q, 1));
  return q.best;
}
