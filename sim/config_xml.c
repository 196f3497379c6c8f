/* Experiment files: secure libxml2 parsing (no DTD, no entities, no network), RelaxNG validation
 * against the embedded workloads/lucsim.rng, reading the fields of the table into a config_t, and
 * writing a resolved config_t back as XML. The first libxml2 message (captured: config_xml_report.c,
 * nothing reaches stderr) becomes the one-line lucsim_err_t.
 * Value parsing and the cross-field checks are not here (config_value.c, config.c). */
#include "config.h"
#include "config_table.h"
#include "config_xml_report.h"

#include <ctype.h>
#include <errno.h>
#include <libxml/encoding.h>
#include <libxml/parser.h>
#include <libxml/SAX2.h>
#include <libxml/relaxng.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parser errors come with the parser context as data; the report hangs from it. */
static void on_parse_error(void* ctx, config__xml_error_t e)
{
  xmlParserCtxtPtr ctxt = ctx;
  config__xml_report_error(ctxt->_private, e);
}

/* A DOCTYPE (internal subset or external DTD) is refused before any declaration is read, which
 * rules out entity expansion (billion laughs) and external entities (XXE). */
static void on_doctype(void* ctx, const xmlChar* name, const xmlChar* external_id, const xmlChar* system_id)
{
  (void)name;
  (void)external_id;
  (void)system_id;
  xmlParserCtxtPtr ctxt   = ctx;
  config__xml_report_t* r = ctxt->_private;
  r->doctype_line         = xmlSAX2GetLineNumber(ctx);
  xmlStopParser(ctxt);
}

/* Reads the whole file. Returns a malloc'ed NUL-terminated buffer (caller frees) or NULL (err). */
static char* read_file(const char* path, size_t* len, lucsim_err_t* err)
{
  FILE* f = fopen(path, "rb");
  if (!f) {
    lucsim_err_set(err, path, 0, NULL, "cannot read the experiment file: %s", strerror(errno));
    return NULL;
  }
  size_t cap = 8192, n = 0;
  char* buf = malloc(cap);
  while (buf) {
    n += fread(buf + n, 1, cap - 1 - n, f);
    if (n < cap - 1) break;
    char* bigger = realloc(buf, cap * 2);
    if (!bigger) free(buf);
    buf = bigger;
    cap *= 2;
  }
  int failed = ferror(f);
  fclose(f);
  if (!buf || failed) {
    lucsim_err_set(err, path, 0, NULL, "cannot read the experiment file: %s", buf ? "I/O error" : "out of memory");
    free(buf);
    return NULL;
  }
  buf[n] = '\0';
  *len   = n;
  return buf;
}

/* Parses buf securely; returns the document (caller frees) or NULL with err filled. libxml2's
 * messages go to `report` (captured by the caller), the parser's own through the context. */
static xmlDocPtr parse_secure(const char* path, const char* buf, size_t len, config__xml_report_t* report,
                              lucsim_err_t* err)
{
  if (strspn(buf, " \t\r\n") == len) {
    lucsim_err_set(err, path, 0, NULL, "the file is empty; expected an <experiment> document");
    return NULL;
  }
  if (len > INT_MAX) {
    lucsim_err_set(err, path, 0, NULL, "the file is too large");
    return NULL;
  }
  xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
  if (!ctxt) {
    lucsim_err_set(err, path, 0, NULL, "out of memory");
    return NULL;
  }
  ctxt->_private            = report;
  ctxt->sax->serror         = on_parse_error;
  ctxt->sax->internalSubset = on_doctype;
  /* No XML_PARSE_NOENT, DTDLOAD, DTDATTR or XINCLUDE: nothing is expanded or loaded. */
  xmlDocPtr doc = xmlCtxtReadMemory(ctxt, buf, (int)len, path, NULL, XML_PARSE_NONET);
  xmlFreeParserCtxt(ctxt);
  if (report->doctype_line > 0) {
    xmlFreeDoc(doc);
    lucsim_err_set(err, path, report->doctype_line, NULL,
                   "DOCTYPE declarations are not allowed (no DTD, no entities in experiment files)");
    return NULL;
  }
  if (!doc || report->failed) {
    xmlFreeDoc(doc);
    /* UTF-16 or UTF-32 that libxml2 cannot recognise (no byte-order mark, no <?xml declaration)
     * reads as NUL characters, which libxml2 reports without naming the cause. */
    xmlCharEncoding seen = len >= 4 ? xmlDetectCharEncoding((const xmlChar*)buf, 4) : XML_CHAR_ENCODING_NONE;
    bool unrecognised    = memchr(buf, '\0', len) && (seen == XML_CHAR_ENCODING_NONE || seen == XML_CHAR_ENCODING_UTF8);
    lucsim_err_set(err, path, report->line, NULL, "malformed XML: %s%s",
                   report->failed ? report->message : "unknown parser error",
                   unrecognised ? " (the file holds NUL bytes: UTF-16 or UTF-32 without a byte-order mark or an "
                                  "<?xml encoding?> declaration? save it as UTF-8)"
                                : "");
    return NULL;
  }
  return doc;
}

