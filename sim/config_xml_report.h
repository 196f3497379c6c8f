/* Capture of libxml2's messages while the config module reads or writes one document: every
 * message, from the structured or the generic handler (parser, encoding conversion, I/O, RelaxNG),
 * lands in one report instead of stderr, made one line. Internal to the config module; it does not
 * decide what is an error of the experiment (config_xml.c does). */
#ifndef LUCSIM_CONFIG_XML_REPORT_H
#define LUCSIM_CONFIG_XML_REPORT_H

#include <libxml/xmlerror.h>
#include <stdbool.h>

#if LIBXML_VERSION >= 21200
typedef const xmlError* config__xml_error_t;
#else
typedef xmlErrorPtr config__xml_error_t;
#endif

typedef struct config__xml_report {
  bool failed;       /* an error (not a warning) was reported */
  int line;          /* first line number any error carried, 0 if none */
  char message[512]; /* the first error, one line, no trailing space */
  int doctype_line;  /* > 0: a DOCTYPE was met there (set by config_xml.c) */
  char pending[512]; /* generic-handler text not yet ended by a newline */
  xmlGenericErrorFunc saved_generic;
  void* saved_generic_ctx;
  xmlStructuredErrorFunc saved_structured;
  void* saved_structured_ctx;
} config__xml_report_t;

/* Clears r and routes libxml2's generic and structured handlers of this thread to it. Every begin is
 * paired with one end, which puts the previous handlers back. */
void config__xml_capture_begin(config__xml_report_t* r);
void config__xml_capture_end(config__xml_report_t* r);

/* Structured handler writing into the report `data` (a config__xml_report_t*), for libxml2 contexts
 * that take their own handler (RelaxNG parser and validator). Warnings are ignored. */
void config__xml_report_error(void* data, config__xml_error_t e);

#endif
