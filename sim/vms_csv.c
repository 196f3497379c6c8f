/* vms.csv (vms_csv.h): the VMs of t = 0, one row each, in VM order. */
#include "vms_csv.h"

#include "stats.h"

int vms_csv_write(const cluster_t* cl, const plat_t* plat, const ves_t* ves, const config_t* cfg, FILE* f)
{
  fprintf(f, "vm,class,vcpus,ram_bytes,image_bytes,initial_pm,initial_site,ve\n");
  for (size_t vm = 0; vm < cluster_vm_count(cl); vm++) {
    const cluster_vm_t* v = cluster_vm(cl, vm);
    const vm_class_t* c   = &cfg->vms.classes[v->class_id];
    fprintf(f, "%zu,", vm);
    stats_csv_string(f, c->name);
    fprintf(f, ",%u,%llu,%llu,%d,", (unsigned)v->vcpus, (unsigned long long)v->ram_bytes,
            (unsigned long long)c->image_bytes, (int)v->pm);
    if (v->pm != CLUSTER_NONE) fprintf(f, "%zu", plat_pm_site(plat, (size_t)v->pm)); /* a VE's VM may wait */
    fputc(',', f);
    if (ves_vm_ve(ves, vm) != SIZE_MAX) fprintf(f, "%zu", ves_vm_ve(ves, vm));
    fputc('\n', f);
  }
  return ferror(f) ? -1 : 0;
}
