/* The write-and-reload check of a resolved experiment, shared by the fuzz harnesses and the config
 * unit suites: config_write_xml, then config_load_file over fresh defaults and config_finish must
 * give back the same configuration, field by field and byte for byte. Also the one-line check of
 * an error. Links only the config module (no SimGrid, no CUnit). */
#ifndef LUCSIM_TESTS_ROUNDTRIP_H
#define LUCSIM_TESTS_ROUNDTRIP_H

#include "config.h"

#include <stdbool.h>
#include <stddef.h>

/* Sets aside what legitimately differs between two loads of one experiment: where values came from
 * (source file, lines of fields, classes and scheduler parameters). */
void roundtrip_clear_provenance(config_t* c);

/* Compares two resolved configurations: config_get on every field path, every class field and every
 * scheduler parameter, then the whole structs (memcmp) once provenance (source file, lines) is set
 * aside. Returns true when identical; otherwise false with the first difference described in why. */
bool roundtrip_same(const config_t* a, const config_t* b, char* why, size_t size);

/* Writes cfg (already through config_finish) to dir/experiment.xml, reloads it over the embedded
 * defaults, finishes it, compares it with cfg (roundtrip_same), writes it again to
 * dir/experiment2.xml and requires the same bytes. Returns true when all holds; otherwise false with
 * what failed in why. Both files are removed. */
bool roundtrip_check(const config_t* cfg, const char* dir, char* why, size_t size);

/* Gives every field of cfg back to itself through config_apply_set("PATH=" + config_get(PATH)), as
 * `--set` would with the values of summary.csv, on a copy: nothing may change or be refused.
 * Scheduler parameters named "name" or "plugin" (a file may hold them) are skipped: those paths
 * are the scheduler's own fields. Returns true when all holds; otherwise false with why. */
bool roundtrip_set_identity(const config_t* cfg, char* why, size_t size);

/* True when err formats (lucsim_err_format) as exactly one non-empty line of valid UTF-8 without
 * control characters; otherwise false with the reason in why. */
bool roundtrip_error_is_one_line(const lucsim_err_t* err, char* why, size_t size);

#endif
