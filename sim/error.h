/* The exit codes of the lucsim process, and lucsim_err_t (scheduler/lucsim_err.h, owned by the
 * scheduler API) for the engine's modules: bad input fills a lucsim_err_t and exits 2. */
#ifndef LUCSIM_ERROR_H
#define LUCSIM_ERROR_H

#include "lucsim_err.h"

#define LUCSIM_EXIT_OK 0
#define LUCSIM_EXIT_INTERNAL 1
#define LUCSIM_EXIT_BAD_INPUT 2

#endif
