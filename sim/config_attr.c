/* Required attributes of the experiment file's elements (config_table.h), checked before the
 * RelaxNG validation: libxml2 2.9 reports a missing required attribute without a line, this says
 * which element, on which line. Used by every reader of the config module (config_xml.c,
 * config_ves.c, config_infra.c); it reads nothing else. */
#include "config_table.h"

#include <libxml/tree.h>

int config__require_attrs(xmlNodePtr node, const char* const (*need)[2], size_t count, const char* path,
                          lucsim_err_t* err)
{
  for (size_t r = 0; node->type == XML_ELEMENT_NODE && r < count; r++)
    if (xmlStrEqual(node->name, BAD_CAST need[r][0]) && !xmlHasNsProp(node, BAD_CAST need[r][1], NULL))
      return lucsim_err_set(err, path, (int)xmlGetLineNo(node), NULL,
                            "not a valid experiment (workloads/lucsim.rng): <%s> needs a %s attribute", need[r][0],
                            need[r][1]);
  return 0;
}
