/* Live migration: the public API, the record pool, failure handling and the `data` pre-copy model
 * (each round a real SimGrid transfer between the two PM hosts, so concurrent migrations share
 * bandwidth). The semantics follow SimGrid 3.32's live-migration plugin; docs/MIGRATION.md states
 * the model and where it departs. Not the validation model itself (migration_sgvm.c). */
#include "migration_sgvm.h"

#include <simgrid/actor.h>
#include <simgrid/comm.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <simgrid/mailbox.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xbt/asserts.h>
#include <xbt/config.h>
#include <xbt/log.h>

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(mig, lucsim, "Live migration");

/* ---- record pool: chunks of MIG__CHUNK records, a free list and an active list, all by id ---- */

static mig__rec_t* rec_at(const mig_t* mig, int32_t id)
{
  return &mig->chunks[(size_t)id / MIG__CHUNK][(size_t)id % MIG__CHUNK];
}

static int pool_grow(mig_t* mig)
{
  mig__rec_t** chunks = realloc(mig->chunks, (mig->chunk_count + 1) * sizeof *chunks);
  if (!chunks) return -1;
  mig->chunks       = chunks;
  mig__rec_t* chunk = calloc(MIG__CHUNK, sizeof *chunk);
  if (!chunk) return -1;
  chunks[mig->chunk_count] = chunk;
  int32_t base             = (int32_t)(mig->chunk_count * MIG__CHUNK);
  for (int32_t i = MIG__CHUNK - 1; i >= 0; i--) {
    chunk[i].mig   = mig;
    chunk[i].id    = base + i;
    chunk[i].next  = mig->free_head;
    chunk[i].state = MIG__FREE;
    mig->free_head = base + i;
  }
  mig->chunk_count++;
  return 0;
}

static mig__rec_t* rec_alloc(mig_t* mig)
{
  if (mig->free_head < 0 && pool_grow(mig) != 0) return NULL;
  mig__rec_t* rec = rec_at(mig, mig->free_head);
  mig->free_head  = rec->next;
  rec->state      = MIG__ACTIVE;
  rec->prev       = -1;
  rec->next       = mig->active_head;
  if (mig->active_head >= 0) rec_at(mig, mig->active_head)->prev = rec->id;
  mig->active_head = rec->id;
  return rec;
}

/* Leaves the active list (the record stays allocated). */
static void rec_unlink(mig__rec_t* rec)
{
  mig_t* mig = rec->mig;
  if (rec->prev >= 0)
    rec_at(mig, rec->prev)->next = rec->next;
  else
    mig->active_head = rec->next;
  if (rec->next >= 0) rec_at(mig, rec->next)->prev = rec->prev;
  mig->vm_rec[rec->vm] = -1;
  mig->in_flight--;
}

static void rec_free(mig__rec_t* rec)
{
  mig_t* mig     = rec->mig;
  rec->state     = MIG__FREE;
  rec->actor     = NULL;
  rec->sink      = NULL;
  rec->next      = mig->free_head;
  mig->free_head = rec->id;
}

void mig__release_zombie(mig__rec_t* rec)
{
  xbt_assert(rec->state == MIG__ZOMBIE, "migration record %d is not a zombie", (int)rec->id);
  rec_free(rec);
}

/* Bytes of the round in flight sent by `now`, for a migration cut now: SimGrid 3.32's C API cannot
 * query the progress of a transfer its actor's death cancels, so it is estimated from the model,
 * deterministically: nothing during the route's latency, then the nominal rate, at most the round's
 * size; whole bytes. Exact when the flow runs alone on its route; an upper bound when it shares. */
static double rec_round_bytes_at(const mig__rec_t* rec, double now)
{
  if (rec->round_bytes <= 0) return 0;
  double flowing_s = now - rec->round_start_s - rec->latency_s;
  if (flowing_s <= 0) return 0;
  double sent = flowing_s * rec->rate_Bps;
  return sent < rec->round_bytes ? (double)(uint64_t)sent : rec->round_bytes;
}

static mig_result_t rec_result(const mig__rec_t* rec, mig_status_t status)
{
  mig_result_t r = {.status      = status,
                    .vm          = rec->vm,
                    .src         = rec->src,
                    .dst         = rec->dst,
                    .start_s     = rec->start_s,
                    .end_s       = simgrid_get_clock(),
                    .bytes_sent  = rec->bytes_sent,
                    .rounds      = rec->rounds,
                    .downtime_s  = rec->downtime_s,
                    .image_bytes = rec->image_sent};
  return r;
}

