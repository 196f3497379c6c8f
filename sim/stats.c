/* Results folder life cycle: temporary folder, owned streams, atomic rename (see stats.h).
 * Not the metrics themselves: the monitor, migration and scheduler modules write their rows. */
#include "stats.h"

#include "outdir.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define STATS_MAX_FILES 16
_Static_assert(sizeof STATS_MARKER == sizeof OUTDIR_MARKER, "one marker name");

struct stats {
  outdir_t* dir; /* the folder's safety rules */
  size_t file_count;
  FILE* files[STATS_MAX_FILES];
};

stats_t* stats_open(const char* final_dir, bool force, lucsim_err_t* err)
{
  outdir_t* dir = outdir_open(final_dir, force, err);
  if (!dir) return NULL;
  stats_t* st = calloc(1, sizeof *st);
  if (!st) {
    lucsim_err_set(err, NULL, 0, "output.dir", "out of memory");
    outdir_abort(dir);
    outdir_close(dir);
    return NULL;
  }
  st->dir = dir;
  return st;
}

int stats_path(stats_t* st, const char* name, char* buf, size_t size, lucsim_err_t* err)
{
  if (outdir_add_file(st->dir, name, err) != 0) return -1;
  int n = snprintf(buf, size, "%s/%s", outdir_tmp(st->dir), name);
  if (n < 0 || (size_t)n >= size) return lucsim_err_set(err, NULL, 0, "output.dir", "path of '%s' too long", name);
  return 0;
}

FILE* stats_file(stats_t* st, const char* name, lucsim_err_t* err)
{
  char path[2048];
  if (st->file_count == STATS_MAX_FILES) {
    lucsim_err_set(err, NULL, 0, "output.dir", "too many output files");
    return NULL;
  }
  if (stats_path(st, name, path, sizeof path, err) != 0) return NULL;
  FILE* f = fopen(path, "w");
  if (!f) {
    lucsim_err_set(err, NULL, 0, "output.dir", "cannot write '%s': %s", path, strerror(errno));
    return NULL;
  }
  setvbuf(f, NULL, _IOFBF, 1 << 16);
  st->files[st->file_count++] = f;
  return f;
}

static int close_files(stats_t* st)
{
  int rc = 0;
  for (size_t i = 0; i < st->file_count; i++)
    if (fclose(st->files[i]) != 0) rc = -1;
  st->file_count = 0;
  return rc;
}

int stats_commit(stats_t* st, lucsim_err_t* err)
{
  if (close_files(st) != 0) {
    outdir_abort(st->dir);
    return lucsim_err_set(err, NULL, 0, "output.dir", "cannot finish writing the results in '%s'", outdir_tmp(st->dir));
  }
  return outdir_commit(st->dir, err);
}

void stats_abort(stats_t* st)
{
  close_files(st);
  outdir_abort(st->dir);
}

void stats_destroy(stats_t* st)
{
  if (!st) return;
  outdir_close(st->dir);
  free(st);
}

void stats_csv_string(FILE* f, const char* s)
{
  if (!strpbrk(s, ",\"\n\r")) {
    fputs(s, f);
    return;
  }
  fputc('"', f);
  for (; *s; s++) {
    if (*s == '"') fputc('"', f);
    fputc(*s, f);
  }
  fputc('"', f);
}
