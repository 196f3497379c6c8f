/* The <ves> part of experiment files (config.h, ves_params_t; docs/VES.md): templates of virtual
 * environments, their tiers and constraints. Read from and written to XML here, checked against
 * the VM classes by config__check_ves. Values go through the same typed fields as the rest of the
 * file (units, ranges, messages); which sites a fence names is checked once the platform is known
 * (sim/ves.c). */
#include "config.h"
#include "config_table.h"

#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char* const lifetime_names[] = {"exponential", "lognormal", NULL};
static const char* const queue_names[]    = {"fifo", "backfill", "priority", NULL};
static const char* const suspend_names[]  = {"off", "lower-priority", NULL};
/* Element names of the constraint kinds, indexed by ve_cstr_kind_t. */
static const char* const kind_names[] = {"spread", "gather", "latency", "root", "lonely", "fence", "ban", NULL};

#define T(path, type, member, lo, hi, open, names, doc)                                                                \
  {                                                                                                                    \
    path, "ves/template", path, type, offsetof(ve_template_t, member), sizeof(((ve_template_t*)0)->member), lo, hi,    \
        open, names, doc, false, false                                                                                 \
  }
#define R(path, type, member, lo, hi, doc)                                                                             \
  {                                                                                                                    \
    path, "ves/template/tier", path, type, offsetof(ve_tier_t, member), sizeof(((ve_tier_t*)0)->member), lo, hi, 0,    \
        NULL, doc, false, false                                                                                        \
  }

/* The attributes of <ves> itself. */
const config__field_t config__ves_fields[] = {
    {"ves.queue", "ves", "queue", CONFIG__ENUM, offsetof(config_t, ves.queue), sizeof(ve_queue_t), 0, 0, 0, queue_names,
     "order of the waiting VEs: fifo (arrival; the first that does not fit blocks the others), backfill (arrival; any "
     "that fits is admitted) or priority (template priority, then arrival; backfilling)",
     false, false},
    {"ves.suspend", "ves", "suspend", CONFIG__ENUM, offsetof(config_t, ves.suspend), sizeof(ve_suspend_t), 0, 0, 0,
     suspend_names,
     "VE context switches: off, or lower-priority (a waiting VE that does not fit suspends running VEs of lower "
     "template priority; needs queue=priority)",
     false, false},
    {"ves.disk_bandwidth", "ves", "disk_bandwidth", CONFIG__RATE, offsetof(config_t, ves.disk_bandwidth_Bps),
     sizeof(double), 0, CONFIG__NO_MAX, 1, NULL,
     "a suspended VE's memory is written to disk, and read back when it resumes, at this rate", false, false},
    {"ves.overload_suspend", "ves", "overload_suspend", CONFIG__TIME, offsetof(config_t, ves.overload_suspend_s),
     sizeof(double), 0, CONFIG__NO_MAX, 0, NULL,
     "VE context switches to repair overload: a PM overloaded for this long suspends the running VE with a VM on it "
     "of the lowest template priority (the latest admitted first); 0 = never",
     false, false},
};
const size_t config__ves_field_count = sizeof config__ves_fields / sizeof config__ves_fields[0];

const config__field_t config__ve_template_fields[] = {
    T("name", CONFIG__NAME, name, 0, 0, 0, NULL, "template name, unique"),
    T("initial", CONFIG__INT, initial, 0, 10000000, 0, NULL, "VEs of this template present at t = 0"),
    T("interarrival", CONFIG__TIME, interarrival_s, 0, CONFIG__NO_MAX, 0, NULL,
      "mean time between two arrivals (Poisson process); 0 = none arrive"),
    T("lifetime", CONFIG__TIME, lifetime_s, 0, CONFIG__NO_MAX, 0, NULL,
      "mean lifetime of a VE from its admission; 0 = it never leaves"),
    T("lifetime_distribution", CONFIG__ENUM, lifetime_dist, 0, 0, 0, lifetime_names, "exponential | lognormal"),
    T("lifetime_sigma", CONFIG__REAL, lifetime_sigma, 0, 10, 1, NULL,
      "lognormal lifetimes: sigma of the underlying normal (the mean stays lifetime)"),
    T("priority", CONFIG__INT, priority, -1000000, 1000000, 0, NULL, "ves.queue=priority: higher is admitted first"),
    T("arrivals", CONFIG__TEXT, arrivals, 0, 0, 0, NULL,
      "arrival times, e.g. \"90s, 2min, 3600\" (a trace), besides the Poisson arrivals of interarrival"),
    T("arrivals_file", CONFIG__TEXT, arrivals_file, 0, 0, 0, NULL,
      "a file of arrival times, one per line (the first field of a CSV line; # comments; a header line is "
      "skipped), besides the others; relative to the experiment file"),
};
const size_t config__ve_template_field_count = sizeof config__ve_template_fields / sizeof config__ve_template_fields[0];

