/* Snooze's group leader (GL) role: it serves the well-known entry point (the mailbox
 * SNOOZE_GL_MAILBOX, which whoever leads reads, like a floating address), assigns joining LCs to
 * GMs of their own site by default (best fit on the GMs' mean CPU load, or round robin), keeps the GMs'
 * summaries, drops GMs silent for the timeout, registers new ones with a sequence number, and beats
 * to every GM with the GM list in election order. It runs no placement itself. */
#include "snooze_internal.h"

#include <math.h>
#include <simgrid/actor.h>
#include <simgrid/mailbox.h>
#include <stdlib.h>
#include <string.h>
#include <xbt/asserts.h>
#include <xbt/log.h>

XBT_LOG_EXTERNAL_DEFAULT_CATEGORY(snooze);

#define EPS_S 1e-9

static snooze_gl_gm_t* gl_add(snooze_svc_t* s, size_t node, uint32_t seq, uint32_t incarnation)
{
  if (s->gm_count == s->gm_cap) {
    s->gm_cap = s->gm_cap ? 2 * s->gm_cap : 16;
    s->gms    = realloc(s->gms, s->gm_cap * sizeof *s->gms);
    xbt_assert(s->gms, "out of memory");
  }
  snooze_gl_gm_t* g = &s->gms[s->gm_count++];
  *g                = (snooze_gl_gm_t){.node           = node,
                                       .seq            = seq,
                                       .incarnation    = incarnation,
                                       .last_summary_s = sched_now(s->sz->ctx),
                                       .last_assign_s  = -INFINITY};
  if (seq >= s->next_seq) s->next_seq = seq + 1;
  return g;
}

static void gl_remove(snooze_svc_t* s, size_t i)
{
  for (size_t k = i + 1; k < s->gm_count; k++) /* keep seq order */
    s->gms[k - 1] = s->gms[k];
  s->gm_count--;
}

void snooze__gl_promote(snooze_svc_t* s)
{
  sched_set_leader(s->sz->ctx, s->node); /* the engine measures the time without a GL */
  s->gm_count  = 0;
  s->next_seq  = 0;
  s->rr_next   = 0;
  uint32_t own = 0;
  for (size_t i = 0; s->gl_list && i < s->gl_list->count; i++) {
    const snooze_member_t* m = &s->gl_list->member[i];
    if (m->node == s->node) own = m->seq;
    if (m->node == s->node || m->node == s->gl_node) continue; /* the old leader is presumed dead */
    gl_add(s, m->node, m->seq, 0)->incarnation = 0;            /* 0: learnt from the list, any incarnation */
  }
  if (own >= s->next_seq) s->next_seq = own + 1;
  s->gl_seq = own;
}

static bool gl_alive(const snooze_svc_t* s, const snooze_gl_gm_t* g, double now)
{
  return now - g->last_summary_s <= s->sz->timeout_s + EPS_S;
}

/* Site scope: the site whose GMs may take the LC of PM pm, the PM's own when it has a live GM
 * (other than avoid), else the site of the nearest one by route latency from the PM (ties: lowest
 * seq). SNOOZE_NONE: any site (global scope, or no live GM at all). */
static size_t gl_join_site(const snooze_svc_t* s, size_t avoid, double now, size_t pm)
{
  const snooze_t* sz = s->sz;
  if (sz->scope == SNOOZE_SCOPE_GLOBAL) return SNOOZE_NONE;
  size_t site = sched_pm_site(sz->ctx, pm), nearest = SNOOZE_NONE;
  for (size_t k = 0; k < s->gm_count; k++)
    if (s->gms[k].node != avoid && gl_alive(s, &s->gms[k], now) && sched_node_site(sz->ctx, s->gms[k].node) == site)
      return site;
  double best = INFINITY;
  for (size_t k = 0; k < s->gm_count; k++) {
    if (s->gms[k].node == avoid || !gl_alive(s, &s->gms[k], now)) continue;
    double latency = sched_route_latency(sz->ctx, pm, s->gms[k].node);
    if (latency < best) {
      best    = latency;
      nearest = sched_node_site(sz->ctx, s->gms[k].node);
    }
  }
  return nearest;
}

/* Whether GM g may take a joining LC: live, not the one to avoid, in site (SNOOZE_NONE: any). */
static bool gl_eligible(const snooze_svc_t* s, const snooze_gl_gm_t* g, size_t avoid, size_t site, double now)
{
  return g->node != avoid && gl_alive(s, g, now) &&
         (site == SNOOZE_NONE || sched_node_site(s->sz->ctx, g->node) == site);
}

/* The GM for the LC of PM pm, or NULL: among the GMs of its site (site scope, gl_join_site), best
 * fit = lowest mean CPU, then fewest LCs, then lowest seq. */
