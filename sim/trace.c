/* The streaming Paje writer (see trace.h, docs/TRACE.md): one line per event, written through a
 * large stdio buffer, with per-PM "last value" tables and a fixed open-link table allocated at open.
 * It does not read traces back (tests use pj_dump) and keeps no event in memory. */
#include "trace.h"

#include "trace_defs.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xbt/asserts.h>
#include <xbt/log.h>

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(trace, lucsim, "Paje trace writer");

static const char* const pm_state_alias[TRACE_PM_STATE_COUNT]     = {"n", "v", "vd", "vo", "off"};
static const char* const pm_sched_alias[TRACE_SCHED_STATE_COUNT]  = {"pf", "pb", "pc", "pr"};
static const char* const svc_sched_alias[TRACE_SCHED_STATE_COUNT] = {"sf", "sb", "sc", "sr"};
static const char* const pm_var_alias[TRACE_PM_VAR_COUNT]         = {"cd", "vc"};
static const char* const root_var_alias[TRACE_ROOT_VAR_COUNT]     = {"gl", "pv"};

#define STATE_UNSET 0xFFu

/* An open MIGRATION link; slot empty when src == UINT32_MAX. */
typedef struct trace_link {
  uint64_t id;
  uint32_t src;
  uint32_t dst;
} trace_link_t;

struct trace {
  out_trace_t mode;
  FILE* file;                 /* NULL in none mode and after close */
  char* buffer;               /* TRACE_BUFFER_BYTES, the stdio buffer of file */
  char path[LUCSIM_PATH_MAX]; /* for error messages */
  size_t pm_count;
  size_t service_count;
  size_t site_count;    /* > 1: PMs and service nodes nest in one SITE container per site */
  size_t* pm_site;      /* pm_count entries when site_count > 1, else NULL */
  size_t* service_site; /* service_count entries (at least one) when site_count > 1, else NULL */
  uint8_t* pm_state;    /* pm_count: last written trace_pm_state_t, STATE_UNSET before */
  uint8_t* pm_sched;    /* pm_count: last written SCHED_STATE of the agent on each PM */
  uint8_t* svc_sched;   /* service_count: same for service nodes */
  double* pm_var;       /* pm_count * TRACE_PM_VAR_COUNT: last written values, NaN before */
  double root_var[TRACE_ROOT_VAR_COUNT];
  trace_link_t* links; /* open-addressing table of open links, link_cap slots (power of 2) */
  size_t link_cap;
  size_t link_count;
  bool link_overflow_warned;
  bool initial_pending; /* PMs still unset get "normal" at t = 0 before the first later event */
  bool closed;
  double last_time_s; /* times must be non-decreasing */
  uint64_t events;
};

/* Line builders: fixed-point decimal output with trailing zeros trimmed ("12.25", "3", "0.000000001").
 * Faster than printf's %f (which dominated the profile) and as deterministic. */
#define TRACE_LINE_MAX 160

static char* put_str(char* p, const char* s)
{
  while (*s)
    *p++ = *s++;
  return p;
}