const config__field_t config__ve_tier_fields[] = {
    R("name", CONFIG__NAME, name, 0, 0, "tier name, unique in its template"),
    R("class", CONFIG__NAME, klass, 0, 0, "the vms.class its VMs are drawn from"),
    R("count", CONFIG__INT, count, 1, 100000, "VMs of this tier in each VE"),
};
const size_t config__ve_tier_field_count = sizeof config__ve_tier_fields / sizeof config__ve_tier_fields[0];

const char* config_ve_constraint_name(ve_cstr_kind_t kind)
{
  return (unsigned)kind < VE_CSTR_KIND_COUNT ? kind_names[kind] : "?";
}

static void template_defaults(ve_template_t* t)
{
  memset(t, 0, sizeof *t);
  t->lifetime_sigma = 1.0;
}

/* Reads attribute f->attr of node into base when present. Returns 0, or -1 (err). */
static int read_attr(xmlNodePtr node, const config__field_t* f, void* base, const char* path, const char* shown,
                     lucsim_err_t* err)
{
  xmlChar* value = xmlGetNoNsProp(node, BAD_CAST f->attr);
  if (!value) return 0;
  int rc = config__parse_value(f, (const char*)value, base, path, (int)xmlGetLineNo(node), shown, err);
  xmlFree(value);
  return rc;
}

static int read_tier(ve_template_t* t, xmlNodePtr node, const char* path, lucsim_err_t* err)
{
  int line = (int)xmlGetLineNo(node);
  if (t->tier_count == LUCSIM_MAX_VE_TIERS)
    return lucsim_err_set(err, path, line, "ves.template.tier", "more than %d tiers in template '%s'",
                          LUCSIM_MAX_VE_TIERS, t->name);
  ve_tier_t tier = {.count = 1, .line = line};
  char shown[3 * LUCSIM_NAME_MAX];
  snprintf(shown, sizeof shown, "ves.template.%s.tier.name", t->name);
  if (read_attr(node, &config__ve_tier_fields[0], &tier, path, shown, err) != 0) return -1;
  for (size_t i = 1; i < config__ve_tier_field_count; i++) {
    snprintf(shown, sizeof shown, "ves.template.%s.tier.%s.%s", t->name, tier.name, config__ve_tier_fields[i].path);
    if (read_attr(node, &config__ve_tier_fields[i], &tier, path, shown, err) != 0) return -1;
  }
  for (size_t i = 0; i < t->tier_count; i++)
    if (strcmp(t->tiers[i].name, tier.name) == 0)
      return lucsim_err_set(err, path, line, "ves.template.tier.name", "tier name '%s' is used twice in template '%s'",
                            tier.name, t->name);
  t->tiers[t->tier_count++] = tier;
  return 0;
}

static int read_constraint(ve_template_t* t, xmlNodePtr node, const char* path, lucsim_err_t* err)
{
  int line    = (int)xmlGetLineNo(node);
  size_t kind = 0;
  while (kind_names[kind] && !xmlStrEqual(node->name, BAD_CAST kind_names[kind]))
    kind++;
  char field[3 * LUCSIM_NAME_MAX];
  snprintf(field, sizeof field, "ves.template.%s.%s", t->name, (const char*)node->name);
  if (!kind_names[kind]) return lucsim_err_set(err, path, line, field, "unknown element"); /* the schema says no */
  if (t->constraint_count == LUCSIM_MAX_VE_CONSTRAINTS)
    return lucsim_err_set(err, path, line, field, "more than %d constraints in template '%s'",
                          LUCSIM_MAX_VE_CONSTRAINTS, t->name);
  ve_constraint_t c = {.kind = (ve_cstr_kind_t)kind, .tier = -1, .line = line};
  xmlChar* tier     = xmlGetNoNsProp(node, BAD_CAST "tier");
  if (tier) {
    for (size_t i = 0; i < t->tier_count; i++)
      if (xmlStrEqual(tier, BAD_CAST t->tiers[i].name)) c.tier = (int)i;
    if (c.tier < 0) {
      char known[LUCSIM_MAX_VE_TIERS * (LUCSIM_NAME_MAX + 2)] = "";
      for (size_t i = 0; i < t->tier_count; i++)
        snprintf(known + strlen(known), sizeof known - strlen(known), "%s%s", i ? ", " : "", t->tiers[i].name);
      lucsim_err_set(err, path, line, field, "no tier '%.64s' in template '%s' (its tiers, declared before: %s)",
                     (const char*)tier, t->name, known[0] ? known : "none");
    }
    xmlFree(tier);
    if (c.tier < 0) return -1;
  }
  xmlChar* sites = xmlGetNoNsProp(node, BAD_CAST "sites");
  int rc         = 0;
  if (sites && config__copy(c.sites, sizeof c.sites, (const char*)sites) != 0)
    rc = lucsim_err_set(err, path, line, field, "sites list longer than %d characters", LUCSIM_VE_SITES_MAX - 1);
  xmlFree(sites);
  if (rc != 0) return -1;
  t->constraints[t->constraint_count++] = c;
  return 0;
}

