/* Field values of experiment files and --set: parsing text with units (sizes, rates, times, speeds)
 * into the typed members named by the field table, with range checks and one-line messages, and
 * formatting them back exactly (shortest form that reads back to the same value). Text values must
 * be UTF-8 made of XML 1.0 characters (libxml2's checks), so every accepted value can be written.
 * Knows nothing of XML files or of which fields exist (config.c holds the table). */
#include "config_table.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <libxml/chvalid.h>
#include <libxml/xmlstring.h>
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

/* The base unit a value is converted to, for the range of messages ("" for plain numbers). */
static const char* base_unit(config__type_t t)
{
  switch (t) {
  case CONFIG__SIZE:
    return " bytes";
  case CONFIG__TIME:
    return " seconds";
  case CONFIG__RATE:
    return " bytes/s";
  case CONFIG__SPEED:
    return " flop/s";
  default:
    return "";
  }
}

/* The accepted range exactly as the parser applies it: "expected a rate in (0, 1e+300] bytes/s",
 * "expected an integer in [1, 1000000]", "expected an integer in [0, 18446744073709551615]". */
static void expected_phrase(const config__field_t* f, char* buf, size_t size)
{
  char lo[32], hi[32];
  snprintf(lo, sizeof lo, "%.15g", f->min);
  if (f->type == CONFIG__U64)
    snprintf(hi, sizeof hi, "%" PRIu64, UINT64_MAX);
  else if (f->type == CONFIG__SIZE)
    snprintf(hi, sizeof hi, "%" PRIu64, (uint64_t)f->max);
  else
    snprintf(hi, sizeof hi, "%.15g", f->max);
  snprintf(buf, size, "expected %s in %s%s, %s]%s", kind_word(f->type), f->min_open ? "(" : "[", lo, hi,
           base_unit(f->type));
}

/* True when text spells an infinity ("inf", "-Infinity"), as opposed to a finite number too large. */
static bool spelled_infinite(const char* text)
{
  errno    = 0;
  double v = strtod(text, NULL);
  return isinf(v) && errno != ERANGE;
}

static int range_error(const config__field_t* f, const char* text, double v, const char* file, int line,
                       const char* path, lucsim_err_t* err)
{
  char exp[128];
  expected_phrase(f, exp, sizeof exp);
  const char* what = isnan(v)                             ? "is not a number"
                     : isinf(v) && spelled_infinite(text) ? "is infinite"
                     : v < 0 && f->min >= 0               ? "is negative"
                                                          : "is out of range";
  return lucsim_err_set(err, file, line, path, "%s %s; %s", text, what, exp);
}

typedef enum {
  NUMBER_OK = 0,
  NUMBER_SYNTAX,   /* not a number followed by one of the units */
  NUMBER_UNDERFLOW /* a non-zero number too close to 0 for a double (it would read as 0) */
} number_status_t;

/* Number with an optional unit suffix, converted to the base unit (*out). Overflow gives an
 * infinite *out (a range error for the caller); subnormal results are accepted, so every double the
 * writer prints reads back. *num_end (optional) is where the number stops in text. */
static number_status_t parse_number(const char* text, const unit_t* units, double* out, const unit_t** unit_out,
                                    const char** num_end)
{
  char* end;
  errno    = 0;
  double v = strtod(text, &end);
  if (end == text) return NUMBER_SYNTAX;
  bool underflow = errno == ERANGE && v == 0;
  if (num_end) *num_end = end;
  while (*end == ' ')
    end++;
  const char* suffix = end;
  size_t len         = strlen(suffix);
  while (len > 0 && suffix[len - 1] == ' ')
    len--;
  static const unit_t none[] = {{"", 1, 0}, {NULL, 0, 0}};
  for (const unit_t* u = units ? units : none; u->suffix; u++) {
    if (strlen(u->suffix) == len && strncmp(u->suffix, suffix, len) == 0) {
      *out = u->divide ? v / u->factor : v * u->factor;
      if (unit_out) *unit_out = u;
      return underflow || (v != 0 && *out == 0) ? NUMBER_UNDERFLOW : NUMBER_OK;
    }
  }
  return NUMBER_SYNTAX;
}

static bool in_range(const config__field_t* f, double v)
{
  if (isnan(v) || v < f->min || v > f->max) return false;
  return !(f->min_open && v == f->min);
}

