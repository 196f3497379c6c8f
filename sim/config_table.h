/* The experiment field table, shared by the files of the config module only: config.c (defaults,
 * --set, cross-field checks), config_value.c (values with units, text checks), config_path.c
 * (platform.file made absolute) and config_xml.c (reading and writing experiment files). One row per
 * field, so no field can be known to one path and not to the others.
 * Not a public interface: other modules include config.h. */
#ifndef LUCSIM_CONFIG_TABLE_H
#define LUCSIM_CONFIG_TABLE_H

#include "config.h"

#include <stdbool.h>
#include <stddef.h>

typedef enum {
  CONFIG__INT,   /* int, plain integer */
  CONFIG__U64,   /* uint64_t, plain non-negative integer */
  CONFIG__SIZE,  /* uint64_t bytes: 1GiB, 512MiB, 32GB, 4096 */
  CONFIG__TIME,  /* double seconds: 50us, 30ms, 3600s, 1h, 2.5 */
  CONFIG__RATE,  /* double bytes/s: 1Gbps, 125MBps, 1e8 */
  CONFIG__SPEED, /* double flop/s: 1Gf, 1e9 */
  CONFIG__REAL,  /* double, no unit */
  CONFIG__ENUM,  /* int-sized enum, one of names[] */
  CONFIG__BOOL,  /* bool: true | false */
  CONFIG__NAME,  /* char[size]: letter or digit, then letters, digits, '_', '-' (no '.': paths split on it) */
  CONFIG__TEXT   /* char[size]: any text (paths) */
} config__type_t;

#define CONFIG__NO_MAX 1e300 /* max of a numeric field without upper bound */
/* max of a size: 2^60 bytes (1 EiB), exact in a double, and sums of a few sizes fit in uint64_t */
#define CONFIG__SIZE_MAX 1152921504606846976.0

typedef struct config__field {
  const char* path;    /* dotted path; for class fields the field name after "vms.class.<name>." */
  const char* element; /* element under <experiment> holding it: "" (the root), "platform", "injector/load" */
  const char* attr;    /* its attribute */
  config__type_t type;
  size_t offset;            /* in config_t, or in vm_class_t for class fields */
  size_t size;              /* NAME, TEXT: size of the char array */
  double min, max;          /* numeric types: accepted range */
  bool min_open;            /* min itself is excluded */
  const char* const* names; /* ENUM: names indexed by value, NULL-terminated */
  const char* doc;          /* meaning, unit, default (workloads/README.md) */
  bool luc_only;            /* only for platform.kind=luc: refused with another kind, written only with luc */
  bool omit_zero;           /* written only when not 0 (its default), so older resolved files stay identical */
} config__field_t;

extern const config__field_t config__fields[];
extern const size_t config__field_count;
extern const config__field_t config__class_fields[];
extern const size_t config__class_field_count;

/* workloads/lucsim.rng, embedded at build time (workloads/schema.cmake). */
extern const char config_schema_rng[];
extern const size_t config_schema_rng_size;

/* True for the fields a SimGrid platform file decides (platform.pms, cores, links, the LUC fields...):
 * with platform.kind=file they are refused when set and not written. platform.ram is not one of
 * them: it is the RAM of the hosts without a ram property. */
bool config__decided_by_file(const config__field_t* f);

/* The platform-kind part of config_finish (config_luc.c): fields a platform file decides, LUC fields
 * with another kind, and for kind=luc the backbone file and the PMs of each site, which may set
 * platform.sites and platform.pms. Returns 0, or -1 with err filled. */
int config__check_platform_kind(config_t* cfg, lucsim_err_t* err);

/* Index of the scalar field at path (aliases: "scheduler" = "scheduler.name"), or -1. */
int config__find_field(const char* path);

/* Parses text into the field f of base (a config_t*, or a vm_class_t* for class fields), checking
 * type and range. On error fills err with file, line and shown_path (the path to print). */
int config__parse_value(const config__field_t* f, const char* text, void* base, const char* file, int line,
                        const char* shown_path, lucsim_err_t* err);

/* text as messages show it, in buf[size] (caller-owned): itself when it fits, else its first bytes
 * (whole characters), "..." and its length, so that what follows it in a message is not cut off.
 * Returns buf. */
const char* config__abbrev(const char* text, char* buf, size_t size);

/* Checks that text is valid UTF-8 made only of XML 1.0 characters (no U+0001..U+0008, U+FFFE...), so
 * that it can be written to the resolved experiment and read back. Returns 0, or -1 with err filled. */
int config__check_text(const char* text, const char* file, int line, const char* path, lucsim_err_t* err);

/* Formats field f of base so that config__parse_value gives back exactly the same value. */
void config__format_value(const config__field_t* f, const void* base, char* buf, size_t size);

