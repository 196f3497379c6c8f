/* bench_core: solve time (thread CPU time, measured here only, never inside the core), optimality gap and
 * proof rate of core_solve against partition size, on the seeded easy and hard instances of
 * tests/unit/test_core_gen.h, and the ratio against GLPK on the plain full assignment model.
 * Prints a Markdown table on stdout; with a file argument, also writes one CSV row per solve (work
 * units and CPU seconds) for the cost-model fit of scripts/bench-core. Not a test. */
#include "core.h"
#include "test_core_gen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double cpu_now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_d(const void* a, const void* b)
{
  double x = *(const double*)a, y = *(const double*)b;
  return (x > y) - (x < y);
}

/* CPU seconds of one solve: repeated until 20 ms are spent, so microsecond solves are measured. */
static double timed_solve(const core_problem_t* pb, const core_params_t* p, core_result_t* r)
{
  int reps  = 0;
  double t0 = cpu_now(), t;
  do {
    core_solve(pb, p, r);
    reps++;
    t = cpu_now() - t0;
  } while (t < 0.02 && reps < 10000);
  return t / reps;
}

static void csv_row(FILE* csv, const char* set, size_t pms, int hard, int spread, int obj, int seed,
                    const core_result_t* r, double cpu_s)
{
  const core_work_t* w = &r->work;
  fprintf(csv, "%s,%zu,%d,%d,%d,%d,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%.9f,%.9f\n", set, pms, hard, spread, obj, seed,
          (unsigned long long)w->vms_examined, (unsigned long long)w->nodes_examined,
          (unsigned long long)w->lp_iterations, (unsigned long long)w->bnb_nodes, (unsigned long long)w->milp_size,
          (unsigned long long)w->lp_it_size, (unsigned long long)w->bnb_size, cpu_s, r->charged_seconds);
}

/* Calibration rows with GLPK work: the repair MILP alone (no heuristic, no warm start), 8 to 128 PMs, easy,
 * hard and hard with SPREAD, both objectives; set "glpk" with the charged-time budget off (B&B node budget
 * 2,000, or 300 at 128 PMs so a run stays within minutes), set "default" with the default budget. */
static void calibrate(FILE* csv, core_result_t* r)
{
  static const size_t sizes[] = {8, 16, 32, 64, 128};
  static const int kinds[][3] = {{0, 0, 0}, {1, 0, 0}, {1, 1, 1}, {1, 0, 1}}; /* hard, spread, objective */
  for (int budget = 0; budget < 2; budget++)
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
      for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        for (int s = 1; s <= 3; s++) {
          core_params_t m;
          core_params_init(&m);
          m.use_heuristic = false, m.objective = (core_objective_t)kinds[k][2];
          if (!budget) m.max_milp_charged_s = 0, m.max_bnb_nodes = sizes[i] >= 128 ? 300 : 2000;
          gen_t g;
          gen_make(&g, sizes[i], (uint64_t)s, kinds[k][0], kinds[k][1]);
          double tm = timed_solve(&g.pb, &m, r);
          csv_row(csv, budget ? "default" : "glpk", sizes[i], kinds[k][0], kinds[k][1], kinds[k][2], s, r, tm);
          fprintf(stderr, "%s %zu %d%d%d seed %d: %.3f s cpu, %.3f s charged, %llu B&B\n", budget ? "default" : "glpk",
                  sizes[i], kinds[k][0], kinds[k][1], kinds[k][2], s, tm, r->charged_seconds,
                  (unsigned long long)r->work.bnb_nodes);
          fflush(csv);
          gen_free(&g);
        }
}

/* Broken VE constraints on the easy instances (a PM in 8 overloaded, the first ones): per 8 PMs from
 * PM `first` (0: on the overloaded PMs too; 4: mostly elsewhere), a GATHER pair split
 * over two PMs, a LONELY group of nine VMs sharing their (viable) PM with a tenth, and an AMONG triple across the two
 * halves of the PMs. GLPK ran on every such solve before the heuristic repaired them: with the heuristic off ("before")
 * the core takes exactly that path. */
