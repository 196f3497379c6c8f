/* Shared set-up and checks of the fuzz harnesses (see fuzz_common.h): the temporary folder, the
 * aborting libxml2 handlers, and what a refusal or an acceptance must satisfy. Not a harness itself:
 * fuzz_experiment.c and fuzz_set.c turn bytes into config calls. */
#include "fuzz_common.h"
#include "roundtrip.h"

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char fuzz_dir[64] = "";

/* Any libxml2 message outside config_load_file's and config_write_xml's capture is a finding: it
 * would reach stderr raw in lucsim. */
static void escaped_generic(void* ctx, const char* fmt, ...)
{
  (void)ctx;
  va_list ap;
  va_start(ap, fmt);
  fputs("finding: a libxml2 message escaped lucsim's capture: ", stderr);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  abort();
}

#if LIBXML_VERSION >= 21200
static void escaped_structured(void* ctx, const xmlError* e)
#else
static void escaped_structured(void* ctx, xmlErrorPtr e)
#endif
{
  (void)ctx;
  fprintf(stderr, "finding: a libxml2 message escaped lucsim's capture: %s", e && e->message ? e->message : "?");
  abort();
}

static void remove_fuzz_dir(void)
{
  rmdir(fuzz_dir); /* each input's files are removed after it: only a crash leaves some */
}

const char* fuzz_setup(void)
{
  if (fuzz_dir[0]) return fuzz_dir;
  xmlInitParser();
  xmlSetGenericErrorFunc(NULL, escaped_generic);
  xmlSetStructuredErrorFunc(NULL, escaped_structured);
  const char* tmp = getenv("TMPDIR");
  snprintf(fuzz_dir, sizeof fuzz_dir, "%s/lucsim-fuzz-XXXXXX", tmp && strlen(tmp) < 32 ? tmp : "/tmp");
  if (!mkdtemp(fuzz_dir)) {
    perror("mkdtemp");
    abort();
  }
  atexit(remove_fuzz_dir);
  return fuzz_dir;
}

void fuzz_check_outcome(int rc, const config_t* cfg, const lucsim_err_t* err)
{
  char why[2048];
  if (rc != 0) {
    if (!roundtrip_error_is_one_line(err, why, sizeof why)) {
      fprintf(stderr, "finding: refusal not on one clean line: %s\n", why);
      abort();
    }
    return;
  }
  if (!roundtrip_check(cfg, fuzz_dir, why, sizeof why)) {
    fprintf(stderr, "finding: round trip of an accepted experiment: %s\n", why);
    abort();
  }
  if (!roundtrip_set_identity(cfg, why, sizeof why)) {
    fprintf(stderr, "finding: --set PATH=<its own value> changes the configuration: %s\n", why);
    abort();
  }
}
