/* PM classes of power in a platform file (docs/ENERGY.md, "PM classes"): the host properties
 * power_curve, power_off, boot_time, boot_power, shutdown_time and shutdown_power override the
 * experiment's platform.* values for that host. PMs with the same properties share one class. */
#include "platform_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <simgrid/host.h>

static const char* const props[PLAT_POWER_FIELDS] = {"power_curve", "power_off",     "boot_time",
                                                     "boot_power",  "shutdown_time", "shutdown_power"};

/* Parses one host's properties into c (absent: NAN, curve_points 0). Returns 0, or -1 with err. */
static int parse_class(sg_host_t h, const char* const* text, const char* path, plat_power_t* c, lucsim_err_t* err)
{
  memset(c, 0, sizeof *c);
  for (size_t f = 0; f < PLAT_POWER_FIELDS; f++)
    c->value[f] = NAN;
  const char* name = sg_host_get_name(h);
  for (size_t f = 0; f < PLAT_POWER_FIELDS; f++) {
    if (!text[f]) continue;
    int line = plat__host_line(path, name, props[f]);
    if (f == PLAT_POWER_CURVE) {
      char why[256];
      int n = config_power_curve_parse(text[f], c->curve_W, CONFIG_POWER_CURVE_MAX, why, sizeof why);
      if (n < 2)
        return lucsim_err_set(err, path, line, "platform.file", "host '%s': property power_curve: %s", name, why);
      c->curve_points = (size_t)n;
    } else if (f == PLAT_BOOT_TIME || f == PLAT_SHUTDOWN_TIME) {
      lucsim_err_t why;
      lucsim_err_clear(&why);
      if (config_parse_time_in(text[f], 0, 1e7, path, line, props[f], &c->value[f], &why) != 0)
        return lucsim_err_set(err, path, line, "platform.file", "host '%s': property %s: %s", name, props[f],
                              why.message);
    } else {
      char* end;
      double w = strtod(text[f], &end);
      if (end == text[f] || *end || !(w >= 0) || !isfinite(w))
        return lucsim_err_set(err, path, line, "platform.file", "host '%s': property %s: '%s' is not a power in W >= 0",
                              name, props[f], text[f]);
      c->value[f] = w;
    }
  }
  return 0;
}

int plat__power_classes(plat_t* plat, const plat_params_t* p, const char* path, lucsim_err_t* err)
{
  bool has_model                         = p->power_curve[0] || p->power_max_W > 0;
  plat->power_class                      = calloc(plat->pm_count ? plat->pm_count : 1, sizeof *plat->power_class);
  const char*(*texts)[PLAT_POWER_FIELDS] = calloc(plat->pm_count + 1, sizeof *texts); /* per class */
  if (!plat->power_class || !texts) {
    free(texts);
    return lucsim_err_set(err, NULL, 0, NULL, "out of memory");
  }
  plat->power_class_count = 1; /* class 0: no property, the experiment's values */
  for (size_t pm = 0; pm < plat->pm_count; pm++) {
    const char* text[PLAT_POWER_FIELDS];
    bool any = false;
    for (size_t f = 0; f < PLAT_POWER_FIELDS; f++)
      any |= (text[f] = sg_host_get_property_value(plat->pms[pm], props[f])) != NULL;
    if (!any) continue;
    if (!has_model) {
      free(texts);
      return lucsim_err_set(err, path, plat__host_line(path, sg_host_get_name(plat->pms[pm]), NULL), "platform.file",
                            "host '%s' has power properties but the experiment declares no power model: set "
                            "platform.power_curve (or power_idle and power_max), the default of the other hosts",
                            sg_host_get_name(plat->pms[pm]));
    }
    size_t k = 1;
    for (; k < plat->power_class_count; k++) { /* few classes: a linear search */
      bool same = true;
      for (size_t f = 0; f < PLAT_POWER_FIELDS && same; f++)
        same = (!text[f] && !texts[k][f]) || (text[f] && texts[k][f] && strcmp(text[f], texts[k][f]) == 0);
      if (same) break;
    }
    if (k == plat->power_class_count) {
      plat->power_classes = realloc(plat->power_classes, (k + 1) * sizeof *plat->power_classes);
      if (!plat->power_classes) {
        free(texts);
        return lucsim_err_set(err, NULL, 0, NULL, "out of memory");
      }
      if (parse_class(plat->pms[pm], text, path, &plat->power_classes[k], err) != 0) {
        free(texts);
        return -1;
      }
      memcpy(texts[k], text, sizeof text);
      plat->power_class_count++;
    }
    plat->power_class[pm] = (uint32_t)k;
  }
  free(texts);
  return 0;
}

size_t plat_power_class_count(const plat_t* plat)
{
  return plat->power_class_count ? plat->power_class_count : 1;
}

size_t plat_pm_power_class(const plat_t* plat, size_t pm)
{
  return plat->power_class ? plat->power_class[pm] : 0;
}

const plat_power_t* plat_power_class(const plat_t* plat, size_t k)
{
  return k > 0 && k < plat->power_class_count ? &plat->power_classes[k] : NULL;
}