enum { BROKEN_MAX = 64 };
typedef struct broken {
  int32_t vms[14 * BROKEN_MAX], nodes[1024];
  size_t ends[2];
  core_constraint_t cs[3 * BROKEN_MAX];
} broken_t;

static double node_load(const gen_t* g, size_t n)
{
  double sum = 0;
  for (size_t i = 0; i < 10; i++)
    sum += g->vms[10 * n + i].cpu_demand;
  return sum;
}

static void add_broken(gen_t* g, broken_t* b, size_t first)
{
  size_t pms = g->pb.node_count, nc = 0, nv = 0;
  for (size_t n = 0; n < pms; n++)
    b->nodes[n] = (int32_t)n;
  b->ends[0] = pms / 2, b->ends[1] = pms;
  for (size_t a = first; a + 1 < pms && nc + 3 <= 3 * BROKEN_MAX; a += 8) {
    int32_t* gather = &b->vms[nv];
    b->vms[nv++] = (int32_t)(10 * a + 1), b->vms[nv++] = (int32_t)(10 * (a + 1) + 2);
    b->cs[nc++] = (core_constraint_t){CORE_GATHER, gather, 2, NULL, 0, NULL, 0, 0, 0};
    size_t home = a + 2; /* nine VMs of a viable PM, the tenth an outsider */
    while (home < pms && node_load(g, home) > g->nodes[home].cpu_capacity)
      home++;
    if (home < pms) {
      int32_t* lonely = &b->vms[nv];
      for (int32_t j = 0; j < 9; j++)
        b->vms[nv++] = (int32_t)(10 * home + (size_t)j);
      b->cs[nc++] = (core_constraint_t){CORE_LONELY, lonely, 9, NULL, 0, NULL, 0, 0, 0};
    }
    int32_t* among = &b->vms[nv];
    b->vms[nv++] = (int32_t)(10 * a + 4), b->vms[nv++] = (int32_t)(10 * (pms - 1 - a) + 4);
    b->vms[nv++] = (int32_t)(10 * (pms - 1 - a) + 5);
    b->cs[nc++]  = (core_constraint_t){CORE_AMONG, among, 3, b->nodes, pms, b->ends, 2, 0, 0};
  }
  g->pb.constraints = b->cs, g->pb.constraint_count = nc;
}

/* The table of docs/PERFORMANCE.md "Broken constraints": per size, 20 seeds, the same instances
 * solved with the heuristic off (the path of every such solve before) and on. */
static void broken_table(void)
{
  static const size_t sizes[] = {8, 16, 32, 64};
  enum { SEEDS = 20 };
  core_params_t on, off;
  core_params_init(&on);
  core_params_init(&off);
  off.use_heuristic = false;
  printf("| PMs / VMs | constraints | on the overloaded PMs | GLPK ran: before, now | median CPU ms: before, now | "
         "solved: before, now |\n|---|---|---|---|---|---|\n");
  core_result_t r = CORE_RESULT_INIT;
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
    for (size_t first = 0; first <= 4; first += 4) {
      double t[2][SEEDS];
      int glpk[2] = {0, 0}, solved[2] = {0, 0};
      size_t nc = 0;
      for (int s = 0; s < SEEDS; s++) {
        gen_t g;
        static broken_t b;
        gen_make(&g, sizes[i], (uint64_t)s + 1, 0, 0);
        add_broken(&g, &b, first);
        nc = g.pb.constraint_count;
        for (int k = 0; k < 2; k++) {
          t[k][s] = timed_solve(&g.pb, k ? &on : &off, &r);
          glpk[k] += r.milp_ran;
          solved[k] += r.status == CORE_SOLVED;
        }
        gen_free(&g);
      }
      for (int k = 0; k < 2; k++)
        qsort(t[k], SEEDS, sizeof(double), cmp_d);
      printf("| %zu / %zu | %zu | %s | %d/%d, %d/%d | %.3f, %.3f | %d, %d |\n", sizes[i], sizes[i] * 10, nc,
             first ? "mostly not" : "yes", glpk[0], SEEDS, glpk[1], SEEDS,
             1e3 * (t[0][SEEDS / 2 - 1] + t[0][SEEDS / 2]) / 2, 1e3 * (t[1][SEEDS / 2 - 1] + t[1][SEEDS / 2]) / 2,
             solved[0], solved[1]);
      fflush(stdout);
    }
  core_result_free(&r);
}

