/* Results folder life cycle: temporary folder, owned streams, atomic rename (see stats.h).
 * Not the metrics themselves: the monitor, migration and scheduler modules write their rows. */
#include "stats.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define STATS_MAX_FILES 16

struct stats {
  char final_dir[1024];
  char tmp_dir[1100];
  size_t file_count;
  FILE* files[STATS_MAX_FILES];
};

static int mkdir_parents(const char* dir)
{
  char buf[2048];
  snprintf(buf, sizeof buf, "%s", dir);
  for (char* p = buf + 1; *p; p++) {
    if (*p != '/') continue;
    *p = '\0';
    if (mkdir(buf, 0777) != 0 && errno != EEXIST) return -1;
    *p = '/';
  }
  return 0;
}

/* Removes a folder holding only plain files (a results folder: no sub-folders are created). */
static void remove_flat_dir(const char* dir)
{
  DIR* d = opendir(dir);
  if (d) {
    struct dirent* e;
    char path[2048];
    while ((e = readdir(d)) != NULL) {
      if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
      snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
      unlink(path);
    }
    closedir(d);
  }
  rmdir(dir);
}

stats_t* stats_open(const char* final_dir, lucsim_err_t* err)
{
  size_t len = strlen(final_dir);
  if (len == 0 || len >= 1000) {
    lucsim_err_set(err, NULL, 0, "output.dir", "'%s' is not a usable folder name", final_dir);
    return NULL;
  }
  struct stat sb;
  if (stat(final_dir, &sb) == 0) {
    char marker[1100];
    snprintf(marker, sizeof marker, "%s/summary.csv", final_dir);
    if (!S_ISDIR(sb.st_mode) || access(marker, F_OK) != 0) {
      lucsim_err_set(err, NULL, 0, "output.dir",
                     "'%s' exists and is not a lucsim results folder; expected a new folder", final_dir);
      return NULL;
    }
  }
  stats_t* st = calloc(1, sizeof *st);
  snprintf(st->final_dir, sizeof st->final_dir, "%s", final_dir);
  while (len > 1 && st->final_dir[len - 1] == '/')
    st->final_dir[--len] = '\0';
  snprintf(st->tmp_dir, sizeof st->tmp_dir, "%s.tmp-%ld", st->final_dir, (long)getpid());
  if (mkdir_parents(st->tmp_dir) != 0 || mkdir(st->tmp_dir, 0777) != 0) {
    lucsim_err_set(err, NULL, 0, "output.dir", "cannot create '%s': %s", st->tmp_dir, strerror(errno));
    free(st);
    return NULL;
  }
  return st;
}

void stats_path(const stats_t* st, const char* name, char* buf, size_t size)
{
  snprintf(buf, size, "%s/%s", st->tmp_dir, name);
}

FILE* stats_file(stats_t* st, const char* name, lucsim_err_t* err)
{
  char path[2048];
  stats_path(st, name, path, sizeof path);
  if (st->file_count == STATS_MAX_FILES) {
    lucsim_err_set(err, NULL, 0, "output.dir", "too many output files");
    return NULL;
  }
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
    stats_abort(st);
    return lucsim_err_set(err, NULL, 0, "output.dir", "cannot finish writing the results in '%s'", st->tmp_dir);
  }
  struct stat sb;
  if (stat(st->final_dir, &sb) == 0) remove_flat_dir(st->final_dir);
  if (rename(st->tmp_dir, st->final_dir) != 0) {
    int e = errno;
    stats_abort(st);
    return lucsim_err_set(err, NULL, 0, "output.dir", "cannot rename the results to '%s': %s", st->final_dir,
                          strerror(e));
  }
  return 0;
}

void stats_abort(stats_t* st)
{
  close_files(st);
  remove_flat_dir(st->tmp_dir);
}

void stats_destroy(stats_t* st)
{
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