static int underflow_error(const config__field_t* f, const char* text, const char* file, int line, const char* path,
                           lucsim_err_t* err)
{
  char exp[128];
  expected_phrase(f, exp, sizeof exp);
  return lucsim_err_set(err, file, line, path, "%s is too close to 0 for a double (the smallest is 4.9e-324%s); %s",
                        text, base_unit(f->type), exp);
}

/* A size: a plain integer (optionally with a unit) is converted exactly in 64-bit integers; other
 * forms (1.5GiB, 1e9) go through a double and must give a whole number of bytes. */
static int parse_size(const config__field_t* f, const char* text, const char* shown, uint64_t* at, const char* file,
                      int line, const char* path, lucsim_err_t* err)
{
  double v;
  const unit_t* unit;
  const char* num_end;
  number_status_t st = parse_number(text, size_units, &v, &unit, &num_end);
  if (st == NUMBER_SYNTAX)
    return lucsim_err_set(err, file, line, path, "'%s' is not %s (%s)", shown, kind_word(f->type), unit_hint(f->type));
  if (st == NUMBER_UNDERFLOW) return underflow_error(f, shown, file, line, path, err);
  const char* digits = text + strspn(text, " \t\n\r\f\v");
  if (isdigit((unsigned char)*digits) && (size_t)(num_end - digits) == strspn(digits, "0123456789")) {
    errno                = 0;
    unsigned long long n = strtoull(digits, NULL, 10);
    uint64_t factor      = (uint64_t)unit->factor;
    if (errno == ERANGE || (factor > 0 && n > UINT64_MAX / factor))
      return range_error(f, shown, INFINITY, file, line, path, err);
    n *= factor;
    if ((f->min_open ? n == 0 : (double)n < f->min) || n > (uint64_t)f->max)
      return range_error(f, shown, (double)n, file, line, path, err);
    *at = (uint64_t)n;
    return 0;
  }
  if (!in_range(f, v)) return range_error(f, shown, v, file, line, path, err);
  if (v != floor(v)) return lucsim_err_set(err, file, line, path, "%s is not a whole number of bytes", shown);
  *at = (uint64_t)v;
  return 0;
}

