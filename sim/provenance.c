/* What produced a run, for summary.csv's last columns (provenance.h): the lucsim version, the git
 * commit of the build (empty outside a git checkout), and the wall-clock seconds of the run when
 * output.wall_time asks for them. The clock is read only here and never reaches the simulation. */
#include "provenance.h"

#include "lucsim_build_info.h"
#include "stats.h"

#include <time.h>

double provenance_wall_now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

const char* provenance_commit(void)
{
  return LUCSIM_COMMIT;
}

const char* provenance_summary_header(void)
{
  return ",lucsim_version,lucsim_commit,wall_s";
}

void provenance_write_summary(FILE* f, double wall_s)
{
  fputc(',', f);
  stats_csv_string(f, LUCSIM_VERSION);
  fputc(',', f);
  stats_csv_string(f, LUCSIM_COMMIT);
  fputc(',', f);
  if (wall_s >= 0) fprintf(f, "%.3f", wall_s);
}
