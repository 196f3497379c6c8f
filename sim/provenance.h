/* What produced a run: lucsim's version, the git commit of the build, the run's wall time
 * (summary.csv's last columns, docs/METRICS.md). Not a timer of simulated work: the wall clock read
 * here is written out and never feeds a simulated decision. */
#ifndef LUCSIM_PROVENANCE_H
#define LUCSIM_PROVENANCE_H

#include <stdio.h>

double provenance_wall_now(void);            /* monotonic wall-clock seconds (only differences mean something) */
const char* provenance_commit(void);         /* "abc123def456", "abc123def456-dirty", or "" outside git */
const char* provenance_summary_header(void); /* ",lucsim_version,lucsim_commit,wall_s" */
/* The three values, each preceded by a comma; wall_s < 0 leaves the last one empty. */
void provenance_write_summary(FILE* f, double wall_s);

#endif