/* Validates doc against the embedded schema. Returns 0, or -1 with err filled. */
static int validate(const char* path, xmlDocPtr doc, lucsim_err_t* err)
{
  config__xml_report_t schema_report = {0}, report = {0};
  xmlRelaxNGParserCtxtPtr pc = xmlRelaxNGNewMemParserCtxt(config_schema_rng, (int)config_schema_rng_size);
  if (!pc) return lucsim_err_set(err, path, 0, NULL, "internal error: cannot load the embedded schema");
  xmlRelaxNGSetParserStructuredErrors(pc, config__xml_report_error, &schema_report);
  xmlRelaxNGPtr schema = xmlRelaxNGParse(pc);
  xmlRelaxNGFreeParserCtxt(pc);
  if (!schema) return lucsim_err_set(err, path, 0, NULL, "internal error: embedded schema: %s", schema_report.message);
  xmlRelaxNGValidCtxtPtr vc = xmlRelaxNGNewValidCtxt(schema);
  int rc                    = -1;
  if (vc) {
    xmlRelaxNGSetValidStructuredErrors(vc, config__xml_report_error, &report);
    rc = xmlRelaxNGValidateDoc(vc, doc);
    xmlRelaxNGFreeValidCtxt(vc);
  }
  xmlRelaxNGFree(schema);
  if (rc == 0) return 0;
  return lucsim_err_set(err, path, report.line, NULL, "not a valid experiment (workloads/lucsim.rng): %s",
                        report.failed ? report.message : "validation failed");
}

/* The element at "a/b" under root (or root for ""), or NULL. */
static xmlNodePtr find_element(xmlNodePtr root, const char* element)
{
  xmlNodePtr at = root;
  while (at && *element) {
    const char* slash = strchr(element, '/');
    size_t len        = slash ? (size_t)(slash - element) : strlen(element);
    xmlNodePtr child  = at->children;
    while (child && !(child->type == XML_ELEMENT_NODE && strlen((const char*)child->name) == len &&
                      strncmp((const char*)child->name, element, len) == 0))
      child = child->next;
    at      = child;
    element = slash ? slash + 1 : element + len;
  }
  return at;
}

/* libxml2 2.9 reports a missing required attribute without a line: check those few first. */
static int check_required(xmlNodePtr root, const char* path, lucsim_err_t* err)
{
  static const char* const parents[] = {"vms", "scheduler"};
  static const char* const need[][2] = {{"class", "name"}, {"param", "name"}, {"param", "value"}};
  for (size_t p = 0; p < sizeof parents / sizeof parents[0]; p++) {
    xmlNodePtr parent = find_element(root, parents[p]);
    for (xmlNodePtr c = parent ? parent->children : NULL; c; c = c->next)
      if (config__require_attrs(c, need, sizeof need / sizeof need[0], path, err) != 0) return -1;
  }
  if (config__ves_check_required(find_element(root, "ves"), path, err) != 0) return -1;
  return config__infra_check_required(find_element(root, "constraints"), path, err);
}

