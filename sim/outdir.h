/* outdir_t: the safety rules of one results folder, whatever is written in it: the existing-folder
 * checks, the lock against concurrent runs, the marker that lists lucsim's files, the removal of
 * dead runs' temporary folders, the signal clean-up and the atomic replacement at commit.
 * The CSV streams themselves are stats.c's; this file never writes results. */
#ifndef LUCSIM_OUTDIR_H
#define LUCSIM_OUTDIR_H

#include "error.h"

#include <stdbool.h>
#include <stddef.h>

#define OUTDIR_MARKER ".lucsim-results"
#define OUTDIR_MAX_FILES 32

typedef struct outdir outdir_t;

/* See stats_open (stats.h) for the rules. Returns NULL with err filled (field output.dir). */
outdir_t* outdir_open(const char* final_dir, bool force, lucsim_err_t* err);

/* The temporary folder files are written in (borrowed, valid until outdir_close). */
const char* outdir_tmp(const outdir_t* od);

/* Records name (a plain file name) as written by lucsim: listed in the marker, removed on abort or
 * on a signal. Recording a name twice is harmless. Returns 0, or -1 with err filled. */
int outdir_add_file(outdir_t* od, const char* name, lucsim_err_t* err);

/* Renames the temporary folder to the final one (see stats_commit). Returns 0, or -1 with err
 * filled; the temporary folder is removed then. */
int outdir_commit(outdir_t* od, lucsim_err_t* err);

/* Removes the temporary folder (only the recorded files and the marker). */
void outdir_abort(outdir_t* od);

/* Releases the lock and the signal handlers and frees od (accepts NULL). */
void outdir_close(outdir_t* od);

#endif
