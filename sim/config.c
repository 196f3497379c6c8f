/* Experiment configuration: the field table, embedded defaults (the quickstart experiment), values
 * with units and --set overrides. The cross-field checks of config_finish are in config_finish.c.
 * Reading and writing XML files is in config_xml.c; both go through the table of this file.
 * It does not know whether a scheduler name is registered (main checks that). */
#include "config.h"
#include "config_table.h"
#include "suggest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char* const kind_names[]         = {"cluster", "file", "luc", NULL};
static const char* const topology_names[]     = {"ring", "star", "mesh", "tree", "file", NULL};
static const char* const site_sizes_names[]   = {"even", "lognormal", "zipf", NULL};
static const char* const vm_model_names[]     = {"data", "simgrid", NULL};
static const char* const placement_names[]    = {"fill", "round_robin", "capacity", NULL};
static const char* const trace_names[]        = {"none", "states", "full", NULL};
static const char* const store_names[]        = {"local", "shared", NULL};
static const char* const recovery_names[]     = {"wait", "restart", NULL};
static const char* const fault_dist_names[]   = {"exponential", "weibull", NULL};
static const char* const inj_kind_names[]     = {"gaussian", "trace", NULL};
static const char* const trace_fmt_names[]    = {"auto", "planetlab", "csv", NULL};
static const char* const trace_interp_names[] = {"step", "linear", NULL};
static const char* const trace_start_names[]  = {"aligned", "random", NULL};

#define F(path, elem, attr, type, member, lo, hi, open, names, doc)                                                    \
  {                                                                                                                    \
    path, elem, attr, type, offsetof(config_t, member), sizeof(((config_t*)0)->member), lo, hi, open, names, doc,      \
        false, false                                                                                                   \
  }
#define C(path, type, member, lo, hi, open, doc)                                                                       \
  {                                                                                                                    \
    path, "vms/class", path, type, offsetof(vm_class_t, member), sizeof(((vm_class_t*)0)->member), lo, hi, open, NULL, \
        doc, false, false                                                                                              \
  }
/* A field of the generated LUC platform only (config__field_t.luc_only). */
#define L(path, attr, type, member, lo, hi, open, names, doc)                                                          \
  {                                                                                                                    \
    path, "platform", attr, type, offsetof(config_t, member), sizeof(((config_t*)0)->member), lo, hi, open, names,     \
        doc, true, false                                                                                               \
  }
/* A field written only when not 0 (config__field_t.omit_zero): a scalar (Z) or a class field (CZ). */
#define Z(path, elem, attr, type, member, lo, hi, open, names, doc)                                                    \
  {                                                                                                                    \
    path, elem, attr, type, offsetof(config_t, member), sizeof(((config_t*)0)->member), lo, hi, open, names, doc,      \
        false, true                                                                                                    \
  }
#define CZ(path, type, member, lo, hi, open, doc)                                                                      \
  {                                                                                                                    \
    path, "vms/class", path, type, offsetof(vm_class_t, member), sizeof(((vm_class_t*)0)->member), lo, hi, open, NULL, \
        doc, false, true                                                                                               \
  }

