/* Node sets of experiment files (docs/CONSTRAINTS.md), Plasma's way: a comma-separated list of
 * site:NAME or site:INDEX (every PM of a site), name ranges such as s0-node-[4..7] (prefix, an
 * inclusive integer range, suffix), and host names. Resolved against the loaded platform's PMs. */
#ifndef LUCSIM_NODESET_H
#define LUCSIM_NODESET_H

#include "error.h"
#include "platform.h"

#include <stdbool.h>
#include <stddef.h>

/* Sets in[pm] (plat_pm_count entries, cleared first) for the PMs text names. Returns how many PMs the
 * set holds (a PM named twice counts once), or -1 with err naming file, line and field: an empty
 * item, an unknown site or host, a service node, a malformed or reversed range, or a range naming
 * a host that does not exist. */
long nodeset_resolve(const char* text, const plat_t* plat, bool* in, const char* file, int line, const char* field,
                     lucsim_err_t* err);

#endif
