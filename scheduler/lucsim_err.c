/* One-line input error descriptions shared by every module and the schedulers (see lucsim_err.h):
 * filling them, and formatting them as exactly one line of valid UTF-8 whatever bytes a file or an
 * option held. UTF-8 decoding is libxml2's (xmlGetUTF8Char), with the RFC 3629 limits it leaves out. */
#include "lucsim_err.h"

#include <libxml/xmlstring.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

void lucsim_err_clear(lucsim_err_t* err)
{
  if (err) memset(err, 0, sizeof *err);
}

int lucsim_err_set(lucsim_err_t* err, const char* file, int line, const char* field, const char* fmt, ...)
{
  if (!err) return -1;
  snprintf(err->file, sizeof err->file, "%s", file ? file : "");
  err->line = line;
  snprintf(err->field, sizeof err->field, "%s", field ? field : "");
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->message, sizeof err->message, fmt, ap);
  va_end(ap);
  return -1;
}

int lucsim_utf8_char(const char* s, size_t avail, int* len)
{
  int n                 = avail > 4 ? 4 : (int)avail;
  const unsigned char b = (unsigned char)s[0];
  /* xmlGetUTF8Char decodes a stray continuation byte (0x80-0xBF) as a lead byte: "\x90\x80" as U+0400. */
  if (n == 0 || (b >= 0x80 && (b < 0xC2 || b > 0xF4))) return -1;
  int c = xmlGetUTF8Char((const unsigned char*)s, &n);
  if (c < 0 || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return -1;
  int shortest = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  if (n != shortest) return -1; /* overlong form, e.g. C0 AF for '/' */
  *len = n;
  return c;
}

static bool is_line_break_or_control(int c)
{
  return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029;
}

/* Appends text to buf[*used..size) one character at a time, never splitting a character or an
 * escape; returns false once the buffer is full. */
static bool append_clean(char* buf, size_t size, size_t* used, const char* text)
{
  size_t avail = strlen(text);
  for (size_t i = 0; i < avail;) {
    char piece[8];
    int len;
    int c = lucsim_utf8_char(text + i, avail - i, &len);
    if (c < 0) {
      snprintf(piece, sizeof piece, "\\x%02X", (unsigned char)text[i]);
      len = 1;
    } else if (is_line_break_or_control(c)) {
      snprintf(piece, sizeof piece, " ");
    } else {
      memcpy(piece, text + i, (size_t)len);
      piece[len] = '\0';
    }
    size_t n = strlen(piece);
    if (*used + n >= size) return false;
    memcpy(buf + *used, piece, n + 1);
    *used += n;
    i += (size_t)len;
  }
  return true;
}

void lucsim_err_format(const lucsim_err_t* err, char* buf, size_t size)
{
  char line_no[16];
  size_t used = 0;
  buf[0]      = '\0';
  snprintf(line_no, sizeof line_no, ":%d", err->line);
  bool room = true;
  if (err->file[0]) {
    room = append_clean(buf, size, &used, err->file) && (err->line <= 0 || append_clean(buf, size, &used, line_no)) &&
           append_clean(buf, size, &used, ": ");
  }
  if (room && err->field[0]) room = append_clean(buf, size, &used, err->field) && append_clean(buf, size, &used, ": ");
  if (room) append_clean(buf, size, &used, err->message);
}
