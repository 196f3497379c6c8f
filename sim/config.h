/* config_t: one experiment, fully resolved (embedded defaults, then the XML file, then --set overrides).
 * The XML is parsed and validated by libxml2 against workloads/lucsim.rng (embedded in the binary);
 * one field table in config.c maps every field to one dotted path ("injector.load.mean") used by the
 * file, by --set, by the resolved experiment.xml written with the results and by workloads/README.md
 * (config_value.c parses values with units, config_xml.c reads and writes files).
 * After config_finish() the struct is read-only.
 * Units are in the field names; CPU is in load units (100 = one core fully busy). */
#ifndef LUCSIM_CONFIG_H
#define LUCSIM_CONFIG_H

#include "error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LUCSIM_PATH_MAX 1024
#define LUCSIM_MAX_VM_CLASSES 16
#define LUCSIM_MAX_SCHED_PARAMS 64
#define LUCSIM_NAME_MAX 64
#define LUCSIM_POWER_CURVE_TEXT_MAX 512 /* platform.power_curve: "86,89.4,92.6,...": up to CONFIG_POWER_CURVE_MAX */
#define CONFIG_POWER_CURVE_MAX 101       /* points of platform.power_curve (every load percent) */
#define LUCSIM_SITE_PMS_MAX 8192 /* platform.site_pms: 1000 sites of up to 7 digits */
#define CONFIG_MAX_FIELDS 96     /* scalar fields of the field table in config.c (see config_field_path) */

typedef enum { PLAT_KIND_CLUSTER = 0, PLAT_KIND_FILE, PLAT_KIND_LUC } plat_kind_t;
/* platform.topology of a generated LUC platform: backbone links between the sites (docs/PLATFORMS.md). */
typedef enum { PLAT_TOPO_RING = 0, PLAT_TOPO_STAR, PLAT_TOPO_MESH, PLAT_TOPO_TREE, PLAT_TOPO_FILE } plat_topology_t;
typedef enum { PLAT_VM_MODEL_DATA = 0, PLAT_VM_MODEL_SIMGRID } plat_vm_model_t;

/* platform.*: what the PMs and the network are. */
/* platform.site_sizes: the PMs of each site when neither platform.site_pms nor the backbone file
 * gives them: an even spread, or shares drawn from the experiment seed (lognormal weights, or Zipf
 * weights over a random order of the sites), each site keeping at least one PM. */
typedef enum { PLAT_SITE_SIZES_EVEN, PLAT_SITE_SIZES_LOGNORMAL, PLAT_SITE_SIZES_ZIPF } plat_site_sizes_t;

typedef struct plat_params {
  plat_kind_t kind;           /* platform.kind: cluster (generated) | file | luc (generated sites) */
  char file[LUCSIM_PATH_MAX]; /* platform.file: SimGrid platform XML (kind=file); relative to the experiment */
  int pm_count;               /* platform.pms: hosting PMs of the generated cluster (luc: over all sites) */
  int service_nodes;    /* platform.service_nodes: extra hosts that run schedulers/injector, host no VM (luc: total) */
  int cores;            /* platform.cores: physical cores per PM */
  int hypervisor_cores; /* platform.hypervisor_cores: cores kept for the hypervisor (not for VMs) */
  double core_speed_flops;   /* platform.core_speed: flop/s per core */
  uint64_t ram_bytes;        /* platform.ram */
  double nic_bw_Bps;         /* platform.bandwidth: each PM's private link, bytes/s */
  double nic_latency_s;      /* platform.latency */
  bool shared_backbone;      /* platform.backbone: false = private links only (fast, docs/DESIGN.md §7) */
  double backbone_bw_Bps;    /* platform.backbone_bandwidth, when shared_backbone */
  double backbone_latency_s; /* platform.backbone_latency, when shared_backbone */
  double power_idle_W;       /* platform.power_idle: 0 with power_max 0 = no energy accounting */
  double power_max_W;        /* platform.power_max */
  char power_curve[LUCSIM_POWER_CURVE_TEXT_MAX]; /* platform.power_curve: W at equally spaced loads; "" = linear */
  double power_off_W;        /* platform.power_off: W drawn by a PM switched off */
  double boot_time_s;        /* platform.boot_time: off -> on */
  double boot_power_W;       /* platform.boot_power: W while booting; 0 = the full-load power */
  double shutdown_time_s;    /* platform.shutdown_time: on -> off */
  double shutdown_power_W;   /* platform.shutdown_power: W while shutting down; 0 = the idle power */
  plat_vm_model_t vm_model;  /* platform.vm_model: data (default) | simgrid (validation mode) */
  int sites;                 /* platform.sites: sites of a luc platform; PMs spread evenly, the first get one more */
  plat_topology_t topology;  /* platform.topology: backbone between the sites' gateways (luc) */
  double wan_bw_Bps;         /* platform.wan_bandwidth: each backbone link (luc) */
  double wan_latency_s;      /* platform.wan_latency: each backbone link (luc) */
  char backbone_file[LUCSIM_PATH_MAX]; /* platform.backbone_file: sites and links (luc, topology=file) */
  char site_pms[LUCSIM_SITE_PMS_MAX];  /* platform.site_pms: "310,200,...": PMs of each site (luc); "" = even */
  plat_site_sizes_t site_sizes;        /* platform.site_sizes: how platform.pms is split when no site_pms */
  double site_size_spread;             /* platform.site_size_spread: lognormal sigma, or Zipf exponent */
  uint64_t site_size_seed;             /* the experiment seed, copied by config_finish (drawn site sizes) */
} plat_params_t;

