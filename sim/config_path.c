/* Path values of an experiment (platform.file): a relative value is made absolute, relative to the
 * experiment file's folder for a file value and to the current folder for --set, so the resolved
 * experiment.xml reads back to the same run from any folder. Existing paths go through realpath();
 * others are normalised by hand (".", "..", "//"). It does not check that the file can be read. */
#include "config_table.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Removes ".", "" and "name/.." components of the absolute path p, in place ("/" stays "/"). */
static void normalise(char* p)
{
  char* out  = p; /* p[0] == '/' */
  size_t len = 0;
  for (const char* at = p + 1; *at;) {
    const char* end = strchr(at, '/');
    size_t n        = end ? (size_t)(end - at) : strlen(at);
    if (n == 2 && at[0] == '.' && at[1] == '.') {
      while (len > 0 && out[--len] != '/')
        ;
    } else if (n > 0 && !(n == 1 && at[0] == '.')) {
      out[len++] = '/';
      memmove(out + len, at, n);
      len += n;
    }
    at += n + (end ? 1 : 0);
  }
  if (len == 0) out[len++] = '/';
  out[len] = '\0';
}

int config__resolve_path(char* value, size_t size, const char* experiment, const char* file, int line,
                         const char* field, lucsim_err_t* err)
{
  if (!value[0]) return 0;
  const char* slash  = experiment ? strrchr(experiment, '/') : NULL;
  size_t dir_len     = slash ? (size_t)(slash - experiment) : 0;
  char cwd[PATH_MAX] = "";
  if (value[0] != '/' && !(slash && experiment[0] == '/') && !getcwd(cwd, sizeof cwd))
    return lucsim_err_set(err, file, line, field, "cannot resolve '%s': the current folder is unknown (%s)", value,
                          strerror(errno));
  size_t cap   = strlen(cwd) + dir_len + strlen(value) + 4;
  char* joined = malloc(cap);
  if (!joined) return lucsim_err_set(err, file, line, field, "out of memory");
  if (value[0] == '/')
    snprintf(joined, cap, "%s", value);
  else if (slash && experiment[0] == '/')
    snprintf(joined, cap, "%.*s/%s", (int)dir_len, experiment, value);
  else if (slash)
    snprintf(joined, cap, "%s/%.*s/%s", cwd, (int)dir_len, experiment, value);
  else
    snprintf(joined, cap, "%s/%s", cwd, value);
  char* real = realpath(joined, NULL);
  if (!real) {
    normalise(joined);
    real = realpath(joined, NULL); /* "missing/../plat.xml" exists once normalised */
  }
  const char* resolved = real ? real : joined;
  int rc               = config__copy(value, size, resolved);
  if (rc != 0)
    rc = lucsim_err_set(err, file, line, field, "'%s' is too long once made absolute (%zu bytes); at most %zu",
                        resolved, strlen(resolved), size - 1);
  free(real);
  free(joined);
  return rc;
}
