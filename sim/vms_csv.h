/* vms.csv: one row per VM as placed at t = 0 (its class, size and initial PM), so that the other
 * per-VM files (migrations.csv, restarts.csv) join to classes. docs/METRICS.md. */
#ifndef LUCSIM_VMS_CSV_H
#define LUCSIM_VMS_CSV_H

#include "cluster.h"
#include "config.h"
#include "platform.h"
#include "ves.h"

#include <stdio.h>

/* Writes the header and one row per VM of cl (call before the run: the placement of t = 0; a VM of a
 * VE not admitted at t = 0 has initial_pm -1 and no site; ve is its VE, empty for the VMs of <vms>).
 * Returns 0, or -1 on a write error. */
int vms_csv_write(const cluster_t* cl, const plat_t* plat, const ves_t* ves, const config_t* cfg, FILE* f);

#endif
