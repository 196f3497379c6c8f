/* The engine side of the scheduler API (scheduler/scheduler.h): what a scheduler may read and do,
 * implemented on the run's modules. Schedulers see only sched_ctx_t. */
#include "run.h"

#include <math.h>
#include <simgrid/engine.h>
#include <stdlib.h>
#include <string.h>

struct sched_ctx {
  lucsim_run_t* run;
  bool param_used[LUCSIM_MAX_SCHED_PARAMS];
};

struct sched_ctx* sched_ctx_create(lucsim_run_t* run)
{
  struct sched_ctx* ctx = calloc(1, sizeof *ctx);
  if (ctx)
    ctx->run = run;
  return ctx;
}

void sched_ctx_destroy(struct sched_ctx* ctx) { free(ctx); }

static const sched_param_t* find_param(const sched_ctx_t* ctx, const char* key, size_t* index)
{
  const sched_config_t* sc = &ctx->run->cfg->scheduler;
  for (size_t i = sc->param_count; i-- > 0;) /* the last one wins: --set comes after the file */
    if (strcmp(sc->params[i].key, key) == 0) {
      if (index)
        *index = i;
      return &sc->params[i];
    }
  return NULL;
}

static void mark_used(sched_ctx_t* ctx, const char* key)
{
  const sched_config_t* sc = &ctx->run->cfg->scheduler;
  for (size_t i = 0; i < sc->param_count; i++)
    if (strcmp(sc->params[i].key, key) == 0)
      ctx->param_used[i] = true;
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

const char* sched_param(const sched_ctx_t* ctx, const char* key)
{
  const sched_param_t* p = find_param(ctx, key, NULL);
  return p ? p->value : NULL;
}

int sched_param_double(sched_ctx_t* ctx, const char* key, double def, double min, double max, double* out,
                       lucsim_err_t* err)
{
  const sched_param_t* p = find_param(ctx, key, NULL);
  mark_used(ctx, key);
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

int sched_param_enum(sched_ctx_t* ctx, const char* key, const char* const* choices, int def, int* out,
                     lucsim_err_t* err)
{
  const sched_param_t* p = find_param(ctx, key, NULL);
  mark_used(ctx, key);
  if (!p) {
    *out = def;
    return 0;
  }
  char expected[256] = "";
  for (int i = 0; choices[i]; i++) {
    if (strcmp(choices[i], p->value) == 0) {
      *out = i;
      return 0;
    }
    strncat(expected, i ? " | " : "", sizeof expected - strlen(expected) - 1);
    strncat(expected, choices[i], sizeof expected - strlen(expected) - 1);
  }
  char field[LUCSIM_NAME_MAX + 16];
  snprintf(field, sizeof field, "scheduler.%s", p->key);
  return lucsim_err_set(err, p->line > 0 ? ctx->run->cfg->source : NULL, p->line, field,
                        "'%s' is not a known value; expected %s", p->value, expected);
}

int sched_ctx_check_unused_params(const struct sched_ctx* ctx, lucsim_err_t* err)
{
  const sched_config_t* sc = &ctx->run->cfg->scheduler;
  for (size_t i = 0; i < sc->param_count; i++) {
    if (ctx->param_used[i])
      continue;
    const sched_param_t* p = &sc->params[i];
    char field[LUCSIM_NAME_MAX + 16];
    snprintf(field, sizeof field, "scheduler.%s", p->key);
    return lucsim_err_set(err, p->line > 0 ? ctx->run->cfg->source : NULL, p->line, field,
                          "scheduler '%s' has no parameter '%s'", sc->name, p->key);
  }
  return 0;
}

double sched_now(const sched_ctx_t* ctx)
{
  (void)ctx;
  return simgrid_get_clock();
}
double sched_end_time(const sched_ctx_t* ctx) { return ctx->run->cfg->duration_s; }
uint64_t sched_seed(const sched_ctx_t* ctx) { return ctx->run->cfg->seed; }
size_t sched_pm_count(const sched_ctx_t* ctx) { return plat_pm_count(ctx->run->plat); }
size_t sched_vm_count(const sched_ctx_t* ctx) { return cluster_vm_count(ctx->run->cluster); }
size_t sched_service_count(const sched_ctx_t* ctx) { return plat_service_count(ctx->run->plat); }
sg_host_t sched_pm_host(const sched_ctx_t* ctx, size_t pm) { return plat_pm_host(ctx->run->plat, pm); }
sg_host_t sched_service_host(const sched_ctx_t* ctx, size_t service)
{
  return plat_service_host(ctx->run->plat, service);
}
