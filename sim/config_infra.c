/* The <constraints> part of experiment files (config.h, infra_params_t; docs/CONSTRAINTS.md):
 * infrastructure constraints on node sets (ban and fence of a VM class, maintenance windows,
 * max-online). Read from and written to XML here, with the same typed fields as the rest of the
 * file; config__check_infra checks what the file alone decides (classes, windows). The node sets
 * are resolved against the platform when the run starts (sim/nodeset.c). */
#include "config.h"
#include "config_table.h"

#include <libxml/tree.h>
#include <stdio.h>
#include <string.h>

/* Element names of the kinds, indexed by infra_kind_t. */
static const char* const kind_names[] = {"ban", "fence", "offline", "max_online", NULL};

#define F(attr, type, member, lo, hi, doc)                                                                             \
  {                                                                                                                    \
    attr, "constraints/*", attr, type, offsetof(infra_constraint_t, member), sizeof(((infra_constraint_t*)0)->member), \
        lo, hi, 0, NULL, doc, false, false                                                                             \
  }

/* The attributes of the constraint elements; which kind takes which: uses[]. */
const config__field_t config__infra_fields[] = {
    F("nodes", CONFIG__TEXT, nodes, 0, 0,
      "the node set: comma-separated site:NAME or site:INDEX, a name range such as s0-node-[4..7], or host names"),
    F("class", CONFIG__NAME, klass, 0, 0, "ban, fence: the vms.class whose VMs it applies to (default: every VM)"),
    F("at", CONFIG__TIME, at_s, 0, CONFIG__NO_MAX, "offline: when the maintenance window starts"),
    F("duration", CONFIG__TIME, duration_s, 0, CONFIG__NO_MAX, "offline: how long it lasts (> 0)"),
    F("count", CONFIG__INT, count, 0, 1000000000, "max_online: at most this many of the nodes host a VM"),
};
const size_t config__infra_field_count = sizeof config__infra_fields / sizeof config__infra_fields[0];

/* Bit f set: kind k takes attribute config__infra_fields[f]. */
static const unsigned uses[INFRA_KIND_COUNT] = {0x3, 0x3, 0x0d, 0x11};

const char* config_infra_kind_name(infra_kind_t kind)
{
  return (unsigned)kind < INFRA_KIND_COUNT ? kind_names[kind] : "?";
}

static int read_item(config_t* cfg, xmlNodePtr node, const char* path, lucsim_err_t* err)
{
  int line    = (int)xmlGetLineNo(node);
  size_t kind = 0;
  while (kind_names[kind] && !xmlStrEqual(node->name, BAD_CAST kind_names[kind]))
    kind++;
  char field[64 + LUCSIM_NAME_MAX];
  snprintf(field, sizeof field, "constraints.%.40s", (const char*)node->name);
  if (!kind_names[kind]) return lucsim_err_set(err, path, line, field, "unknown element"); /* the schema says no */
  if (cfg->constraints.count == LUCSIM_MAX_INFRA_CONSTRAINTS)
    return lucsim_err_set(err, path, line, field, "more than %d constraints", LUCSIM_MAX_INFRA_CONSTRAINTS);
  infra_constraint_t c = {.kind = (infra_kind_t)kind, .class_index = -1, .line = line};
  for (size_t f = 0; f < config__infra_field_count; f++) {
    const config__field_t* d = &config__infra_fields[f];
    xmlChar* value           = xmlGetNoNsProp(node, BAD_CAST d->attr);
    if (!value) continue;
    char shown[128];
    snprintf(shown, sizeof shown, "constraints.%s.%s", kind_names[kind], d->attr);
    int rc = (uses[kind] >> f) & 1
                 ? config__parse_value(d, (const char*)value, &c, path, line, shown, err)
                 : lucsim_err_set(err, path, line, shown, "not an attribute of <%s>", kind_names[kind]);
    xmlFree(value);
    if (rc != 0) return -1;
  }
  cfg->constraints.items[cfg->constraints.count++] = c;
  return 0;
}

int config__read_infra(config_t* cfg, xmlNodePtr node, const char* path, lucsim_err_t* err)
{
  cfg->constraints.line = (int)xmlGetLineNo(node);
  for (xmlNodePtr c = node->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE && read_item(cfg, c, path, err) != 0) return -1;
  return 0;
}

int config__infra_check_required(xmlNodePtr node, const char* path, lucsim_err_t* err)
{
  static const char* const need[][2] = {{"ban", "nodes"},       {"fence", "nodes"},      {"offline", "nodes"},
                                        {"offline", "at"},      {"offline", "duration"}, {"max_online", "nodes"},
                                        {"max_online", "count"}};
  for (xmlNodePtr c = node ? node->children : NULL; c; c = c->next)
    if (config__require_attrs(c, need, sizeof need / sizeof need[0], path, err) != 0) return -1;
  return 0;
}

int config__write_infra(const config_t* cfg, xmlNodePtr root, const char* path, lucsim_err_t* err)
{
  if (cfg->constraints.count == 0) return 0;
  xmlNodePtr node = xmlNewNode(NULL, BAD_CAST "constraints");
  /* after <ves>, else after <vms>: the schema's order */
  xmlNodePtr after = NULL;
  for (xmlNodePtr c = root->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE && (xmlStrEqual(c->name, BAD_CAST "ves") || xmlStrEqual(c->name, BAD_CAST "vms")))
      after = c;
  if (!node || !(after ? xmlAddNextSibling(after, node) : xmlAddChild(root, node)))
    return lucsim_err_set(err, path, 0, "constraints", "out of memory");
  for (size_t i = 0; i < cfg->constraints.count; i++) {
    const infra_constraint_t* c = &cfg->constraints.items[i];
    xmlNodePtr cn               = xmlNewChild(node, NULL, BAD_CAST kind_names[c->kind], NULL);
    if (!cn) return lucsim_err_set(err, path, 0, "constraints", "out of memory");
    for (size_t f = 0; f < config__infra_field_count; f++) {
      const config__field_t* d = &config__infra_fields[f];
      if (!((uses[c->kind] >> f) & 1) || (f == 1 && !c->klass[0])) continue; /* class: only when given */
      char value[LUCSIM_NODESET_MAX + 16];
      config__format_value(d, c, value, sizeof value);
      if (config__check_text(value, path, 0, d->path, err) != 0) return -1;
      if (!xmlNewProp(cn, BAD_CAST d->attr, BAD_CAST value))
        return lucsim_err_set(err, path, 0, "constraints", "out of memory");
    }
  }
  return 0;
}

int config__check_infra(config_t* cfg, lucsim_err_t* err)
{
  const char* src = cfg->source[0] ? cfg->source : "";
  for (size_t i = 0; i < cfg->constraints.count; i++) {
    infra_constraint_t* c = &cfg->constraints.items[i];
    char field[64];
    snprintf(field, sizeof field, "constraints.%s", kind_names[c->kind]);
    if (!c->nodes[0]) return lucsim_err_set(err, src, c->line, field, "empty node set (nodes)");
    c->class_index = c->klass[0] ? config__class_index(cfg, c->klass, src, c->line, field, err) : -1;
    if (c->klass[0] && c->class_index < 0) return -1;
    if (c->kind == INFRA_OFFLINE && c->duration_s <= 0)
      return lucsim_err_set(err, src, c->line, field, "duration must be > 0 (a maintenance window that lasts)");
    if (c->kind == INFRA_OFFLINE && c->at_s >= cfg->duration_s)
      return lucsim_err_set(err, src, c->line, field, "the window starts at %gs, after the run ends (duration %gs)",
                            c->at_s, cfg->duration_s);
  }
  return 0;
}
