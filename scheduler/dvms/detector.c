/* DVMS's failure detector: what the agents know of which PMs are dead, as heartbeats would tell
 * them (dvms.h, "Failure detector"). Each PM beats every heartbeat_period on its own phase; its
 * peers suspect it heartbeat_timeout after the last beat it sent before crashing, and trust it again
 * at its first beat after its repair. Peers cut off by a split of the backbone suspect it the same
 * way from the split on (its beats stop reaching them), and trust it again once the islands merge. A PM repaired before
 * anyone noticed is never suspected, but its first beat (sent as it boots) carries a new incarnation: its former
 * partition drops it. The beats' timing is modelled, not their traffic (no message is sent for them): at 10,000 PMs
 * they would be millions of flows. The crash and repair times come from the scheduler's crash callbacks; no protocol
 * decision reads the engine's up/down flag of another PM. */
#include "dvms/dvms.h"

#include <math.h>
#include <stdlib.h>

struct dvms_fd {
  size_t pms;
  double period_s, timeout_s;
  bool* crashed;      /* per PM: between its crash and its repair */
  double* suspect_at; /* per PM: from when its peers suspect it (crashed) */
  double* trust_at;   /* per PM: until when they still do (repaired after being suspected) */
};

dvms_fd_t* dvms_fd_create(size_t pms, double period_s, double timeout_s)
{
  dvms_fd_t* fd = calloc(1, sizeof *fd);
  if (!fd) return NULL;
  size_t n       = pms ? pms : 1;
  fd->pms        = pms;
  fd->period_s   = period_s;
  fd->timeout_s  = timeout_s;
  fd->crashed    = calloc(n, sizeof *fd->crashed);
  fd->suspect_at = calloc(n, sizeof *fd->suspect_at);
  fd->trust_at   = calloc(n, sizeof *fd->trust_at);
  if (!fd->crashed || !fd->suspect_at || !fd->trust_at) {
    dvms_fd_destroy(fd);
    return NULL;
  }
  for (size_t pm = 0; pm < pms; pm++)
    fd->trust_at[pm] = -INFINITY;
  return fd;
}

void dvms_fd_destroy(dvms_fd_t* fd)
{
  if (!fd) return;
  free(fd->crashed);
  free(fd->suspect_at);
  free(fd->trust_at);
  free(fd);
}

/* PM pm beats at k * period + phase(pm): phases spread by the golden ratio, so neighbours do not
 * beat in step. */
static double phase(const dvms_fd_t* fd, size_t pm)
{
  return fd->period_s * fmod((double)pm * 0.6180339887498949, 1.0);
}

/* The last beat of pm at or before t. */
static double last_beat(const dvms_fd_t* fd, size_t pm, double t)
{
  double ph = phase(fd, pm);
  return ph + floor((t - ph) / fd->period_s) * fd->period_s;
}

double dvms_fd_crash(dvms_fd_t* fd, size_t pm, double now)
{
  fd->crashed[pm]    = true;
  fd->suspect_at[pm] = last_beat(fd, pm, now) + fd->timeout_s;
  fd->trust_at[pm]   = -INFINITY;
  return fd->suspect_at[pm];
}

void dvms_fd_recover(dvms_fd_t* fd, size_t pm, double now)
{
  fd->crashed[pm] = false;
  if (now < fd->suspect_at[pm]) return; /* back before anyone noticed */
  double ph        = phase(fd, pm);
  fd->trust_at[pm] = ph + ceil((now - ph) / fd->period_s) * fd->period_s;
}

bool dvms_fd_suspects(const dvms_fd_t* fd, size_t pm, double now)
{
  return fd->crashed[pm] ? now >= fd->suspect_at[pm] : now < fd->trust_at[pm];
}

bool dvms_fd_suspected_by(const dvms_fd_t* fd, const sched_ctx_t* ctx, size_t observer, size_t pm, double now)
{
  if (dvms_fd_suspects(fd, pm, now)) return true;
  double apart_since = sched_nodes_apart_since(ctx, observer, pm);
  return apart_since >= 0 && now >= last_beat(fd, pm, apart_since) + fd->timeout_s;
}
