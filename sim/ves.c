/* The VEs of a run (ves.h): drawn before the run, their constraints resolved against the platform,
 * queried by the scheduler API, written to ves.csv and summary.csv. Not the manager actor
 * (ves_manager.c) nor the constraint checks (ves_check.c). */
#include "ves_internal.h"

#include "rng.h"
#include "stats.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Lifetime of one VE: exponential, or lognormal of the same mean. 0: it never leaves. */
static double draw_lifetime(rng_t* rng, const ve_template_t* t)
{
  if (t->lifetime_s <= 0) return INFINITY;
  if (t->lifetime_dist == VE_LIFETIME_EXPONENTIAL) return rng_exponential(rng, t->lifetime_s);
  double s = t->lifetime_sigma;
  return exp(log(t->lifetime_s) - s * s / 2 + rng_normal(rng, 0, s));
}

/* Parses a sites list ("0,2,5-7,paris": indices, ranges, names) into in[sites]. Returns 0, or -1
 * with err naming the constraint's line. */
static int parse_sites(const char* text, const plat_t* plat, bool* in, const char* file, int line, const char* field,
                       lucsim_err_t* err)
{
  size_t sites = plat_site_count(plat);
  char buf[LUCSIM_VE_SITES_MAX];
  snprintf(buf, sizeof buf, "%s", text);
  for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
    while (isspace((unsigned char)*tok))
      tok++;
    size_t len = strlen(tok);
    while (len && isspace((unsigned char)tok[len - 1]))
      tok[--len] = '\0';
    unsigned long lo, hi;
    int used   = 0;
    bool range = sscanf(tok, "%lu-%lu%n", &lo, &hi, &used) == 2 && (size_t)used == len;
    bool index = !range && sscanf(tok, "%lu%n", &lo, &used) == 1 && (size_t)used == len;
    if (index) hi = lo;
    if (range || index) {
      if (lo > hi || hi >= sites)
        return lucsim_err_set(err, file, line, field, "site %s: the platform has sites 0 to %zu", tok, sites - 1);
      for (unsigned long s = lo; s <= hi; s++)
        in[s] = true;
      continue;
    }
    size_t s = 0;
    while (s < sites && !(plat_site_name(plat, s) && strcmp(plat_site_name(plat, s), tok) == 0))
      s++;
    if (s == sites)
      return lucsim_err_set(err, file, line, field, "'%s' is no site of the platform (sites: indices 0 to %zu%s)", tok,
                            sites - 1, plat_site_name(plat, 0) ? ", or their names" : "");
    in[s] = true;
  }
  return 0;
}

/* The constraints of template t as VM ranges, and the platform checks: a fence or ban names sites of
 * the platform and leaves a PM to go to, a spread has PMs enough where it may go. */