/* The class a new <class> element starts from (1 vCPU, 1 GiB, working set 0.9...). */
void config__class_defaults(vm_class_t* cls);

/* Sets (or replaces) scheduler parameter key for every scheduler; line as in sched_param_t (from
 * --set, line <= 0, it also drops the key's scoped values). Returns 0 or -1 (err). */
int config__set_sched_param(config_t* cfg, const char* key, const char* value, const char* file, int line,
                            lucsim_err_t* err);
/* Checks the load trace fields together (sim/config_trace.c). Returns 0 or -1 with err. */
int config__check_load_trace(const config_t* cfg, lucsim_err_t* err);
int config__check_power(const config_t* cfg, lucsim_err_t* err); /* config_power.c */

/* The same for the scheduler named scope only ("" = every scheduler), as <param scheduler=>. */
int config__set_sched_param_for(config_t* cfg, const char* scope, const char* key, const char* value, const char* file,
                                int line, lucsim_err_t* err);

/* Makes the path value[size] (platform.file) absolute and normalised, in place: relative to the folder
 * of the experiment file `experiment`, or to the current folder when experiment is NULL (--set).
 * An empty value stays empty. Resolving an already resolved path gives it back unchanged. Returns 0,
 * or -1 with err filled (file, line, field) when the result does not fit. */
int config__resolve_path(char* value, size_t size, const char* experiment, const char* file, int line,
                         const char* field, lucsim_err_t* err);

/* Copies src into dst[size], zero-filling the rest (so resolved structs compare with memcmp).
 * Returns -1 when src does not fit. */
int config__copy(char* dst, size_t size, const char* src);

/* Element node (a libxml2 xmlNodePtr) has the attribute need[r][1] for every need[r][0] naming it:
 * returns 0, or -1 with err (the schema's message, with the element's line: libxml2 2.9 reports a
 * missing required attribute without one). */
struct _xmlNode;
int config__require_attrs(struct _xmlNode* node, const char* const (*need)[2], size_t count, const char* path,
                          lucsim_err_t* err);

/* The index of VM class `name` in cfg, or -1 with err (file, line, field: "no VM class 'x';
 * expected one of ..."). */
int config__class_index(const config_t* cfg, const char* name, const char* file, int line, const char* field,
                        lucsim_err_t* err);

/* The <ves> section (config_ves.c). Its template and tier attributes, as fields (offsets into
 * ve_template_t and ve_tier_t), for workloads/README.md's check. */
extern const config__field_t config__ves_fields[];
extern const size_t config__ves_field_count;
extern const config__field_t config__ve_template_fields[];
extern const size_t config__ve_template_field_count;
extern const config__field_t config__ve_tier_fields[];
extern const size_t config__ve_tier_field_count;
/* Reads <ves> (node, of file path) into cfg->ves. Returns 0, or -1 with err filled. */
int config__read_ves(config_t* cfg, struct _xmlNode* ves, const char* path, lucsim_err_t* err);
/* The attributes <ves> elements must have, checked before validation (libxml2 2.9 reports a missing
 * required attribute without a line). ves may be NULL. */
int config__ves_check_required(struct _xmlNode* ves, const char* path, lucsim_err_t* err);
/* Adds <ves> (when there are templates) after <vms> under root. Returns 0, or -1 with err filled. */
int config__write_ves(const config_t* cfg, struct _xmlNode* root, const char* path, lucsim_err_t* err);
/* --set and config_get of "ves.<field>", "ves.template.<name>.<field>" or
 * "ves.template.<name>.tier.<tier>.count". Return 0, or -1 (set: with err filled). */
int config__set_ves(config_t* cfg, const char* path, const char* value, lucsim_err_t* err);
int config__get_ves(const config_t* cfg, const char* path, char* buf, size_t size);
/* config_finish's part for VEs: tier classes exist (class_index resolved), constraint attributes fit
 * their kind, a spread fits the PMs. Returns 0, or -1 with err filled. */
int config__check_ves(config_t* cfg, lucsim_err_t* err);

/* The <constraints> section (config_infra.c): read, checked before validation, written after <ves>
 * (or <vms>), and config_finish's part (classes exist, windows start within the run). Same
 * conventions as the <ves> functions above. */
extern const config__field_t config__infra_fields[];
extern const size_t config__infra_field_count;
int config__read_infra(config_t* cfg, struct _xmlNode* node, const char* path, lucsim_err_t* err);
int config__infra_check_required(struct _xmlNode* node, const char* path, lucsim_err_t* err);
int config__write_infra(const config_t* cfg, struct _xmlNode* root, const char* path, lucsim_err_t* err);
int config__check_infra(config_t* cfg, lucsim_err_t* err);

#endif
