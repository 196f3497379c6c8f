/* stats_t: the results folder of one run and its CSV streams. The folder is written under a
 * temporary name beside the final one (DIR.tmp-PID) and renamed by stats_commit(); stats_abort(),
 * a SIGINT/SIGTERM/SIGHUP, or the next run (for a dead process's leftovers) removes it, so a failed
 * run leaves no half-written results. A run never deletes or overwrites a file it did not create:
 * every results folder carries a marker (.lucsim-results) listing the files lucsim wrote, and only
 * those are ever removed. Column definitions: docs/METRICS.md. */
#ifndef LUCSIM_STATS_H
#define LUCSIM_STATS_H

#include "error.h"

#include <stdbool.h>
#include <stdio.h>

/* Name of the marker file every results folder holds. */
#define STATS_MARKER ".lucsim-results"

typedef struct stats stats_t;

/* Opens the results folder final_dir for one run:
 * - an existing final_dir must be an empty folder, or (only with force) a lucsim results folder
 *   (it holds the marker), which stats_commit replaces; anything else is refused;
 * - a lock (final_dir.lock) refuses a second concurrent run into the same folder;
 * - temporary folders of dead runs into the same folder are removed;
 * - SIGINT, SIGTERM and SIGHUP remove the temporary folder and exit (128 + signal) with one line.
 * Returns NULL with err filled (field output.dir); nothing is created then, except missing parent
 * folders. Owned by the caller: stats_commit or stats_abort, then stats_destroy. */
stats_t* stats_open(const char* final_dir, bool force, lucsim_err_t* err);

/* Opens a CSV (or other) file in the temporary folder; the stream is owned by stats (closed at
 * commit/abort). Returns NULL with err filled. */
FILE* stats_file(stats_t* st, const char* name, lucsim_err_t* err);

/* Path of a file inside the temporary folder, for writers that open files themselves; the name
 * is recorded as lucsim's (removed on abort, listed in the marker). Returns 0, or -1 with err
 * filled (too many files, or a name that is not a plain file name). */
int stats_path(stats_t* st, const char* name, char* buf, size_t size, lucsim_err_t* err);

/* Closes every stream and renames the temporary folder to the final one. An earlier results
 * folder (--force) is swapped out atomically, then only the files its marker lists are removed;
 * files a user added there are kept in final_dir.old-PID (a warning says so). Returns 0, or -1
 * with err filled; on error the temporary folder is removed. */
int stats_commit(stats_t* st, lucsim_err_t* err);
/* Closes every stream and removes the temporary folder and the lock. */
void stats_abort(stats_t* st);
void stats_destroy(stats_t* st); /* accepts NULL; releases the lock and the signal handlers */

/* Writes a CSV field: quoted (RFC 4180) when it holds a comma, quote or newline. */
void stats_csv_string(FILE* f, const char* s);

#endif
