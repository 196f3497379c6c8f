/* Field values of experiment files and --set: parsing text with units (sizes, rates, times, speeds)
 * into the typed members named by the field table, with range checks and one-line messages, and
 * formatting them back exactly (shortest form that reads back to the same value).
 * Knows nothing of XML or of which fields exist (config.c holds the table). */
#include "config_table.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GiB (1024.0 * 1024.0 * 1024.0)

/* ---------------------------------------------------------------- values with units */

typedef struct unit {
  const char* suffix;
  double factor;
  bool divide; /* value / factor (exact for sub-units such as ms), else value * factor */
} unit_t;

static const unit_t size_units[]  = {{"", 1, 0},       {"B", 1, 0},     {"kB", 1e3, 0},         {"KB", 1e3, 0},
                                     {"KiB", 1024, 0}, {"MB", 1e6, 0},  {"MiB", 1048576.0, 0},  {"GB", 1e9, 0},
                                     {"GiB", GiB, 0},  {"TB", 1e12, 0}, {"TiB", GiB * 1024, 0}, {NULL, 0, 0}};
static const unit_t rate_units[]  = {{"", 1, 0},         {"Bps", 1, 0},      {"kBps", 1e3, 0},        {"KBps", 1e3, 0},
                                     {"KiBps", 1024, 0}, {"MBps", 1e6, 0},   {"MiBps", 1048576.0, 0}, {"GBps", 1e9, 0},
                                     {"GiBps", GiB, 0},  {"bps", 8, 1},      {"kbps", 125, 0},        {"Kbps", 125, 0},
                                     {"Mbps", 125e3, 0}, {"Gbps", 125e6, 0}, {"Tbps", 125e9, 0},      {NULL, 0, 0}};
static const unit_t time_units[]  = {{"", 1, 0},     {"s", 1, 0},    {"ms", 1e3, 1},  {"us", 1e6, 1}, {"ns", 1e9, 1},
                                     {"min", 60, 0}, {"h", 3600, 0}, {"d", 86400, 0}, {NULL, 0, 0}};
static const unit_t speed_units[] = {{"", 1, 0},         {"f", 1, 0},        {"kf", 1e3, 0},      {"Mf", 1e6, 0},
                                     {"Gf", 1e9, 0},     {"Tf", 1e12, 0},    {"flops", 1, 0},     {"kflops", 1e3, 0},
                                     {"Mflops", 1e6, 0}, {"Gflops", 1e9, 0}, {"Tflops", 1e12, 0}, {NULL, 0, 0}};

static const unit_t* units_of(config__type_t t)
{
  switch (t) {
  case CONFIG__SIZE:
    return size_units;
  case CONFIG__RATE:
    return rate_units;
  case CONFIG__TIME:
    return time_units;
  case CONFIG__SPEED:
    return speed_units;
  default:
    return NULL;
  }
}

static const char* kind_word(config__type_t t)
{
  switch (t) {
  case CONFIG__INT:
  case CONFIG__U64:
    return "an integer";
  case CONFIG__SIZE:
    return "a size";
  case CONFIG__TIME:
    return "a time";
  case CONFIG__RATE:
    return "a rate";
  case CONFIG__SPEED:
    return "a speed";
  default:
    return "a number";
  }
}

static const char* unit_hint(config__type_t t)
{
  switch (t) {
  case CONFIG__SIZE:
    return "e.g. 1GiB, 512MiB, 32GB or bytes";
  case CONFIG__TIME:
    return "e.g. 50us, 30ms, 300s, 1h or seconds";
  case CONFIG__RATE:
    return "e.g. 1Gbps, 125MBps or bytes/s";
  case CONFIG__SPEED:
    return "e.g. 1Gf or flop/s";
  default:
    return "a plain number";
  }
}

/* "expected a rate > 0", "expected an integer in [1, 1000000]". */
static void expected_phrase(const config__field_t* f, char* buf, size_t size)
{
  if (f->max >= CONFIG__NO_MAX)
    snprintf(buf, size, "expected %s %s %.15g", kind_word(f->type), f->min_open ? ">" : ">=", f->min);
  else
    snprintf(buf, size, "expected %s in %s%.15g, %.15g]", kind_word(f->type), f->min_open ? "(" : "[", f->min, f->max);
}

