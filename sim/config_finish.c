/* config_finish: the cross-field checks of an experiment once every value is read (classes,
 * capacities, files, the options that exclude each other), then the derived results folder.
 * The checks of one area live next to its fields (config_luc.c, config_power.c, config_ves.c...);
 * this file runs them in order, so the first error reported is the same whatever the input. */
#include "config.h"
#include "config_table.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define GiB (1024.0 * 1024.0 * 1024.0)

void config_locate(const config_t* cfg, const char* path, const char** file, int* line)
{
  int idx = config__find_field(path);
  int at  = idx >= 0 ? cfg->origin_line[idx] : 0;
  *file   = (at >= 0 && cfg->source[0]) ? cfg->source : "";
  *line   = at > 0 ? at : 0;
}

static int check_capacity(const config_t* cfg, lucsim_err_t* err)
{
  const plat_params_t* p = &cfg->platform;
  const char* file;
  int line;
  if (p->kind == PLAT_KIND_FILE)
    return 0; /* capacities come from the platform file: checked when the platform is loaded */
  double vm_cpu    = (double)(p->cores - p->hypervisor_cores) * 100.0;
  uint64_t min_ram = UINT64_MAX;
  for (size_t i = 0; i < cfg->vms.class_count; i++) {
    const vm_class_t* c = &cfg->vms.classes[i];
    char path[LUCSIM_NAME_MAX + 32];
    file = c->line > 0 ? cfg->source : "";
    if (c->ram_bytes > p->ram_bytes) {
      snprintf(path, sizeof path, "vms.class.%s.ram", c->name);
      return lucsim_err_set(err, file, c->line, path, "%g GiB does not fit in a PM of %g GiB (platform.ram)",
                            (double)c->ram_bytes / GiB, (double)p->ram_bytes / GiB);
    }
    if ((double)c->vcpus * 100.0 > vm_cpu) {
      snprintf(path, sizeof path, "vms.class.%s.vcpus", c->name);
      return lucsim_err_set(err, file, c->line, path,
                            "%d vCPUs do not fit in a PM with %d cores for VMs (platform.cores - "
                            "platform.hypervisor_cores)",
                            c->vcpus, p->cores - p->hypervisor_cores);
    }
    if (c->ram_bytes < min_ram) min_ram = c->ram_bytes;
  }
  /* Every VM needs at least the smallest class's RAM; whole VMs per PM. */
  uint64_t per_pm = p->ram_bytes / min_ram;
  if ((double)cfg->vms.count > (double)per_pm * (double)p->pm_count) {
    config_locate(cfg, "vms.count", &file, &line);
    return lucsim_err_set(err, file, line, "vms.count",
                          "cluster too small: %d VMs of at least %g GiB do not fit in the RAM of %d PMs of %g GiB "
                          "(at most %.0f VMs)",
                          cfg->vms.count, (double)min_ram / GiB, p->pm_count, (double)p->ram_bytes / GiB,
                          (double)per_pm * (double)p->pm_count);
  }
  return 0;
}

