/* Scheduler parameters (scheduler.h, "Parameters"): the scheduler.* values of the experiment,
 * read by the scheduler's init with a type (plain number, time or size with the units of
 * experiment files, enum), the ones it never read refused, with the nearest key it did read. */
#include "sched_ctx_internal.h"

#include "suggest.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const sched_param_t* find_param(const sched_ctx_t* ctx, const char* key, size_t* index)
{
  return config_sched_param_pick(ctx->run->cfg, ctx->run->sched->name, key, index);
}

/* The key is read as type, with its default and accepted values (for lucsim schedulers NAME). */
static void mark_used(sched_ctx_t* ctx, const char* key, const char* type, const char* def, const char* accepted)
{
  if (ctx->param_read_count < SCHED_CTX_MAX_READ) {
    struct sched_param_desc* d = &ctx->param_desc[ctx->param_read_count];
    snprintf(d->type, sizeof d->type, "%s", type);
    snprintf(d->def, sizeof d->def, "%s", def);
    snprintf(d->accepted, sizeof d->accepted, "%s", accepted);
    snprintf(ctx->param_read[ctx->param_read_count++], LUCSIM_NAME_MAX, "%s", key);
  }
  const sched_config_t* sc = &ctx->run->cfg->scheduler;
  for (size_t i = 0; i < sc->param_count; i++)
    if (strcmp(sc->params[i].key, key) == 0) ctx->param_used[i] = true;
}

/* A parameter scoped to another scheduler is not this run's: only its scheduler's name is checked
 * (its key is checked by a run of that scheduler). */