/* vms.class[i].*: a kind of VM. */
typedef struct vm_class {
  char name[LUCSIM_NAME_MAX]; /* vms.class.name */
  int vcpus;                  /* vms.class.vcpus */
  uint64_t ram_bytes;         /* vms.class.ram */
  double working_set_share;   /* vms.class.working_set: share of RAM that can be dirtied, in (0, 1] */
  double dirty_intensity;     /* vms.class.dirty_intensity: B/s dirtied per B/s of migration speed at 100 % load */
  double mig_speed_Bps;       /* vms.class.migration_speed: cap on the migration flow, 0 = link speed */
  uint64_t image_bytes;       /* vms.class.image: disk image, copied on inter-site migrations; 0 = none */
  double weight;              /* vms.class.weight: relative share of the VMs drawn from this class */
  int line;                   /* line of its <class> element, 0 for the embedded defaults */
} vm_class_t;

typedef enum { VM_PLACEMENT_FILL = 0, VM_PLACEMENT_ROUND_ROBIN, VM_PLACEMENT_CAPACITY } vm_placement_t;

/* vms.*: how many VMs, of which classes, placed how at t = 0. */
typedef struct vms_params {
  int count;                /* vms.count */
  vm_placement_t placement; /* vms.placement: fill (node after node) | round_robin | capacity (may overload) */
  size_t class_count;       /* number of <class> elements (>= 1) */
  vm_class_t classes[LUCSIM_MAX_VM_CLASSES];
} vms_params_t;

/* ves.*: virtual environments (docs/VES.md): groups of VMs drawn from the VM classes, with placement
 * constraints among their members, present from t = 0 (initial) or arriving over the run and leaving
 * after a drawn lifetime. Their VMs come after the vms.count VMs of <vms> in the VM numbering. */
#define LUCSIM_MAX_VE_TEMPLATES 16
#define LUCSIM_MAX_VE_TIERS 8
#define LUCSIM_MAX_VE_CONSTRAINTS 16
#define LUCSIM_VE_SITES_MAX 128     /* text of a fence or ban's sites list */
#define LUCSIM_VE_ARRIVALS_MAX 1024 /* text of a template's list of arrival times */

/* A constraint among a VE's VMs (the whole VE, or one tier), BtrPlace's semantics (docs/VES.md). */
typedef enum {
  VE_CSTR_SPREAD = 0, /* on pairwise distinct PMs, at every instant (high availability) */
  VE_CSTR_GATHER,     /* all on one PM */
  VE_CSTR_LATENCY,    /* all in one site, at every instant */
  VE_CSTR_ROOT,       /* never migrated */
  VE_CSTR_LONELY,     /* no PM shared with a VM outside the group */
  VE_CSTR_FENCE,      /* only on PMs of the listed sites, at every instant */
  VE_CSTR_BAN,        /* never on PMs of the listed sites, at every instant */
  VE_CSTR_KIND_COUNT
} ve_cstr_kind_t;

