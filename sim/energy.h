/* energy_t: energy of the PMs when the platform declares power (platform.power_* fields,
 * docs/ENERGY.md). A PM that is on draws the power curve at its utilisation u = CPU demand / all its
 * cores (hypervisor's included), capped at 1: linear from idle to full load (power_idle, power_max),
 * or piecewise linear through power_curve's points at equally spaced loads (SimGrid's
 * wattage_per_state and SPECpower tables alike). Booting, shutting down and off PMs draw their own
 * constant power; a crashed PM draws nothing. Integrated as plain data at every change of the PM's
 * demand or state (no simulation cost). Service nodes are not counted. */
#ifndef LUCSIM_ENERGY_H
#define LUCSIM_ENERGY_H

#include "cluster.h"
#include "platform.h"

typedef struct energy energy_t;

typedef struct energy_model {
  const double* curve_W; /* curve_points >= 2 powers at loads 0, 1/(n-1), ..., 1 (borrowed for create) */
  size_t curve_points;
  double off_W, boot_W, shutdown_W;
} energy_model_t;

/* The model of cfg's platform into m (curve into curve_buf, CONFIG_POWER_CURVE_MAX entries). Returns
 * false when the platform declares no power (no energy accounting). cfg was checked (config_check). */
bool energy_model_of(const config_t* cfg, double* curve_buf, energy_model_t* m);

/* The model of a PM class c (a platform file's host properties, platform.h) over the platform's
 * model base: each property replaces its field; a boot_power or shutdown_power of 0 (the
 * property's or the platform's) is the class's own full-load or idle power. c NULL: base. curve_buf:
 * CONFIG_POWER_CURVE_MAX entries, for the class's curve. */
void energy_model_of_class(const energy_model_t* base, const config_t* cfg, const plat_power_t* c, double* curve_buf,
                           energy_model_t* out);

/* Registers as a cluster listener. core_capacity[pm]: load units of all the PM's cores (copied);
 * models[class_of[pm]] the PM's model (models and their curves copied; class_of NULL: models[0]
 * for every PM). Returns NULL when out of memory. Owned by the caller: energy_destroy. */
energy_t* energy_create(cluster_t* cl, const double* core_capacity, const energy_model_t* models, size_t model_count,
                        const uint32_t* class_of);
void energy_destroy(energy_t* en); /* accepts NULL */

/* Power of a PM that is on, at utilisation u in [0, 1] (tests, documentation). */
double energy_curve_W(const energy_model_t* m, double u);

/* Joules consumed by all PMs from t = 0 to now (now >= the last cluster event). */
double energy_joules(const energy_t* en, double now);

#endif
