/* Where a host is declared in a SimGrid platform file, for the line of an error message about one of
 * its properties: its <host id=...> element (or that element's <prop id=...>), else the <cluster>
 * whose prefix and suffix frame its name. Reads the file with libxml2 (no network, no entities); the
 * file was checked before (platform_check.c). Not the checks themselves (platform_file.c). */
#include "platform_internal.h"

#include <libxml/parser.h>
#include <string.h>

static bool has_attr(xmlNodePtr n, const char* name, const char* value)
{
  xmlChar* v = xmlGetProp(n, BAD_CAST name);
  bool same  = v && strcmp((const char*)v, value) == 0;
  xmlFree(v);
  return same;
}

/* A <cluster prefix=P suffix=S> makes hosts P<number>S. */
static bool cluster_holds(xmlNodePtr n, const char* host)
{
  xmlChar* prefix = xmlGetProp(n, BAD_CAST "prefix");
  xmlChar* suffix = xmlGetProp(n, BAD_CAST "suffix");
  size_t lp = prefix ? strlen((const char*)prefix) : 0, ls = suffix ? strlen((const char*)suffix) : 0;
  size_t lh  = strlen(host);
  bool holds = prefix && lh > lp + ls && strncmp(host, (const char*)prefix, lp) == 0 &&
               strcmp(host + lh - ls, suffix ? (const char*)suffix : "") == 0;
  for (size_t i = lp; holds && i < lh - ls; i++)
    holds = host[i] >= '0' && host[i] <= '9';
  xmlFree(prefix);
  xmlFree(suffix);
  return holds;
}

static int find_line(xmlNodePtr n, const char* host, const char* prop)
{
  for (; n; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    bool is_host = xmlStrEqual(n->name, BAD_CAST "host") && has_attr(n, "id", host);
    if (is_host || (xmlStrEqual(n->name, BAD_CAST "cluster") && cluster_holds(n, host))) {
      for (xmlNodePtr c = n->children; prop && c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && xmlStrEqual(c->name, BAD_CAST "prop") && has_attr(c, "id", prop))
          return (int)xmlGetLineNo(c);
      return (int)xmlGetLineNo(n);
    }
    int line = find_line(n->children, host, prop);
    if (line > 0) return line;
  }
  return 0;
}

int plat__host_line(const char* path, const char* host, const char* prop)
{
  xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (!doc) return 0;
  int line = find_line(xmlDocGetRootElement(doc), host, prop);
  xmlFreeDoc(doc);
  return line;
}