static int read_template(config_t* cfg, xmlNodePtr node, const char* path, lucsim_err_t* err)
{
  int line = (int)xmlGetLineNo(node);
  if (cfg->ves.template_count == LUCSIM_MAX_VE_TEMPLATES)
    return lucsim_err_set(err, path, line, "ves.template", "more than %d templates", LUCSIM_MAX_VE_TEMPLATES);
  ve_template_t* t = &cfg->ves.templates[cfg->ves.template_count];
  template_defaults(t);
  t->line = line;
  if (read_attr(node, &config__ve_template_fields[0], t, path, "ves.template.name", err) != 0) return -1;
  for (size_t i = 0; i < cfg->ves.template_count; i++)
    if (strcmp(cfg->ves.templates[i].name, t->name) == 0)
      return lucsim_err_set(err, path, line, "ves.template.name", "template name '%s' is used twice", t->name);
  for (size_t i = 1; i < config__ve_template_field_count; i++) {
    char shown[2 * LUCSIM_NAME_MAX];
    snprintf(shown, sizeof shown, "ves.template.%s.%s", t->name, config__ve_template_fields[i].path);
    if (read_attr(node, &config__ve_template_fields[i], t, path, shown, err) != 0) return -1;
  }
  if (t->arrivals_file[0]) { /* relative to the experiment file */
    char shown[2 * LUCSIM_NAME_MAX];
    snprintf(shown, sizeof shown, "ves.template.%s.arrivals_file", t->name);
    if (config__resolve_path(t->arrivals_file, sizeof t->arrivals_file, path, path, line, shown, err) != 0) return -1;
  }
  for (xmlNodePtr c = node->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    int rc = xmlStrEqual(c->name, BAD_CAST "tier") ? read_tier(t, c, path, err) : read_constraint(t, c, path, err);
    if (rc != 0) return -1;
  }
  cfg->ves.template_count++;
  return 0;
}

int config__read_ves(config_t* cfg, xmlNodePtr ves, const char* path, lucsim_err_t* err)
{
  cfg->ves.line = (int)xmlGetLineNo(ves);
  for (size_t f = 0; f < config__ves_field_count; f++)
    if (read_attr(ves, &config__ves_fields[f], cfg, path, config__ves_fields[f].path, err) != 0) return -1;
  for (xmlNodePtr t = ves->children; t; t = t->next)
    if (t->type == XML_ELEMENT_NODE && read_template(cfg, t, path, err) != 0) return -1;
  return 0;
}

int config__ves_check_required(xmlNodePtr ves, const char* path, lucsim_err_t* err)
{
  static const char* const need[][2] = {
      {"template", "name"}, {"tier", "name"}, {"tier", "class"}, {"fence", "sites"}, {"ban", "sites"}};
  for (xmlNodePtr t = ves ? ves->children : NULL; t; t = t->next) {
    if (t->type != XML_ELEMENT_NODE) continue;
    for (xmlNodePtr c = t; c; c = c == t ? t->children : c->next)
      if (config__require_attrs(c, need, sizeof need / sizeof need[0], path, err) != 0) return -1;
  }
  return 0;
}

/* ---------------------------------------------------------------- writing */

static int add_field(xmlNodePtr node, const config__field_t* f, const void* base, const char* path, lucsim_err_t* err)
{
  char value[256];
  config__format_value(f, base, value, sizeof value);
  if (config__check_text(value, path, 0, f->path, err) != 0) return -1;
  return xmlNewProp(node, BAD_CAST f->attr, BAD_CAST value) ? 0
                                                            : lucsim_err_set(err, path, 0, f->path, "out of memory");
}

