/* Shared by load_trace.c (replay) and load_trace_read.c (the two formats): a traced VM's series of
 * samples. Not an interface: other modules include load_trace.h. */
#ifndef LUCSIM_LOAD_TRACE_INTERNAL_H
#define LUCSIM_LOAD_TRACE_INTERNAL_H

#include "load_trace.h"

#include <stdbool.h>

typedef struct lt_series {
  char* name; /* file name (planetlab) or VM name (csv) */
  double* t;  /* sample times, s, increasing */
  float* v;   /* CPU %, 0 to 100 */
  float* ram; /* RAM in use, % of the VM's RAM, 0 to 100 (the CSV's ram_pct column), or NULL */
  int* line;  /* each sample's line in its file (for error messages) */
  size_t n, cap;
} lt_series_t;

typedef struct lt_set {
  lt_series_t* series;
  size_t count;
  bool has_ram; /* every series has ram (a CSV with the ram_pct column) */
} lt_set_t;

/* The files of folder dir (sorted by name; hidden ones and sub-folders skipped), sample k of each at
 * k * interval. Returns 0 or -1 with err. set is zeroed caller memory; free it with lt_set_free. */
int lt_read_planetlab(const char* dir, double interval, lt_set_t* set, lucsim_err_t* err);
/* The CSV file path: header vm,time_s,cpu_pct (or vm,time_s,cpu_pct,ram_pct), one sample a row;
 * series in the order their VM first appears, each sorted by time. Returns 0 or -1 with err. */
int lt_read_csv(const char* path, lt_set_t* set, lucsim_err_t* err);
void lt_set_free(lt_set_t* set);

#endif
