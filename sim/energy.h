/* energy_t: energy of the PMs when the platform declares power (platform.power_idle/power_max):
 * P = P_idle + (P_max - P_idle) * u per online PM, u = CPU demand / all its cores (hypervisor's
 * included), capped at 1; a crashed PM draws nothing. Integrated as plain data at every change of
 * the PM's demand or state (the SimGrid energy plugin's linear model at no simulation cost,
 * docs/DESIGN.md §7). Service nodes are not counted. */
#ifndef LUCSIM_ENERGY_H
#define LUCSIM_ENERGY_H

#include "cluster.h"

typedef struct energy energy_t;

/* Registers as a cluster listener. core_capacity[pm]: load units of all the PM's cores (copied).
 * Returns NULL when power_max_W is 0 (no power declared). Owned by the caller: energy_destroy. */
energy_t* energy_create(cluster_t* cl, const double* core_capacity, double power_idle_W, double power_max_W);
void energy_destroy(energy_t* en); /* accepts NULL */

/* Joules consumed by all PMs from t = 0 to now (now >= the last cluster event). */
double energy_joules(const energy_t* en, double now);

#endif
