/* Cross-field checks of the load trace fields (injector.kind, injector.trace.*): a trace needs a
 * path; trace fields set with the Gaussian injector are refused, not silently ignored. The trace's
 * content is read and checked by the run (sim/load_trace_read.c), as validate does. */
#include "config_table.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

int config__check_load_trace(const config_t* cfg, lucsim_err_t* err)
{
  const char* file;
  int line;
  if (cfg->injector.kind == INJ_KIND_GAUSSIAN) {
    for (size_t i = 0; i < config__field_count; i++) {
      const char* path = config__fields[i].path;
      if (strncmp(path, "injector.trace.", 15) != 0 || cfg->origin_line[i] == 0) continue;
      config_locate(cfg, path, &file, &line);
      return lucsim_err_set(err, file, line, path, "is set but injector.kind is gaussian; expected kind=\"trace\"");
    }
    return 0;
  }
  config_locate(cfg, "injector.trace.path", &file, &line);
  if (!cfg->injector.trace_path[0]) {
    config_locate(cfg, "injector.kind", &file, &line);
    return lucsim_err_set(err, file, line, "injector.kind", "is trace but injector.trace.path is empty");
  }
  if (access(cfg->injector.trace_path, R_OK) != 0)
    return lucsim_err_set(err, file, line, "injector.trace.path", "cannot read '%s': %s", cfg->injector.trace_path,
                          strerror(errno));
  return 0;
}