static int resolve_template(ves_t* ves, size_t ti, bool* masks, lucsim_err_t* err)
{
  const ve_template_t* t = &ves->cfg->ves.templates[ti];
  const char* file       = ves->cfg->source;
  size_t sites = plat_site_count(ves->plat), pms = plat_pm_count(ves->plat);
  uint32_t offset = 0;
  for (size_t r = 0; r < t->tier_count; r++) {
    ves->tier_offset[ti][r] = offset;
    offset += (uint32_t)t->tiers[r].count;
  }
  size_t* site_pms = calloc(sites, sizeof *site_pms);
  if (!site_pms) return lucsim_err_set(err, NULL, 0, NULL, "out of memory (VE sites)");
  for (size_t pm = 0; pm < pms; pm++)
    site_pms[plat_pm_site(ves->plat, pm)]++;
  size_t largest_site = 0;
  for (size_t s = 0; s < sites; s++)
    largest_site = site_pms[s] > largest_site ? site_pms[s] : largest_site;
  int rc = 0;
  for (size_t k = 0; k < t->constraint_count && rc == 0; k++) {
    const ve_constraint_t* c = &t->constraints[k];
    ves_cstr_t* out          = &ves->cstr[ti][k];
    out->kind                = c->kind;
    out->offset              = c->tier < 0 ? 0 : ves->tier_offset[ti][c->tier];
    out->count               = (uint32_t)config_ve_group_size(t, c);
    char field[3 * LUCSIM_NAME_MAX];
    snprintf(field, sizeof field, "ves.template.%s.%s", t->name, config_ve_constraint_name(c->kind));
    if (c->kind == VE_CSTR_FENCE || c->kind == VE_CSTR_BAN) {
      bool* in     = masks + k * sites;
      out->site_in = in;
      rc           = parse_sites(c->sites, ves->plat, in, file, c->line, field, err);
      size_t open  = 0;
      for (size_t s = 0; s < sites && rc == 0; s++)
        open += (in[s] == (c->kind == VE_CSTR_FENCE)) ? site_pms[s] : 0;
      if (rc == 0 && open == 0)
        rc = lucsim_err_set(err, file, c->line, field, "leaves no PM to go to (sites '%s' of %zu)", c->sites, sites);
    }
    if (rc == 0 && c->kind == VE_CSTR_SPREAD && out->count > pms)
      rc = lucsim_err_set(err, file, c->line, field, "spreads %u VMs over %zu PMs: at most one VM per PM", out->count,
                          pms);
    for (size_t j = 0; j < t->constraint_count && rc == 0; j++) /* a spread kept inside one site */
      if (c->kind == VE_CSTR_SPREAD && t->constraints[j].kind == VE_CSTR_LATENCY && out->count > largest_site &&
          (t->constraints[j].tier < 0 || t->constraints[j].tier == c->tier))
        rc = lucsim_err_set(err, file, c->line, field,
                            "spreads %u VMs, kept in one site by a latency constraint, but the largest site has %zu "
                            "PMs",
                            out->count, largest_site);
  }
  ves->cstr_count[ti] = t->constraint_count;
  for (size_t k = 0; k < t->constraint_count; k++)
    ves->has_lonely = ves->has_lonely || t->constraints[k].kind == VE_CSTR_LONELY;
  free(site_pms);
  return rc;
}

typedef struct arrival {
  double at_s;
  size_t tmpl, seq;
} arrival_t;