/* Parses attribute f->attr of node into base when present. Returns 0, or -1 (err). */
static int read_attr(xmlNodePtr node, const config__field_t* f, void* base, const char* path, const char* shown,
                     int* line_out, lucsim_err_t* err)
{
  xmlChar* value = xmlGetNoNsProp(node, BAD_CAST f->attr);
  if (!value) return 0;
  int line = (int)xmlGetLineNo(node);
  int rc   = config__parse_value(f, (const char*)value, base, path, line, shown, err);
  xmlFree(value);
  if (rc == 0 && line_out) *line_out = line;
  return rc;
}

static int read_classes(config_t* cfg, xmlNodePtr vms, const char* path, lucsim_err_t* err)
{
  size_t n = 0;
  for (xmlNodePtr c = vms->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    int line = (int)xmlGetLineNo(c);
    if (n == LUCSIM_MAX_VM_CLASSES)
      return lucsim_err_set(err, path, line, "vms.class", "more than %d VM classes", LUCSIM_MAX_VM_CLASSES);
    vm_class_t cls;
    config__class_defaults(&cls);
    cls.line = line;
    if (read_attr(c, &config__class_fields[0], &cls, path, "vms.class.name", NULL, err) != 0) return -1;
    for (size_t i = 1; i < config__class_field_count; i++) {
      char shown[LUCSIM_NAME_MAX + 48];
      snprintf(shown, sizeof shown, "vms.class.%s.%s", cls.name, config__class_fields[i].path);
      if (read_attr(c, &config__class_fields[i], &cls, path, shown, NULL, err) != 0) return -1;
    }
    memcpy(&cfg->vms.classes[n++], &cls, sizeof cls);
  }
  if (n > 0) {
    memset(&cfg->vms.classes[n], 0, (LUCSIM_MAX_VM_CLASSES - n) * sizeof(vm_class_t));
    cfg->vms.class_count = n;
  }
  return 0;
}

static int read_params(config_t* cfg, xmlNodePtr sched, const char* path, lucsim_err_t* err)
{
  for (xmlNodePtr p = sched->children; p; p = p->next) {
    if (p->type != XML_ELEMENT_NODE) continue;
    xmlChar* key   = xmlGetNoNsProp(p, BAD_CAST "name");
    xmlChar* value = xmlGetNoNsProp(p, BAD_CAST "value");
    xmlChar* scope = xmlGetNoNsProp(p, BAD_CAST "scheduler");
    int rc = config__set_sched_param_for(cfg, scope ? (const char*)scope : "", (const char*)key, (const char*)value,
                                         path, (int)xmlGetLineNo(p), err);
    xmlFree(key);
    xmlFree(value);
    xmlFree(scope);
    if (rc != 0) return -1;
  }
  return 0;
}

/* Experiment name from the file name: stem, other characters than [A-Za-z0-9_-] made '_'. */
static void name_from_path(const char* path, char* name, size_t size)
{
  const char* base = strrchr(path, '/');
  base             = base ? base + 1 : path;
  size_t len       = strcspn(base, ".");
  if (len >= size) len = size - 1;
  memset(name, 0, size);
  for (size_t i = 0; i < len; i++)
    name[i] = (isalnum((unsigned char)base[i]) || base[i] == '-') ? base[i] : '_';
  if (!isalnum((unsigned char)name[0])) config__copy(name, size, "experiment");
}