int config_parse_size(const char* text, const char* file, int line, const char* field, uint64_t* bytes,
                      lucsim_err_t* err)
{
  const config__field_t f = {.path = field, .type = CONFIG__SIZE, .min = 0, .max = CONFIG__SIZE_MAX, .min_open = true};
  char shown[96];
  config__abbrev(text, shown, sizeof shown);
  return parse_size(&f, text, shown, bytes, file, line, field, err);
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

const char* config__abbrev(const char* text, char* buf, size_t size)
{
  size_t len = strlen(text);
  if (len + 1 <= size) return memcpy(buf, text, len + 1);
  size_t keep = size > 48 ? size - 36 : size / 2;
  while (keep > 0 && ((unsigned char)text[keep] & 0xC0) == 0x80) /* whole UTF-8 characters */
    keep--;
  snprintf(buf, size, "%.*s... (%zu bytes)", (int)keep, text, len);
  return buf;
}

int config__check_text(const char* text, const char* file, int line, const char* path, lucsim_err_t* err)
{
  char shown[96];
  config__abbrev(text, shown, sizeof shown);
  /* xmlCheckUTF8 accepts overlong forms and surrogates, which libxml2's parser then refuses when the
   * resolved experiment is read back: lucsim_utf8_char refuses them too. */
  if (!xmlCheckUTF8((const xmlChar*)text))
    return lucsim_err_set(err, file, line, path, "'%s' is not valid UTF-8", shown);
  size_t avail = strlen(text);
  for (size_t i = 0; i < avail;) {
    int len;
    int c = lucsim_utf8_char(text + i, avail - i, &len);
    if (c < 0) return lucsim_err_set(err, file, line, path, "'%s' is not valid UTF-8", shown);
    if (!xmlIsCharQ(c))
      return lucsim_err_set(err, file, line, path, "'%s' holds U+%04X, which XML 1.0 cannot represent", shown, c);
    i += (size_t)len;
  }
  return 0;
}

int config__parse_value(const config__field_t* f, const char* text, void* base, const char* file, int line,
                        const char* path, lucsim_err_t* err)
{
  void* at = (char*)base + f->offset;
  double v;
  char shown[96];
  config__abbrev(text, shown, sizeof shown);
  if (config__check_text(text, file, line, path, err) != 0) return -1;
  switch (f->type) {
  case CONFIG__INT: {
    char* end;
    errno       = 0;
    long long n = strtoll(text, &end, 10);
    if (end == text || *end) return lucsim_err_set(err, file, line, path, "'%s' is not an integer", shown);
    if (errno == ERANGE || !in_range(f, (double)n)) return range_error(f, shown, (double)n, file, line, path, err);
    *(int*)at = (int)n;
    return 0;
  }
  case CONFIG__U64: {
    char* end;
    const char* digits   = text[0] == '-' ? text + 1 : text;
    errno                = 0;
    unsigned long long n = strtoull(digits, &end, 10);
    if (!isdigit((unsigned char)digits[0]) || *end)
      return lucsim_err_set(err, file, line, path, "'%s' is not an integer", shown);
    if (digits != text || errno == ERANGE) {
      char exp[128];
      expected_phrase(f, exp, sizeof exp);
      return lucsim_err_set(err, file, line, path, "%s is %s; %s", shown, digits != text ? "negative" : "out of range",
                            exp);
    }
    *(uint64_t*)at = (uint64_t)n;
    return 0;
  }
  case CONFIG__SIZE:
    return parse_size(f, text, shown, at, file, line, path, err);
  case CONFIG__TIME:
  case CONFIG__RATE:
  case CONFIG__SPEED:
  case CONFIG__REAL:
    switch (parse_number(text, units_of(f->type), &v, NULL, NULL)) {
    case NUMBER_SYNTAX:
      return lucsim_err_set(err, file, line, path, "'%s' is not %s (%s)", shown, kind_word(f->type),
                            unit_hint(f->type));
    case NUMBER_UNDERFLOW:
      return underflow_error(f, shown, file, line, path, err);
    case NUMBER_OK:
      break;
    }
    if (!in_range(f, v)) return range_error(f, shown, v, file, line, path, err);
    *(double*)at = v;
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
      return lucsim_err_set(err, file, line, path, "'%s' is not one of: %s", shown, list);
    }
  case CONFIG__BOOL:
    if (strcmp(text, "true") == 0 || strcmp(text, "1") == 0)
      *(bool*)at = true;
    else if (strcmp(text, "false") == 0 || strcmp(text, "0") == 0)
      *(bool*)at = false;
    else
      return lucsim_err_set(err, file, line, path, "'%s' is not a boolean; expected true or false", shown);
    return 0;
  case CONFIG__NAME:
    if (!valid_name(text))
      return lucsim_err_set(err, file, line, path,
                            "'%s' is not a valid name; expected a letter or digit, then letters, digits, '_' or '-'",
                            shown);
    /* fall through */
  case CONFIG__TEXT:
    if (config__copy(at, f->size, text) != 0)
      return lucsim_err_set(err, file, line, path, "value too long (%zu bytes); at most %zu", strlen(text),
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

/* Sizes in integers, so that every value up to the limit is written exactly ("32GiB", "1000000007"). */
static void format_size(uint64_t v, const char* const* preferred, char* buf, size_t size)
{
  for (size_t i = 0; preferred[i] && v > 0; i++) {
    for (const unit_t* u = size_units; u->suffix; u++) {
      uint64_t factor = (uint64_t)u->factor;
      if (strcmp(u->suffix, preferred[i]) == 0 && v % factor == 0) {
        snprintf(buf, size, "%" PRIu64 "%s", v / factor, u->suffix);
        return;
      }
    }
  }
  snprintf(buf, size, "%" PRIu64, v);
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
    format_size(*(const uint64_t*)at, size_pref, buf, size);
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

/* A field outside the table (scheduler parameters): the same parser, on a field made for the call. */
static int parse_unit_value(config__type_t type, const char* text, double min, double max, const char* file, int line,
                            const char* field, void* out, lucsim_err_t* err)
{
  const config__field_t f = {.path = field, .type = type, .offset = 0, .min = min, .max = max};
  return config__parse_value(&f, text, out, file, line, field, err);
}

int config_parse_time_in(const char* text, double min, double max, const char* file, int line, const char* field,
                         double* out, lucsim_err_t* err)
{
  return parse_unit_value(CONFIG__TIME, text, min, max, file, line, field, out, err);
}

int config_parse_size_in(const char* text, double min, double max, const char* file, int line, const char* field,
                         uint64_t* out, lucsim_err_t* err)
{
  return parse_unit_value(CONFIG__SIZE, text, min, max, file, line, field, out, err);
}