int config__write_ves(const config_t* cfg, xmlNodePtr root, const char* path, lucsim_err_t* err)
{
  if (cfg->ves.template_count == 0) return 0;
  xmlNodePtr ves = xmlNewNode(NULL, BAD_CAST "ves");
  /* <ves> goes right after <vms>, the schema's order */
  xmlNodePtr vms = root->children;
  while (vms && !(vms->type == XML_ELEMENT_NODE && xmlStrEqual(vms->name, BAD_CAST "vms")))
    vms = vms->next;
  if (!(vms ? xmlAddNextSibling(vms, ves) : xmlAddChild(root, ves)))
    return lucsim_err_set(err, path, 0, "ves", "out of memory");
  for (size_t f = 0; f < config__ves_field_count; f++)
    if (add_field(ves, &config__ves_fields[f], cfg, path, err) != 0) return -1;
  for (size_t i = 0; i < cfg->ves.template_count; i++) {
    const ve_template_t* t = &cfg->ves.templates[i];
    xmlNodePtr tn          = xmlNewChild(ves, NULL, BAD_CAST "template", NULL);
    for (size_t f = 0; f < config__ve_template_field_count; f++)
      if (add_field(tn, &config__ve_template_fields[f], t, path, err) != 0) return -1;
    for (size_t r = 0; r < t->tier_count; r++) {
      xmlNodePtr rn = xmlNewChild(tn, NULL, BAD_CAST "tier", NULL);
      for (size_t f = 0; f < config__ve_tier_field_count; f++)
        if (add_field(rn, &config__ve_tier_fields[f], &t->tiers[r], path, err) != 0) return -1;
    }
    for (size_t c = 0; c < t->constraint_count; c++) {
      const ve_constraint_t* k = &t->constraints[c];
      xmlNodePtr cn            = xmlNewChild(tn, NULL, BAD_CAST kind_names[k->kind], NULL);
      if (k->tier >= 0) xmlNewProp(cn, BAD_CAST "tier", BAD_CAST t->tiers[k->tier].name);
      if (k->kind == VE_CSTR_FENCE || k->kind == VE_CSTR_BAN) {
        if (config__check_text(k->sites, path, 0, "ves.template.sites", err) != 0) return -1;
        xmlNewProp(cn, BAD_CAST "sites", BAD_CAST k->sites);
      }
    }
  }
  return 0;
}

/* ---------------------------------------------------------------- checks */

int config__class_index(const config_t* cfg, const char* name, const char* file, int line, const char* field,
                        lucsim_err_t* err)
{
  for (size_t c = 0; c < cfg->vms.class_count; c++)
    if (strcmp(cfg->vms.classes[c].name, name) == 0) return (int)c;
  char known[LUCSIM_MAX_VM_CLASSES * (LUCSIM_NAME_MAX + 2)] = "";
  for (size_t c = 0; c < cfg->vms.class_count; c++)
    snprintf(known + strlen(known), sizeof known - strlen(known), "%s%s", c ? ", " : "", cfg->vms.classes[c].name);
  return lucsim_err_set(err, file, line, field, "no VM class '%s'; expected one of %s", name, known);
}

size_t config_ve_size(const ve_template_t* t)
{
  size_t n = 0;
  for (size_t i = 0; i < t->tier_count; i++)
    n += (size_t)t->tiers[i].count;
  return n;
}

size_t config_ve_group_size(const ve_template_t* t, const ve_constraint_t* c)
{
  return c->tier < 0 ? config_ve_size(t) : (size_t)t->tiers[c->tier].count;
}

