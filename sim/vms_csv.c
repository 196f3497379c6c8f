/* vms.csv (vms_csv.h): the VMs of t = 0, one row each, in VM order. */
#include "vms_csv.h"

#include "stats.h"

int vms_csv_write(const cluster_t* cl, const plat_t* plat, const config_t* cfg, FILE* f)
{
  fprintf(f, "vm,class,vcpus,ram_bytes,image_bytes,initial_pm,initial_site\n");
  for (size_t vm = 0; vm < cluster_vm_count(cl); vm++) {
    const cluster_vm_t* v = cluster_vm(cl, vm);
    const vm_class_t* c   = &cfg->vms.classes[v->class_id];
    fprintf(f, "%zu,", vm);
    stats_csv_string(f, c->name);
    fprintf(f, ",%u,%llu,%llu,%d,%zu\n", (unsigned)v->vcpus, (unsigned long long)v->ram_bytes,
            (unsigned long long)c->image_bytes, (int)v->pm, plat_pm_site(plat, (size_t)v->pm));
  }
  return ferror(f) ? -1 : 0;
}