static snooze_gl_gm_t* gl_choose(snooze_svc_t* s, size_t avoid, double now, size_t pm)
{
  snooze_gl_gm_t* best = NULL;
  size_t site          = gl_join_site(s, avoid, now, pm);
  if (s->sz->assign == SNOOZE_ROUNDROBIN) {
    for (size_t k = 0; k < s->gm_count && !best; k++) {
      snooze_gl_gm_t* g = &s->gms[(s->rr_next + k) % s->gm_count];
      if (gl_eligible(s, g, avoid, site, now)) {
        best       = g;
        s->rr_next = (s->rr_next + k + 1) % s->gm_count;
      }
    }
    return best;
  }
  /* Only GMs under pms_per_gm LCs compete while there is one (bestfit alone sends every LC to the
   * group of lowest mean load, which can grow without bound when loads are even). */
  bool room = false;
  for (size_t k = 0; k < s->gm_count && !room; k++)
    room = gl_eligible(s, &s->gms[k], avoid, site, now) && (double)s->gms[k].lcs < s->sz->pms_per_gm;
  double best_mean = INFINITY;
  for (size_t k = 0; k < s->gm_count; k++) { /* seq order: strict comparisons keep the lowest seq */
    snooze_gl_gm_t* g = &s->gms[k];
    if (!gl_eligible(s, g, avoid, site, now) || (room && (double)g->lcs >= s->sz->pms_per_gm)) continue;
    double mean = g->lcs ? g->cpu_sum / (double)g->lcs : 0.0;
    /* means within 1e-6 % are a tie (sums of equal loads differ in the last bits) */
    if (!best || mean < best_mean - 1e-6 || (fabs(mean - best_mean) <= 1e-6 && g->lcs < best->lcs)) {
      best      = g;
      best_mean = mean;
    }
  }
  return best;
}

static void gl_handle(snooze_svc_t* s, snooze_msg_t* m)
{
  snooze_t* sz = s->sz;
  double now   = sched_now(sz->ctx);
  if (m->kind == SNOOZE_MSG_JOIN_REQ && now - m->sent_s <= sz->join_timeout_s) {
    snooze_gl_gm_t* g = gl_choose(s, m->gm, now, m->pm);
    if (g) {
      if (sz->scope == SNOOZE_SCOPE_SITE && sched_node_site(sz->ctx, g->node) != sched_pm_site(sz->ctx, m->pm))
        snooze__event(sz, "lc-other-site", s->node, m->pm, g->node, sched_route_latency(sz->ctx, m->pm, g->node));
      g->lcs++; /* the GL's estimate until a summary that includes this LC */
      g->last_assign_s = now;
      XBT_DEBUG("GL assigns PM %zu to GM node %zu (%zu LCs, mean %.3f %%)", m->pm, g->node, g->lcs,
                g->cpu_sum / (double)g->lcs);
      g->cpu_sum += m->cpu_pct;
      snooze_msg_t* a = snooze__msg_new(SNOOZE_MSG_ASSIGN, s->node);
      a->gm           = g->node;
      a->attempt      = m->attempt;
      snooze__msg_send(sz, sz->lcs[m->pm].mailbox, a, s->node);
    }
  } else if (m->kind == SNOOZE_MSG_SUMMARY && m->from != s->node) { /* not its own, from its GM days */
    snooze_gl_gm_t* g = NULL;
    for (size_t k = 0; k < s->gm_count && !g; k++)
      if (s->gms[k].node == m->from) g = &s->gms[k];
    if (g && g->incarnation != 0 && g->incarnation != m->incarnation) { /* restarted: a new seq */
      gl_remove(s, (size_t)(g - s->gms));
      g = NULL;
    }
    if (!g) {
      g = gl_add(s, m->from, s->next_seq, m->incarnation);
      snooze__event(sz, "gm-registered", s->node, SNOOZE_NONE, m->from, (double)g->seq);
    }
    g->incarnation    = m->incarnation;
    g->last_summary_s = now;
    /* a summary sent before the last assignment could complete misses that LC: keep the estimate */
    if (m->sent_s > g->last_assign_s + sz->join_timeout_s) {
      g->lcs     = m->count;
      g->cpu_sum = m->cpu_pct * (double)m->count;
    }
  }
  free(m);
}

/* Every period: drop silent GMs, then beat to the others with the list (GL first, then by seq),
 * as one multicast, as Snooze's GL heartbeat is (IP multicast to the GMs' group) and as a GM's
 * beat to its LCs is (gm.c): one transfer of message_bytes + 8 B per listed node (node and seq)
 * to the first GM, after which every GM the GL reaches, up and serving as a GM, has the list (one
 * list for all). Its bytes count once per GM reached. Sent one by one, the beats were G flows of
 * G entries from the GL's link at once: SimGrid's sharing of that link and its list of detached
 * transfers grew with the square of the number of GMs (docs/PERFORMANCE.md, "Snooze"). */
