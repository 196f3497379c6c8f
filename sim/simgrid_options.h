/* The user's SimGrid options (--cfg=, --log=) checked before the run: SimGrid refuses a bad one by
 * aborting with an exception and a dump; lucsim turns that into one line and exit code 2. */
#ifndef LUCSIM_SIMGRID_OPTIONS_H
#define LUCSIM_SIMGRID_OPTIONS_H

#include "error.h"

/* Initialises SimGrid with argv[0..argc) (argv[0] the program, then options) in a child process.
 * Returns 0 when SimGrid accepts them, or -1 with err naming the user's option (argv[first..argc))
 * it refused (field "--cfg" or "--log") and SimGrid's own reason. Call before simgrid_init. */
int simgrid_options_check(int argc, char** argv, int first, lucsim_err_t* err);

#endif
