/* What the two libFuzzer harnesses share: a private temporary folder, libxml2 handlers that abort
 * when a message escapes lucsim's capture, and the checks of one outcome (a refusal must be one
 * clean line; an accepted experiment must survive the write-and-reload round trip, and --set of each
 * field's own value must change nothing). A failed check prints its reason and aborts: libFuzzer
 * saves the input as a crash. */
#ifndef LUCSIM_FUZZ_COMMON_H
#define LUCSIM_FUZZ_COMMON_H

#include "config.h"

/* Creates the temporary folder (once) and installs the aborting libxml2 handlers. Returns the folder
 * (static storage, valid for the whole process). */
const char* fuzz_setup(void);

/* Checks the outcome of one input: rc is the return of the last config call, cfg the configuration
 * (finished when rc == 0), err its error when rc != 0. Aborts on a finding. */
void fuzz_check_outcome(int rc, const config_t* cfg, const lucsim_err_t* err);

#endif
