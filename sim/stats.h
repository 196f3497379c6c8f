/* stats_t: the results folder of one run (DESIGN.md §7) and its CSV streams. The folder is written
 * under a temporary name beside the final one and renamed by stats_commit(); stats_abort() removes
 * it, so a failed run leaves no half-written results. Column definitions: docs/METRICS.md. */
#ifndef LUCSIM_STATS_H
#define LUCSIM_STATS_H

#include "error.h"

#include <stdio.h>

typedef struct stats stats_t;

/* Creates the temporary folder for final_dir (its parent is created if missing). Refuses an
 * existing final_dir that is not a lucsim results folder (no summary.csv in it). Returns NULL with
 * err filled (field output.dir). Owned by the caller: stats_commit or stats_abort, then stats_destroy. */
stats_t* stats_open(const char* final_dir, lucsim_err_t* err);

/* Opens a CSV (or other) file in the temporary folder; the stream is owned by stats (closed at
 * commit/abort). Returns NULL with err filled. */
FILE* stats_file(stats_t* st, const char* name, lucsim_err_t* err);

/* Path of a file inside the temporary folder (for writers that open files themselves). */
void stats_path(const stats_t* st, const char* name, char* buf, size_t size);

/* Closes every stream and renames the temporary folder to the final one (replacing an older
 * results folder of the same name). Returns 0, or -1 with err filled; on error the temporary
 * folder is removed. */
int stats_commit(stats_t* st, lucsim_err_t* err);
/* Closes every stream and removes the temporary folder. */
void stats_abort(stats_t* st);
void stats_destroy(stats_t* st); /* accepts NULL */

/* Writes a CSV field: quoted (RFC 4180) when it holds a comma, quote or newline. */
void stats_csv_string(FILE* f, const char* s);

#endif
