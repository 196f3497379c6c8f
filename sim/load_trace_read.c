/* Reading load traces (load_trace.h): a PlanetLab-format folder or a CSV file into series of
 * (time, CPU %) samples, one series per traced VM, each sorted by time. Every bad line is bad input
 * named by file and line. Not the replay (load_trace.c). */
#include "load_trace_internal.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <xbt/dict.h>

#define FIELD "injector.trace.path"

static int oom(lucsim_err_t* err)
{
  return lucsim_err_set(err, NULL, 0, NULL, "out of memory (load trace)");
}

/* Appends one sample to s (ram: its RAM %, or a negative value when the file has none); returns 0 or
 * -1 (out of memory). */
static int push_sample(lt_series_t* s, double t, float v, float ram, int line)
{
  if (s->n == s->cap) {
    size_t cap = s->cap ? 2 * s->cap : 32;
    double* nt = realloc(s->t, cap * sizeof *nt);
    if (!nt) return -1;
    s->t      = nt;
    float* nv = realloc(s->v, cap * sizeof *nv);
    if (!nv) return -1;
    s->v = nv;
    if (ram >= 0) {
      float* nr = realloc(s->ram, cap * sizeof *nr);
      if (!nr) return -1;
      s->ram = nr;
    }
    int* nl = realloc(s->line, cap * sizeof *nl);
    if (!nl) return -1;
    s->line = nl;
    s->cap  = cap;
  }
  s->t[s->n] = t, s->v[s->n] = v, s->line[s->n] = line;
  if (ram >= 0) s->ram[s->n] = ram;
  s->n++;
  return 0;
}

/* Strips a trailing \n, \r\n and surrounding blanks in place; returns the start. */
static char* trim(char* s)
{
  while (*s == ' ' || *s == '\t')
    s++;
  size_t n = strlen(s);
  while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
    s[--n] = '\0';
  return s;
}

/* A CPU or RAM percentage: a number in [0, 100] (integer when integer_only). */
static bool parse_pct(const char* text, bool integer_only, double* out)
{
  char* end;
  errno    = 0;
  double v = strtod(text, &end);
  if (end == text || *end != '\0' || errno != 0 || !isfinite(v) || v < 0 || v > 100) return false;
  if (integer_only && v != floor(v)) return false;
  *out = v;
  return true;
}

/* One PlanetLab file: one integer percentage a line, sample k at k * interval. Blank lines end it. */
static int read_planetlab_file(const char* path, double interval, lt_series_t* s, lucsim_err_t* err)
{
  FILE* f = fopen(path, "r");
  if (!f) return lucsim_err_set(err, path, 0, FIELD, "cannot read '%s': %s", path, strerror(errno));
  char buf[256];
  int line        = 0;
  bool blank_seen = false;
  while (fgets(buf, sizeof buf, f)) {
    line++;
    char* text = trim(buf);
    if (!*text) {
      blank_seen = true;
      continue;
    }
    double v;
    if (blank_seen || !parse_pct(text, true, &v)) {
      fclose(f);
      return lucsim_err_set(err, path, line, FIELD,
                            "'%.40s' is not a CPU percentage; expected an integer from 0 to 100",
                            blank_seen ? "(blank line)" : text);
    }
    if (push_sample(s, (double)s->n * interval, (float)v, -1, line) != 0) {
      fclose(f);
      return oom(err);
    }
  }
  fclose(f);
  if (s->n == 0) return lucsim_err_set(err, path, 0, FIELD, "no sample; expected one integer percentage a line");
  return 0;
}

static int not_hidden(const struct dirent* d)
{
  return d->d_name[0] != '.';
}

int lt_read_planetlab(const char* dir, double interval, lt_set_t* set, lucsim_err_t* err)
{
  struct dirent** names = NULL;
  int count             = scandir(dir, &names, not_hidden, alphasort); /* sorted: the same order everywhere */
  if (count < 0) return lucsim_err_set(err, NULL, 0, FIELD, "cannot read folder '%s': %s", dir, strerror(errno));
  int rc      = 0;
  set->series = calloc((size_t)count + 1, sizeof *set->series);
  if (!set->series) rc = oom(err);
  for (int i = 0; i < count && rc == 0; i++) {
    char path[LUCSIM_PATH_MAX + 256];
    snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) continue; /* sub-folders and the like */
    lt_series_t* s = &set->series[set->count++];
    s->name        = strdup(names[i]->d_name);
    if (!s->name) rc = oom(err);
    if (rc == 0) rc = read_planetlab_file(path, interval, s, err);
  }
  for (int i = 0; i < count; i++)
    free(names[i]);
  free(names);
  if (rc == 0 && set->count == 0)
    rc = lucsim_err_set(err, NULL, 0, FIELD, "'%s' holds no trace file (one file per traced VM)", dir);
  return rc;
}

typedef struct sample {
  double t;
  float v, ram;
  int line; /* its line in the file, unique: ties keep the file's order */
} sample_t;

static int cmp_sample(const void* a, const void* b)
{
  const sample_t *x = a, *y = b;
  if (x->t != y->t) return x->t < y->t ? -1 : 1;
  return (x->line > y->line) - (x->line < y->line);
}