static int read_fields(config_t* cfg, xmlNodePtr root, const char* path, lucsim_err_t* err)
{
  bool named = false;
  for (size_t i = 0; i < config__field_count; i++) {
    const config__field_t* f = &config__fields[i];
    xmlNodePtr node          = find_element(root, f->element);
    if (node && read_attr(node, f, cfg, path, f->path, &cfg->origin_line[i], err) != 0) return -1;
    named = named || (strcmp(f->path, "name") == 0 && cfg->origin_line[i] > 0);
  }
  xmlNodePtr vms = find_element(root, "vms");
  if (vms && read_classes(cfg, vms, path, err) != 0) return -1;
  xmlNodePtr ves = find_element(root, "ves");
  if (ves && config__read_ves(cfg, ves, path, err) != 0) return -1;
  xmlNodePtr infra = find_element(root, "constraints");
  if (infra && config__read_infra(cfg, infra, path, err) != 0) return -1;
  xmlNodePtr sched = find_element(root, "scheduler");
  if (sched && read_params(cfg, sched, path, err) != 0) return -1;
  if (!named) name_from_path(path, cfg->name, sizeof cfg->name);
  /* A relative platform.file, backbone_file, failure trace or load trace is relative to the experiment file. */
  static const char* const paths[] = {"platform.file", "platform.backbone_file", "injector.faults.trace",
                                      "injector.trace.path"};
  char* values[] = {cfg->platform.file, cfg->platform.backbone_file, cfg->injector.fault_trace, cfg->injector.trace_path};
  for (size_t i = 0; i < 4; i++) {
    int line = cfg->origin_line[config__find_field(paths[i])];
    if (line > 0 && config__resolve_path(values[i], LUCSIM_PATH_MAX, path, path, line, paths[i], err) != 0) return -1;
  }
  return 0;
}

int config_load_file(config_t* cfg, const char* path, lucsim_err_t* err)
{
  size_t len;
  char* buf = read_file(path, &len, err);
  if (!buf) return -1;
  config__xml_report_t report;
  config__xml_capture_begin(&report);
  xmlDocPtr doc = parse_secure(path, buf, len, &report, err);
  free(buf);
  int rc = doc ? check_required(xmlDocGetRootElement(doc), path, err) : -1;
  if (rc == 0) rc = validate(path, doc, err);
  /* Anything libxml2 reported outside the parser's and the validator's own handlers is an error too. */
  if (rc == 0 && report.failed) rc = lucsim_err_set(err, path, report.line, NULL, "malformed XML: %s", report.message);
  config__xml_capture_end(&report);
  if (rc == 0 && config__copy(cfg->source, sizeof cfg->source, path) != 0)
    rc = lucsim_err_set(err, path, 0, NULL, "file name too long");
  if (rc == 0) rc = read_fields(cfg, xmlDocGetRootElement(doc), path, err);
  xmlFreeDoc(doc);
  return rc;
}

/* ---------------------------------------------------------------- writing */

static xmlNodePtr element_for(xmlNodePtr root, const char* element)
{
  xmlNodePtr at = root;
  while (*element) {
    const char* slash = strchr(element, '/');
    char name[32];
    snprintf(name, sizeof name, "%.*s", (int)(slash ? (size_t)(slash - element) : strlen(element)), element);
    xmlNodePtr child = find_element(at, name);
    at               = child ? child : xmlNewChild(at, NULL, BAD_CAST name, NULL);
    element          = slash ? slash + 1 : element + strlen(name);
  }
  return at;
}

/* Adds attribute name=value to node, refusing values that an XML file cannot hold. */
static int add_attr(xmlNodePtr node, const char* name, const char* value, const char* path, const char* field,
                    lucsim_err_t* err)
{
  if (config__check_text(value, path, 0, field, err) != 0) return -1;
  return xmlNewProp(node, BAD_CAST name, BAD_CAST value) ? 0 : lucsim_err_set(err, path, 0, field, "out of memory");
}

/* True when field f of base (a config_t, or a vm_class_t for class fields) holds 0: all its bytes zero. */
static bool is_zero(const config__field_t* f, const void* base)
{
  const unsigned char* p = (const unsigned char*)base + f->offset;
  for (size_t i = 0; i < f->size; i++)
    if (p[i]) return false;
  return true;
}