typedef struct ve_constraint {
  ve_cstr_kind_t kind;
  int tier;                        /* index in the template's tiers, -1 = every VM of the VE */
  char sites[LUCSIM_VE_SITES_MAX]; /* FENCE, BAN: "0,2,5-7", site indices */
  int line;                        /* of its element, 0 when not from a file */
} ve_constraint_t;

typedef struct ve_tier {
  char name[LUCSIM_NAME_MAX];  /* ves.template.tier.name */
  char klass[LUCSIM_NAME_MAX]; /* ves.template.tier.class: a vms.class name */
  int class_index;             /* resolved by config_finish */
  int count;                   /* ves.template.tier.count: VMs of this tier in each VE */
  int line;
} ve_tier_t;

typedef enum { VE_LIFETIME_EXPONENTIAL = 0, VE_LIFETIME_LOGNORMAL } ve_lifetime_dist_t;

typedef struct ve_template {
  char name[LUCSIM_NAME_MAX]; /* ves.template.name */
  int initial;                /* VEs of this template present at t = 0 */
  double interarrival_s;      /* mean time between two arrivals (Poisson); 0 = none arrive */
  double lifetime_s;          /* mean lifetime from admission; 0 = they never leave */
  ve_lifetime_dist_t lifetime_dist;
  double lifetime_sigma;                 /* lognormal: sigma of the underlying normal */
  int priority;                          /* queue=priority: higher first */
  char arrivals[LUCSIM_VE_ARRIVALS_MAX]; /* arrival times ("60s, 2min, 300"), besides the Poisson ones */
  char arrivals_file[LUCSIM_PATH_MAX];   /* a file of arrival times (a trace), one per line; relative to the
                                            experiment file (to the current folder with --set) */
  size_t tier_count;
  ve_tier_t tiers[LUCSIM_MAX_VE_TIERS];
  size_t constraint_count;
  ve_constraint_t constraints[LUCSIM_MAX_VE_CONSTRAINTS];
  int line;
} ve_template_t;

typedef enum { VE_QUEUE_FIFO = 0, VE_QUEUE_BACKFILL, VE_QUEUE_PRIORITY } ve_queue_t;
/* ves.suspend: VE context switches (docs/VES.md). */
typedef enum { VE_SUSPEND_OFF = 0, VE_SUSPEND_LOWER_PRIORITY } ve_suspend_t;

typedef struct ves_params {
  ve_queue_t queue;          /* ves.queue: fifo | backfill | priority (docs/VES.md) */
  ve_suspend_t suspend;      /* ves.suspend: off | lower-priority */
  double disk_bandwidth_Bps; /* ves.disk_bandwidth: a suspended VE's memory is written and read back at this rate */
  double overload_suspend_s; /* ves.overload_suspend: a PM overloaded this long suspends a VE on it; 0 = never */
  size_t template_count;     /* 0: no VE */
  ve_template_t templates[LUCSIM_MAX_VE_TEMPLATES];
  int line;
} ves_params_t;

/* constraints.*: infrastructure constraints (docs/CONSTRAINTS.md) on node sets, Plasma's way: a node set
 * names PMs by site ("site:paris", "site:2"), by name range ("s0-node-[4..7]") or by name, in a comma
 * list; it is resolved against the platform when the run starts (sim/nodeset.c). */
#define LUCSIM_MAX_INFRA_CONSTRAINTS 64
#define LUCSIM_NODESET_MAX 256 /* text of a node set */

typedef enum {
  INFRA_BAN = 0,    /* the VMs (of a class, or all) never on the nodes, at every instant */
  INFRA_FENCE,      /* the VMs (of a class, or all) only on the nodes, at every instant */
  INFRA_OFFLINE,    /* a maintenance window: the nodes host no VM from `at` for `duration` */
  INFRA_MAX_ONLINE, /* at most `count` of the nodes host a VM */
  INFRA_KIND_COUNT
} infra_kind_t;

typedef struct infra_constraint {
  infra_kind_t kind;
  char nodes[LUCSIM_NODESET_MAX]; /* the node set */
  char klass[LUCSIM_NAME_MAX];    /* BAN, FENCE: the vms.class it applies to; "" = every VM */
  int class_index;                /* resolved by config_finish; -1 = every VM */
  double at_s, duration_s;        /* OFFLINE: the window */
  int count;                      /* MAX_ONLINE */
  int line;                       /* of its element, 0 when not from a file */
} infra_constraint_t;

