/* bench_core: solve time (thread CPU time, measured here only, never inside the core), optimality gap and
 * proof rate of core_solve against partition size, on the seeded easy and hard instances of
 * tests/unit/test_core_gen.h, and the ratio against GLPK on the plain full assignment model.
 * Prints a Markdown table on stdout; with a file argument, also writes one CSV row per solve (work
 * units and CPU seconds) for the cost-model fit of scripts/bench-core. Not a test. */
#include "core.h"
#include "test_core_gen.h"

#include <stdio.h>
#include <stdlib.h>
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

int main(int argc, char** argv)
{
  FILE* csv = argc > 1 ? fopen(argv[1], "w") : NULL;
  if (csv) fprintf(csv, "pms,hard,seed,vms_examined,nodes_examined,lp_iterations,bnb_nodes,cpu_s,charged_s\n");
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
        if (csv)
          fprintf(csv, "%zu,%d,%d,%llu,%llu,%llu,%llu,%.9f,%.9f\n", sizes[i], hard, s + 1,
                  (unsigned long long)r.work.vms_examined, (unsigned long long)r.work.nodes_examined,
                  (unsigned long long)r.work.lp_iterations, (unsigned long long)r.work.bnb_nodes, t[s],
                  r.charged_seconds);
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
  if (csv) { /* calibration rows with GLPK work: the repair MILP alone (no heuristic), 8 to 64 PMs */
    core_params_t m = p;
    m.use_heuristic = false;
    for (size_t i = 0; i < 4; i++)
      for (int hard = 0; hard < 2; hard++)
        for (int s = 0; s < 3; s++) {
          gen_t g;
          gen_make(&g, sizes[i], (uint64_t)s + 1, hard, 0);
          double tm = timed_solve(&g.pb, &m, &r);
          fprintf(csv, "%zu,%d,%d,%llu,%llu,%llu,%llu,%.9f,%.9f\n", sizes[i], hard, s + 1,
                  (unsigned long long)r.work.vms_examined, (unsigned long long)r.work.nodes_examined,
                  (unsigned long long)r.work.lp_iterations, (unsigned long long)r.work.bnb_nodes, tm,
                  r.charged_seconds);
          gen_free(&g);
        }
    fclose(csv);
  }
  core_result_free(&r);
  return 0;
}