/* Builds the resolved experiment's tree into doc. Returns 0, or -1 with err filled. */
static int build_tree(const config_t* cfg, xmlDocPtr doc, const char* path, lucsim_err_t* err)
{
  char value[LUCSIM_SITE_PMS_MAX + 8], field[LUCSIM_NAME_MAX + 48];
  xmlNodePtr root = xmlNewNode(NULL, BAD_CAST "experiment");
  xmlDocSetRootElement(doc, root);
  xmlAddPrevSibling(root, xmlNewDocComment(doc, BAD_CAST
                                           " lucsim " LUCSIM_VERSION
                                           " resolved experiment: defaults, then the file, then the set overrides. "));
  for (size_t i = 0; i < config__field_count; i++) {
    const config__field_t* f = &config__fields[i];
    if (f->luc_only && cfg->platform.kind != PLAT_KIND_LUC) continue; /* results of other kinds stay as they were */
    if (cfg->platform.kind == PLAT_KIND_FILE && config__decided_by_file(f)) continue; /* refused when read back */
    if (f->omit_zero && is_zero(f, cfg)) continue;
    config__format_value(f, cfg, value, sizeof value);
    if (f->luc_only && f->type == CONFIG__TEXT && !value[0]) continue; /* unused: luc results stay as they were */
    if (cfg->platform.topology == PLAT_TOPO_FILE && strcmp(f->path, "platform.wan_latency") == 0)
      continue; /* the backbone file's: refused when set */
    if (cfg->platform.site_sizes == PLAT_SITE_SIZES_EVEN && strncmp(f->path, "platform.site_size", 18) == 0)
      continue; /* even sizes: no draw, results stay as they were (the spread is refused when set) */
    if (add_attr(element_for(root, f->element), f->attr, value, path, f->path, err) != 0) return -1;
  }
  xmlNodePtr vms = element_for(root, "vms");
  for (size_t c = 0; c < cfg->vms.class_count; c++) {
    xmlNodePtr node = xmlNewChild(vms, NULL, BAD_CAST "class", NULL);
    for (size_t i = 0; i < config__class_field_count; i++) {
      if (config__class_fields[i].omit_zero && is_zero(&config__class_fields[i], &cfg->vms.classes[c])) continue;
      snprintf(field, sizeof field, "vms.class.%zu.%s", c, config__class_fields[i].path);
      config__format_value(&config__class_fields[i], &cfg->vms.classes[c], value, sizeof value);
      if (add_attr(node, config__class_fields[i].attr, value, path, field, err) != 0) return -1;
    }
  }
  xmlNodePtr sched = element_for(root, "scheduler");
  for (size_t p = 0; p < cfg->scheduler.param_count; p++) {
    const sched_param_t* param = &cfg->scheduler.params[p];
    xmlNodePtr node            = xmlNewChild(sched, NULL, BAD_CAST "param", NULL);
    snprintf(field, sizeof field, "scheduler.%s", param->key);
    if (add_attr(node, "name", param->key, path, field, err) != 0) return -1;
    if (add_attr(node, "value", param->value, path, field, err) != 0) return -1;
    if (param->scheduler[0] && add_attr(node, "scheduler", param->scheduler, path, field, err) != 0) return -1;
  }
  if (config__write_ves(cfg, root, path, err) != 0) return -1;
  return config__write_infra(cfg, root, path, err);
}

int config_write_xml(const config_t* cfg, const char* path, lucsim_err_t* err)
{
  config__xml_report_t report;
  config__xml_capture_begin(&report);
  xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
  xmlChar* text = NULL;
  int len       = 0;
  int rc        = build_tree(cfg, doc, path, err);
  if (rc == 0) xmlDocDumpFormatMemoryEnc(doc, &text, &len, "UTF-8", 1);
  xmlFreeDoc(doc);
  config__xml_capture_end(&report);
  if (rc == 0 && (!text || report.failed))
    rc = lucsim_err_set(err, path, 0, NULL, "cannot serialize the resolved experiment: %s",
                        report.failed ? report.message : "out of memory");
  FILE* out = rc == 0 ? fopen(path, "wb") : NULL;
  if (rc == 0 && (!out || fwrite(text, 1, (size_t)len, out) != (size_t)len))
    rc = lucsim_err_set(err, path, 0, NULL, "cannot write the resolved experiment: %s", strerror(errno));
  if (out && fclose(out) != 0 && rc == 0)
    rc = lucsim_err_set(err, path, 0, NULL, "cannot write the resolved experiment: %s", strerror(errno));
  xmlFree(text);
  return rc;
}