typedef struct infra_params {
  size_t count;
  infra_constraint_t items[LUCSIM_MAX_INFRA_CONSTRAINTS];
  int line;
} infra_params_t;

/* injector.faults.vm_recovery: what becomes of the VMs of a crashed PM (docs/FAULTS.md). */
typedef enum {
  INJ_VM_WAIT = 0, /* they wait, down, for their PM's repair, and resume there */
  INJ_VM_RESTART   /* they are lost and restarted elsewhere by the scheduler; the PM comes back empty */
} inj_vm_recovery_t;

/* injector.faults.distribution: how drawn failure times are distributed (docs/FAULTS.md). */
typedef enum {
  INJ_FAULTS_EXPONENTIAL = 0, /* one Poisson process over all crashable nodes, rate #nodes / mtbf */
  INJ_FAULTS_WEIBULL          /* each node its own renewal process: uptimes Weibull(shape), mean mtbf */
} inj_fault_distribution_t;

/* injector.kind: where load changes come from. */
typedef enum { INJ_KIND_GAUSSIAN = 0, INJ_KIND_TRACE } inj_kind_t;
typedef enum { TRACE_FORMAT_AUTO = 0, TRACE_FORMAT_PLANETLAB, TRACE_FORMAT_CSV } trace_format_t;
typedef enum { TRACE_STEP = 0, TRACE_LINEAR } trace_interpolation_t;
typedef enum { TRACE_START_ALIGNED = 0, TRACE_START_RANDOM } trace_start_t;

/* injector.*: load changes and node crashes. All loads are % of one vCPU (0..100 per vCPU). */
typedef struct inj_params {
  inj_kind_t kind;          /* injector.kind */
  double load_period_s;     /* injector.load.period: mean time between two changes of one VM; λ = #VMs / period */
  double load_mean;         /* injector.load.mean */
  double load_stddev;       /* injector.load.stddev */
  double load_min;          /* injector.load.min: clamp */
  double load_max;          /* injector.load.max: clamp */
  int load_slots;           /* injector.load.slots: loads rounded to multiples of (max-min)/slots; 0 = continuous */
  double initial_load;      /* injector.load.initial: every VM's load at t = 0; < 0 means "the mean" */
  double fault_mtbf_s;      /* injector.faults.mtbf: mean time between failures of one PM; 0 = no crash */
  double fault_mttr_s;      /* injector.faults.mttr: mean time to repair */
  bool fault_service_nodes; /* injector.faults.service_nodes: service nodes may crash too */
  char fault_trace[LUCSIM_PATH_MAX];           /* injector.faults.trace: failures replayed from this file ("" = none) */
  inj_fault_distribution_t fault_distribution; /* injector.faults.distribution */
  double fault_shape;                          /* injector.faults.shape: Weibull shape of the uptimes */
  inj_vm_recovery_t vm_recovery;               /* injector.faults.vm_recovery */
  double boot_s;                               /* injector.faults.boot_time: a restarted VM boots this long */
  double snapshot_period_s; /* injector.faults.snapshot_period: VM snapshots every so often; 0 = none */
  double site_mtbf_s;       /* injector.faults.site_mtbf: mean time between outages of one domain; 0 = none */
  double site_mttr_s;       /* injector.faults.site_mttr: mean time to repair a domain */
  int rack_size;            /* injector.faults.rack_size: 0 = a domain is a site; N = racks of N PMs of a site */
  double wan_mtbf_s;        /* injector.faults.wan_mtbf: mean time between failures of one backbone link; 0 = none */
  double wan_mttr_s;        /* injector.faults.wan_mttr: mean time to repair a backbone link */
  char trace_path[LUCSIM_PATH_MAX];          /* injector.trace.path: folder (planetlab) or file (csv) */
  trace_format_t trace_format;               /* injector.trace.format */
  double trace_interval_s;                   /* injector.trace.interval; 0 = 300 s */
  trace_interpolation_t trace_interpolation; /* injector.trace.interpolation */
  double trace_resolution_s;                 /* injector.trace.resolution; 0 = interval / 10 */
  bool trace_loop;                           /* injector.trace.loop */
  trace_start_t trace_start;                 /* injector.trace.start */
} inj_params_t;

