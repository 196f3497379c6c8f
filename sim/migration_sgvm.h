/* Internals shared by migration.c (API, records, the `data` pre-copy model) and migration_sgvm.c
 * (the `simgrid` validation model on SimGrid's live-migration plugin). Not a public header: only
 * those two files include it; everything else uses migration.h. */
#ifndef LUCSIM_MIGRATION_SGVM_H
#define LUCSIM_MIGRATION_SGVM_H

#include "migration.h"

#include <simgrid/forward.h>
#include <stdbool.h>
#include <stdint.h>

#define MIG__CHUNK 256 /* records per pool chunk; chunks never move, so record pointers stay valid */

typedef enum {
  MIG__FREE = 0, /* in the free list */
  MIG__ACTIVE,   /* in flight, in the active list */
  MIG__ZOMBIE    /* failed while its own actor was running: the actor frees it when its round ends */
} mig__state_t;

typedef struct mig__rec {
  mig_t* mig;
  int32_t id;
  int32_t next; /* active list, or free list */
  int32_t prev; /* active list */
  mig__state_t state;
  size_t vm, src, dst;
  mig_done_fn done;
  void* userdata;
  sg_actor_t actor;  /* the migration actor (data model) or the sg_vm_migrate caller (validation) */
  sg_actor_t sink;   /* data model: the receiving end of the rounds, on the destination */
  sg_mailbox_t mbox; /* data model: where the rounds go, one per record of the pool (kept) */
  double start_s;
  double bytes_sent;
  int rounds;
  double downtime_s;
  /* Data model, per migration: */
  double speed_Bps;       /* reference speed of the dirty rate: the class's, else the route's effective bw */
  double cap_Bps;         /* rate cap of each round (class migration speed), 0 = none */
  double latency_s;       /* effective route latency (route latency x network/latency-factor) */
  double rate_Bps;        /* nominal rate of a round alone: the route's effective bw, or the cap if lower */
  double round_start_s;   /* start of the round in flight (pre-copy or stop-and-copy) */
  double round_bytes;     /* its size; 0 when no round is in flight */
  double demand;          /* the VM's cpu_demand (load units) last seen */
  double demand_since_s;  /* since when */
  double demand_integral; /* load-unit seconds since the current round started */
  double image_bytes;     /* disk image to copy before the memory (0: none, or same site, or shared store) */
  double image_sent;      /* of bytes_sent, the image's */
} mig__rec_t;

struct mig {
  cluster_t* cl;
  const plat_t* plat;
  const config_t* cfg;
  plat_vm_model_t model;
  mig__rec_t** chunks;
  size_t chunk_count;
  int32_t free_head;
  int32_t active_head;
  int32_t* vm_rec;          /* per VM: its in-flight record id, or -1 */
  long failing_pm;          /* PM being failed by mig_fail_pm, else -1 */
  const islands_t* islands; /* backbone link failures (mig_set_islands), or NULL */
  mig_done_fn observer;
  void* observer_data;
  mig_ram_share_fn ram_share; /* RAM in use (mig_set_ram_share_source), or NULL: all of it */
  void* ram_share_data;
  size_t in_flight, completed, failed;
  double latency_factor;
  double bandwidth_factor;
  /* Validation model (migration_sgvm.c): */
  sg_vm_t* vms;    /* per VM */
  bool* vm_broken; /* per VM: a migration failed inside the plugin; the sg_vm cannot migrate again */
};

/* Completes rec with MIG_OK (cluster_migration_arrive, observer, callback) and frees it. */
void mig__complete(mig__rec_t* rec);
/* Bytes of VM vm's RAM in use now (whole bytes): its RAM times the source's share, or all of it. */
double mig__ram_in_use(const mig_t* mig, size_t vm);
/* Frees a zombie record (its actor is ending). */
void mig__release_zombie(mig__rec_t* rec);

/* Validation model. */
int mig__sgvm_init(mig_t* mig);                                  /* creates the sg_vms; -1 on failure (logged) */
void mig__sgvm_launch(mig_t* mig, mig__rec_t* rec);              /* starts the actor calling sg_vm_migrate */
void mig__sgvm_set_demand(mig_t* mig, size_t vm, double demand); /* the VM's CPU bound follows its load */
/* From the migration's actor, before the memory: copies rec's disk image (if any) src -> dst at the
 * class's speed cap, while the VM runs; memory dirtied meanwhile is not counted (docs/MIGRATION.md). */
void mig__copy_image(mig__rec_t* rec);
void mig__sgvm_fini(mig_t* mig);

#endif
