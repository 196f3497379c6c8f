/* scheduler.* parameters of the experiment (config.h, sched_param_t): set from the file's <param>
 * elements or by --set scheduler.KEY=VALUE, each optionally scoped to one scheduler
 * (<param scheduler="snooze" .../>) so that one experiment file carries every scheduler's settings
 * and a sweep over schedulers runs it unchanged. Which value a scheduler reads: sched_param_pick. */
#include "config_table.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static bool valid_name(const char* s)
{
  bool ok = s[0] != '\0';
  for (const char* k = s; *k; k++)
    ok = ok && (isalnum((unsigned char)*k) || *k == '_' || *k == '-' || *k == '.');
  return ok;
}

int config__set_sched_param_for(config_t* cfg, const char* scope, const char* key, const char* value, const char* file,
                                int line, lucsim_err_t* err)
{
  char path[LUCSIM_NAME_MAX + 16];
  snprintf(path, sizeof path, "scheduler.%s", key);
  if (!valid_name(key))
    return lucsim_err_set(err, file, line, path,
                          "'%s' is not a valid parameter name; expected letters, digits, '_', '-' or '.'", key);
  if (scope[0] && !valid_name(scope))
    return lucsim_err_set(err, file, line, path, "'%s' is not a valid scheduler name in <param scheduler=>", scope);
  if (config__check_text(value, file, line, path, err) != 0) return -1;
  sched_config_t* s = &cfg->scheduler;
  size_t i          = 0; /* the same key and scope is replaced */
  while (i < s->param_count && (strcmp(s->params[i].key, key) != 0 || strcmp(s->params[i].scheduler, scope) != 0))
    i++;
  if (i == LUCSIM_MAX_SCHED_PARAMS)
    return lucsim_err_set(err, file, line, path, "too many scheduler parameters; at most %d", LUCSIM_MAX_SCHED_PARAMS);
  sched_param_t* p = &s->params[i];
  if (strlen(key) >= sizeof p->key)
    return lucsim_err_set(err, file, line, path, "parameter name too long; at most %zu characters", sizeof p->key - 1);
  if (strlen(scope) >= sizeof p->scheduler)
    return lucsim_err_set(err, file, line, path, "scheduler name too long; at most %zu characters",
                          sizeof p->scheduler - 1);
  if (strlen(value) >= sizeof p->value)
    return lucsim_err_set(err, file, line, path, "value too long (%zu bytes); at most %zu", strlen(value),
                          sizeof p->value - 1);
  config__copy(p->key, sizeof p->key, key);
  config__copy(p->scheduler, sizeof p->scheduler, scope);
  config__copy(p->value, sizeof p->value, value);
  p->line = line;
  if (i == s->param_count) s->param_count++;
  return 0;
}

int config__set_sched_param(config_t* cfg, const char* key, const char* value, const char* file, int line,
                            lucsim_err_t* err)
{
  if (line <= 0) { /* --set overrides the key for every scheduler: the file's scoped values go */
    sched_config_t* s = &cfg->scheduler;
    size_t kept       = 0;
    for (size_t i = 0; i < s->param_count; i++)
      if (strcmp(s->params[i].key, key) != 0 || !s->params[i].scheduler[0]) s->params[kept++] = s->params[i];
    s->param_count = kept;
  }
  return config__set_sched_param_for(cfg, "", key, value, file, line, err);
}

bool config_sched_param_applies(const sched_param_t* p, const char* scheduler)
{
  return !p->scheduler[0] || strcmp(p->scheduler, scheduler) == 0;
}

const sched_param_t* config_sched_param_pick(const config_t* cfg, const char* scheduler, const char* key, size_t* index)
{
  const sched_config_t* s   = &cfg->scheduler;
  const sched_param_t* best = NULL;
  int best_rank             = -1;
  for (size_t i = 0; i < s->param_count; i++) {
    const sched_param_t* p = &s->params[i];
    if (strcmp(p->key, key) != 0 || !config_sched_param_applies(p, scheduler)) continue;
    int rank = p->line <= 0 ? 2 : p->scheduler[0] ? 1 : 0; /* --set, then scoped, then for all; the last wins */
    if (rank >= best_rank) best = p, best_rank = rank, index ? (void)(*index = i) : (void)0;
  }
  return best;
}

const char* config_sched_param(const config_t* cfg, const char* key)
{
  const sched_param_t* p = config_sched_param_pick(cfg, cfg->scheduler.name, key, NULL);
  return p ? p->value : NULL;
}