/* migration.*: the pre-copy live-migration model. */
/* migration.image_store: where disk images live across sites (inside a site, storage is shared). */
typedef enum {
  MIG_IMAGE_LOCAL = 0, /* each site its own store: an inter-site migration copies the image first */
  MIG_IMAGE_SHARED     /* one store every site reaches: no image copy */
} mig_image_store_t;

typedef struct mig_params {
  double max_downtime_s;         /* migration.max_downtime: stop-and-copy when the remainder fits in it */
  int max_rounds;                /* migration.max_rounds: pre-copy rounds before a forced stop-and-copy */
  mig_image_store_t image_store; /* migration.image_store */
} mig_params_t;

typedef struct sched_param {
  char key[LUCSIM_NAME_MAX];
  char scheduler[LUCSIM_NAME_MAX]; /* <param scheduler=>: only for that scheduler; "" = any */
  char value[256];
  int line; /* line in the experiment file, 0 or -1 when it came from --set */
} sched_param_t;

/* scheduler.*: which scheduler and its own parameters (validated by the scheduler's init). */
typedef struct sched_config {
  char name[LUCSIM_NAME_MAX];   /* scheduler (= scheduler.name) */
  char plugin[LUCSIM_PATH_MAX]; /* scheduler.plugin: shared object exporting a scheduler table */
  size_t param_count;
  sched_param_t params[LUCSIM_MAX_SCHED_PARAMS]; /* scheduler.<key>=<value>, in file order */
} sched_config_t;

typedef enum { OUT_TRACE_NONE = 0, OUT_TRACE_STATES, OUT_TRACE_FULL } out_trace_t;

/* output.*: where results go. */
typedef struct out_params {
  char dir[LUCSIM_PATH_MAX];   /* output.dir: results folder of this run (default results/<name>-<scheduler>-s<seed>) */
  out_trace_t trace;           /* output.trace: none | states | full */
  double load_sample_period_s; /* output.load_period: load.csv sampling period */
  bool wall_time;              /* output.wall_time: summary.csv's wall_s filled (else empty) */
} out_params_t;

/* limits.*: bounds on the size of a run, estimated before simulating (budget.h); --force ignores them. */
typedef struct limits_params {
  double events;         /* limits.events: simulated events (load changes, faults, samples) */
  uint64_t output_bytes; /* limits.output: bytes written in the results folder */
  uint64_t memory_bytes; /* limits.memory: peak memory; 0 = the machine's physical memory */
} limits_params_t;

typedef struct config {
  char source[LUCSIM_PATH_MAX]; /* the experiment file, "" for embedded defaults */
  char name[LUCSIM_NAME_MAX];   /* experiment name: name attribute, else file stem, else "default" */
  uint64_t seed;                /* seed */
  double duration_s;            /* duration: simulated seconds */
  plat_params_t platform;
  vms_params_t vms;
  ves_params_t ves;
  infra_params_t constraints;
  inj_params_t injector;
  mig_params_t migration;
  sched_config_t scheduler;
  out_params_t output;
  limits_params_t limits;
  /* --force, a command-line option, never written to experiment.xml: replace an earlier lucsim
   * results folder, and run past the limits of the run-size estimate (budget.h). */
  bool force;
  /* Where each field of the table (index i = config_field_path(i)) got its value: the line of its
   * element in `source`, 0 for the embedded default, -1 for a --set override. For error messages. */
  int origin_line[CONFIG_MAX_FIELDS];
} config_t;

/* Fills cfg with the embedded defaults: the quickstart experiment (32 PMs, 320 VMs, 600 s, none). */
void config_init_defaults(config_t* cfg);

/* Parses and validates (RelaxNG, then ranges) an experiment file over cfg's current values.
 * Secure: no entity expansion, no DTD loading, no network access. libxml2 prints nothing: its first
 * message becomes err. A relative platform.file is made absolute against the file's folder.
 * Returns 0, or -1 with err filled (file, line, field, message). */
int config_load_file(config_t* cfg, const char* path, lucsim_err_t* err);

/* Applies one "path=value" override (from --set). Unknown scheduler.* keys become scheduler params;
 * a relative platform.file is made absolute against the current folder. Text must be UTF-8 made of
 * XML 1.0 characters. Returns 0, or -1 with err filled (file "", field = path). */
