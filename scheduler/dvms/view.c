/* DVMS partition views: a partition's member set kept sorted by PM index (membership by binary
 * search, insertion in order), and the ring walk that finds the next PM a partition may grow to
 * (PM order, or the locality overlay's ring of overlay.c).
 * Not the protocol that changes views (protocol.c), nor the booking checker (book.c). */
#include "dvms/dvms.h"

#include <stdlib.h>
#include <string.h>
#include <xbt/asserts.h>

bool dvms__view_has(const dvms_view_t* v, uint32_t pm)
{
  size_t lo = 0, hi = v->count;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (v->members[mid] == pm) return true;
    if (v->members[mid] < pm)
      lo = mid + 1;
    else
      hi = mid;
  }
  return false;
}

void dvms__view_reserve(dvms_view_t* v, uint32_t n)
{
  if (n <= v->cap) return;
  uint32_t cap = v->cap ? v->cap : 8;
  while (cap < n)
    cap *= 2;
  v->members = realloc(v->members, cap * sizeof *v->members);
  xbt_assert(v->members, "out of memory");
  v->cap = cap;
}

void dvms__view_add(dvms_view_t* v, uint32_t pm)
{
  if (dvms__view_has(v, pm)) return;
  dvms__view_reserve(v, v->count + 1);
  uint32_t i = v->count;
  while (i > 0 && v->members[i - 1] > pm) {
    v->members[i] = v->members[i - 1];
    i--;
  }
  v->members[i] = pm;
  v->count++;
}

void dvms__view_remove_at(dvms_view_t* v, uint32_t i)
{
  memmove(&v->members[i], &v->members[i + 1], (v->count - i - 1) * sizeof *v->members);
  v->count--;
}

/* dst takes src's fields and a copy of its members (dst keeps its own buffer). */
void dvms__view_copy(dvms_view_t* dst, const dvms_view_t* src)
{
  uint32_t* buf = dst->members;
  uint32_t cap  = dst->cap;
  *dst          = *src;
  dst->members  = buf;
  dst->cap      = cap;
  dvms__view_reserve(dst, src->count);
  memcpy(dst->members, src->members, src->count * sizeof *dst->members);
}

void dvms__view_clear(dvms_view_t* v)
{
  uint32_t* buf = v->members;
  uint32_t cap  = v->cap;
  *v            = (dvms_view_t){.members = buf, .cap = cap};
}

/* The first PM not suspected dead (failure detector) after `from` on isp's ring that is not in skip and not in isp,
 * except isp's initiator (reaching it means the ISP went round: deadlock rules 1 and 2). DVMS_NONE if none. The ring is
 * PM order, or under the locality overlay the initiator's own ring (every hop of one ISP walks the same ring, so it
 * goes round exactly as on the PM-order ring). */
uint32_t dvms__next_node(const dvms_t* d, uint32_t from, const dvms_view_t* skip, const dvms_view_t* isp)
{
  const dvms_overlay_t* o = isp ? d->overlay : NULL;
  size_t start            = o ? dvms__overlay_pos(o, isp->initiator, from) : from;
  for (size_t k = 1; k < d->pms; k++) {
    uint32_t s =
        o ? dvms__overlay_at(o, isp->initiator, (uint32_t)((start + k) % d->pms)) : (uint32_t)((from + k) % d->pms);
    if (dvms_fd_suspected_by(d->fd, d->ctx, from, s, sched_now(d->ctx)))
      continue; /* not known dead or cut off: tried (lost if dead or cut off) */
    if (skip && dvms__view_has(skip, s)) continue;
    if (isp && dvms__view_has(isp, s) && s != isp->initiator) continue;
    return s;
  }
  return DVMS_NONE;
}