/* In schema order: config_xml.c creates elements in this order when it writes a file. */
const config__field_t config__fields[] = {
    F("name", "", "name", CONFIG__NAME, name, 0, 0, 0, NULL, "experiment name (results folder); default: file stem"),
    F("seed", "", "seed", CONFIG__U64, seed, 0, 0, 0, NULL, "seed of every random stream"),
    F("duration", "", "duration", CONFIG__TIME, duration_s, 0, CONFIG__NO_MAX, 1, NULL, "simulated time"),
    F("platform.kind", "platform", "kind", CONFIG__ENUM, platform.kind, 0, 0, 0, kind_names,
      "generated cluster, SimGrid platform file, or generated multi-site LUC platform (docs/PLATFORMS.md)"),
    F("platform.file", "platform", "file", CONFIG__TEXT, platform.file, 0, 0, 0, NULL,
      "SimGrid platform XML (kind=file); relative to the experiment file"),
    F("platform.pms", "platform", "pms", CONFIG__INT, platform.pm_count, 1, 1000000, 0, NULL, "PMs hosting VMs"),
    F("platform.service_nodes", "platform", "service_nodes", CONFIG__INT, platform.service_nodes, 0, 100000, 0, NULL,
      "extra hosts for schedulers and the injector; they host no VM (kind=luc: the total, spread over the sites like "
      "the PMs)"),
    F("platform.cores", "platform", "cores", CONFIG__INT, platform.cores, 1, 4096, 0, NULL, "cores per PM"),
    F("platform.hypervisor_cores", "platform", "hypervisor_cores", CONFIG__INT, platform.hypervisor_cores, 0, 4096, 0,
      NULL, "cores per PM kept for the hypervisor (VM capacity = (cores - this) x 100 load units)"),
    F("platform.core_speed", "platform", "core_speed", CONFIG__SPEED, platform.core_speed_flops, 0, CONFIG__NO_MAX, 1,
      NULL, "speed of one core"),
    F("platform.ram", "platform", "ram", CONFIG__SIZE, platform.ram_bytes, 0, CONFIG__SIZE_MAX, 1, NULL,
      "RAM per PM (kind=file: of the hosts without a ram property)"),
    F("platform.bandwidth", "platform", "bandwidth", CONFIG__RATE, platform.nic_bw_Bps, 0, CONFIG__NO_MAX, 1, NULL,
      "bandwidth of each PM's private link"),
    F("platform.latency", "platform", "latency", CONFIG__TIME, platform.nic_latency_s, 0, CONFIG__NO_MAX, 0, NULL,
      "latency of each PM's private link"),
    F("platform.backbone", "platform", "backbone", CONFIG__BOOL, platform.shared_backbone, 0, 0, 0, NULL,
      "add a shared backbone link (contention; much slower at 10K PMs)"),
    F("platform.backbone_bandwidth", "platform", "backbone_bandwidth", CONFIG__RATE, platform.backbone_bw_Bps, 0,
      CONFIG__NO_MAX, 1, NULL, "bandwidth of the shared backbone"),
    Z("platform.backbone_latency", "platform", "backbone_latency", CONFIG__TIME, platform.backbone_latency_s, 0,
      CONFIG__NO_MAX, 0, NULL, "latency of the shared backbone"),
    F("platform.power_idle", "platform", "power_idle", CONFIG__REAL, platform.power_idle_W, 0, CONFIG__NO_MAX, 0, NULL,
      "power of an idle PM, W (0 and 0 = no energy accounting)"),
    F("platform.power_max", "platform", "power_max", CONFIG__REAL, platform.power_max_W, 0, CONFIG__NO_MAX, 0, NULL,
      "power of a fully busy PM, W"),
    Z("platform.power_curve", "platform", "power_curve", CONFIG__TEXT, platform.power_curve, 0, 0, 0, NULL,
      "power of a PM, W, at equally spaced loads from idle to full, e.g. \"86,89.4,92.6,96,99.5,102,106,108,112,114,"
      "117\" (11 points: every 10 %); linear between points; replaces power_idle and power_max"),
    Z("platform.power_off", "platform", "power_off", CONFIG__REAL, platform.power_off_W, 0, CONFIG__NO_MAX, 0, NULL,
      "power of a PM switched off, W"),
    Z("platform.boot_time", "platform", "boot_time", CONFIG__TIME, platform.boot_time_s, 0, CONFIG__NO_MAX, 0, NULL,
      "time a PM takes to switch on"),
    Z("platform.boot_power", "platform", "boot_power", CONFIG__REAL, platform.boot_power_W, 0, CONFIG__NO_MAX, 0, NULL,
      "power of a PM while it switches on, W; 0 = its full-load power"),
    Z("platform.shutdown_time", "platform", "shutdown_time", CONFIG__TIME, platform.shutdown_time_s, 0, CONFIG__NO_MAX,
      0, NULL, "time a PM takes to switch off"),
    Z("platform.shutdown_power", "platform", "shutdown_power", CONFIG__REAL, platform.shutdown_power_W, 0,
      CONFIG__NO_MAX, 0, NULL, "power of a PM while it switches off, W; 0 = its idle power"),
    F("platform.vm_model", "platform", "vm_model", CONFIG__ENUM, platform.vm_model, 0, 0, 0, vm_model_names,
      "VMs as data, or SimGrid VMs and live-migration plugin (validation, small platforms)"),
    L("platform.sites", "sites", CONFIG__INT, platform.sites, 1, 1000, 0, NULL,
      "kind=luc: sites; the PMs (platform.pms, total) spread evenly, the first sites get one more"),
    L("platform.topology", "topology", CONFIG__ENUM, platform.topology, 0, 0, 0, topology_names,
      "kind=luc: backbone between sites (star: hub site 0; tree: binary, root site 0; file: platform.backbone_file)"),
    L("platform.wan_bandwidth", "wan_bandwidth", CONFIG__RATE, platform.wan_bw_Bps, 0, CONFIG__NO_MAX, 1, NULL,
      "kind=luc: bandwidth of each backbone link between two sites"),
    L("platform.wan_latency", "wan_latency", CONFIG__TIME, platform.wan_latency_s, 0, CONFIG__NO_MAX, 0, NULL,
      "kind=luc: latency of each backbone link between two sites"),
    L("platform.backbone_file", "backbone_file", CONFIG__TEXT, platform.backbone_file, 0, 0, 0, NULL,
      "kind=luc, topology=file: sites and links of the backbone (docs/PLATFORMS.md); relative to the experiment file"),
    L("platform.site_pms", "site_pms", CONFIG__TEXT, platform.site_pms, 0, 0, 0, NULL,
      "kind=luc: PMs of each site, e.g. \"310,200,96\"; empty = platform.pms spread evenly (or the backbone file's)"),
    L("platform.site_sizes", "site_sizes", CONFIG__ENUM, platform.site_sizes, 0, 0, 0, site_sizes_names,
      "kind=luc without site_pms: split platform.pms evenly, or in shares drawn from the seed (lognormal, zipf)"),
    L("platform.site_size_spread", "site_size_spread", CONFIG__REAL, platform.site_size_spread, 0, 10, 0, NULL,
      "kind=luc, drawn site sizes: sigma of the lognormal weights, or exponent of the Zipf weights"),
    F("vms.count", "vms", "count", CONFIG__INT, vms.count, 0, 100000000, 0, NULL, "number of VMs"),
    F("vms.placement", "vms", "placement", CONFIG__ENUM, vms.placement, 0, 0, 0, placement_names,
      "initial placement: fill node after node (at most ceil(VMs/PMs) each), round robin, or capacity (VMs in "
      "proportion to the PMs' cores, the CPU may be overloaded)"),
    Z("injector.kind", "injector", "kind", CONFIG__ENUM, injector.kind, 0, 0, 0, inj_kind_names,
      "where load changes come from: gaussian (drawn, injector.load.*) or trace (replayed, injector.trace.*)"),
    F("injector.load.period", "injector/load", "period", CONFIG__TIME, injector.load_period_s, 0, CONFIG__NO_MAX, 1,
      NULL, "mean time between two load changes of one VM (lambda = VMs / period)"),
    F("injector.load.mean", "injector/load", "mean", CONFIG__REAL, injector.load_mean, 0, CONFIG__NO_MAX, 0, NULL,
      "mean of the Gaussian load, % of one vCPU"),
    F("injector.load.stddev", "injector/load", "stddev", CONFIG__REAL, injector.load_stddev, 0, CONFIG__NO_MAX, 0, NULL,
      "standard deviation of the Gaussian load, % of one vCPU"),
    F("injector.load.min", "injector/load", "min", CONFIG__REAL, injector.load_min, 0, 100, 0, NULL,
      "loads are clamped to [min, max], % of one vCPU"),
    F("injector.load.max", "injector/load", "max", CONFIG__REAL, injector.load_max, 0, 100, 0, NULL,
      "upper clamp, % of one vCPU"),
    F("injector.load.slots", "injector/load", "slots", CONFIG__INT, injector.load_slots, 0, 1000000, 0, NULL,
      "loads rounded to multiples of (max - min) / slots; 0 = continuous"),
    F("injector.load.initial", "injector/load", "initial", CONFIG__REAL, injector.initial_load, -1, 100, 0, NULL,
      "every VM's load at t = 0, % of one vCPU; -1 = the mean"),
    F("injector.faults.mtbf", "injector/faults", "mtbf", CONFIG__TIME, injector.fault_mtbf_s, 0, CONFIG__NO_MAX, 0,
      NULL, "mean time between crashes of one PM; 0 = no crash"),
    F("injector.faults.mttr", "injector/faults", "mttr", CONFIG__TIME, injector.fault_mttr_s, 0, CONFIG__NO_MAX, 1,
      NULL, "mean time to repair a crashed PM"),
    F("injector.faults.service_nodes", "injector/faults", "service_nodes", CONFIG__BOOL, injector.fault_service_nodes,
      0, 0, 0, NULL, "service nodes may crash too"),
    Z("injector.faults.trace", "injector/faults", "trace", CONFIG__TEXT, injector.fault_trace, 0, 0, 0, NULL,
      "failure trace replayed instead of drawn crashes (docs/FAULTS.md); relative to the experiment file"),
    F("injector.faults.distribution", "injector/faults", "distribution", CONFIG__ENUM, injector.fault_distribution, 0,
      0, 0, fault_dist_names,
      "drawn failures: one Poisson process over the nodes, or per-node Weibull uptimes of mean mtbf (shape)"),
    F("injector.faults.shape", "injector/faults", "shape", CONFIG__REAL, injector.fault_shape, 0.05, 20, 0, NULL,
      "distribution=weibull: shape of the uptimes (below 1: failures in bursts; 1: exponential)"),
    F("injector.faults.vm_recovery", "injector/faults", "vm_recovery", CONFIG__ENUM, injector.vm_recovery, 0, 0, 0,
      recovery_names, "a crashed PM's VMs wait for its repair, or are lost and restarted elsewhere by the scheduler"),
    F("injector.faults.boot_time", "injector/faults", "boot_time", CONFIG__TIME, injector.boot_s, 0, CONFIG__NO_MAX, 0,
      NULL, "vm_recovery=restart: a restarted VM boots this long (after its image copy, if any)"),
    F("injector.faults.snapshot_period", "injector/faults", "snapshot_period", CONFIG__TIME, injector.snapshot_period_s,
      0, CONFIG__NO_MAX, 0, NULL,
      "vm_recovery=restart: VMs are snapshotted every so often, so a crash loses only the work since; 0 = none"),
    F("injector.faults.site_mtbf", "injector/faults", "site_mtbf", CONFIG__TIME, injector.site_mtbf_s, 0,
      CONFIG__NO_MAX, 0, NULL,
      "mean time between outages of one site (or rack, rack_size): all its nodes fail at once; 0 = none"),
    F("injector.faults.site_mttr", "injector/faults", "site_mttr", CONFIG__TIME, injector.site_mttr_s, 0,
      CONFIG__NO_MAX, 1, NULL, "mean time to repair a site (or rack) outage"),
    F("injector.faults.rack_size", "injector/faults", "rack_size", CONFIG__INT, injector.rack_size, 0, 1000000, 0, NULL,
      "site_mtbf: 0 = a whole site fails; N = racks of N consecutive PMs of a site fail instead"),
    F("injector.faults.wan_mtbf", "injector/faults", "wan_mtbf", CONFIG__TIME, injector.wan_mtbf_s, 0, CONFIG__NO_MAX,
      0, NULL,
      "mean time between failures of one backbone link (kind=luc): the backbone may split into islands; 0 = none"),
    F("injector.faults.wan_mttr", "injector/faults", "wan_mttr", CONFIG__TIME, injector.wan_mttr_s, 0, CONFIG__NO_MAX,
      1, NULL, "mean time to repair a backbone link"),
    Z("injector.trace.path", "injector/trace", "path", CONFIG__TEXT, injector.trace_path, 0, 0, 0, NULL,
      "kind=trace: a folder of PlanetLab-format files or a CSV file (docs/LOAD-TRACES.md); relative to the experiment"),
    Z("injector.trace.format", "injector/trace", "format", CONFIG__ENUM, injector.trace_format, 0, 0, 0,
      trace_fmt_names, "auto (a folder: planetlab; a file: csv), planetlab or csv"),
    Z("injector.trace.interval", "injector/trace", "interval", CONFIG__TIME, injector.trace_interval_s, 0,
      CONFIG__NO_MAX, 0, NULL, "planetlab: time between two samples; csv: how long the last sample lasts; 0 = 300 s"),
    Z("injector.trace.interpolation", "injector/trace", "interpolation", CONFIG__ENUM, injector.trace_interpolation, 0,
      0, 0, trace_interp_names, "step: each sample holds until the next; linear: loads move linearly between samples"),
    Z("injector.trace.resolution", "injector/trace", "resolution", CONFIG__TIME, injector.trace_resolution_s, 0,
      CONFIG__NO_MAX, 0, NULL, "linear: time between two load changes of a VM; 0 = interval / 10"),
    Z("injector.trace.loop", "injector/trace", "loop", CONFIG__BOOL, injector.trace_loop, 0, 0, 0, NULL,
      "a trace shorter than the run starts over (else each VM keeps its last sample)"),
    Z("injector.trace.start", "injector/trace", "start", CONFIG__ENUM, injector.trace_start, 0, 0, 0, trace_start_names,
      "aligned: every VM starts at its trace's first sample; random: at a sample drawn from the seed"),
    F("migration.max_downtime", "migration", "max_downtime", CONFIG__TIME, migration.max_downtime_s, 0, CONFIG__NO_MAX,
      1, NULL, "stop-and-copy once the remaining dirty pages fit in this downtime"),
    F("migration.max_rounds", "migration", "max_rounds", CONFIG__INT, migration.max_rounds, 1, 100000, 0, NULL,
      "pre-copy rounds before a forced stop-and-copy"),
    Z("migration.image_store", "migration", "image_store", CONFIG__ENUM, migration.image_store, 0, 0, 0, store_names,
      "disk images across sites: local (an inter-site migration copies the image first) or shared (no copy)"),
    F("scheduler.name", "scheduler", "name", CONFIG__NAME, scheduler.name, 0, 0, 0, NULL,
      "scheduler (`lucsim schedulers` lists them); --set scheduler=X works too"),
    F("scheduler.plugin", "scheduler", "plugin", CONFIG__TEXT, scheduler.plugin, 0, 0, 0, NULL,
      "shared object exporting a scheduler table; empty = built-in"),
    F("output.dir", "output", "dir", CONFIG__TEXT, output.dir, 0, 0, 0, NULL,
      "results folder; empty = results/<name>-<scheduler>-s<seed>"),
    F("output.trace", "output", "trace", CONFIG__ENUM, output.trace, 0, 0, 0, trace_names,
      "Paje trace: none, PM states only, or full"),
    F("output.load_period", "output", "load_period", CONFIG__TIME, output.load_sample_period_s, 0, CONFIG__NO_MAX, 1,
      NULL, "sampling period of load.csv"),
    Z("output.wall_time", "output", "wall_time", CONFIG__BOOL, output.wall_time, 0, 0, 0, NULL,
      "write the run's wall-clock seconds in summary.csv (wall_s): the one value that differs between identical runs"),
    F("limits.events", "limits", "events", CONFIG__REAL, limits.events, 1, CONFIG__NO_MAX, 0, NULL,
      "refuse a run estimated to simulate more events (load changes, faults, samples); --force ignores it"),
    F("limits.output", "limits", "output", CONFIG__SIZE, limits.output_bytes, 0, CONFIG__SIZE_MAX, 1, NULL,
      "refuse a run estimated to write more into its results folder; --force ignores it"),
    F("limits.memory", "limits", "memory", CONFIG__SIZE, limits.memory_bytes, 0, CONFIG__SIZE_MAX, 0, NULL,
      "refuse a run estimated to need more memory; 0 = the machine's physical memory; --force ignores it"),
};
const size_t config__field_count = sizeof config__fields / sizeof config__fields[0];
_Static_assert(sizeof config__fields / sizeof config__fields[0] <= CONFIG_MAX_FIELDS, "raise CONFIG_MAX_FIELDS");