int config_apply_set(config_t* cfg, const char* assignment, lucsim_err_t* err);

/* Cross-field checks after all overrides (VMs fit the cluster, clamp min <= max...) and derived
 * defaults (output.dir). Returns 0, or -1 with err filled. */
int config_finish(config_t* cfg, lucsim_err_t* err);

/* Where field `path` got its value, for error messages: *file is cfg->source or "" (default or
 * --set), *line its line or 0. */
void config_locate(const config_t* cfg, const char* path, const char** file, int* line);

/* Writes the fully resolved experiment as XML that config_load_file reads back to the same cfg.
 * Returns 0, or -1 with err filled (I/O error, or a text value that XML cannot hold: only a cfg
 * filled by other means than config_load_file and config_apply_set can have one). */
int config_write_xml(const config_t* cfg, const char* path, lucsim_err_t* err);

/* Looks up a scheduler parameter; returns its value (borrowed from cfg) or NULL. */
const char* config_sched_param(const config_t* cfg, const char* key);
/* Whether parameter p is for scheduler `scheduler` (not scoped to another one). */
bool config_sched_param_applies(const sched_param_t* p, const char* scheduler);
/* The value scheduler `scheduler` reads for key: a --set one, else the file's scoped to it, else the
 * file's for any scheduler (the last of a kind wins); NULL when none. *index (may be NULL): its slot. */
const sched_param_t* config_sched_param_pick(const config_t* cfg, const char* scheduler, const char* key,
                                             size_t* index);

/* Formats the value of the field at `path` ("platform.ram", "vms.class.<name|index>.ram",
 * "scheduler.<param>") as config_write_xml writes it (units kept exact, e.g. "32GiB", "1Gbps").
 * Writes into buf (caller-owned). Returns 0, or -1 when the path names no field. */
int config_get(const config_t* cfg, const char* path, char* buf, size_t size);

/* Parses a size as experiment files write it ("32GiB", "512MiB", "1.5GB", plain bytes) into *bytes:
 * the same syntax and checks as the size fields of the table, in (0, 2^60] bytes. For sizes read
 * elsewhere (a platform file's host property ram). Returns 0, or -1 with err filled (file, line,
 * field as given; the message names the value and what is expected). */
int config_parse_size(const char* text, const char* file, int line, const char* field, uint64_t* bytes,
                      lucsim_err_t* err);

/* The field table, for documentation and for the parameters column of summary.csv:
 * config_field_count() scalar fields, plus the per-class fields "vms.class.<name>.<field>".
 * Returns a static string (never freed), or NULL when i is out of range. */
/* A value with the units of experiment files, for values outside the field table (scheduler
 * parameters): a time in seconds (30s, 500ms, 2min, 1h, or a plain number of seconds) or a size in
 * bytes (64B, 4KiB, 1MB, or a plain number), within [min, max]. Returns 0, or -1 with err naming
 * file, line and field. */
int config_parse_time_in(const char* text, double min, double max, const char* file, int line, const char* field,
                         double* out, lucsim_err_t* err);
int config_parse_size_in(const char* text, double min, double max, const char* file, int line, const char* field,
                         uint64_t* out, lucsim_err_t* err);
/* Parses platform.power_curve ("86,89.4,...,117": W >= 0, at least 2 points) into out[0..cap).
 * Returns the number of points, or -1 with why filled. */
int config_power_curve_parse(const char* text, double* out, size_t cap, char* why, size_t why_size);
size_t config_field_count(void);
const char* config_field_path(size_t i);
const char* config_field_doc(size_t i);
size_t config_class_field_count(void);
const char* config_class_field_name(size_t i); /* "ram", "vcpus"... */
const char* config_class_field_doc(size_t i);

/* VMs in each VE of template t, and in the group constraint c names (its tier, or the whole VE). */
size_t config_ve_size(const ve_template_t* t);
size_t config_ve_group_size(const ve_template_t* t, const ve_constraint_t* c);
/* Element name of a VE constraint kind: "spread", "gather"... */
const char* config_ve_constraint_name(ve_cstr_kind_t kind);
/* Element name of an infrastructure constraint kind: "ban", "fence", "offline", "max_online". */
const char* config_infra_kind_name(infra_kind_t kind);

#endif