static char* put_uint(char* p, uint64_t v)
{
  char tmp[20];
  int n = 0;
  do {
    tmp[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  while (n)
    *p++ = tmp[--n];
  return p;
}

/* |v| < 1e9 with 9 decimals (times), |v| < 1e12 with 6 (variables): fits in 63 bits once scaled. */
static char* put_fixed(char* p, double v, unsigned decimals)
{
  static const uint64_t scales[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000};
  if (v < 0) {
    *p++ = '-';
    v    = -v;
  }
  uint64_t scale = scales[decimals];
  uint64_t x     = (uint64_t)llround(v * (double)scale);
  p              = put_uint(p, x / scale);
  uint64_t frac  = x % scale;
  if (frac == 0) return p;
  while (frac % 10 == 0) {
    frac /= 10;
    decimals--;
  }
  *p++ = '.';
  for (unsigned i = decimals; i > 0; i--) {
    p[i - 1] = (char)('0' + frac % 10);
    frac /= 10;
  }
  return p + decimals;
}

/* "<event> <time> " */
static char* put_head(char* p, int event, double time_s)
{
  p    = put_uint(p, (uint64_t)event);
  *p++ = ' ';
  p    = put_fixed(p, time_s, 9);
  *p++ = ' ';
  return p;
}

/* "<c><index>" container alias */
static char* put_container(char* p, char c, size_t index)
{
  *p++ = c;
  return put_uint(p, index);
}

static void trace_put_line(trace_t* tr, char* line, char* end)
{
  *end++ = '\n';
  fwrite(line, 1, (size_t)(end - line), tr->file);
  tr->events++;
}

/* "11 <time> <c><index> <type> <value>" */
static void trace_put_state(trace_t* tr, double time_s, char c, size_t index, const char* type, const char* value)
{
  char line[TRACE_LINE_MAX];
  char* p = put_head(line, EV_SET_STATE, time_s);
  p       = put_container(p, c, index);
  *p++    = ' ';
  p       = put_str(p, type);
  *p++    = ' ';
  p       = put_str(p, value);
  trace_put_line(tr, line, p);
}

/* "8 <time> <c><index> <type> <value>" (root: c = 'r', index ignored) */
static void trace_put_variable(trace_t* tr, double time_s, char c, size_t index, const char* type, double value)
{
  xbt_assert(isfinite(value) && fabs(value) < 1e12, "trace: variable %s out of range (%g)", type, value);
  char line[TRACE_LINE_MAX];
  char* p = put_head(line, EV_SET_VARIABLE, time_s);
  p       = c == 'r' ? put_str(p, "r") : put_container(p, c, index);
  *p++    = ' ';
  p       = put_str(p, type);
  *p++    = ' ';
  p       = put_fixed(p, value, 6);
  trace_put_line(tr, line, p);
}

/* "7 <time> <type> <c><index>" (root: c = 'r') */
static void trace_put_destroy(trace_t* tr, double time_s, const char* type, char c, size_t index)
{
  char line[TRACE_LINE_MAX];
  char* p = put_head(line, EV_DESTROY_CONTAINER, time_s);
  p       = put_str(p, type);
  *p++    = ' ';
  p       = c == 'r' ? put_str(p, "r") : put_container(p, c, index);
  trace_put_line(tr, line, p);
}

/* "16|19 <time> r M p<pm> migration <id>": the value is written out, not an alias of a value defined on
 * the link type (ViTE takes entity values for states only, and complains of one on a link type). */
static void trace_put_link(trace_t* tr, int event, double time_s, size_t pm, uint64_t id)
{
  char line[TRACE_LINE_MAX];
  char* p = put_head(line, event, time_s);
  p       = put_str(p, "r M ");
  p       = put_container(p, 'p', pm);
  p       = put_str(p, " migration ");
  p       = put_uint(p, id);
  trace_put_line(tr, line, p);
}

static void trace_flush_initial(trace_t* tr);

/* Common entry checks: NULL/none/closed handles ignore calls; times never go back. */
static bool trace_accepts(trace_t* tr, double time_s)
{
  if (!tr || !tr->file) return false;
  xbt_assert(time_s >= tr->last_time_s, "trace: time went back from %.9f to %.9f", tr->last_time_s, time_s);
  xbt_assert(time_s < 1e9, "trace: time %g s is beyond the writer's range (1e9 s)", time_s);
  tr->last_time_s = time_s;
  if (tr->initial_pending && time_s > 0) trace_flush_initial(tr);
  return true;
}

static void trace_flush_initial(trace_t* tr)
{
  tr->initial_pending = false;
  for (size_t pm = 0; pm < tr->pm_count; pm++) {
    if (tr->pm_state[pm] != STATE_UNSET) continue;
    tr->pm_state[pm] = TRACE_PM_NORMAL;
    trace_put_state(tr, 0, 'p', pm, "PS", pm_state_alias[TRACE_PM_NORMAL]);
  }
}

static void trace_free(trace_t* tr)
{
  free(tr->pm_site);
  free(tr->service_site);
  free(tr->pm_state);
  free(tr->pm_sched);
  free(tr->svc_sched);
  free(tr->pm_var);
  free(tr->links);
  free(tr->buffer);
  free(tr);
}

static size_t trace_link_capacity(size_t pm_count)
{
  size_t want = TRACE_MAX_OPEN_LINKS(pm_count) * 2; /* load factor <= 1/2 */
  size_t cap  = 1024;
  while (cap < want)
    cap <<= 1;
  return cap;
}

static int trace_alloc_tables(trace_t* tr)
{
  size_t n      = tr->pm_count ? tr->pm_count : 1;
  tr->pm_state  = malloc(n);
  tr->pm_sched  = malloc(n);
  tr->svc_sched = malloc(tr->service_count ? tr->service_count : 1);
  tr->pm_var    = malloc(n * TRACE_PM_VAR_COUNT * sizeof *tr->pm_var);
  tr->link_cap  = trace_link_capacity(tr->pm_count);
  tr->links     = malloc(tr->link_cap * sizeof *tr->links);
  tr->buffer    = malloc(TRACE_BUFFER_BYTES);
  if (!tr->pm_state || !tr->pm_sched || !tr->svc_sched || !tr->pm_var || !tr->links || !tr->buffer) return -1;
  memset(tr->pm_state, STATE_UNSET, n);
  memset(tr->pm_sched, STATE_UNSET, n);
  memset(tr->svc_sched, STATE_UNSET, tr->service_count ? tr->service_count : 1);
  for (size_t i = 0; i < n * TRACE_PM_VAR_COUNT; i++)
    tr->pm_var[i] = NAN;
  for (size_t i = 0; i < TRACE_ROOT_VAR_COUNT; i++)
    tr->root_var[i] = NAN;
  for (size_t i = 0; i < tr->link_cap; i++)
    tr->links[i].src = UINT32_MAX;
  return 0;
}

/* Copies the sites (multi-site platforms only: one site keeps the flat hierarchy). */
static int trace_copy_sites(trace_t* tr, const trace_sites_t* sites)
{
  if (!sites || sites->count <= 1) return 0;
  tr->pm_site      = malloc((tr->pm_count ? tr->pm_count : 1) * sizeof *tr->pm_site);
  tr->service_site = malloc((tr->service_count ? tr->service_count : 1) * sizeof *tr->service_site);
  if (!tr->pm_site || !tr->service_site) return -1;
  for (size_t pm = 0; pm < tr->pm_count; pm++) {
    xbt_assert(sites->pm_site[pm] < sites->count, "trace: PM %zu in site %zu of %zu", pm, sites->pm_site[pm],
               sites->count);
    tr->pm_site[pm] = sites->pm_site[pm];
  }
  for (size_t sv = 0; sv < tr->service_count; sv++) {
    xbt_assert(sites->service_site[sv] < sites->count, "trace: service node %zu in site %zu of %zu", sv,
               sites->service_site[sv], sites->count);
    tr->service_site[sv] = sites->service_site[sv];
  }
  tr->site_count = sites->count;
  return 0;
}

static void trace_write_containers(trace_t* tr)
{
  bool nested = tr->site_count > 1;
  fputs(nested ? trace_defs_sites : trace_defs_flat, tr->file);
  fputs(trace_defs_states, tr->file);
  if (tr->mode == OUT_TRACE_FULL) fputs(trace_defs_full, tr->file);
  fprintf(tr->file, "%d 0 r R 0 lucsim\n", EV_CREATE_CONTAINER);
  for (size_t k = 0; k < tr->site_count; k++)
    fprintf(tr->file, "%d 0 t%zu T r site-%zu\n", EV_CREATE_CONTAINER, k, k);
  for (size_t pm = 0; pm < tr->pm_count; pm++)
    if (nested)
      fprintf(tr->file, "%d 0 p%zu P t%zu pm-%zu\n", EV_CREATE_CONTAINER, pm, tr->pm_site[pm], pm);
    else
      fprintf(tr->file, "%d 0 p%zu P r pm-%zu\n", EV_CREATE_CONTAINER, pm, pm);
  for (size_t s = 0; s < tr->service_count; s++)
    if (nested)
      fprintf(tr->file, "%d 0 s%zu S t%zu service-%zu\n", EV_CREATE_CONTAINER, s, tr->service_site[s], s);
    else
      fprintf(tr->file, "%d 0 s%zu S r service-%zu\n", EV_CREATE_CONTAINER, s, s);
}

trace_t* trace_open(const char* path, out_trace_t mode, size_t pm_count, size_t service_count,
                    const trace_sites_t* sites, lucsim_err_t* err)
{
  trace_t* tr = calloc(1, sizeof *tr);
  if (!tr) {
    lucsim_err_set(err, path, 0, "output.trace", "out of memory opening the trace");
    return NULL;
  }
  tr->mode = mode;
  snprintf(tr->path, sizeof tr->path, "%s", path ? path : "");
  if (mode == OUT_TRACE_NONE) return tr;
  xbt_assert(pm_count < UINT32_MAX && service_count < UINT32_MAX, "trace: too many containers");
  tr->pm_count        = pm_count;
  tr->service_count   = service_count;
  tr->initial_pending = true;
  if (trace_alloc_tables(tr) != 0 || trace_copy_sites(tr, sites) != 0) {
    trace_free(tr);
    lucsim_err_set(err, path, 0, "output.trace", "out of memory opening the trace (%zu PMs)", pm_count);
    return NULL;
  }
  tr->file = fopen(path, "w");
  if (!tr->file) {
    lucsim_err_set(err, path, 0, "output.trace", "cannot create the trace: %s", strerror(errno));
    trace_free(tr);
    return NULL;
  }
  setvbuf(tr->file, tr->buffer, _IOFBF, TRACE_BUFFER_BYTES);
  fputs(trace_defs_header, tr->file);
  trace_write_containers(tr);
  XBT_DEBUG("trace %s opened (%s, %zu PMs, %zu service nodes)", tr->path, mode == OUT_TRACE_FULL ? "full" : "states",
            pm_count, service_count);
  return tr;
}

void trace_pm_state(trace_t* tr, double time_s, size_t pm, trace_pm_state_t state)
{
  if (!trace_accepts(tr, time_s)) return;
  xbt_assert(pm < tr->pm_count && (unsigned)state < TRACE_PM_STATE_COUNT, "trace: bad PM %zu or state %d", pm,
             (int)state);
  if (tr->pm_state[pm] == state) return;
  tr->pm_state[pm] = (uint8_t)state;
  trace_put_state(tr, time_s, 'p', pm, "PS", pm_state_alias[state]);
}

void trace_sched_state(trace_t* tr, double time_s, bool on_service_node, size_t index, trace_sched_state_t state)
{
  if (!trace_accepts(tr, time_s)) return;
  xbt_assert((unsigned)state < TRACE_SCHED_STATE_COUNT, "trace: bad scheduler state %d", (int)state);
  xbt_assert(index < (on_service_node ? tr->service_count : tr->pm_count), "trace: bad %s index %zu",
             on_service_node ? "service node" : "PM", index);
  uint8_t* last = on_service_node ? &tr->svc_sched[index] : &tr->pm_sched[index];
  if (*last == state) return;
  *last = (uint8_t)state;
  if (on_service_node)
    trace_put_state(tr, time_s, 's', index, "SA", svc_sched_alias[state]);
  else
    trace_put_state(tr, time_s, 'p', index, "PA", pm_sched_alias[state]);
}

void trace_pm_variable(trace_t* tr, double time_s, size_t pm, trace_pm_var_t var, double value)
{
  if (!tr || tr->mode != OUT_TRACE_FULL || !trace_accepts(tr, time_s)) return;
  xbt_assert(pm < tr->pm_count && (unsigned)var < TRACE_PM_VAR_COUNT, "trace: bad PM %zu or variable %d", pm, (int)var);
  double* last = &tr->pm_var[pm * TRACE_PM_VAR_COUNT + var];
  if (*last == value) return;
  *last = value;
  trace_put_variable(tr, time_s, 'p', pm, pm_var_alias[var], value);
}

void trace_root_variable(trace_t* tr, double time_s, trace_root_var_t var, double value)
{
  if (!tr || tr->mode != OUT_TRACE_FULL || !trace_accepts(tr, time_s)) return;
  xbt_assert((unsigned)var < TRACE_ROOT_VAR_COUNT, "trace: bad root variable %d", (int)var);
  if (tr->root_var[var] == value) return;
  tr->root_var[var] = value;
  trace_put_variable(tr, time_s, 'r', SIZE_MAX, root_var_alias[var], value);
}

/* Open-link table: linear probing on a mixed id, backward-shift deletion (no tombstones). */
static size_t trace_link_home(const trace_t* tr, uint64_t id)
{
  uint64_t h = id + 0x9E3779B97F4A7C15ull;
  h          = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ull;
  h          = (h ^ (h >> 27)) * 0x94D049BB133111EBull;
  return (size_t)(h ^ (h >> 31)) & (tr->link_cap - 1);
}

static void trace_link_insert(trace_t* tr, uint64_t id, size_t src, size_t dst)
{
  if (tr->link_count >= TRACE_MAX_OPEN_LINKS(tr->pm_count)) {
    if (!tr->link_overflow_warned)
      XBT_WARN("trace: more than %zu migrations in flight; links beyond stay open at the trace end",
               TRACE_MAX_OPEN_LINKS(tr->pm_count));
    tr->link_overflow_warned = true;
    return;
  }
  size_t i = trace_link_home(tr, id);
  while (tr->links[i].src != UINT32_MAX) {
    xbt_assert(tr->links[i].id != id, "trace: migration %" PRIu64 " started twice", id);
    i = (i + 1) & (tr->link_cap - 1);
  }
  tr->links[i] = (trace_link_t){.id = id, .src = (uint32_t)src, .dst = (uint32_t)dst};
  tr->link_count++;
}

static void trace_link_remove(trace_t* tr, uint64_t id)
{
  size_t mask = tr->link_cap - 1;
  size_t i    = trace_link_home(tr, id);
  while (tr->links[i].src != UINT32_MAX && tr->links[i].id != id)
    i = (i + 1) & mask;
  if (tr->links[i].src == UINT32_MAX) return; /* not tracked (overflow) */
  tr->link_count--;
  size_t hole = i;
  for (size_t j = (i + 1) & mask; tr->links[j].src != UINT32_MAX; j = (j + 1) & mask) {
    size_t home = trace_link_home(tr, tr->links[j].id);
    /* j may fill the hole when its home is not in the cyclic interval (hole, j]. */
    if (((j - home) & mask) >= ((j - hole) & mask)) {
      tr->links[hole] = tr->links[j];
      hole            = j;
    }
  }
  tr->links[hole].src = UINT32_MAX;
}

void trace_migration_start(trace_t* tr, double time_s, uint64_t id, size_t src_pm, size_t dst_pm)
{
  if (!tr || tr->mode != OUT_TRACE_FULL || !trace_accepts(tr, time_s)) return;
  xbt_assert(src_pm < tr->pm_count && dst_pm < tr->pm_count, "trace: bad migration PMs %zu -> %zu", src_pm, dst_pm);
  trace_link_insert(tr, id, src_pm, dst_pm);
  trace_put_link(tr, EV_START_LINK, time_s, src_pm, id);
}

void trace_migration_end(trace_t* tr, double time_s, uint64_t id, size_t src_pm, size_t dst_pm)
{
  if (!tr || tr->mode != OUT_TRACE_FULL || !trace_accepts(tr, time_s)) return;
  xbt_assert(src_pm < tr->pm_count && dst_pm < tr->pm_count, "trace: bad migration PMs %zu -> %zu", src_pm, dst_pm);
  trace_link_remove(tr, id);
  trace_put_link(tr, EV_END_LINK, time_s, dst_pm, id);
}

uint64_t trace_bytes_written(const trace_t* tr)
{
  if (!tr || !tr->file) return 0;
  off_t pos = ftello(tr->file);
  return pos < 0 ? 0 : (uint64_t)pos;
}

uint64_t trace_events_written(const trace_t* tr)
{
  return tr ? tr->events : 0;
}

int trace_close(trace_t* tr, double end_time_s, lucsim_err_t* err)
{
  if (!tr || !tr->file) return 0;
  trace_accepts(tr, end_time_s);
  if (tr->initial_pending) trace_flush_initial(tr);
  for (size_t i = 0; i < tr->link_cap && tr->link_count > 0; i++) {
    if (tr->links[i].src == UINT32_MAX) continue;
    trace_put_link(tr, EV_END_LINK, end_time_s, tr->links[i].dst, tr->links[i].id);
    tr->links[i].src = UINT32_MAX;
    tr->link_count--;
  }
  for (size_t pm = 0; pm < tr->pm_count; pm++)
    trace_put_destroy(tr, end_time_s, "P", 'p', pm);
  for (size_t s = 0; s < tr->service_count; s++)
    trace_put_destroy(tr, end_time_s, "S", 's', s);
  for (size_t k = 0; k < tr->site_count; k++)
    trace_put_destroy(tr, end_time_s, "T", 't', k);
  trace_put_destroy(tr, end_time_s, "R", 'r', 0);
  uint64_t bytes = trace_bytes_written(tr);
  int failed     = ferror(tr->file);
  int saved      = errno;
  if (fclose(tr->file) != 0 && !failed) {
    failed = 1;
    saved  = errno;
  }
  tr->file   = NULL;
  tr->closed = true;
  if (failed) return lucsim_err_set(err, tr->path, 0, "output.trace", "cannot write the trace: %s", strerror(saved));
  XBT_VERB("trace %s: %" PRIu64 " events, %" PRIu64 " bytes", tr->path, tr->events, bytes);
  return 0;
}

void trace_destroy(trace_t* tr)
{
  if (!tr) return;
  if (tr->file) fclose(tr->file);
  trace_free(tr);
}