static int range_error(const config__field_t* f, const char* text, double v, const char* file, int line,
                       const char* path, lucsim_err_t* err)
{
  char exp[96];
  expected_phrase(f, exp, sizeof exp);
  const char* what = isnan(v)                 ? "is not a number"
                     : isinf(v)               ? "is infinite"
                     : (v < 0 && f->min >= 0) ? "is negative"
                                              : "is out of range";
  return lucsim_err_set(err, file, line, path, "%s %s; %s", text, what, exp);
}

/* Number with an optional unit suffix, converted to the base unit. Returns 0, or -1 on syntax. */
static int parse_number(const char* text, const unit_t* units, double* out)
{
  char* end;
  errno    = 0;
  double v = strtod(text, &end);
  if (end == text || errno == ERANGE) return -1;
  while (*end == ' ')
    end++;
  const char* suffix = end;
  size_t len         = strlen(suffix);
  while (len > 0 && suffix[len - 1] == ' ')
    len--;
  for (const unit_t* u = units; u && u->suffix; u++) {
    if (strlen(u->suffix) == len && strncmp(u->suffix, suffix, len) == 0) {
      *out = u->divide ? v / u->factor : v * u->factor;
      return 0;
    }
  }
  if (!units && len == 0) {
    *out = v;
    return 0;
  }
  return -1;
}

static bool in_range(const config__field_t* f, double v)
{
  if (isnan(v) || v < f->min || v > f->max) return false;
  return !(f->min_open && v == f->min);
}

static bool valid_name(const char* s)
{
  if (!isalnum((unsigned char)s[0])) return false;
  for (; *s; s++)
    if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-') return false;
  return true;
}

int config__copy(char* dst, size_t size, const char* src)
{
  size_t len = strlen(src);
  if (len >= size) return -1;
  memset(dst, 0, size);
  memcpy(dst, src, len);
  return 0;
}

int config__parse_value(const config__field_t* f, const char* text, void* base, const char* file, int line,
                        const char* path, lucsim_err_t* err)
{
  void* at = (char*)base + f->offset;
  double v;
  switch (f->type) {
  case CONFIG__INT: {
    char* end;
    errno       = 0;
    long long n = strtoll(text, &end, 10);
    if (end == text || *end || errno == ERANGE)
      return lucsim_err_set(err, file, line, path, "'%s' is not an integer", text);
    if (!in_range(f, (double)n)) return range_error(f, text, (double)n, file, line, path, err);
    *(int*)at = (int)n;
    return 0;
  }
  case CONFIG__U64: {
    char* end;
    errno                = 0;
    unsigned long long n = strtoull(text, &end, 10);
    if (!isdigit((unsigned char)text[0]) || *end || errno == ERANGE)
      return lucsim_err_set(err, file, line, path, "'%s' is not an integer in [0, 2^64)", text);
    *(uint64_t*)at = (uint64_t)n;
    return 0;
  }
  case CONFIG__SIZE:
  case CONFIG__TIME:
  case CONFIG__RATE:
  case CONFIG__SPEED:
  case CONFIG__REAL:
    if (parse_number(text, units_of(f->type), &v) != 0)
      return lucsim_err_set(err, file, line, path, "'%s' is not %s (%s)", text, kind_word(f->type), unit_hint(f->type));
    if (!in_range(f, v)) return range_error(f, text, v, file, line, path, err);
    if (f->type != CONFIG__SIZE) {
      *(double*)at = v;
      return 0;
    }
    if (v >= 18446744073709551616.0 || v != floor(v))
      return lucsim_err_set(err, file, line, path, "%s is not a whole number of bytes below 2^64", text);
    *(uint64_t*)at = (uint64_t)v;
    return 0;
  case CONFIG__ENUM:
    for (int i = 0; f->names[i]; i++)
      if (strcmp(text, f->names[i]) == 0) {
        _Static_assert(sizeof(plat_kind_t) == sizeof(int) && sizeof(out_trace_t) == sizeof(int), "enum size");
        *(int*)at = i;
        return 0;
      }
    {
      char list[128] = "";
      for (int i = 0; f->names[i]; i++)
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", f->names[i]);
      return lucsim_err_set(err, file, line, path, "'%s' is not one of: %s", text, list);
    }
  case CONFIG__BOOL:
    if (strcmp(text, "true") == 0 || strcmp(text, "1") == 0)
      *(bool*)at = true;
    else if (strcmp(text, "false") == 0 || strcmp(text, "0") == 0)
      *(bool*)at = false;
    else
      return lucsim_err_set(err, file, line, path, "'%s' is not a boolean; expected true or false", text);
    return 0;
  case CONFIG__NAME:
    if (!valid_name(text))
      return lucsim_err_set(err, file, line, path,
                            "'%s' is not a valid name; expected a letter or digit, then letters, digits, '_' or '-'",
                            text);
    /* fall through */
  case CONFIG__TEXT:
    if (config__copy(at, f->size, text) != 0)
      return lucsim_err_set(err, file, line, path, "value too long (%zu characters); at most %zu", strlen(text),
                            f->size - 1);
    return 0;
  }
  return lucsim_err_set(err, file, line, path, "internal error: unknown field type");
}