int main(int argc, char** argv)
{
  if (argc > 1 && strcmp(argv[1], "--broken") == 0) {
    broken_table();
    return 0;
  }
  FILE* csv       = argc > 1 ? fopen(argv[1], "w") : NULL;
  bool calib_only = argc > 2 && strcmp(argv[2], "--calib-only") == 0;
  if (csv)
    fprintf(csv, "set,pms,hard,spread,obj,seed,vms_examined,nodes_examined,lp_iterations,bnb_nodes,milp_size,"
                 "lp_it_size,bnb_size,cpu_s,charged_s\n");
  if (calib_only) {
    core_result_t r = CORE_RESULT_INIT;
    calibrate(csv, &r);
    core_result_free(&r);
    fclose(csv);
    return 0;
  }
  static const size_t sizes[] = {8, 16, 32, 64, 128, 256, 512, 1024};
  const int seeds             = 10;
  core_params_t p, plain;
  core_params_init(&p);
  core_params_init(&plain);
  plain.use_heuristic = false, plain.repair_mode = false, plain.milp_eviction_rows = false;
  plain.milp_warm_start = false, plain.milp_presolve = true;
  plain.max_bnb_nodes = 1000000000L, plain.max_lp_iterations = 1000000000L, plain.tm_lim_ms = 2000;
  printf("| PMs / VMs | regime | median CPU ms (max) | proven optimal | mean gap (max) | MILP runs | median "
         "charged ms | plain full GLPK: median CPU ms, proven | ratio plain / core |\n");
  printf("|---|---|---|---|---|---|---|---|---|\n");
  core_result_t r = CORE_RESULT_INIT;
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
    for (int hard = 0; hard < 2; hard++) {
      double t[16], ch[16], gap_sum = 0, gap_max = 0, tp[16];
      int proven = 0, milp = 0, plain_proven = 0, nplain = sizes[i] <= 32 ? 3 : 0;
      for (int s = 0; s < seeds; s++) {
        gen_t g;
        gen_make(&g, sizes[i], (uint64_t)s + 1, hard, 0);
        t[s]  = timed_solve(&g.pb, &p, &r);
        ch[s] = r.charged_seconds;
        proven += r.proven_optimal;
        milp += r.milp_ran;
        double gap = r.lower_bound > 0 ? (r.cost - r.lower_bound) / r.lower_bound : 0;
        gap_sum += gap, gap_max = gap > gap_max ? gap : gap_max;
        if (csv) csv_row(csv, "table", sizes[i], hard, 0, 0, s + 1, &r, t[s]);
        if (s < nplain) {
          double t0 = cpu_now();
          core_solve(&g.pb, &plain, &r);
          tp[s] = cpu_now() - t0;
          plain_proven += r.proven_optimal && r.status == CORE_SOLVED;
        }
        gen_free(&g);
      }
      qsort(t, (size_t)seeds, sizeof(double), cmp_d);
      qsort(ch, (size_t)seeds, sizeof(double), cmp_d);
      double med = (t[seeds / 2 - 1] + t[seeds / 2]) / 2;
      printf("| %zu / %zu | %s | %.3f (%.3f) | %d/%d | %.1f %% (%.1f %%) | %d | %.3f |", sizes[i], sizes[i] * 10,
             hard ? "hard" : "easy", med * 1e3, t[seeds - 1] * 1e3, proven, seeds, 100 * gap_sum / seeds, 100 * gap_max,
             milp, 1e3 * (ch[seeds / 2 - 1] + ch[seeds / 2]) / 2);
      if (nplain) {
        qsort(tp, (size_t)nplain, sizeof(double), cmp_d);
        printf(" %.1f, %d/%d | %.0f× |\n", tp[nplain / 2] * 1e3, plain_proven, nplain, tp[nplain / 2] / med);
      } else {
        printf(" — | — |\n");
      }
      fflush(stdout);
    }
  if (csv) {
    calibrate(csv, &r);
    fclose(csv);
  }
  core_result_free(&r);
  return 0;
}
