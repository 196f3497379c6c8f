/* DVMS booking table and partition metrics: which partition owns each PM, with the checked invariant
 * "no PM is ever in two partitions at once" (xbt_assert on every booking), and one row of
 * dvms_partitions.csv per partition when its last member leaves. A god's-eye recorder: the protocol
 * (protocol.c) never reads it to decide anything. */
#include "dvms/dvms.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <xbt/asserts.h>
#include <xbt/dict.h>

typedef struct dvms_record {
  uint64_t pid;
  uint32_t initiator;
  double start_s;
  size_t owners; /* PMs booked by it right now */
  size_t max_size, hops, merges;
  char reason[24];
  uint32_t* members;
  size_t member_count;
} dvms_record_t;

struct dvms_book {
  size_t pms;
  uint64_t* owner; /* per PM: pid, 0 = free */
  dvms_record_t* live;
  size_t live_len, live_cap;
  xbt_dict_t live_index; /* pid (pid_key) -> 1 + its record's index in live: ~700 live at 100K PMs */
  FILE* csv;
  dvms_stats_t stats;
};

dvms_book_t* dvms_book_create(size_t pm_count)
{
  dvms_book_t* b = calloc(1, sizeof *b);
  xbt_assert(b, "out of memory");
  b->pms   = pm_count;
  b->owner = calloc(pm_count ? pm_count : 1, sizeof *b->owner);
  xbt_assert(b->owner, "out of memory");
  b->live_index = xbt_dict_new_homogeneous(NULL);
  return b;
}

void dvms_book_destroy(dvms_book_t* b)
{
  if (!b) return;
  for (size_t i = 0; i < b->live_len; i++)
    free(b->live[i].members);
  free(b->live);
  xbt_dict_free(&b->live_index);
  free(b->owner);
  free(b);
}

void dvms_book_set_csv(dvms_book_t* b, FILE* csv)
{
  b->csv = csv;
  if (csv) fprintf(csv, "partition,initiator,start_s,end_s,duration_s,max_pms,hops,merges,outcome,pms\n");
}

/* A pid as a key of the index: 7 bits per byte, the high bit set, so no byte is 0 (SimGrid 3.32's
 * xbt_dict_remove_ext compares keys with strncmp). */
enum { PID_KEY_LEN = 10 };
static const char* pid_key(uint64_t pid, char key[PID_KEY_LEN])
{
  for (int i = 0; i < PID_KEY_LEN; i++, pid >>= 7)
    key[i] = (char)(0x80 | (pid & 0x7f));
  return key;
}

static dvms_record_t* find(dvms_book_t* b, uint64_t pid)
{
  char key[PID_KEY_LEN];
  uintptr_t at = (uintptr_t)xbt_dict_get_or_null_ext(b->live_index, pid_key(pid, key), PID_KEY_LEN);
  return at ? &b->live[at - 1] : NULL;
}

static void index_record(dvms_book_t* b, size_t i)
{
  char key[PID_KEY_LEN];
  xbt_dict_set_ext(b->live_index, pid_key(b->live[i].pid, key), PID_KEY_LEN, (void*)(uintptr_t)(i + 1));
}

void dvms_book_open(dvms_book_t* b, uint64_t pid, size_t initiator, double now_s)
{
  xbt_assert(!find(b, pid), "partition %llu opened twice", (unsigned long long)pid);
  if (b->live_len == b->live_cap) {
    b->live_cap = b->live_cap ? 2 * b->live_cap : 16;
    b->live     = realloc(b->live, b->live_cap * sizeof *b->live);
    xbt_assert(b->live, "out of memory");
  }
  b->live[b->live_len] = (dvms_record_t){.pid = pid, .initiator = (uint32_t)initiator, .start_s = now_s};
  index_record(b, b->live_len++);
  b->stats.partitions++;
  if (b->live_len > b->stats.max_live) b->stats.max_live = b->live_len;
}

bool dvms_book_take(dvms_book_t* b, size_t pm, uint64_t pid)
{
  xbt_assert(pm < b->pms && pid != 0, "bad booking of PM %zu", pm);
  xbt_assert(b->owner[pm] == 0, "invariant broken: PM %zu booked by partition %llu while in partition %llu", pm,
             (unsigned long long)pid, (unsigned long long)b->owner[pm]);
  dvms_record_t* r = find(b, pid);
  if (!r) return false; /* every member left already: a late join, refused */
  b->owner[pm] = pid;
  r->owners++;
  b->stats.bookings++;
  return true;
}

