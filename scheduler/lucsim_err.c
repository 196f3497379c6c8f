/* One-line input error descriptions shared by every module and the schedulers (see lucsim_err.h). */
#include "lucsim_err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void lucsim_err_clear(lucsim_err_t* err)
{
  if (err) memset(err, 0, sizeof *err);
}

int lucsim_err_set(lucsim_err_t* err, const char* file, int line, const char* field, const char* fmt, ...)
{
  if (!err) return -1;
  snprintf(err->file, sizeof err->file, "%s", file ? file : "");
  err->line = line;
  snprintf(err->field, sizeof err->field, "%s", field ? field : "");
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->message, sizeof err->message, fmt, ap);
  va_end(ap);
  return -1;
}

void lucsim_err_format(const lucsim_err_t* err, char* buf, size_t size)
{
  size_t used = 0;
  buf[0]      = '\0';
  if (err->file[0] && err->line > 0)
    used += (size_t)snprintf(buf + used, size - used, "%s:%d: ", err->file, err->line);
  else if (err->file[0])
    used += (size_t)snprintf(buf + used, size - used, "%s: ", err->file);
  if (used < size && err->field[0]) used += (size_t)snprintf(buf + used, size - used, "%s: ", err->field);
  if (used < size) snprintf(buf + used, size - used, "%s", err->message);
}