const config__field_t config__class_fields[] = {
    C("name", CONFIG__NAME, name, 0, 0, 0, "class name (letters, digits, '_', '-'), unique"),
    C("vcpus", CONFIG__INT, vcpus, 1, 4096, 0, "virtual CPUs; demand = load x vcpus"),
    C("ram", CONFIG__SIZE, ram_bytes, 0, CONFIG__SIZE_MAX, 1, "RAM of each VM"),
    C("working_set", CONFIG__REAL, working_set_share, 0, 1, 1, "share of the RAM that can be dirtied"),
    C("dirty_intensity", CONFIG__REAL, dirty_intensity, 0, 1, 0,
      "bytes dirtied per second per byte/s of migration speed, at 100 % load"),
    C("migration_speed", CONFIG__RATE, mig_speed_Bps, 0, CONFIG__NO_MAX, 0,
      "cap on the migration flow; 0 = link speed"),
    C("weight", CONFIG__REAL, weight, 0, CONFIG__NO_MAX, 1, "relative share of the VMs drawn from this class"),
    CZ("image", CONFIG__SIZE, image_bytes, 0, CONFIG__SIZE_MAX, 0,
       "disk image, copied before the memory on an inter-site migration (image_store local); 0 = none"),
};
const size_t config__class_field_count = sizeof config__class_fields / sizeof config__class_fields[0];