/* Observer first (outputs), then the migration's own callback; the record is already released. */
static void notify(mig_t* mig, const mig_result_t* r, mig_done_fn done, void* userdata)
{
  XBT_VERB("VM %zu %s -> %s: %s after %.6f s, %.0f bytes, %d rounds", r->vm,
           sg_host_get_name(plat_pm_host(mig->plat, r->src)), sg_host_get_name(plat_pm_host(mig->plat, r->dst)),
           r->status == MIG_OK ? "migrated" : "FAILED", r->end_s - r->start_s, r->bytes_sent, r->rounds);
  if (mig->observer) mig->observer(mig->observer_data, r);
  if (done) done(userdata, r);
}

void mig__complete(mig__rec_t* rec)
{
  mig_t* mig = rec->mig;
  xbt_assert(rec->state == MIG__ACTIVE, "completing migration record %d in state %d", (int)rec->id, (int)rec->state);
  cluster_migration_arrive(mig->cl, rec->vm, simgrid_get_clock());
  mig_result_t r   = rec_result(rec, MIG_OK);
  mig_done_fn done = rec->done;
  void* userdata   = rec->userdata;
  rec_unlink(rec);
  rec_free(rec);
  mig->completed++;
  notify(mig, &r, done, userdata);
}

/* ---- the data model: pre-copy rounds as SimGrid transfers ---- */

/* Integrates the VM's CPU demand up to now (load-unit seconds). */
static void rec_integrate_demand(mig__rec_t* rec, double now)
{
  rec->demand_integral += rec->demand * (now - rec->demand_since_s);
  rec->demand_since_s = now;
}

/* Bytes dirtied since the last call: as the plugin, computed flops x speed x intensity / core speed,
 * i.e. (integral of demand / 100) x intensity x speed, truncated to whole bytes, capped by the
 * working set. */
static double rec_take_dirty_bytes(mig__rec_t* rec)
{
  mig_t* mig            = rec->mig;
  const cluster_vm_t* v = cluster_vm(mig->cl, rec->vm);
  const vm_class_t* c   = &mig->cfg->vms.classes[v->class_id];
  rec_integrate_demand(rec, simgrid_get_clock());
  double dirty         = (double)(uint64_t)(rec->demand_integral / 100.0 * c->dirty_intensity * rec->speed_Bps);
  double cap           = (double)(uint64_t)(c->working_set_share * mig__ram_in_use(mig, rec->vm));
  rec->demand_integral = 0;
  return dirty > cap ? cap : dirty;
}

/* One transfer src -> dst of `bytes`; with a rate cap the round lasts at least latency + bytes/cap
 * (SimGrid's C API has no per-flow rate: the actor sleeps to fill). Returns its duration. */
static double send_round(mig__rec_t* rec, double bytes)
{
  double t0          = simgrid_get_clock();
  rec->round_start_s = t0;
  rec->round_bytes   = bytes;
  static char round_token; /* what the sink receives: a round carries no data, only its size */
  if (rec->sink)           /* data model */
    sg_comm_wait(sg_mailbox_put_async(rec->mbox, &round_token, (long)bytes)); /* a cut round: state says */
  else /* the validation model's image copy: few, a host-to-host transfer */
    sg_host_sendto(plat_pm_host(rec->mig->plat, rec->src), plat_pm_host(rec->mig->plat, rec->dst), bytes);
  double took = simgrid_get_clock() - t0;
  if (rec->cap_Bps > 0) {
    double min_s = rec->latency_s + bytes / rec->cap_Bps;
    if (took < min_s) {
      sg_actor_sleep_for(min_s - took);
      took = simgrid_get_clock() - t0;
    }
  }
  rec->bytes_sent += bytes;
  rec->round_bytes = 0;
  return took;
}

/* Remainder that fits the downtime at the rate the last round achieved (the plugin's threshold). */
static double downtime_threshold(double bytes, double took_s, double max_downtime_s)
{
  if (took_s <= 0) return (double)UINT64_MAX;
  return (double)(uint64_t)(bytes / took_s * max_downtime_s);
}

void mig__copy_image(mig__rec_t* rec)
{
  if (rec->image_bytes <= 0 || rec->state != MIG__ACTIVE) return;
  send_round(rec, rec->image_bytes);
  rec->image_sent = rec->image_bytes;
  /* Block migration with writes mirrored to both copies: the copied image is current, and the
   * memory's dirty-page tracking starts with the first memory round. */
  rec_integrate_demand(rec, simgrid_get_clock());
  rec->demand_integral = 0;
}

