/* libxml2 message capture for the config module (see config_xml_report.h): libxml2 prints to stderr,
 * over several lines, whatever no handler takes, e.g. "encoding error : input conversion failed"
 * from its UTF-16 decoder or the "Bytes: 0x.." line of an invalid UTF-8 error. Here both handlers
 * keep the first error, whitespace runs collapsed to one space. It does not format lucsim_err_t. */
#include "config_xml_report.h"

#include <ctype.h>
#include <libxml/tree.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Copies text into dst[size] with every run of whitespace (newlines included) made one space, and no
 * leading or trailing space. */
static void one_line(char* dst, size_t size, const char* text)
{
  size_t n = 0;
  for (const char* s = text; *s && n + 1 < size; s++) {
    if (isspace((unsigned char)*s)) {
      if (n > 0 && dst[n - 1] != ' ') dst[n++] = ' ';
    } else {
      dst[n++] = *s;
    }
  }
  while (n > 0 && dst[n - 1] == ' ')
    n--;
  dst[n] = '\0';
}

static void record(config__xml_report_t* r, const char* message, int line)
{
  if (!r->failed) {
    one_line(r->message, sizeof r->message, message && *message ? message : "unknown libxml2 error");
    if (!r->message[0]) snprintf(r->message, sizeof r->message, "unknown libxml2 error");
    r->failed = true;
  }
  if (r->line == 0 && line > 0) r->line = line;
}

void config__xml_report_error(void* data, config__xml_error_t e)
{
  if (!data || !e || e->level == XML_ERR_WARNING) return;
  int line = e->line;
  if (line == 0 && e->node && ((xmlNodePtr)e->node)->type == XML_ELEMENT_NODE) line = (int)xmlGetLineNo(e->node);
  record(data, e->message, line);
}

static void flush_generic(config__xml_report_t* r)
{
  if (r->pending[strspn(r->pending, " \t\r\n")]) record(r, r->pending, 0);
  r->pending[0] = '\0';
}

/* The generic handler gets a message in printf pieces; a newline ends one message. */
static void on_generic(void* data, const char* fmt, ...)
{
  config__xml_report_t* r = data;
  size_t used             = strlen(r->pending);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(r->pending + used, sizeof r->pending - used, fmt, ap);
  va_end(ap);
  if (strchr(r->pending, '\n') || strlen(r->pending) + 1 >= sizeof r->pending) flush_generic(r);
}

void config__xml_capture_begin(config__xml_report_t* r)
{
  memset(r, 0, sizeof *r);
  r->saved_generic        = xmlGenericError;
  r->saved_generic_ctx    = xmlGenericErrorContext;
  r->saved_structured     = xmlStructuredError;
  r->saved_structured_ctx = xmlStructuredErrorContext;
  xmlSetGenericErrorFunc(r, on_generic);
  xmlSetStructuredErrorFunc(r, config__xml_report_error);
}

void config__xml_capture_end(config__xml_report_t* r)
{
  flush_generic(r);
  xmlSetGenericErrorFunc(r->saved_generic_ctx, r->saved_generic);
  xmlSetStructuredErrorFunc(r->saved_structured_ctx, r->saved_structured);
}
