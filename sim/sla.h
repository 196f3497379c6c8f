/* sla_t: the SLA metrics of the consolidation literature (Beloglazov & Buyya, CCPE 2012, and
 * CloudSim's code; docs/METRICS.md, "SLA metrics"), accumulated as plain data from cluster events:
 * - per PM, its time on (up and switched on) T_a and, of it, its time non-viable T_s (demand above capacity:
 *   the violation and violation-out time of violations.csv);
 * - per VM, the CPU it requested while running, C_r = integral of its demand (load x vCPUs) while
 *   on an online PM, and its degradation by migrations, C_d = 10 % of its demand while migrating.
 * SLATAH = mean over PMs of T_s / T_a; PDM = mean over VMs of C_d / C_r (the papers' means of
 * ratios); CloudSim computes ratios of sums instead, reported too. Knows nothing of SimGrid. */
#ifndef LUCSIM_SLA_H
#define LUCSIM_SLA_H

#include "cluster.h"

#include <stdio.h>

#define SLA_MIGRATION_DEGRADATION 0.10 /* CloudSim: a migrating VM gets 90 % of its CPU */

typedef struct sla sla_t;

typedef struct sla_totals {
  double pm_on_s;        /* sum of T_a over PMs */
  double pm_violation_s; /* sum of T_s */
  double slatah;         /* mean of T_s / T_a over the PMs on at some time (0 when none) */
  double slatah_sum;     /* sum T_s / sum T_a */
  double requested;      /* sum of C_r (load-unit seconds) */
  double degradation;    /* sum of C_d */
  double pdm;            /* mean of C_d / C_r over the VMs that requested any CPU */
  double pdm_sum;        /* sum C_d / sum C_r */
} sla_totals_t;

/* Registers as a cluster listener (after the initial placement: the state at t = 0 counts).
 * Returns NULL when out of memory. Owned by the caller: sla_destroy. */
sla_t* sla_create(cluster_t* cl);
void sla_destroy(sla_t* sla); /* accepts NULL */

/* The totals from t = 0 to now (now >= the last cluster event); sla is not changed. */
sla_totals_t sla_totals(const sla_t* sla, double now);

/* summary.csv's SLA columns: the header part (",pm_on_s,...") and the values, each preceded by a
 * comma; energy_kWh < 0 (no power declared) leaves energy_kWh and esv empty. */
const char* sla_summary_header(void);
void sla_write_summary(const sla_t* sla, FILE* f, double now, double energy_kWh);

#endif