/* The destination's end of a migration's rounds: receives until the migration ends it. The rounds
 * are mailbox transfers between this actor and the migration actor rather than host-to-host
 * transfers (sg_host_sendto): those are detached in SimGrid 3.32, and every detached transfer that
 * ends walks a list of all of them (docs/PERFORMANCE.md, "Toward one million VMs"). Same route,
 * same size: the same flow. */
static void mig_sink_main(int argc, char* argv[])
{
  (void)argc, (void)argv;
  sg_mailbox_t mbox = sg_actor_self_get_data();
  for (;;) { /* a round cut by a crash fails here without an exception; the migration kills us */
    void* round = NULL;
    sg_comm_wait(sg_mailbox_get_async(mbox, &round));
  }
}

/* Ends the sink (waiting for a round that will not come, or cut with its migration). */
static void stop_sink(mig__rec_t* rec)
{
  if (rec->sink) sg_actor_kill(rec->sink);
  rec->sink = NULL;
}

static void mig_actor_main(int argc, char* argv[])
{
  (void)argc;
  (void)argv;
  mig__rec_t* rec       = sg_actor_self_get_data();
  mig_t* mig            = rec->mig;
  const mig_params_t* p = &mig->cfg->migration;
  double ram            = mig__ram_in_use(mig, rec->vm);

  mig__copy_image(rec);
  if (rec->state != MIG__ACTIVE) goto zombie;
  /* Round 1: the whole RAM; pages dirtied meanwhile are tracked from its start. */
  double took      = send_round(rec, ram);
  rec->rounds      = 1;
  double threshold = downtime_threshold(ram, took, p->max_downtime_s);
  if (rec->state != MIG__ACTIVE) goto zombie;
  double remaining = rec_take_dirty_bytes(rec);
  while (threshold < remaining && rec->rounds < p->max_rounds) {
    took      = send_round(rec, remaining);
    threshold = downtime_threshold(remaining, took, p->max_downtime_s);
    rec->rounds++;
    if (rec->state != MIG__ACTIVE) goto zombie;
    remaining = rec_take_dirty_bytes(rec);
  }
  XBT_DEBUG("VM %zu: stop-and-copy of %.0f bytes after %d rounds", rec->vm, remaining, rec->rounds);
  /* Stop-and-copy (always, even of 0 bytes, as the plugin), then the destination acknowledges. */
  rec->downtime_s = send_round(rec, remaining);
  if (rec->state != MIG__ACTIVE) goto zombie;
  sg_host_sendto(plat_pm_host(mig->plat, rec->dst), plat_pm_host(mig->plat, rec->src), 0);
  if (rec->state != MIG__ACTIVE) goto zombie;
  stop_sink(rec);
  mig__complete(rec);
  return;
zombie:
  stop_sink(rec);
  mig__release_zombie(rec);
}

static void data_launch(mig_t* mig, mig__rec_t* rec)
{
  const cluster_vm_t* v = cluster_vm(mig->cl, rec->vm);
  const vm_class_t* c   = &mig->cfg->vms.classes[v->class_id];
  sg_host_t src         = plat_pm_host(mig->plat, rec->src);
  sg_host_t dst         = plat_pm_host(mig->plat, rec->dst);
  double route_Bps      = sg_host_get_route_bandwidth(src, dst) * mig->bandwidth_factor;
  rec->cap_Bps          = c->mig_speed_Bps;
  rec->speed_Bps        = c->mig_speed_Bps > 0 ? c->mig_speed_Bps : route_Bps;
  rec->rate_Bps         = c->mig_speed_Bps > 0 && c->mig_speed_Bps < route_Bps ? c->mig_speed_Bps : route_Bps;
  rec->latency_s        = sg_host_get_route_latency(src, dst) * mig->latency_factor;
  if (!rec->mbox) {
    char name[32];
    snprintf(name, sizeof name, "migration-%d", (int)rec->id);
    rec->mbox = sg_mailbox_by_name(name);
  }
  /* the sink first: the migration actor kills it when it ends, and may start before this returns */
  sg_actor_t sink = sg_actor_init("migration-sink", dst);
  sg_actor_set_data(sink, rec->mbox);
  sg_actor_start(sink, mig_sink_main, 0, NULL);
  rec->sink  = sink;
  rec->actor = sg_actor_init("migration", src);
  sg_actor_set_data(rec->actor, rec);
  sg_actor_start(rec->actor, mig_actor_main, 0, NULL);
}

/* ---- the API ---- */

