/* Cross-field checks of the power fields (platform.power_*, boot_*, shutdown_*) and the parser of
 * platform.power_curve, shared with the energy model (sim/energy.c). */
#include "config_table.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int config_power_curve_parse(const char* text, double* out, size_t cap, char* why, size_t why_size)
{
  size_t n       = 0;
  const char* at = text;
  for (;;) {
    char* end;
    errno    = 0;
    double w = strtod(at, &end);
    if (end == at || errno != 0 || !isfinite(w) || w < 0) {
      snprintf(why, why_size, "point %zu is '%.*s'; expected a power in W >= 0 (e.g. \"86,117\")", n + 1,
               (int)strcspn(at, ","), at);
      return -1;
    }
    if (n == cap) {
      snprintf(why, why_size, "more than %zu points", cap);
      return -1;
    }
    out[n++] = w;
    while (*end == ' ')
      end++;
    if (*end == '\0') break;
    if (*end != ',') {
      snprintf(why, why_size, "unexpected '%c' after point %zu; expected a comma-separated list of W", *end, n);
      return -1;
    }
    at = end + 1;
  }
  if (n < 2) {
    snprintf(why, why_size, "%zu point; expected at least 2 (idle and full load)", n);
    return -1;
  }
  return (int)n;
}

int config__check_power(const config_t* cfg, lucsim_err_t* err)
{
  const plat_params_t* p = &cfg->platform;
  const char* file;
  int line;
  if (p->power_curve[0]) {
    double curve[CONFIG_POWER_CURVE_MAX];
    char why[256];
    config_locate(cfg, "platform.power_curve", &file, &line);
    if (config_power_curve_parse(p->power_curve, curve, CONFIG_POWER_CURVE_MAX, why, sizeof why) < 0)
      return lucsim_err_set(err, file, line, "platform.power_curve", "%s", why);
    const char* both = p->power_max_W > 0 ? "platform.power_max" : "platform.power_idle";
    if (p->power_max_W > 0 || p->power_idle_W > 0) {
      config_locate(cfg, both, &file, &line);
      return lucsim_err_set(err, file, line, both,
                            "is not 0 with platform.power_curve set; give one power model, not both");
    }
    return 0;
  }
  if (p->power_max_W > 0) return 0;
  static const char* const needs_model[] = {"platform.power_off", "platform.boot_power", "platform.shutdown_power"};
  const double values[]                   = {p->power_off_W, p->boot_power_W, p->shutdown_power_W};
  for (size_t i = 0; i < sizeof needs_model / sizeof *needs_model; i++)
    if (values[i] > 0) {
      config_locate(cfg, needs_model[i], &file, &line);
      return lucsim_err_set(err, file, line, needs_model[i],
                            "is set but the platform declares no power; set platform.power_max (and power_idle) or "
                            "platform.power_curve");
    }
  return 0;
}
