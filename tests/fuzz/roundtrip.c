/* Write-and-reload check of resolved experiments and one-line check of errors (see roundtrip.h).
 * Used by the libFuzzer harnesses (where a false result aborts: a finding) and by the unit suites. */
#include "roundtrip.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void roundtrip_clear_provenance(config_t* c)
{
  memset(c->source, 0, sizeof c->source);
  memset(c->origin_line, 0, sizeof c->origin_line);
  for (size_t i = 0; i < LUCSIM_MAX_VM_CLASSES; i++)
    c->vms.classes[i].line = 0;
  for (size_t i = 0; i < LUCSIM_MAX_SCHED_PARAMS; i++)
    c->scheduler.params[i].line = 0;
  c->ves.line = 0;
  for (size_t i = 0; i < LUCSIM_MAX_VE_TEMPLATES; i++) {
    ve_template_t* t = &c->ves.templates[i];
    t->line          = 0;
    for (size_t r = 0; r < LUCSIM_MAX_VE_TIERS; r++)
      t->tiers[r].line = 0;
    for (size_t k = 0; k < LUCSIM_MAX_VE_CONSTRAINTS; k++)
      t->constraints[k].line = 0;
  }
  c->constraints.line = 0;
  for (size_t i = 0; i < LUCSIM_MAX_INFRA_CONSTRAINTS; i++)
    c->constraints.items[i].line = 0;
}

static bool same_path(const config_t* a, const config_t* b, const char* path, char* why, size_t size)
{
  char va[LUCSIM_PATH_MAX + 64], vb[LUCSIM_PATH_MAX + 64];
  int ra = config_get(a, path, va, sizeof va);
  int rb = config_get(b, path, vb, sizeof vb);
  if (ra == rb && (ra != 0 || strcmp(va, vb) == 0)) return true;
  snprintf(why, size, "%s: '%s' became '%s'", path, ra == 0 ? va : "(none)", rb == 0 ? vb : "(none)");
  return false;
}

bool roundtrip_same(const config_t* a, const config_t* b, char* why, size_t size)
{
  char path[LUCSIM_NAME_MAX + 64];
  for (size_t i = 0; i < config_field_count(); i++)
    if (!same_path(a, b, config_field_path(i), why, size)) return false;
  if (a->vms.class_count != b->vms.class_count) {
    snprintf(why, size, "%zu VM classes became %zu", a->vms.class_count, b->vms.class_count);
    return false;
  }
  for (size_t c = 0; c < a->vms.class_count; c++)
    for (size_t i = 0; i < config_class_field_count(); i++) {
      snprintf(path, sizeof path, "vms.class.%zu.%s", c, config_class_field_name(i));
      if (!same_path(a, b, path, why, size)) return false;
    }
  if (a->scheduler.param_count != b->scheduler.param_count) {
    snprintf(why, size, "%zu scheduler parameters became %zu", a->scheduler.param_count, b->scheduler.param_count);
    return false;
  }
  for (size_t p = 0; p < a->scheduler.param_count; p++) {
    const sched_param_t *pa = &a->scheduler.params[p], *pb = &b->scheduler.params[p];
    if (strcmp(pa->key, pb->key) != 0 || strcmp(pa->value, pb->value) != 0) {
      snprintf(why, size, "scheduler parameter %zu: %s='%s' became %s='%s'", p, pa->key, pa->value, pb->key, pb->value);
      return false;
    }
  }
  config_t* ca = malloc(sizeof *ca);
  config_t* cb = malloc(sizeof *cb);
  if (!ca || !cb) abort();
  memcpy(ca, a, sizeof *ca);
  memcpy(cb, b, sizeof *cb);
  roundtrip_clear_provenance(ca);
  roundtrip_clear_provenance(cb);
  size_t at = 0;
  while (at < sizeof *ca && ((unsigned char*)ca)[at] == ((unsigned char*)cb)[at])
    at++;
  free(ca);
  free(cb);
  if (at == sizeof *ca) return true;
  snprintf(why, size, "every field formats the same but the structs differ at byte %zu of %zu", at, sizeof *ca);
  return false;
}

/* Reads a whole file into a malloc'ed buffer (caller frees); NULL on error. */
static char* slurp(const char* path, size_t* len)
{
  FILE* f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 4096, n = 0;
  char* buf = malloc(cap);
  while (buf) {
    n += fread(buf + n, 1, cap - n, f);
    if (n < cap) break;
    char* bigger = realloc(buf, cap * 2);
    if (!bigger) free(buf);
    buf = bigger;
    cap *= 2;
  }
  fclose(f);
  *len = n;
  return buf;
}

static bool fail(char* why, size_t size, const char* what, const lucsim_err_t* err)
{
  char line[2048];
  lucsim_err_format(err, line, sizeof line);
  snprintf(why, size, "%s: %s", what, line);
  return false;
}