/* Shortest "%.*g" that reads back to v exactly. */
static void format_double(double v, char* buf, size_t size)
{
  if (v == floor(v) && fabs(v) < 1e15) {
    snprintf(buf, size, "%.0f", v);
    return;
  }
  for (int prec = 1; prec <= 17; prec++) {
    snprintf(buf, size, "%.*g", prec, v);
    if (strtod(buf, NULL) == v) return;
  }
}

/* Prefers an exact human form ("32GiB", "1Gbps", "30ms") when it parses back to exactly v. */
static void format_with_unit(double v, const unit_t* units, const char* const* preferred, char* buf, size_t size)
{
  char num[40];
  for (size_t i = 0; preferred[i]; i++) {
    for (const unit_t* u = units; u->suffix; u++) {
      if (strcmp(u->suffix, preferred[i]) != 0) continue;
      double n = u->divide ? v * u->factor : v / u->factor;
      if (n < 1 || n != floor(n) || n > 1e15) continue;
      format_double(n, num, sizeof num);
      double back = u->divide ? n / u->factor : n * u->factor;
      if (back == v) {
        snprintf(buf, size, "%s%s", num, u->suffix);
        return;
      }
    }
  }
  format_double(v, buf, size);
}

void config__format_value(const config__field_t* f, const void* base, char* buf, size_t size)
{
  static const char* const size_pref[]  = {"TiB", "GiB", "MiB", "TB", "GB", "MB", "KiB", "kB", NULL};
  static const char* const rate_pref[]  = {"Tbps", "Gbps", "Mbps", "GBps", "MBps", "kBps", NULL};
  static const char* const time_pref[]  = {"s", "ms", "us", NULL};
  static const char* const speed_pref[] = {"Tf", "Gf", "Mf", "kf", NULL};
  const void* at                        = (const char*)base + f->offset;
  switch (f->type) {
  case CONFIG__INT:
    snprintf(buf, size, "%d", *(const int*)at);
    return;
  case CONFIG__U64:
    snprintf(buf, size, "%" PRIu64, *(const uint64_t*)at);
    return;
  case CONFIG__SIZE:
    format_with_unit((double)*(const uint64_t*)at, size_units, size_pref, buf, size);
    return;
  case CONFIG__RATE:
    format_with_unit(*(const double*)at, rate_units, rate_pref, buf, size);
    return;
  case CONFIG__TIME:
    format_with_unit(*(const double*)at, time_units, time_pref, buf, size);
    return;
  case CONFIG__SPEED:
    format_with_unit(*(const double*)at, speed_units, speed_pref, buf, size);
    return;
  case CONFIG__REAL:
    format_double(*(const double*)at, buf, size);
    return;
  case CONFIG__ENUM:
    snprintf(buf, size, "%s", f->names[*(const int*)at]);
    return;
  case CONFIG__BOOL:
    snprintf(buf, size, "%s", *(const bool*)at ? "true" : "false");
    return;
  case CONFIG__NAME:
  case CONFIG__TEXT:
    snprintf(buf, size, "%s", (const char*)at);
    return;
  }
}