/* Sorts s by time (rows of a VM may come in any order); two samples at one time are bad input. */
static int sort_series(const char* path, lt_series_t* s, lucsim_err_t* err)
{
  sample_t* all = malloc((s->n + 1) * sizeof *all);
  if (!all) return oom(err);
  for (size_t i = 0; i < s->n; i++)
    all[i] = (sample_t){s->t[i], s->v[i], s->ram ? s->ram[i] : 0, s->line[i]};
  qsort(all, s->n, sizeof *all, cmp_sample);
  int rc = 0;
  for (size_t i = 0; i < s->n; i++) {
    s->t[i] = all[i].t, s->v[i] = all[i].v, s->line[i] = all[i].line;
    if (s->ram) s->ram[i] = all[i].ram;
    if (rc == 0 && i > 0 && all[i].t == all[i - 1].t)
      rc = lucsim_err_set(err, path, all[i].line, FIELD, "VM '%s' has a second sample at %g s", s->name, all[i].t);
  }
  free(all);
  return rc;
}

/* Splits a CSV line into at most max fields at commas (no quoting: names carry no comma). */
static size_t split(char* text, char** fields, size_t max)
{
  size_t n = 0;
  for (char* p = text;; n++) {
    char* comma = strchr(p, ',');
    if (n < max) fields[n] = p;
    if (!comma) return n + 1;
    *comma = '\0';
    p      = comma + 1;
  }
}

static int csv_row(const char* path, int line, char* text, xbt_dict_t index, lt_set_t* set, size_t* cap,
                   lucsim_err_t* err)
{
  char* f[5];
  size_t columns = set->has_ram ? 4 : 3;
  size_t n       = split(text, f, 5);
  if (n != columns)
    return lucsim_err_set(err, path, line, FIELD, "%zu columns; expected %s", n,
                          set->has_ram ? "vm,time_s,cpu_pct,ram_pct" : "vm,time_s,cpu_pct");
  char* name = trim(f[0]);
  char* end;
  errno    = 0;
  double t = strtod(trim(f[1]), &end);
  double v;
  if (!*name) return lucsim_err_set(err, path, line, FIELD, "empty VM name");
  if (end == f[1] || *end != '\0' || errno != 0 || !isfinite(t) || t < 0)
    return lucsim_err_set(err, path, line, FIELD, "'%.40s' is not a time; expected seconds >= 0", f[1]);
  if (!parse_pct(trim(f[2]), false, &v))
    return lucsim_err_set(err, path, line, FIELD, "'%.40s' is not a CPU percentage; expected a number from 0 to 100",
                          f[2]);
  double ram = -1;
  if (set->has_ram && !parse_pct(trim(f[3]), false, &ram))
    return lucsim_err_set(err, path, line, FIELD, "'%.40s' is not a RAM percentage; expected a number from 0 to 100",
                          f[3]);
  uintptr_t slot = (uintptr_t)xbt_dict_get_or_null(index, name);
  if (slot == 0) { /* a new traced VM: the order of first appearance */
    if (set->count == *cap) {
      size_t ncap        = *cap ? 2 * *cap : 64;
      lt_series_t* grown = realloc(set->series, ncap * sizeof *grown);
      if (!grown) return oom(err);
      memset(grown + *cap, 0, (ncap - *cap) * sizeof *grown);
      set->series = grown, *cap = ncap;
    }
    set->series[set->count].name = strdup(name);
    if (!set->series[set->count].name) return oom(err);
    slot = ++set->count;
    xbt_dict_set(index, name, (void*)slot);
  }
  return push_sample(&set->series[slot - 1], t, (float)v, (float)ram, line) == 0 ? 0 : oom(err);
}

int lt_read_csv(const char* path, lt_set_t* set, lucsim_err_t* err)
{
  FILE* f = fopen(path, "r");
  if (!f) return lucsim_err_set(err, NULL, 0, FIELD, "cannot read '%s': %s", path, strerror(errno));
  char buf[1024];
  int line = 0, rc = 0;
  size_t cap       = 0;
  xbt_dict_t index = xbt_dict_new_homogeneous(NULL);
  if (!fgets(buf, sizeof buf, f)) {
    rc = lucsim_err_set(err, path, 1, FIELD, "empty file; expected the header vm,time_s,cpu_pct");
  } else {
    line         = 1;
    char* head   = trim(buf);
    set->has_ram = strcmp(head, "vm,time_s,cpu_pct,ram_pct") == 0;
    if (!set->has_ram && strcmp(head, "vm,time_s,cpu_pct") != 0)
      rc = lucsim_err_set(err, path, 1, FIELD,
                          "header '%.60s'; expected vm,time_s,cpu_pct or vm,time_s,cpu_pct,ram_pct", head);
  }
  while (rc == 0 && fgets(buf, sizeof buf, f)) {
    line++;
    if (!strchr(buf, '\n') && !feof(f)) {
      rc = lucsim_err_set(err, path, line, FIELD, "line longer than %zu bytes", sizeof buf - 2);
      break;
    }
    char* text = trim(buf);
    if (*text) rc = csv_row(path, line, text, index, set, &cap, err);
  }
  fclose(f);
  xbt_dict_free(&index);
  if (rc == 0 && set->count == 0) rc = lucsim_err_set(err, path, 0, FIELD, "no sample after the header");
  for (size_t i = 0; rc == 0 && i < set->count; i++)
    rc = sort_series(path, &set->series[i], err);
  return rc;
}

void lt_set_free(lt_set_t* set)
{
  for (size_t i = 0; set->series && i < set->count; i++) {
    free(set->series[i].name);
    free(set->series[i].t);
    free(set->series[i].v);
    free(set->series[i].ram);
    free(set->series[i].line);
  }
  free(set->series);
  set->series = NULL;
  set->count  = 0;
}