static int check_scope(const sched_ctx_t* ctx, const sched_param_t* p, lucsim_err_t* err)
{
  if (sched_find(p->scheduler)) return 0;
  const char* known[64];
  size_t n = 0;
  for (const sched_ops_t* const* s = sched_builtins(); *s && n < 63; s++)
    known[n++] = (*s)->name;
  known[n++]       = ctx->run->sched->name;
  const char* near = suggest_nearest(p->scheduler, known, n);
  char field[LUCSIM_NAME_MAX + 16];
  snprintf(field, sizeof field, "scheduler.%s", p->key);
  return lucsim_err_set(err, p->line > 0 ? ctx->run->cfg->source : NULL, p->line, field,
                        "<param scheduler='%s'>: not a registered scheduler%s%s%s", p->scheduler,
                        near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
}

/* The scheduler reads key (a number of type, default def, in [min, max]; unit "s", "B" or ""): its
 * value in the experiment (NULL when absent), and the key is used. */
static const sched_param_t* read_number(sched_ctx_t* ctx, const char* key, const char* type, const char* unit,
                                        double def, double min, double max)
{
  char d[64], accepted[256];
  snprintf(d, sizeof d, "%g%s", def, unit);
  snprintf(accepted, sizeof accepted, "[%g%s, %g%s]", min, unit, max, unit);
  mark_used(ctx, key, type, d, accepted);
  return find_param(ctx, key, NULL);
}

void sched_param_docs(sched_ctx_t* ctx, const sched_param_doc_t* docs)
{
  if (docs && ctx->param_doc_count < sizeof ctx->param_docs / sizeof ctx->param_docs[0])
    ctx->param_docs[ctx->param_doc_count++] = docs;
}

static const char* meaning_of(const sched_ctx_t* ctx, const char* key)
{
  for (size_t t = 0; t < ctx->param_doc_count; t++)
    for (const sched_param_doc_t* d = ctx->param_docs[t]; d->key; d++)
      if (strcmp(d->key, key) == 0) return d->meaning;
  return NULL;
}

void sched_ctx_describe_params(const sched_ctx_t* ctx, FILE* f)
{
  fprintf(f, "scheduler %s: %s\n\n", ctx->run->sched->name, ctx->run->sched->summary ? ctx->run->sched->summary : "");
  fprintf(f, "| parameter | type | default | accepted | meaning |\n|---|---|---|---|---|\n");
  if (ctx->param_read_count == 0) fprintf(f, "| (none) | | | | this scheduler reads no parameter |\n");
  for (size_t i = 0; i < ctx->param_read_count; i++) {
    bool again = false; /* a key read twice is listed once */
    for (size_t k = 0; k < i && !again; k++)
      again = strcmp(ctx->param_read[k], ctx->param_read[i]) == 0;
    if (again) continue;
    const struct sched_param_desc* d = &ctx->param_desc[i];
    const char* meaning              = meaning_of(ctx, ctx->param_read[i]);
    fprintf(f, "| %s | %s | %s | %s | %s |\n", ctx->param_read[i], d->type, d->def, d->accepted,
            meaning ? meaning : "(undocumented)");
  }
  for (size_t t = 0; t < ctx->param_doc_count; t++) /* documented, but not read on this experiment */
    for (const sched_param_doc_t* d = ctx->param_docs[t]; d->key; d++) {
      bool read = false;
      for (size_t i = 0; i < ctx->param_read_count && !read; i++)
        read = strcmp(ctx->param_read[i], d->key) == 0;
      if (!read)
        fprintf(f, "| %s | | | | %s (read only by some experiments, e.g. with several sites) |\n", d->key, d->meaning);
    }
  fprintf(f, "\nSet one with <param name=\"KEY\" value=\"VALUE\"/> in <scheduler>, or --set scheduler.KEY=VALUE; "
             "times and sizes take units (30s, 2min, 4KiB).\n");
}

static int param_error(const sched_ctx_t* ctx, const sched_param_t* p, lucsim_err_t* err, const char* fmt,
                       const char* a, double lo, double hi)
{
  char field[LUCSIM_NAME_MAX + 16];
  snprintf(field, sizeof field, "scheduler.%s", p->key);
  char message[512];
  snprintf(message, sizeof message, fmt, a, lo, hi);
  return lucsim_err_set(err, p->line > 0 ? ctx->run->cfg->source : NULL, p->line, field, "%s", message);
}

int sched_param_error(const sched_ctx_t* ctx, const char* key, lucsim_err_t* err, const char* fmt, ...)
{
  const sched_param_t* p = find_param(ctx, key, NULL);
  char field[LUCSIM_NAME_MAX + 16];
  snprintf(field, sizeof field, "scheduler.%s", key);
  char message[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(message, sizeof message, fmt, ap);
  va_end(ap);
  bool located = p && p->line > 0;
  return lucsim_err_set(err, located ? ctx->run->cfg->source : NULL, located ? p->line : 0, field, "%s", message);
}

const char* sched_param(const sched_ctx_t* ctx, const char* key)
{
  const sched_param_t* p = find_param(ctx, key, NULL);
  return p ? p->value : NULL;
}

int sched_param_double(sched_ctx_t* ctx, const char* key, double def, double min, double max, double* out,
                       lucsim_err_t* err)
{
  const sched_param_t* p = read_number(ctx, key, "number", "", def, min, max);
  if (!p) {
    *out = def;
    return 0;
  }
  char* end;
  double v = strtod(p->value, &end);
  if (end == p->value || *end != '\0' || !isfinite(v))
    return param_error(ctx, p, err, "'%s' is not a number; expected a value in [%g, %g]", p->value, min, max);
  if (v < min || v > max)
    return param_error(ctx, p, err, "%s is out of range; expected a value in [%g, %g]", p->value, min, max);
  *out = v;
  return 0;
}

/* A parameter with units: a time (seconds) or a size (bytes), as experiment fields take them. */
static int param_with_unit(sched_ctx_t* ctx, const char* key, bool size, double def, double min, double max,
                           double* out, lucsim_err_t* err)
{
  const sched_param_t* p = read_number(ctx, key, size ? "size" : "time", size ? "B" : "s", def, min, max);
  if (!p) {
    *out = def;
    return 0;
  }
  char field[LUCSIM_NAME_MAX + 16];
  snprintf(field, sizeof field, "scheduler.%s", p->key);
  const char* file = p->line > 0 ? ctx->run->cfg->source : "";
  int line         = p->line > 0 ? p->line : 0;
  if (!size) return config_parse_time_in(p->value, min, max, file, line, field, out, err);
  uint64_t bytes;
  if (config_parse_size_in(p->value, min, max, file, line, field, &bytes, err) != 0) return -1;
  *out = (double)bytes;
  return 0;
}

int sched_param_time(sched_ctx_t* ctx, const char* key, double def_s, double min_s, double max_s, double* out_s,
                     lucsim_err_t* err)
{
  return param_with_unit(ctx, key, false, def_s, min_s, max_s, out_s, err);
}

int sched_param_size(sched_ctx_t* ctx, const char* key, double def_bytes, double min_bytes, double max_bytes,
                     double* out_bytes, lucsim_err_t* err)
{
  return param_with_unit(ctx, key, true, def_bytes, min_bytes, max_bytes, out_bytes, err);
}

int sched_param_heartbeat(sched_ctx_t* ctx, double def_period_s, double def_timeout_s, double min_s, double* period_s,
                          double* timeout_s, lucsim_err_t* err)
{
  static const sched_param_doc_t docs[] = {
      {"heartbeat_period", "time between two heartbeats (the failure detector's timing)"},
      {"heartbeat_timeout", "silence after which a node is suspected to be down; must be above heartbeat_period"},
      {NULL, NULL}};
  sched_param_docs(ctx, docs);
  if (sched_param_time(ctx, "heartbeat_period", def_period_s, min_s, 1e6, period_s, err) != 0 ||
      sched_param_time(ctx, "heartbeat_timeout", def_timeout_s, min_s, 1e6, timeout_s, err) != 0)
    return -1;
  if (*timeout_s > *period_s) return 0;
  return sched_param_error(ctx, "heartbeat_timeout", err,
                           "%g s is not above the heartbeat period (%g s); expected a timeout > heartbeat_period",
                           *timeout_s, *period_s);
}

int sched_param_enum(sched_ctx_t* ctx, const char* key, const char* const* choices, int def, int* out,
                     lucsim_err_t* err)
{
  char expected[256] = "", accepted[256] = ""; /* for messages, and for the parameter table */
  for (int i = 0; choices[i]; i++) {
    strncat(expected, i ? " | " : "", sizeof expected - strlen(expected) - 1);
    strncat(expected, choices[i], sizeof expected - strlen(expected) - 1);
    strncat(accepted, i ? ", " : "", sizeof accepted - strlen(accepted) - 1);
    strncat(accepted, choices[i], sizeof accepted - strlen(accepted) - 1);
  }
  mark_used(ctx, key, "enum", choices[def], accepted);
  const sched_param_t* p = find_param(ctx, key, NULL);
  if (!p) {
    *out = def;
    return 0;
  }
  for (int i = 0; choices[i]; i++) {
    if (strcmp(choices[i], p->value) == 0) {
      *out = i;
      return 0;
    }
  }
  char field[LUCSIM_NAME_MAX + 16];
  snprintf(field, sizeof field, "scheduler.%s", p->key);
  return lucsim_err_set(err, p->line > 0 ? ctx->run->cfg->source : NULL, p->line, field,
                        "'%s' is not a known value; expected %s", p->value, expected);
}

int sched_ctx_check_unused_params(const sched_ctx_t* ctx, lucsim_err_t* err)
{
  const sched_config_t* sc = &ctx->run->cfg->scheduler;
  for (size_t i = 0; i < sc->param_count; i++) {
    const sched_param_t* p = &sc->params[i];
    if (!config_sched_param_applies(p, ctx->run->sched->name)) {
      if (check_scope(ctx, p, err) != 0) return -1;
      continue;
    }
    if (ctx->param_used[i]) continue;
    char field[LUCSIM_NAME_MAX + 16];
    snprintf(field, sizeof field, "scheduler.%s", p->key);
    const char* read[SCHED_CTX_MAX_READ];
    for (size_t k = 0; k < ctx->param_read_count; k++)
      read[k] = ctx->param_read[k];
    const char* near = suggest_nearest(p->key, read, ctx->param_read_count);
    return lucsim_err_set(err, p->line > 0 ? ctx->run->cfg->source : NULL, p->line, field,
                          "scheduler '%s' has no parameter '%s'%s%s%s", ctx->run->sched->name, p->key,
                          near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
  }
  return 0;
}