/* ---------------------------------------------------------------- defaults */

void config__class_defaults(vm_class_t* cls)
{
  memset(cls, 0, sizeof *cls);
  cls->vcpus             = 1;
  cls->ram_bytes         = (uint64_t)1 << 30;
  cls->working_set_share = 0.9;
  cls->dirty_intensity   = 0.1;
  cls->mig_speed_Bps     = 125e6;
  cls->weight            = 1.0;
}

void config_init_defaults(config_t* cfg)
{
  memset(cfg, 0, sizeof *cfg);
  config__copy(cfg->name, sizeof cfg->name, "quickstart");
  cfg->seed       = 1;
  cfg->duration_s = 600;

  plat_params_t* p      = &cfg->platform;
  p->kind               = PLAT_KIND_CLUSTER;
  p->pm_count           = 32;
  p->service_nodes      = 2; /* pms / 32 + 1, as the VMPlaceS scenarios: a Snooze leader and one group manager */
  p->cores              = 8;
  p->hypervisor_cores   = 1;
  p->core_speed_flops   = 1e9;
  p->ram_bytes          = (uint64_t)32 << 30;
  p->nic_bw_Bps         = 125e6; /* 1 Gbps */
  p->nic_latency_s      = 50e-6;
  p->shared_backbone    = false;
  p->backbone_bw_Bps    = 1.25e9; /* 10 Gbps */
  p->backbone_latency_s = 0;
  p->vm_model           = PLAT_VM_MODEL_DATA;
  p->sites              = 1;
  p->topology           = PLAT_TOPO_RING;
  p->wan_bw_Bps         = 1.25e9; /* 10 Gbps */
  p->wan_latency_s      = 1e-3;
  p->site_size_spread   = 1.0;

  cfg->vms.count              = 320;
  cfg->vms.placement          = VM_PLACEMENT_FILL;
  cfg->vms.class_count        = 5;
  static const double dirty[] = {0.1, 0.2, 0.3, 0.4, 0.5};
  for (size_t i = 0; i < 5; i++) {
    vm_class_t* c = &cfg->vms.classes[i];
    config__class_defaults(c);
    snprintf(c->name, sizeof c->name, "small-%zu", 10 * (i + 1));
    c->dirty_intensity = dirty[i];
  }

  cfg->ves.disk_bandwidth_Bps = 200e6; /* a server SSD's sustained write rate */

  inj_params_t* in  = &cfg->injector;
  in->load_period_s = 300;
  in->load_mean     = 60;
  in->load_stddev   = 20;
  in->load_min      = 0;
  in->load_max      = 100;
  in->load_slots    = 10;
  in->initial_load  = -1;
  in->fault_mtbf_s  = 0;
  in->fault_mttr_s  = 300;
  in->fault_shape   = 0.7;
  in->vm_recovery   = INJ_VM_WAIT;
  in->boot_s        = 30;
  in->site_mttr_s   = 3600;
  in->wan_mttr_s    = 3600;

  cfg->migration.max_downtime_s = 0.030;
  cfg->migration.max_rounds     = 30;

  config__copy(cfg->scheduler.name, sizeof cfg->scheduler.name, "none");
  cfg->output.trace                = OUT_TRACE_FULL;
  cfg->output.load_sample_period_s = 10;

  cfg->limits.events       = 1e9; /* about 80x the 1M-VM, 1 h experiment's load events */
  cfg->limits.output_bytes = (uint64_t)16 << 30;
  cfg->limits.memory_bytes = 0;
}

