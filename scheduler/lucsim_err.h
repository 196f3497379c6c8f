/* lucsim_err_t: the one-line description of a bad input (file, line, field, message).
 * Functions that can reject user input fill one and return -1; main prints it and exits 2.
 * This is not for bugs (xbt_assert/assert) nor for outcomes such as "no solution".
 * Part of the scheduler API (a scheduler's init reports bad parameters with it), hence under
 * scheduler/; the engine uses it everywhere through sim/error.h, which adds the exit codes. */
#ifndef LUCSIM_ERR_H
#define LUCSIM_ERR_H

#include <stddef.h>

typedef struct lucsim_err {
  char file[512];    /* input file, or "" (command line, embedded defaults) */
  int line;          /* 1-based line in file, 0 when unknown or not a file */
  char field[128];   /* dotted path of the field, e.g. "injector.load.mean", or "" */
  char message[768]; /* what is wrong and what is expected, no trailing newline */
} lucsim_err_t;

/* Clears err (all strings empty, line 0). err may be NULL. */
void lucsim_err_clear(lucsim_err_t* err);

/* Fills err (may be NULL: then nothing happens) and returns -1 so callers can write
 * `return lucsim_err_set(err, ...);`. file and field may be NULL. */
int lucsim_err_set(lucsim_err_t* err, const char* file, int line, const char* field, const char* fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Formats err as one line "file:line: field: message" (missing parts left out) into buf. */
void lucsim_err_format(const lucsim_err_t* err, char* buf, size_t size);

#endif
