/* Checking a SimGrid platform file before SimGrid reads it in this process. SimGrid stops the whole
 * program (abort, exit 134) on a file it cannot parse, so lucsim first checks that the file is a
 * readable regular file of a sane size whose XML root is <platform> (libxml2, no network, no
 * entity expansion), then lets SimGrid parse it in a child process and turns a refusal into the
 * one-line error (file, line, message). Not the platform's use (platform.c). */
#include "platform.h"

#include <errno.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <simgrid/engine.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xbt/log.h>

#define PLAT_FILE_MAX_BYTES (1024.0 * 1024.0 * 1024.0) /* far above any real platform (10K hosts: ~1 MB) */
#define CHILD_OUTPUT_MAX 8192

typedef struct first_error {
  int line;
  char message[512];
} first_error_t;

#if LIBXML_VERSION >= 21200
static void keep_first(void* data, const xmlError* e)
#else
static void keep_first(void* data, xmlErrorPtr e)
#endif
{
  first_error_t* f = data;
  if (f->message[0] || e->level == XML_ERR_WARNING) return;
  f->line = e->line;
  snprintf(f->message, sizeof f->message, "%s", e->message ? e->message : "unknown error");
  f->message[strcspn(f->message, "\r\n")] = '\0';
}

static void silence(void* ctx, const char* msg, ...)
{
  (void)ctx, (void)msg;
}

/* Whether an element can change a link's latency or bandwidth during the run: a profile
 * (bandwidth_file, latency_file) or a WIFI link, whose bandwidth depends on its stations. SimGrid 3.32
 * refuses <trace_connect> on links (they are sealed when declared). */
static bool changes_links(xmlNodePtr node)
{
  for (; node; node = node->next) {
    if (node->type != XML_ELEMENT_NODE) continue;
    if (xmlHasProp(node, BAD_CAST "bandwidth_file") || xmlHasProp(node, BAD_CAST "latency_file")) return true;
    xmlChar* sharing = xmlGetProp(node, BAD_CAST "sharing_policy");
    bool wifi        = sharing && xmlStrcasecmp(sharing, BAD_CAST "WIFI") == 0;
    xmlFree(sharing);
    if (wifi || changes_links(node->children)) return true;
  }
  return false;
}