/* ---------------------------------------------------------------- lookup and --set */

int config__find_field(const char* path)
{
  if (strcmp(path, "scheduler") == 0) path = "scheduler.name";
  for (size_t i = 0; i < config__field_count; i++)
    if (strcmp(config__fields[i].path, path) == 0) return (int)i;
  return -1;
}

size_t config_field_count(void)
{
  return config__field_count;
}
const char* config_field_path(size_t i)
{
  return i < config__field_count ? config__fields[i].path : NULL;
}
const char* config_field_doc(size_t i)
{
  return i < config__field_count ? config__fields[i].doc : NULL;
}
size_t config_class_field_count(void)
{
  return config__class_field_count;
}
const char* config_class_field_name(size_t i)
{
  return i < config__class_field_count ? config__class_fields[i].path : NULL;
}
const char* config_class_field_doc(size_t i)
{
  return i < config__class_field_count ? config__class_fields[i].doc : NULL;
}

/* "vms.class.<name|index>.<field>": finds the class and its field. Returns 0, or -1 (err). */
static int find_class_field(const config_t* cfg, const char* path, size_t* cls, const config__field_t** field,
                            lucsim_err_t* err)
{
  const char* id  = path + strlen("vms.class.");
  const char* dot = strchr(id, '.');
  if (!dot || dot == id) return lucsim_err_set(err, "", 0, path, "expected vms.class.<name or index>.<field>");
  char name[LUCSIM_NAME_MAX];
  size_t len = (size_t)(dot - id);
  if (len >= sizeof name) return lucsim_err_set(err, "", 0, path, "no such VM class");
  memcpy(name, id, len);
  name[len] = '\0';
  *cls      = cfg->vms.class_count;
  if (strspn(name, "0123456789") == len) {
    unsigned long idx = strtoul(name, NULL, 10);
    if (idx < cfg->vms.class_count) *cls = idx;
  } else {
    for (size_t i = 0; i < cfg->vms.class_count; i++)
      if (strcmp(cfg->vms.classes[i].name, name) == 0) *cls = i;
  }
  if (*cls == cfg->vms.class_count) {
    char list[512] = "";
    for (size_t i = 0; i < cfg->vms.class_count; i++)
      snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", cfg->vms.classes[i].name);
    return lucsim_err_set(err, "", 0, path, "no VM class '%s'; the classes are %s (or their index from 0)", name, list);
  }
  for (size_t i = 0; i < config__class_field_count; i++)
    if (strcmp(config__class_fields[i].path, dot + 1) == 0) {
      *field = &config__class_fields[i];
      return 0;
    }
  return lucsim_err_set(err, "", 0, path, "no such VM class field (see workloads/README.md)");
}

