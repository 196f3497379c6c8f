/* Loading a SimGrid platform file (platform.kind=file): which hosts are PMs and which service
 * nodes (host property lucsim_role), their order (natural order of names), their capacities (cores,
 * host property ram with units). The checks before SimGrid reads the file are platform_check.c. */
#include "platform_internal.h"

#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void resolve_path(const char* file, const char* experiment_dir, char* out, size_t size)
{
  if (file[0] == '/' || !experiment_dir || !experiment_dir[0])
    snprintf(out, size, "%s", file);
  else
    snprintf(out, size, "%s/%s", experiment_dir, file);
}

/* lucsim_role: absent (a PM) or "service". Returns 1 for a service node, 0 for a PM, -1 with err
 * filled for any other value. */
static int host_role(sg_host_t h, const char* path, lucsim_err_t* err)
{
  const char* role = sg_host_get_property_value(h, "lucsim_role");
  if (!role) return 0;
  if (strcmp(role, "service") == 0) return 1;
  char shown[96];
  snprintf(shown, sizeof shown, "%s", role);
  return lucsim_err_set(err, path, plat__host_line(path, sg_host_get_name(h), "lucsim_role"), "platform.file",
                        "host '%s': property lucsim_role is '%s'; expected service (or no lucsim_role for a PM)",
                        sg_host_get_name(h), shown);
}

/* The PM's RAM: its host property ram (a size, as in experiment files) or default_bytes. */
static int host_ram(sg_host_t h, uint64_t default_bytes, const char* path, uint64_t* bytes, lucsim_err_t* err)
{
  const char* ram = sg_host_get_property_value(h, "ram");
  if (!ram) {
    *bytes = default_bytes;
    return 0;
  }
  lucsim_err_t why;
  lucsim_err_clear(&why);
  if (config_parse_size(ram, path, 0, "ram", bytes, &why) == 0) return 0;
  return lucsim_err_set(err, path, plat__host_line(path, sg_host_get_name(h), "ram"), "platform.file",
                        "host '%s': property ram: %s", sg_host_get_name(h), why.message);
}

plat_t* plat__load_file(const plat_params_t* p, const char* experiment_dir, lucsim_err_t* err)
{
  char path[LUCSIM_PATH_MAX + 512];
  resolve_path(p->file, experiment_dir, path, sizeof path);
  bool links_fixed;
  if (plat_check_file(path, &links_fixed, err) != 0) return NULL;
  simgrid_load_platform(path);
  size_t count   = sg_host_count();
  sg_host_t* all = sg_host_list();
  qsort(all, count, sizeof *all, plat__compare_hosts_by_name);
  plat_t* plat    = NULL;
  size_t services = 0;
  for (size_t i = 0; i < count; i++) {
    int role = host_role(all[i], path, err);
    if (role < 0) goto fail;
    services += (size_t)role;
  }
  plat              = plat__alloc(count - services, services);
  plat->links_fixed = links_fixed;
  size_t ipm = 0, isv = 0;
  for (size_t i = 0; i < count; i++) {
    if (host_role(all[i], path, err) == 1) {
      plat->services[isv++] = all[i];
      continue;
    }
    int cores = sg_host_core_count(all[i]);
    if (cores <= p->hypervisor_cores) {
      lucsim_err_set(err, path, plat__host_line(path, sg_host_get_name(all[i]), NULL), "platform.hypervisor_cores",
                     "host '%s' has %d cores; expected more than the %d kept for the hypervisor",
                     sg_host_get_name(all[i]), cores, p->hypervisor_cores);
      goto fail;
    }
    if (host_ram(all[i], p->ram_bytes, path, &plat->ram_bytes[ipm], err) != 0) goto fail;
    plat->pms[ipm]          = all[i];
    plat->cpu_capacity[ipm] = 100.0 * (cores - p->hypervisor_cores);
    ipm++;
  }
  free(all);
  if (plat->pm_count == 0) {
    lucsim_err_set(err, path, 0, "platform.file", "the platform has no PM host");
    plat_destroy(plat);
    return NULL;
  }
  if (plat__discover_sites(plat, path, err) != 0 || plat__power_classes(plat, p, path, err) != 0) {
    plat_destroy(plat);
    return NULL;
  }
  return plat;

fail:
  free(all);
  plat_destroy(plat);
  return NULL;
}