bool roundtrip_check(const config_t* cfg, const char* dir, char* why, size_t size)
{
  char first[LUCSIM_PATH_MAX], second[LUCSIM_PATH_MAX];
  snprintf(first, sizeof first, "%s/experiment.xml", dir);
  snprintf(second, sizeof second, "%s/experiment2.xml", dir);
  lucsim_err_t err;
  lucsim_err_clear(&err);
  config_t* back = malloc(sizeof *back);
  if (!back) abort();
  bool ok = false;
  if (config_write_xml(cfg, first, &err) != 0)
    fail(why, size, "the accepted configuration cannot be written", &err);
  else if ((config_init_defaults(back), config_load_file(back, first, &err)) != 0)
    fail(why, size, "the written experiment.xml is refused", &err);
  else if (config_finish(back, &err) != 0)
    fail(why, size, "the written experiment.xml fails config_finish", &err);
  else if (!roundtrip_same(cfg, back, why, size))
    ;
  else if (config_write_xml(back, second, &err) != 0)
    fail(why, size, "the reloaded configuration cannot be written", &err);
  else {
    size_t la = 0, lb = 0;
    char* a = slurp(first, &la);
    char* b = slurp(second, &lb);
    ok      = a && b && la == lb && memcmp(a, b, la) == 0;
    if (!ok) snprintf(why, size, "writing the reloaded configuration gives different bytes");
    free(a);
    free(b);
  }
  unlink(first);
  unlink(second);
  free(back);
  return ok;
}

/* Gives path its own formatted value through config_apply_set on copy. Returns false (why) on error. */
static bool set_back(config_t* copy, const char* path, char* why, size_t size)
{
  char value[LUCSIM_PATH_MAX + 64], assignment[LUCSIM_PATH_MAX + 192];
  lucsim_err_t err;
  lucsim_err_clear(&err);
  if (config_get(copy, path, value, sizeof value) != 0) {
    snprintf(why, size, "config_get(%s) fails", path);
    return false;
  }
  snprintf(assignment, sizeof assignment, "%s=%s", path, value);
  if (config_apply_set(copy, assignment, &err) == 0) return true;
  return fail(why, size, "a formatted value is refused by --set", &err);
}

bool roundtrip_set_identity(const config_t* cfg, char* why, size_t size)
{
  char path[LUCSIM_NAME_MAX + 64];
  config_t* copy = malloc(sizeof *copy);
  if (!copy) abort();
  memcpy(copy, cfg, sizeof *copy);
  bool ok = true;
  for (size_t i = 0; ok && i < config_field_count(); i++)
    ok = set_back(copy, config_field_path(i), why, size);
  for (size_t c = 0; ok && c < cfg->vms.class_count; c++)
    for (size_t i = 0; ok && i < config_class_field_count(); i++) {
      snprintf(path, sizeof path, "vms.class.%zu.%s", c, config_class_field_name(i));
      ok = set_back(copy, path, why, size);
    }
  for (size_t p = 0; ok && p < cfg->scheduler.param_count; p++) {
    const char* key = cfg->scheduler.params[p].key;
    if (strcmp(key, "name") == 0 || strcmp(key, "plugin") == 0) continue;
    bool scoped = false; /* --set sets a key for every scheduler: not an identity when one has its own */
    for (size_t q = 0; q < cfg->scheduler.param_count; q++)
      scoped = scoped || (cfg->scheduler.params[q].scheduler[0] && strcmp(cfg->scheduler.params[q].key, key) == 0);
    if (scoped) continue;
    snprintf(path, sizeof path, "scheduler.%s", key);
    ok = set_back(copy, path, why, size);
  }
  ok = ok && roundtrip_same(cfg, copy, why, size);
  free(copy);
  return ok;
}

/* Length of the UTF-8 character at s per Unicode's table of well-formed byte sequences (3-7), written
 * independently of lucsim_utf8_char so that each checks the other; -1 when ill-formed. Sets *cp. */
static int strict_utf8(const unsigned char* s, size_t avail, long* cp)
{
  unsigned char b = s[0], lo = 0x80, hi = 0xBF;
  int n;
  if (b < 0x80) {
    *cp = b;
    return 1;
  }
  if (b >= 0xC2 && b <= 0xDF)
    n = 2;
  else if (b >= 0xE0 && b <= 0xEF)
    n = 3, lo = b == 0xE0 ? 0xA0 : 0x80, hi = b == 0xED ? 0x9F : 0xBF;
  else if (b >= 0xF0 && b <= 0xF4)
    n = 4, lo = b == 0xF0 ? 0x90 : 0x80, hi = b == 0xF4 ? 0x8F : 0xBF;
  else
    return -1;
  if (avail < (size_t)n || s[1] < lo || s[1] > hi) return -1;
  *cp = b & (0x7F >> n);
  for (int i = 1; i < n; i++) {
    if (s[i] < 0x80 || s[i] > 0xBF) return -1;
    *cp = (*cp << 6) | (s[i] & 0x3F);
  }
  return n;
}

bool roundtrip_error_is_one_line(const lucsim_err_t* err, char* why, size_t size)
{
  char line[2048];
  lucsim_err_format(err, line, sizeof line);
  size_t len = strlen(line);
  if (len == 0) {
    snprintf(why, size, "empty error line");
    return false;
  }
  for (size_t i = 0; i < len;) {
    long c;
    int n = strict_utf8((const unsigned char*)line + i, len - i, &c), m;
    if (n < 0 || c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029) {
      snprintf(why, size, "byte %zu of the error line is 0x%02X (invalid UTF-8 or a control character)", i,
               (unsigned char)line[i]);
      return false;
    }
    if (lucsim_utf8_char(line + i, len - i, &m) != c || m != n) {
      snprintf(why, size, "lucsim_utf8_char disagrees with Unicode's table at byte %zu", i);
      return false;
    }
    i += (size_t)n;
  }
  return true;
}