static void on_cluster_event(void* userdata, cluster_event_t ev, size_t pm, int32_t vm, bool role_dest, double now)
{
  (void)pm;
  (void)role_dest;
  mig_t* mig = userdata;
  if (ev != CLUSTER_EV_LOAD || vm < 0) return;
  double demand = cluster_vm(mig->cl, (size_t)vm)->cpu_demand;
  if (mig->model == PLAT_VM_MODEL_SIMGRID) mig__sgvm_set_demand(mig, (size_t)vm, demand);
  int32_t id = mig->vm_rec[vm];
  if (id >= 0) {
    mig__rec_t* rec = rec_at(mig, id);
    rec_integrate_demand(rec, now);
    rec->demand = demand;
  }
}

static void prefetch(void* userdata, int32_t pm, int32_t vm)
{
  (void)pm;
  const mig_t* mig = userdata;
  if (vm >= 0) cluster_prefetch_record(&mig->vm_rec[vm], sizeof *mig->vm_rec);
}

int mig_check_config(const config_t* cfg, lucsim_err_t* err)
{
  if (cfg->platform.vm_model == PLAT_VM_MODEL_SIMGRID && cfg->vms.count > MIG_SGVM_MAX_VMS)
    return lucsim_err_set(err, cfg->source, 0, "platform.vm_model",
                          "vm_model=simgrid is for small platforms: %d VMs; expected at most %d (use vm_model=data)",
                          cfg->vms.count, MIG_SGVM_MAX_VMS);
  return 0;
}

mig_t* mig_create(cluster_t* cl, const plat_t* plat, const config_t* cfg)
{
  lucsim_err_t err;
  if (mig_check_config(cfg, &err) != 0) {
    XBT_ERROR("%s: %s", err.field, err.message);
    return NULL;
  }
  mig_t* mig = calloc(1, sizeof *mig);
  if (!mig) return NULL;
  size_t vms       = cluster_vm_count(cl);
  mig->cl          = cl;
  mig->plat        = plat;
  mig->cfg         = cfg;
  mig->model       = cfg->platform.vm_model;
  mig->free_head   = -1;
  mig->active_head = -1;
  mig->failing_pm  = -1;
  mig->vm_rec      = malloc((vms ? vms : 1) * sizeof *mig->vm_rec);
  if (!mig->vm_rec || pool_grow(mig) != 0) {
    mig_destroy(mig);
    return NULL;
  }
  for (size_t i = 0; i < vms; i++)
    mig->vm_rec[i] = -1;
  mig->latency_factor   = sg_cfg_get_double("network/latency-factor");
  mig->bandwidth_factor = sg_cfg_get_double("network/bandwidth-factor");
  if (mig->model == PLAT_VM_MODEL_SIMGRID && mig__sgvm_init(mig) != 0) {
    mig_destroy(mig);
    return NULL;
  }
  cluster_add_listener(cl, on_cluster_event, mig);
  cluster_add_prefetcher(cl, prefetch, mig);
  return mig;
}

void mig_destroy(mig_t* mig)
{
  if (!mig) return;
  if (mig->model == PLAT_VM_MODEL_SIMGRID) mig__sgvm_fini(mig);
  for (size_t i = 0; i < mig->chunk_count; i++)
    free(mig->chunks[i]);
  free(mig->chunks);
  free(mig->vm_rec);
  free(mig);
}

int mig_start(mig_t* mig, size_t vm, size_t dst, mig_done_fn done, void* userdata)
{
  cluster_t* cl = mig->cl;
  if (vm >= cluster_vm_count(cl) || dst >= cluster_pm_count(cl)) return -1;
  const cluster_vm_t* v = cluster_vm(cl, vm);
  if (v->pm < 0 || v->migrating_to != CLUSTER_NONE || (size_t)v->pm == dst || mig->vm_rec[vm] >= 0) return -1;
  size_t src = (size_t)v->pm;
  if ((long)src == mig->failing_pm || (long)dst == mig->failing_pm) return -1;
  if (!cluster_pm(cl, src)->online || !cluster_pm(cl, dst)->online || !sg_host_is_on(plat_pm_host(mig->plat, src)) ||
      !sg_host_is_on(plat_pm_host(mig->plat, dst)))
    return -1;
  if (mig->model == PLAT_VM_MODEL_SIMGRID && mig->vm_broken[vm]) return -1;
  if (mig->islands && !islands_sites_reach(mig->islands, plat_pm_site(mig->plat, src), plat_pm_site(mig->plat, dst)))
    return -1; /* a split separates them */
  double now = simgrid_get_clock();
  if (cluster_migration_begin(cl, vm, dst, now) != 0) return -1;
  mig__rec_t* rec = rec_alloc(mig);
  xbt_assert(rec, "out of memory for migration records");
  rec->vm              = vm;
  rec->src             = src;
  rec->dst             = dst;
  rec->done            = done;
  rec->userdata        = userdata;
  rec->start_s         = now;
  rec->bytes_sent      = 0;
  rec->rounds          = 0;
  rec->downtime_s      = 0;
  rec->round_bytes     = 0;
  rec->demand          = v->cpu_demand;
  rec->demand_since_s  = now;
  rec->demand_integral = 0;
  rec->image_sent      = 0;
  bool other_site      = plat_pm_site(mig->plat, src) != plat_pm_site(mig->plat, dst);
  bool local_store     = mig->cfg->migration.image_store == MIG_IMAGE_LOCAL;
  rec->image_bytes     = other_site && local_store ? (double)mig->cfg->vms.classes[v->class_id].image_bytes : 0;
  mig->vm_rec[vm]      = rec->id;
  mig->in_flight++;
  XBT_DEBUG("VM %zu: migration %zu -> %zu starts", vm, src, dst);
  if (mig->model == PLAT_VM_MODEL_SIMGRID)
    mig__sgvm_launch(mig, rec);
  else
    data_launch(mig, rec);
  return 0;
}