int config__check_ves(config_t* cfg, lucsim_err_t* err)
{
  const char* src = cfg->source[0] ? cfg->source : "";
  for (size_t i = 0; i < cfg->ves.template_count; i++) {
    ve_template_t* t = &cfg->ves.templates[i];
    char field[3 * LUCSIM_NAME_MAX];
    if (t->tier_count == 0)
      return lucsim_err_set(err, src, t->line, "ves.template.tier", "template '%s' has no <tier>: a VE needs VMs",
                            t->name);
    for (size_t r = 0; r < t->tier_count; r++) {
      ve_tier_t* tier = &t->tiers[r];
      snprintf(field, sizeof field, "ves.template.%s.tier.%s.class", t->name, tier->name);
      tier->class_index = config__class_index(cfg, tier->klass, src, tier->line, field, err);
      if (tier->class_index < 0) return -1;
    }
    for (size_t k = 0; k < t->constraint_count; k++) {
      const ve_constraint_t* c = &t->constraints[k];
      snprintf(field, sizeof field, "ves.template.%s.%s", t->name, kind_names[c->kind]);
      bool listed = c->kind == VE_CSTR_FENCE || c->kind == VE_CSTR_BAN;
      if (listed && !c->sites[0]) return lucsim_err_set(err, src, c->line, field, "empty sites list");
      if (!listed && c->sites[0]) return lucsim_err_set(err, src, c->line, field, "sites is for fence and ban only");
      if (c->kind == VE_CSTR_SPREAD && cfg->platform.kind != PLAT_KIND_FILE &&
          config_ve_group_size(t, c) > (size_t)cfg->platform.pm_count)
        return lucsim_err_set(err, src, c->line, field, "spreads %zu VMs over %d PMs: at most one VM per PM",
                              config_ve_group_size(t, c), cfg->platform.pm_count);
    }
  }
  if (cfg->ves.suspend != VE_SUSPEND_OFF && cfg->ves.queue != VE_QUEUE_PRIORITY) {
    const char* file = cfg->source[0] ? cfg->source : "";
    return lucsim_err_set(err, file, cfg->ves.line, "ves.suspend",
                          "lower-priority needs ves.queue=priority (VEs suspend for VEs of a higher priority)");
  }
  return 0;
}

/* ---------------------------------------------------------------- paths (--set, config_get) */

/* The field at path: *base (cfg, a template or a tier) and *field. Returns 0, or -1 with err (NULL
 * allowed). */
static int find_ves_field(config_t* cfg, const char* path, void** base, const config__field_t** field,
                          lucsim_err_t* err)
{
  for (size_t f = 0; f < config__ves_field_count; f++)
    if (strcmp(path, config__ves_fields[f].path) == 0) {
      *base = cfg, *field = &config__ves_fields[f];
      return 0;
    }
  char tname[LUCSIM_NAME_MAX] = "", rest[3 * LUCSIM_NAME_MAX] = "";
  if (sscanf(path, "ves.template.%63[^.].%191s", tname, rest) != 2)
    return lucsim_err_set(err, "", 0, path,
                          "expected ves.queue, ves.template.<name>.<field> or "
                          "ves.template.<name>.tier.<tier>.count (workloads/README.md)");
  ve_template_t* t = NULL;
  for (size_t i = 0; i < cfg->ves.template_count; i++)
    if (strcmp(cfg->ves.templates[i].name, tname) == 0) t = &cfg->ves.templates[i];
  if (!t) return lucsim_err_set(err, "", 0, path, "no VE template '%s' in the experiment", tname);
  char rname[LUCSIM_NAME_MAX] = "", rfield[LUCSIM_NAME_MAX] = "";
  if (sscanf(rest, "tier.%63[^.].%63s", rname, rfield) == 2) {
    for (size_t r = 0; r < t->tier_count; r++)
      if (strcmp(t->tiers[r].name, rname) == 0) {
        *base = &t->tiers[r], *field = &config__ve_tier_fields[2]; /* count: names stay as in the file */
        if (strcmp(rfield, "count") == 0) return 0;
        return lucsim_err_set(err, "", 0, path, "only the count of a tier can be set");
      }
    return lucsim_err_set(err, "", 0, path, "no tier '%s' in template '%s'", rname, tname);
  }
  for (size_t f = 1; f < config__ve_template_field_count; f++) /* not its name */
    if (strcmp(config__ve_template_fields[f].path, rest) == 0) {
      *base = t, *field = &config__ve_template_fields[f];
      return 0;
    }
  return lucsim_err_set(err, "", 0, path, "no such template field (workloads/README.md)");
}

int config__set_ves(config_t* cfg, const char* path, const char* value, lucsim_err_t* err)
{
  void* base;
  const config__field_t* f;
  if (find_ves_field(cfg, path, &base, &f, err) != 0) return -1;
  if (config__parse_value(f, value, base, "", 0, path, err) != 0) return -1;
  /* a relative arrivals_file from the command line is relative to the current folder */
  if (strcmp(f->path, "arrivals_file") == 0 && ((ve_template_t*)base)->arrivals_file[0])
    return config__resolve_path(((ve_template_t*)base)->arrivals_file, LUCSIM_PATH_MAX, NULL, "", 0, path, err);
  return 0;
}

int config__get_ves(const config_t* cfg, const char* path, char* buf, size_t size)
{
  void* base;
  const config__field_t* f;
  if (find_ves_field((config_t*)cfg, path, &base, &f, NULL) != 0) return -1; /* only read through base */
  config__format_value(f, base, buf, size);
  return 0;
}