bool dvms_book_switch(dvms_book_t* b, size_t pm, uint64_t from, uint64_t to, double now_s)
{
  xbt_assert(pm < b->pms && b->owner[pm] == from,
             "invariant broken: PM %zu switches from partition %llu to %llu while owned by %llu", pm,
             (unsigned long long)from, (unsigned long long)to, (unsigned long long)b->owner[pm]);
  if (!find(b, to)) return false;        /* the absorbing partition ended meanwhile */
  dvms_book_release(b, pm, from, now_s); /* the absorbed partition's row ends with its last member */
  b->owner[pm] = to;
  find(b, to)->owners++; /* found again: the release may have moved the live records */
  b->stats.bookings++;
  return true;
}

static void write_row(dvms_book_t* b, const dvms_record_t* r, double end_s)
{
  if (!b->csv) return;
  fprintf(b->csv, "%u.%u,%u,%.9f,%.9f,%.9f,%zu,%zu,%zu,%s,", (unsigned)(r->pid >> 32), (unsigned)(r->pid & 0xffffffffu),
          r->initiator, r->start_s, end_s, end_s - r->start_s, r->max_size, r->hops, r->merges,
          r->reason[0] ? r->reason : "timeout");
  for (size_t i = 0; i < r->member_count; i++)
    fprintf(b->csv, i ? " %u" : "%u", r->members[i]);
  fputc('\n', b->csv);
}

static void close_record(dvms_book_t* b, dvms_record_t* r, double end_s)
{
  const char* why = r->reason[0] ? r->reason : "timeout";
  if (strcmp(why, "solved") == 0 || strcmp(why, "nothing-to-do") == 0)
    b->stats.solved++;
  else if (strcmp(why, "merged") == 0)
    b->stats.merged++;
  else if (strcmp(why, "timeout") == 0)
    b->stats.timeouts++;
  else
    b->stats.dissolved++;
  b->stats.hops += r->hops;
  write_row(b, r, end_s);
  free(r->members);
  char key[PID_KEY_LEN];
  xbt_dict_remove_ext(b->live_index, pid_key(r->pid, key), PID_KEY_LEN);
  *r = b->live[--b->live_len]; /* the last record takes r's place */
  if (r != &b->live[b->live_len]) index_record(b, (size_t)(r - b->live));
}

void dvms_book_release(dvms_book_t* b, size_t pm, uint64_t pid, double now_s)
{
  xbt_assert(pm < b->pms && b->owner[pm] == pid, "PM %zu leaves partition %llu but is owned by %llu", pm,
             (unsigned long long)pid, (unsigned long long)(pm < b->pms ? b->owner[pm] : 0));
  dvms_record_t* r = find(b, pid);
  xbt_assert(r && r->owners > 0, "partition %llu has no member to release", (unsigned long long)pid);
  b->owner[pm] = 0;
  if (--r->owners == 0) close_record(b, r, now_s);
}

uint64_t dvms_book_owner(const dvms_book_t* b, size_t pm)
{
  return pm < b->pms ? b->owner[pm] : 0;
}

void dvms_book_note(dvms_book_t* b, uint64_t pid, size_t size, size_t hops, size_t merges, const char* reason)
{
  dvms_record_t* r = find(b, pid);
  if (!r) return;
  if (size > r->max_size) r->max_size = size;
  if (hops > r->hops) r->hops = hops;
  if (merges > r->merges) r->merges = merges;
  if (reason && !r->reason[0]) snprintf(r->reason, sizeof r->reason, "%s", reason);
}

void dvms_book_set_members(dvms_book_t* b, uint64_t pid, const uint32_t* members, size_t count)
{
  dvms_record_t* r = find(b, pid);
  if (!r) return;
  uint32_t* m = realloc(r->members, (count ? count : 1) * sizeof *m);
  xbt_assert(m, "out of memory");
  memcpy(m, members, count * sizeof *m);
  r->members      = m;
  r->member_count = count;
  if (count > r->max_size) r->max_size = count;
}

dvms_stats_t* dvms_book_stats(dvms_book_t* b)
{
  return &b->stats;
}
