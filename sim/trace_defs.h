/* The constant text of lucsim's Paje traces (docs/TRACE.md): event identifiers, the %EventDef
 * header and the type definitions with their aliases. Only trace.c prints them; nothing here
 * writes or decides anything. */
#ifndef LUCSIM_TRACE_DEFS_H
#define LUCSIM_TRACE_DEFS_H

/* Event identifiers of the %EventDef header (trace_defs_header). */
enum {
  EV_DEF_CONTAINER_TYPE = 0,
  EV_DEF_VARIABLE_TYPE  = 1,
  EV_DEF_STATE_TYPE     = 2,
  EV_DEF_LINK_TYPE      = 4,
  EV_DEF_ENTITY_VALUE   = 5,
  EV_CREATE_CONTAINER   = 6,
  EV_DESTROY_CONTAINER  = 7,
  EV_SET_VARIABLE       = 8,
  EV_SET_STATE          = 11,
  EV_PUSH_STATE         = 12,
  EV_POP_STATE          = 14,
  EV_START_LINK         = 16,
  EV_END_LINK           = 19
};

extern const char trace_defs_header[]; /* the %EventDef lines, first in every trace */
extern const char trace_defs_flat[];   /* container types: root > PM, root > SERVICE */
extern const char trace_defs_sites[];  /* container types: root > SITE > PM, SITE > SERVICE */
extern const char trace_defs_states[]; /* state types and their values (both modes) */
extern const char trace_defs_full[];   /* variable and link types (full mode only) */

#endif