static void gl_beat(snooze_svc_t* s)
{
  snooze_t* sz = s->sz;
  double now   = sched_now(sz->ctx);
  for (size_t k = s->gm_count; k-- > 0;)
    if (!gl_alive(s, &s->gms[k], now)) {
      snooze__event(sz, "gm-dropped", s->node, SNOOZE_NONE, s->gms[k].node, now - s->gms[k].last_summary_s);
      gl_remove(s, k);
    }
  if (s->gm_count == 0) return;
  snooze_gl_list_t* list = snooze__gl_list_new(s->gm_count + 1);
  list->member[0]        = (snooze_member_t){.node = s->node, .seq = s->gl_seq};
  for (size_t i = 0; i < s->gm_count; i++)
    list->member[i + 1] = (snooze_member_t){.node = s->gms[i].node, .seq = s->gms[i].seq};
  double bytes = sz->message_bytes + 8.0 * (double)list->count;
  size_t first = list->member[1].node;
  XBT_DEBUG("node %zu multicasts a %s to %zu GMs", s->node, snooze__msg_name(SNOOZE_MSG_GL_BEAT), s->gm_count);
  sched_transfer(sz->ctx, s->node, first, bytes);                      /* counts its bytes when it travels */
  if (sched_node_is_up(sz->ctx, s->node) && s->role == SNOOZE_ROLE_GL) /* not dead while sending */
    for (size_t i = 1; i < list->count; i++) {
      size_t node     = list->member[i].node;
      snooze_svc_t* g = snooze__svc_of(sz, node);
      if (!g || g->role != SNOOZE_ROLE_GM || !sched_node_is_up(sz->ctx, node) ||
          !sched_nodes_reach(sz->ctx, s->node, node))
        continue;
      if (node != first) sched_count_message(sz->ctx, s->node, node, bytes);
      snooze__gm_take_gl_beat(g, s->node, list, i - 1); /* the GL is list[0], the GMs follow by seq */
    }
  snooze__gl_list_release(list);
}

/* Another GL that s reaches and that ZooKeeper's rule ranks first (lower sequence number, then
 * node), once the backbone has split: GLs of two islands meet when the islands merge. Reading the
 * roles stands for reading the election znodes, as the election itself does (docs/SNOOZE.md).
 * Without a split nothing is checked: a GL elected while the first one lived (10K PMs: the first
 * GL's beat is late in the join storm) keeps serving beside it, as before islands existed. */
static bool gl_outranked(const snooze_svc_t* s)
{
  const snooze_t* sz = s->sz;
  if (!sched_backbone_has_split(sz->ctx)) return false;
  for (size_t i = 0; i < sz->svc_count; i++) {
    const snooze_svc_t* t = &sz->svcs[i];
    if (t == s || t->role != SNOOZE_ROLE_GL || !sched_node_is_up(sz->ctx, t->node) ||
        !sched_nodes_reach(sz->ctx, s->node, t->node))
      continue;
    if (t->gl_seq < s->gl_seq || (t->gl_seq == s->gl_seq && t->node < s->node)) return true;
  }
  return false;
}

void snooze__gl_run(snooze_svc_t* s)
{
  snooze_t* sz = s->sz;
  /* the entry point now delivers to this node's reader: messages are transferred as soon as they are
   * sent (in parallel) instead of one rendez-vous at a time; they wait in its inbox (inbox.c) */
  char entry[SNOOZE_ENTRY_MAX] = "";
  double next_beat             = snooze__beat_time(s, sched_now(sz->ctx));
  for (;;) {
    char now_entry[SNOOZE_ENTRY_MAX];
    snooze__entry_point(sz, s->node, now_entry); /* changes when the backbone splits or merges */
    if (strcmp(now_entry, entry) != 0) {
      memcpy(entry, now_entry, sizeof entry);
      snooze__inbox_serve(s, entry);
    }
    double wait = next_beat - sched_now(sz->ctx);
    void* p     = NULL;
    int rc      = snooze__inbox_recv(s, wait, &p);
    if (rc == SCHED_MSG_NODE_DOWN) {
      free(p);
      return;
    }
    if (rc == SCHED_MSG_OK) gl_handle(s, p);
    if (gl_outranked(s)) {
      snooze__event(sz, "gl-stepdown", s->node, SNOOZE_NONE, SNOOZE_NONE, NAN);
      XBT_VERB("node %zu steps down: a group leader ranked before it is in its island again", s->node);
      snooze__svc_restart_as_gm(s);
      return;
    }
    double now = sched_now(sz->ctx);
    if (now >= next_beat - EPS_S) {
      gl_beat(s);
      next_beat = snooze__beat_time(s, now + EPS_S);
    }
  }
}
