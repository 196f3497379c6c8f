/* lucsim_err_t: the one-line description of a bad input (file, line, field, message).
 * Functions that can reject user input fill one and return -1; main prints it and exits 2.
 * This is not for bugs (xbt_assert/CORE_ASSERT) nor for outcomes such as "no solution".
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

/* Formats err as one line "file:line: field: message" (missing parts left out) into buf (caller-owned,
 * size > 0). Always one line of valid UTF-8, whatever the parts hold: control characters (\n, \r, \t,
 * C1 controls, U+2028/U+2029) become spaces and bytes that are not UTF-8 are shown as \xNN. A line
 * that does not fit is cut at a character boundary. */
void lucsim_err_format(const lucsim_err_t* err, char* buf, size_t size);

/* Decodes the UTF-8 character at s, reading at most `avail` bytes (stops at a NUL byte). Returns its
 * code point and sets *len to its length, or returns -1 when s does not start with a valid UTF-8
 * character (RFC 3629: no overlong form, no surrogate, nothing above U+10FFFF). */
int lucsim_utf8_char(const char* s, size_t avail, int* len);

#endif