int config_apply_set(config_t* cfg, const char* assignment, lucsim_err_t* err)
{
  const char* eq = strchr(assignment, '=');
  char path[256], shown[96];
  if (!eq || eq == assignment)
    return lucsim_err_set(err, "", 0, NULL, "'%s' is not PATH=VALUE (e.g. injector.load.mean=70)",
                          config__abbrev(assignment, shown, sizeof shown));
  if ((size_t)(eq - assignment) >= sizeof path)
    return lucsim_err_set(err, "", 0, NULL,
                          "'%.40s...' is not a field path (%zu bytes; the fields are listed in workloads/README.md)",
                          assignment, (size_t)(eq - assignment));
  memcpy(path, assignment, (size_t)(eq - assignment));
  path[eq - assignment] = '\0';
  const char* value     = eq + 1;

  int idx = config__find_field(path);
  if (idx >= 0) {
    const config__field_t* f = &config__fields[idx];
    if (config__parse_value(f, value, cfg, "", 0, f->path, err) != 0) return -1;
    /* A relative platform.file or backbone_file from the command line is relative to the current folder. */
    char* resolved = strcmp(f->path, "platform.file") == 0            ? cfg->platform.file
                     : strcmp(f->path, "platform.backbone_file") == 0 ? cfg->platform.backbone_file
                     : strcmp(f->path, "injector.faults.trace") == 0  ? cfg->injector.fault_trace
                     : strcmp(f->path, "injector.trace.path") == 0    ? cfg->injector.trace_path
                                                                      : NULL;
    if (resolved && config__resolve_path(resolved, LUCSIM_PATH_MAX, NULL, "", 0, f->path, err) != 0) return -1;
    cfg->origin_line[idx] = -1;
    return 0;
  }
  if (strncmp(path, "vms.class.", 10) == 0) {
    size_t cls;
    const config__field_t* f;
    if (find_class_field(cfg, path, &cls, &f, err) != 0) return -1;
    vm_class_t copy = cfg->vms.classes[cls];
    if (config__parse_value(f, value, &copy, "", 0, path, err) != 0) return -1;
    for (size_t i = 0; i < cfg->vms.class_count; i++)
      if (i != cls && strcmp(cfg->vms.classes[i].name, copy.name) == 0)
        return lucsim_err_set(err, "", 0, path, "class name '%s' is already used", copy.name);
    memcpy(&cfg->vms.classes[cls], &copy, sizeof copy);
    return 0;
  }
  if (strncmp(path, "scheduler.", 10) == 0)
    return config__set_sched_param(cfg, path + 10, value, "", -1, err) == 0 ? 0 : -1;
  if (strncmp(path, "ves.", 4) == 0) return config__set_ves(cfg, path, value, err);
  const char* paths[CONFIG_MAX_FIELDS + 1];
  size_t count = config_field_count();
  for (size_t i = 0; i < count; i++)
    paths[i] = config_field_path(i);
  paths[count++]   = "scheduler"; /* --set scheduler=X */
  const char* near = suggest_nearest(path, paths, count);
  if (near)
    return lucsim_err_set(err, "", 0, path, "no such field; did you mean '%s'? (fields: workloads/README.md)", near);
  return lucsim_err_set(err, "", 0, path, "no such field (the fields are listed in workloads/README.md)");
}