/* libxml2: well-formed, root <platform>; *links_fixed: no element changes_links. Returns 0, or -1 with err filled. */
static int check_xml(const char* path, bool* links_fixed, lucsim_err_t* err)
{
  first_error_t first   = {0};
  xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
  if (!ctxt) return lucsim_err_set(err, path, 0, "platform.file", "out of memory");
  xmlSetStructuredErrorFunc(&first, keep_first);
  xmlSetGenericErrorFunc(NULL, silence);
  /* No XML_PARSE_NOENT / DTDLOAD: the DOCTYPE SimGrid files carry is read, never fetched or expanded. */
  xmlDocPtr doc = xmlCtxtReadFile(ctxt, path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  int ok        = ctxt->wellFormed;
  xmlFreeParserCtxt(ctxt);
  xmlSetStructuredErrorFunc(NULL, NULL);
  xmlSetGenericErrorFunc(NULL, NULL);
  if (!doc || !ok) {
    xmlFreeDoc(doc);
    return lucsim_err_set(err, path, first.line, "platform.file", "not a SimGrid platform file: malformed XML: %s",
                          first.message[0] ? first.message : "unreadable");
  }
  xmlNodePtr root = xmlDocGetRootElement(doc);
  int rc          = 0;
  if (!root || !xmlStrEqual(root->name, BAD_CAST "platform"))
    rc = lucsim_err_set(err, path, root ? (int)xmlGetLineNo(root) : 0, "platform.file",
                        "not a SimGrid platform file: the root element is <%s>; expected <platform version=\"4.1\">",
                        root ? (const char*)root->name : "");
  else if (!xmlHasProp(root, BAD_CAST "version"))
    rc = lucsim_err_set(err, path, (int)xmlGetLineNo(root), "platform.file",
                        "not a SimGrid platform file: <platform> has no version attribute; expected version=\"4.1\"");
  *links_fixed = !changes_links(root);
  xmlFreeDoc(doc);
  return rc;
}

/* "Parse error at FILE:LINE: MESSAGE" (SimGrid's form) or the first line SimGrid printed. */
static int report_child(const char* path, const char* out, int status, lucsim_err_t* err)
{
  const char* at = strstr(out, "Parse error at ");
  if (at) {
    at += strlen("Parse error at ");
    const char* colon = strstr(at, ": ");
    const char* num   = colon;
    while (num && num > at && num[-1] >= '0' && num[-1] <= '9')
      num--;
    if (colon && num && num > at && num[-1] == ':') {
      int line   = atoi(num);
      size_t len = strcspn(colon + 2, "\n");
      return lucsim_err_set(err, path, line, "platform.file", "SimGrid cannot read this platform: %.*s", (int)len,
                            colon + 2);
    }
  }
  size_t len = strcspn(out, "\n");
  if (len > 0)
    return lucsim_err_set(err, path, 0, "platform.file", "SimGrid cannot read this platform: %.*s", (int)len, out);
  return lucsim_err_set(err, path, 0, "platform.file", "SimGrid cannot read this platform (status %d)", status);
}

/* SimGrid parses the file in a child: a refusal stops the child, never this process. */
static int check_with_simgrid(const char* path, lucsim_err_t* err)
{
  int fds[2];
  if (pipe(fds) != 0) return lucsim_err_set(err, path, 0, "platform.file", "cannot check: %s", strerror(errno));
  fflush(stdout);
  fflush(stderr);
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return lucsim_err_set(err, path, 0, "platform.file", "cannot check: %s", strerror(errno));
  }
  if (pid == 0) {
    dup2(fds[1], STDERR_FILENO);
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    /* bare messages, whatever --log= said, so the parent can read them */
    xbt_log_control_set("root.thres:critical xbt_exception.thres:error xbt_exception.fmt:%m%n root.fmt:%m%n");
    simgrid_load_platform(path);
    _exit(0);
  }
  close(fds[1]);
  char out[CHILD_OUTPUT_MAX + 1];
  size_t used = 0;
  ssize_t n;
  char drain[4096];
  while ((n = read(fds[0], used < CHILD_OUTPUT_MAX ? out + used : drain,
                   used < CHILD_OUTPUT_MAX ? CHILD_OUTPUT_MAX - used : sizeof drain)) > 0 ||
         (n < 0 && errno == EINTR))
    if (n > 0 && used < CHILD_OUTPUT_MAX) used += (size_t)n;
  out[used] = '\0';
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return 0;
  return report_child(path, out, status, err);
}

int plat_check_file(const char* path, bool* links_fixed, lucsim_err_t* err)
{
  bool fixed = false;
  struct stat sb;
  if (stat(path, &sb) != 0)
    return lucsim_err_set(err, path, 0, "platform.file", "cannot read the SimGrid platform file: %s", strerror(errno));
  if (!S_ISREG(sb.st_mode))
    return lucsim_err_set(err, path, 0, "platform.file",
                          "not a SimGrid platform file: not a regular file (a folder or a device)");
  if ((double)sb.st_size > PLAT_FILE_MAX_BYTES)
    return lucsim_err_set(err, path, 0, "platform.file", "not a SimGrid platform file: %.0f MiB; at most %.0f MiB",
                          (double)sb.st_size / 1048576.0, PLAT_FILE_MAX_BYTES / 1048576.0);
  if (access(path, R_OK) != 0)
    return lucsim_err_set(err, path, 0, "platform.file", "cannot read the SimGrid platform file: %s", strerror(errno));
  if (check_xml(path, &fixed, err) != 0) return -1;
  if (links_fixed) *links_fixed = fixed;
  return check_with_simgrid(path, err);
}