int config_finish(config_t* cfg, lucsim_err_t* err)
{
  const char* file;
  int line;
  const plat_params_t* p = &cfg->platform;
  if (cfg->vms.class_count == 0)
    return lucsim_err_set(err, cfg->source, 0, "vms.class", "at least one VM class is needed");
  if (p->kind != PLAT_KIND_FILE && p->hypervisor_cores >= p->cores) { /* a file: checked per host at load */
    config_locate(cfg, "platform.hypervisor_cores", &file, &line);
    return lucsim_err_set(err, file, line, "platform.hypervisor_cores",
                          "%d of the %d cores kept for the hypervisor; expected fewer than platform.cores",
                          p->hypervisor_cores, p->cores);
  }
  if (cfg->injector.load_min > cfg->injector.load_max) {
    config_locate(cfg, "injector.load.min", &file, &line);
    return lucsim_err_set(err, file, line, "injector.load.min", "clamp min %g is above max %g", cfg->injector.load_min,
                          cfg->injector.load_max);
  }
  if (p->power_idle_W > p->power_max_W) {
    config_locate(cfg, "platform.power_idle", &file, &line);
    return lucsim_err_set(err, file, line, "platform.power_idle", "%g W idle is above %g W at full load (power_max)",
                          p->power_idle_W, p->power_max_W);
  }
  for (size_t i = 0; i < cfg->vms.class_count; i++)
    for (size_t j = 0; j < i; j++)
      if (strcmp(cfg->vms.classes[i].name, cfg->vms.classes[j].name) == 0)
        return lucsim_err_set(err, cfg->vms.classes[i].line > 0 ? cfg->source : "", cfg->vms.classes[i].line,
                              "vms.class.name", "class name '%s' is used twice", cfg->vms.classes[i].name);
  if (p->kind == PLAT_KIND_FILE) {
    config_locate(cfg, "platform.file", &file, &line);
    if (!p->file[0])
      return lucsim_err_set(err, file, line, "platform.file", "platform.kind is file but no file is given");
    if (access(p->file, R_OK) != 0)
      return lucsim_err_set(err, file, line, "platform.file", "cannot read '%s': %s", p->file, strerror(errno));
  }
  if (config__check_load_trace(cfg, err) != 0) return -1;
  if (config__check_power(cfg, err) != 0) return -1;
  if (cfg->injector.fault_trace[0]) {
    config_locate(cfg, "injector.faults.trace", &file, &line);
    if (cfg->injector.fault_mtbf_s > 0 || cfg->injector.site_mtbf_s > 0 || cfg->injector.wan_mtbf_s > 0)
      return lucsim_err_set(err, file, line, "injector.faults.trace",
                            "is set but injector.faults.%s is not 0: failures are replayed or drawn; expected one",
                            cfg->injector.fault_mtbf_s > 0  ? "mtbf"
                            : cfg->injector.site_mtbf_s > 0 ? "site_mtbf"
                                                            : "wan_mtbf");
    if (access(cfg->injector.fault_trace, R_OK) != 0)
      return lucsim_err_set(err, file, line, "injector.faults.trace", "cannot read '%s': %s", cfg->injector.fault_trace,
                            strerror(errno));
  }
  if (cfg->injector.wan_mtbf_s > 0 && p->kind != PLAT_KIND_LUC) {
    config_locate(cfg, "injector.faults.wan_mtbf", &file, &line);
    return lucsim_err_set(err, file, line, "injector.faults.wan_mtbf",
                          "needs platform.kind=luc: backbone links are those of a generated LUC platform");
  }
  if (cfg->injector.vm_recovery == INJ_VM_RESTART && p->vm_model == PLAT_VM_MODEL_SIMGRID) {
    config_locate(cfg, "injector.faults.vm_recovery", &file, &line);
    return lucsim_err_set(err, file, line, "injector.faults.vm_recovery",
                          "restart needs platform.vm_model=data (the validation model keeps each VM on its host)");
  }
  if (cfg->ves.template_count > 0 && p->vm_model == PLAT_VM_MODEL_SIMGRID) {
    config_locate(cfg, "platform.vm_model", &file, &line);
    return lucsim_err_set(err, file, line, "platform.vm_model",
                          "virtual environments need vm_model=data (the validation model has a fixed VM population)");
  }
  if (config__check_platform_kind(cfg, err) != 0 || check_capacity(cfg, err) != 0 || config__check_ves(cfg, err) != 0 ||
      config__check_infra(cfg, err) != 0)
    return -1;
  if (!cfg->output.dir[0]) {
    char dir[LUCSIM_PATH_MAX];
    int n = snprintf(dir, sizeof dir, "results/%s-%s-s%" PRIu64, cfg->name, cfg->scheduler.name, cfg->seed);
    if (n < 0 || (size_t)n >= sizeof dir)
      return lucsim_err_set(err, cfg->source, 0, "output.dir", "derived results folder name too long");
    config__copy(cfg->output.dir, sizeof cfg->output.dir, dir);
  }
  return 0;
}