int config_get(const config_t* cfg, const char* path, char* buf, size_t size)
{
  int idx = config__find_field(path);
  if (idx >= 0) {
    config__format_value(&config__fields[idx], cfg, buf, size);
    return 0;
  }
  if (strncmp(path, "vms.class.", 10) == 0) {
    size_t cls;
    const config__field_t* f;
    if (find_class_field(cfg, path, &cls, &f, NULL) != 0) return -1;
    config__format_value(f, &cfg->vms.classes[cls], buf, size);
    return 0;
  }
  if (strncmp(path, "ves.", 4) == 0) return config__get_ves(cfg, path, buf, size);
  const char* v = strncmp(path, "scheduler.", 10) == 0 ? config_sched_param(cfg, path + 10) : NULL;
  if (!v) return -1;
  snprintf(buf, size, "%s", v);
  return 0;
}

bool config__decided_by_file(const config__field_t* f)
{
  static const char* const decided[] = {"platform.pms",
                                        "platform.service_nodes",
                                        "platform.cores",
                                        "platform.core_speed",
                                        "platform.bandwidth",
                                        "platform.latency",
                                        "platform.backbone",
                                        "platform.backbone_bandwidth",
                                        "platform.backbone_latency",
                                        NULL};
  if (f->luc_only) return true;
  for (size_t i = 0; decided[i]; i++)
    if (strcmp(f->path, decided[i]) == 0) return true;
  return false;
}