static int by_time(const void* a, const void* b)
{
  const arrival_t *x = a, *y = b;
  if (x->at_s != y->at_s) return x->at_s < y->at_s ? -1 : 1;
  if (x->tmpl != y->tmpl) return x->tmpl < y->tmpl ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Adds a[*n] = at (template ti), growing a. Returns a, or NULL (freed) when out of memory. */
static arrival_t* push_arrival(arrival_t* a, size_t* n, size_t* cap, double at, size_t ti)
{
  if (*n == *cap) {
    arrival_t* bigger = realloc(a, (*cap *= 2) * sizeof *a);
    if (!bigger) free(a);
    a = bigger;
  }
  if (a) a[*n] = (arrival_t){at, ti, *n}, (*n)++;
  return a;
}

/* Adds the listed arrival times of template ti (its arrivals attribute) before the end to a[*n].
 * Returns the array (grown), or NULL with err filled (a bad time: file, line, field) or out of memory. */
static arrival_t* listed_arrivals(const config_t* cfg, size_t ti, arrival_t* a, size_t* n, size_t* cap,
                                  lucsim_err_t* err)
{
  const ve_template_t* t = &cfg->ves.templates[ti];
  char buf[LUCSIM_VE_ARRIVALS_MAX], field[2 * LUCSIM_NAME_MAX];
  snprintf(buf, sizeof buf, "%s", t->arrivals);
  snprintf(field, sizeof field, "ves.template.%s.arrivals", t->name);
  for (char *save = NULL, *tok = strtok_r(buf, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
    double at;
    if (config_parse_time_in(tok, 0, 1e300, cfg->source, t->line, field, &at, err) != 0) {
      free(a);
      return NULL;
    }
    if (at >= cfg->duration_s) continue;
    a = push_arrival(a, n, cap, at, ti);
    if (!a) return lucsim_err_set(err, NULL, 0, NULL, "out of memory (VE arrivals)"), NULL;
  }
  return a;
}

/* Adds the arrival times of template ti's arrivals_file before the end: one per line, the first
 * comma-separated field; blank lines and # comments skipped, and a first line that is no time (a CSV
 * header). Returns the array, or NULL with err filled (file and line of a bad time) or out of memory. */
static arrival_t* file_arrivals(const config_t* cfg, size_t ti, arrival_t* a, size_t* n, size_t* cap, lucsim_err_t* err)
{
  const ve_template_t* t = &cfg->ves.templates[ti];
  char field[2 * LUCSIM_NAME_MAX];
  snprintf(field, sizeof field, "ves.template.%s.arrivals_file", t->name);
  FILE* f = fopen(t->arrivals_file, "r");
  if (!f) {
    free(a);
    return lucsim_err_set(err, cfg->source, t->line, field, "cannot read '%s': %s", t->arrivals_file, strerror(errno)),
           NULL;
  }
  char* line  = NULL;
  size_t size = 0;
  int rc      = 0;
  for (int no = 1; a && rc == 0 && getline(&line, &size, f) >= 0; no++) {
    char* tok                   = line + strspn(line, " \t");
    tok[strcspn(tok, ",#\r\n")] = '\0';
    for (char* e = tok + strlen(tok); e > tok && (e[-1] == ' ' || e[-1] == '\t');)
      *--e = '\0';
    double at;
    if (!*tok || (no == 1 && !(*tok >= '0' && *tok <= '9') && *tok != '.')) continue; /* blank, comment, header */
    rc = config_parse_time_in(tok, 0, 1e300, t->arrivals_file, no, field, &at, err);
    if (rc == 0 && at < cfg->duration_s) a = push_arrival(a, n, cap, at, ti);
  }
  free(line);
  fclose(f);
  if (rc != 0) {
    free(a);
    return NULL;
  }
  if (!a) return lucsim_err_set(err, NULL, 0, NULL, "out of memory (VE arrivals)"), NULL;
  return a;
}

/* The arrivals of every template up to the end, in time order: the initial ones, then those drawn
 * and those listed. Returns NULL with err filled on a bad listed time or out of memory. */
static arrival_t* draw_arrivals(const config_t* cfg, size_t* count, size_t* initial_count, lucsim_err_t* err)
{
  size_t n = 0, cap = 64;
  arrival_t* a = malloc(cap * sizeof *a);
  for (size_t ti = 0; a && ti < cfg->ves.template_count; ti++) {
    const ve_template_t* t = &cfg->ves.templates[ti];
    for (size_t i = 0; i < (size_t)t->initial; i++) {
      if (n == cap) a = realloc(a, (cap *= 2) * sizeof *a);
      if (a) a[n++] = (arrival_t){0, ti, i};
    }
  }
  size_t initial = n;
  for (size_t ti = 0; a && ti < cfg->ves.template_count; ti++) {
    const ve_template_t* t = &cfg->ves.templates[ti];
    if (t->arrivals[0] && !(a = listed_arrivals(cfg, ti, a, &n, &cap, err))) return NULL;
    if (t->arrivals_file[0] && !(a = file_arrivals(cfg, ti, a, &n, &cap, err))) return NULL;
    if (t->interarrival_s <= 0) continue;
    char name[LUCSIM_NAME_MAX + 16];
    snprintf(name, sizeof name, "ve.arrivals.%s", t->name);
    rng_t rng;
    rng_init_named(&rng, cfg->seed, name);
    for (double at = rng_exponential(&rng, t->interarrival_s); a && at < cfg->duration_s;
         at += rng_exponential(&rng, t->interarrival_s))
      a = push_arrival(a, &n, &cap, at, ti);
  }
  if (!a) return lucsim_err_set(err, NULL, 0, NULL, "out of memory (VE arrivals)"), NULL;
  qsort(a + initial, n - initial, sizeof *a, by_time);
  *count         = n;
  *initial_count = initial;
  return a;
}

ves_t* ves_create(const config_t* cfg, const plat_t* plat, size_t first_vm, lucsim_err_t* err)
{
  ves_t* ves = calloc(1, sizeof *ves);
  if (!ves) return lucsim_err_set(err, NULL, 0, NULL, "out of memory (VEs)"), NULL;
  ves->cfg      = cfg;
  ves->plat     = plat;
  ves->first_vm = first_vm;
  if (cfg->ves.template_count == 0) return ves;
  size_t sites    = plat_site_count(plat);
  ves->site_masks = calloc(cfg->ves.template_count * LUCSIM_MAX_VE_CONSTRAINTS * sites, sizeof(bool));
  if (!ves->site_masks) goto oom;
  for (size_t ti = 0; ti < cfg->ves.template_count; ti++)
    if (resolve_template(ves, ti, ves->site_masks + ti * LUCSIM_MAX_VE_CONSTRAINTS * sites, err) != 0) goto fail;
  size_t n;
  arrival_t* arrivals = draw_arrivals(cfg, &n, &ves->initial_count, err);
  if (!arrivals) goto fail;
  ves->ve = calloc(n ? n : 1, sizeof *ves->ve);
  if (!ves->ve) {
    free(arrivals);
    goto oom;
  }
  rng_t lifetimes[LUCSIM_MAX_VE_TEMPLATES];
  for (size_t ti = 0; ti < cfg->ves.template_count; ti++) {
    char name[LUCSIM_NAME_MAX + 16];
    snprintf(name, sizeof name, "ve.lifetimes.%s", cfg->ves.templates[ti].name);
    rng_init_named(&lifetimes[ti], cfg->seed, name);
  }
  size_t vms = 0;
  for (size_t i = 0; i < n; i++) {
    const ve_template_t* t = &cfg->ves.templates[arrivals[i].tmpl];
    ve_t* v                = &ves->ve[i];
    v->tmpl                = (uint16_t)arrivals[i].tmpl;
    v->first_vm            = (uint32_t)(first_vm + vms);
    v->vm_count            = (uint32_t)config_ve_size(t);
    v->arrival_s           = arrivals[i].at_s;
    v->lifetime_s          = draw_lifetime(&lifetimes[v->tmpl], t);
    v->remaining_s         = v->lifetime_s;
    v->admitted_s = v->departed_s = -1;
    vms += v->vm_count;
  }
  free(arrivals);
  ves->count = n;
  if (first_vm + vms > INT32_MAX / 2) {
    lucsim_err_set(err, cfg->source, cfg->ves.line, "ves", "%zu VMs in the VEs of the run: too many", vms);
    goto fail;
  }
  ves->vm_total = vms;
  ves->vm_ve    = malloc((vms ? vms : 1) * sizeof *ves->vm_ve);
  if (!ves->vm_ve) goto oom;
  for (size_t i = 0; i < n; i++)
    for (uint32_t k = 0; k < ves->ve[i].vm_count; k++)
      ves->vm_ve[ves->ve[i].first_vm - first_vm + k] = (uint32_t)i;
  return ves;
oom:
  lucsim_err_set(err, NULL, 0, NULL, "out of memory (VEs)");
fail:
  ves_destroy(ves);
  return NULL;
}

void ves_destroy(ves_t* ves)
{
  if (!ves) return;
  free(ves->ve);
  free(ves->vm_ve);
  free(ves->site_masks);
  free(ves->queue);
  free(ves->heap);
  free(ves->cand);
  free(ves->cand_free);
  free(ves->pm_scratch);
  free(ves->overloaded_since);
  free(ves->switches);
  core_result_free(&ves->result);
  free(ves);
}

void ves_set_infra(ves_t* ves, const infra_t* infra)
{
  ves->infra = infra;
}

size_t ves_vm_total(const ves_t* ves)
{
  return ves->vm_total;
}

size_t ves_count(const ves_t* ves)
{
  return ves->count;
}

size_t ves_vm_ve(const ves_t* ves, size_t vm)
{
  if (vm < ves->first_vm || vm >= ves->first_vm + ves->vm_total) return SIZE_MAX;
  return ves->vm_ve[vm - ves->first_vm];
}

ve_state_t ves_state(const ves_t* ves, size_t ve)
{
  return (ve_state_t)ves->ve[ve].state;
}

size_t ves_constraint_count(const ves_t* ves, size_t ve)
{
  return ves->cstr_count[ves->ve[ve].tmpl];
}

const ves_cstr_t* ves_constraint(const ves_t* ves, size_t ve, size_t i, size_t* first_vm)
{
  *first_vm = ves->ve[ve].first_vm;
  return &ves->cstr[ves->ve[ve].tmpl][i];
}

void ves_record_migration(ves_t* ves, size_t vm, bool ok)
{
  size_t id = ves_vm_ve(ves, vm);
  if (id != SIZE_MAX && ok) ves->ve[id].migrations++;
}

void ves_counts(const ves_t* ves, size_t* running, size_t* waiting, size_t* suspended)
{
  *running   = ves->running;
  *waiting   = ves->waiting;
  *suspended = ves->suspended;
}

size_t ves_admission_solves(const ves_t* ves, size_t* with_glpk)
{
  *with_glpk = ves->solves_glpk;
  return ves->solves;
}

/* An arrived VE's waiting time (to its admission, or to end_s while waiting) and time suspended
 * (the current suspension counted to end_s). */
/* v arrived before the end: it waits from its arrival time, even when the manager, busy with a
 * context switch or an admission's computing, has not queued it yet (then it counts as waiting). */
static bool arrived_by(const ve_t* v, double end_s)
{
  return v->state != VE_PENDING || v->arrival_s < end_s;
}

static double waited_s(const ve_t* v, double end_s)
{
  return (v->admitted_s >= 0 ? v->admitted_s : end_s) - v->arrival_s;
}

static double suspended_s(const ve_t* v, double end_s)
{
  return v->suspended_s + (v->state == VE_SUSPENDED ? end_s - v->suspended_since : 0);
}

int ves_write_csv(const ves_t* ves, FILE* f, double end_s)
{
  static const char* const states[] = {"pending", "waiting", "running", "departed", "suspended"};
  fprintf(f, "ve,template,vms,arrival_s,admitted_s,departure_s,waiting_s,suspended_s,suspensions,migrations,"
             "violation_s,state\n");
  for (size_t i = 0; i < ves->count; i++) {
    const ve_t* v = &ves->ve[i];
    if (!arrived_by(v, end_s)) continue;
    double viol = v->violation_s + (v->violated ? (end_s - v->violation_since) * __builtin_popcount(v->violated) : 0);
    fprintf(f, "%zu,", i);
    stats_csv_string(f, ves->cfg->ves.templates[v->tmpl].name);
    fprintf(f, ",%u,%.9f,", v->vm_count, v->arrival_s);
    if (v->admitted_s >= 0) fprintf(f, "%.9f", v->admitted_s);
    fputc(',', f);
    if (v->departed_s >= 0) fprintf(f, "%.9f", v->departed_s);
    fprintf(f, ",%.9f,%.9f,%u,%u,%.9f,%s\n", waited_s(v, end_s), suspended_s(v, end_s), v->suspensions, v->migrations,
            viol, states[v->state == VE_PENDING ? VE_WAITING : v->state]);
  }
  return ferror(f) ? -1 : 0;
}

const char* ves_summary_header(void)
{
  return ",ves,ves_admitted,ves_waiting_at_end,ve_wait_mean_s,ve_wait_max_s,ve_suspensions,ve_suspended_s,"
         "ve_admission_solves,"
         "ve_admission_glpk,spread_violation_s,gather_violation_s,latency_violation_s,root_violation_s,"
         "lonely_violation_s,fence_violation_s,ban_violation_s,ve_overload_suspensions";
}

void ves_write_summary(const ves_t* ves, FILE* f, double end_s)
{
  if (ves->cfg->ves.template_count == 0) {
    fputs(",,,,,,,,,,,,,,,,,", f);
    return;
  }
  size_t arrived = 0, admitted = 0, suspensions = 0, overload_suspensions = 0, unseen = 0;
  double wait_sum = 0, wait_max = 0, suspended = 0;
  for (size_t i = 0; i < ves->count; i++) {
    const ve_t* v = &ves->ve[i];
    if (!arrived_by(v, end_s)) continue;
    unseen += v->state == VE_PENDING;
    arrived++;
    admitted += v->admitted_s >= 0;
    double waited = waited_s(v, end_s);
    wait_sum += waited;
    wait_max = waited > wait_max ? waited : wait_max;
    suspensions += v->suspensions;
    overload_suspensions += v->overload_suspensions;
    suspended += suspended_s(v, end_s);
  }
  fprintf(f, ",%zu,%zu,%zu,%.9f,%.9f,%zu,%.9f,%zu,%zu", arrived, admitted, ves->waiting + unseen,
          arrived ? wait_sum / (double)arrived : 0, wait_max, suspensions, suspended, ves->solves, ves->solves_glpk);
  for (size_t k = 0; k < VE_CSTR_KIND_COUNT; k++)
    fprintf(f, ",%.9f", ves_violation_s(ves, (ve_cstr_kind_t)k, end_s));
  fprintf(f, ",%zu", overload_suspensions);
}

double ves_violation_s(const ves_t* ves, ve_cstr_kind_t kind, double now)
{
  return ves->violation_s[kind] + (double)ves->violated_now[kind] * (now - ves->violation_since);
}