void mig_set_observer(mig_t* mig, mig_done_fn fn, void* userdata)
{
  mig->observer      = fn;
  mig->observer_data = userdata;
}

/* Does a migration under way fail now? pm: the crashing PM (fail_pm), or every migration whose
 * two PMs a split separates (SIZE_MAX, fail_separated). */
static bool rec_fails(const mig_t* mig, const mig__rec_t* r, size_t pm)
{
  if (pm != SIZE_MAX) return r->src == pm || r->dst == pm;
  return !islands_sites_reach(mig->islands, plat_pm_site(mig->plat, r->src), plat_pm_site(mig->plat, r->dst));
}

static size_t fail_matching(mig_t* mig, size_t pm)
{
  size_t failed = 0;
  /* Restart the scan after each failure: callbacks may start (other) migrations. */
  for (;;) {
    mig__rec_t* rec = NULL;
    for (int32_t id = mig->active_head; id >= 0; id = rec_at(mig, id)->next) {
      mig__rec_t* r = rec_at(mig, id);
      if (rec_fails(mig, r, pm)) {
        rec = r;
        break;
      }
    }
    if (!rec) break;
    cluster_migration_abort(mig->cl, rec->vm, simgrid_get_clock());
    mig_result_t res = rec_result(rec, MIG_FAILED);
    res.bytes_sent += rec_round_bytes_at(rec, res.end_s); /* the cut round's share */
    mig_done_fn done = rec->done;
    void* userdata   = rec->userdata;
    if (mig->model == PLAT_VM_MODEL_SIMGRID)
      mig->vm_broken[rec->vm] = true; /* the plugin keeps its own half-done state for this VM */
    rec_unlink(rec);
    if (rec->actor == sg_actor_self() || !rec->actor) {
      /* the actor sees it at the end of its current transfer; or it does not exist yet (its launcher
       * yielded in sg_actor_init while this PM crashed) and sees it when it starts */
      rec->state = MIG__ZOMBIE;
    } else {
      sg_actor_kill(rec->actor); /* cancels its transfer: the flow stops using bandwidth now */
      stop_sink(rec);
      rec_free(rec);
    }
    mig->failed++;
    failed++;
    notify(mig, &res, done, userdata);
  }
  return failed;
}

void mig_fail_pm(mig_t* mig, size_t pm)
{
  long previous   = mig->failing_pm;
  mig->failing_pm = (long)pm;
  fail_matching(mig, pm);
  mig->failing_pm = previous;
}

void mig_set_ram_share_source(mig_t* mig, mig_ram_share_fn fn, void* userdata)
{
  mig->ram_share      = fn;
  mig->ram_share_data = userdata;
}

double mig__ram_in_use(const mig_t* mig, size_t vm)
{
  double ram = (double)cluster_vm(mig->cl, vm)->ram_bytes;
  if (!mig->ram_share) return ram;
  return (double)(uint64_t)(mig->ram_share(mig->ram_share_data, vm, simgrid_get_clock()) * ram);
}

void mig_set_islands(mig_t* mig, const islands_t* islands)
{
  mig->islands = islands;
}

size_t mig_fail_separated(mig_t* mig)
{
  return mig->islands ? fail_matching(mig, SIZE_MAX) : 0;
}

size_t mig_count_in_flight(const mig_t* mig)
{
  return mig->in_flight;
}
size_t mig_count_completed(const mig_t* mig)
{
  return mig->completed;
}
size_t mig_count_failed(const mig_t* mig)
{
  return mig->failed;
}
