/* Suite "platform_sites": sites discovered in SimGrid platform files through plat_load on real
 * SimGrid engines (one child process per file): the same platform described by zones (one
 * <cluster> per site, service nodes in a zone of their own) and by host properties site gives the
 * same sites for the same hosts; numbering rules (natural order of zone names, first appearance of
 * site properties); one zone is one site; a site on some hosts only is refused. */
#include "platform.h"
#include "simrun.h"

#include <CUnit/CUnit.h>
#include <simgrid/host.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_HOSTS 16

typedef struct sites_loaded {
  int rc;
  size_t pms, services, sites;
  char pm_name[MAX_HOSTS][24];
  size_t pm_site[MAX_HOSTS], service_site[MAX_HOSTS];
  char message[512];
} sites_loaded_t;

static int load_scenario(void* arg, void* out, size_t size)
{
  (void)size;
  const char* path  = arg;
  sites_loaded_t* o = out;
  simrun_init_simgrid();
  config_t* cfg = malloc(sizeof *cfg);
  config_init_defaults(cfg);
  plat_params_t p = cfg->platform;
  free(cfg);
  p.kind = PLAT_KIND_FILE;
  snprintf(p.file, sizeof p.file, "%s", path);
  lucsim_err_t err;
  lucsim_err_clear(&err);
  plat_t* plat = plat_load(&p, NULL, &err);
  if (!plat) {
    o->rc = -1;
    lucsim_err_format(&err, o->message, sizeof o->message);
    return 0;
  }
  o->pms      = plat_pm_count(plat);
  o->services = plat_service_count(plat);
  o->sites    = plat_site_count(plat);
  for (size_t i = 0; i < o->pms && i < MAX_HOSTS; i++) {
    snprintf(o->pm_name[i], sizeof o->pm_name[i], "%s", sg_host_get_name(plat_pm_host(plat, i)));
    o->pm_site[i] = plat_pm_site(plat, i);
  }
  for (size_t i = 0; i < o->services && i < MAX_HOSTS; i++)
    o->service_site[i] = plat_service_site(plat, i);
  plat_destroy(plat);
  return 0;
}

static sites_loaded_t load_text(const char* body)
{
  char dir[]       = "/tmp/lucsim-sites-XXXXXX", path[128];
  sites_loaded_t o = {0};
  CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
  snprintf(path, sizeof path, "%s/platform.xml", dir);
  FILE* f = fopen(path, "w");
  CU_ASSERT_PTR_NOT_NULL_FATAL(f);
  fputs(body, f);
  fclose(f);
  CU_ASSERT_EQUAL(simrun_in_child(load_scenario, path, &o, sizeof o), 0);
  unlink(path);
  rmdir(dir);
  return o;
}

#define HEAD                                                                                                           \
  "<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n<platform "                  \
  "version=\"4.1\">\n"

/* Three sites as zones, listed out of order (paris-10 after paris-2 in natural order), sizes 3, 2, 1,
 * plus a service cluster: a zone of its own, hence a fourth site. */
static const char by_zones[] = HEAD
    "<zone id=\"top\" routing=\"Full\">\n"
    "  <cluster id=\"paris-10\" prefix=\"p10-\" suffix=\"\" radical=\"0-0\" speed=\"1Gf\" core=\"4\" bw=\"1Gbps\""
    " lat=\"50us\" router_id=\"r10\"/>\n"
    "  <cluster id=\"lyon\" prefix=\"ly-\" suffix=\"\" radical=\"0-2\" speed=\"1Gf\" core=\"4\" bw=\"1Gbps\""
    " lat=\"50us\" router_id=\"rl\"/>\n"
    "  <cluster id=\"paris-2\" prefix=\"p2-\" suffix=\"\" radical=\"0-1\" speed=\"1Gf\" core=\"4\" bw=\"1Gbps\""
    " lat=\"50us\" router_id=\"r2\"/>\n"
    "  <cluster id=\"services\" prefix=\"ctl-\" suffix=\"\" radical=\"0-0\" speed=\"1Gf\" core=\"4\" bw=\"1Gbps\""
    " lat=\"50us\" router_id=\"rs\"><prop id=\"lucsim_role\" value=\"service\"/></cluster>\n"
    "  <link id=\"wan\" bandwidth=\"10Gbps\" latency=\"1ms\"/>\n"
    "  <zoneRoute src=\"lyon\" dst=\"paris-2\" gw_src=\"rl\" gw_dst=\"r2\"><link_ctn id=\"wan\"/></zoneRoute>\n"
    "  <zoneRoute src=\"lyon\" dst=\"paris-10\" gw_src=\"rl\" gw_dst=\"r10\"><link_ctn id=\"wan\"/></zoneRoute>\n"
    "  <zoneRoute src=\"paris-2\" dst=\"paris-10\" gw_src=\"r2\" gw_dst=\"r10\"><link_ctn id=\"wan\"/></zoneRoute>\n"
    "  <zoneRoute src=\"services\" dst=\"lyon\" gw_src=\"rs\" gw_dst=\"rl\"><link_ctn id=\"wan\"/></zoneRoute>\n"
    "  <zoneRoute src=\"services\" dst=\"paris-2\" gw_src=\"rs\" gw_dst=\"r2\"><link_ctn id=\"wan\"/></zoneRoute>\n"
    "  <zoneRoute src=\"services\" dst=\"paris-10\" gw_src=\"rs\" gw_dst=\"r10\"><link_ctn id=\"wan\"/></zoneRoute>\n"
    "</zone>\n</platform>\n";

/* The same hosts in one zone, each tagged with the name of its zone above. */
#define H(id, site) "  <host id=\"" id "\" speed=\"1Gf\" core=\"4\"><prop id=\"site\" value=\"" site "\"/></host>\n"
static const char by_properties[] = HEAD "<zone id=\"top\" routing=\"Full\">\n" H("p10-0", "paris-10") H("ly-0", "lyon")
    H("ly-1", "lyon") H("ly-2", "lyon") H("p2-0", "paris-2") H(
        "p2-1", "paris-2") "  <host id=\"ctl-0\" speed=\"1Gf\" core=\"4\"><prop id=\"lucsim_role\" value=\"service\"/>"
                           "<prop id=\"site\" value=\"services\"/></host>\n"
                           "</zone>\n</platform>\n";

static size_t site_of(const sites_loaded_t* o, const char* pm)
{
  for (size_t i = 0; i < o->pms; i++)
    if (strcmp(o->pm_name[i], pm) == 0) return o->pm_site[i];
  CU_FAIL("no such PM");
  return 99;
}

static void test_zones_and_properties_give_the_same_sites(void)
{
  sites_loaded_t z = load_text(by_zones), p = load_text(by_properties);
  CU_ASSERT_EQUAL(z.rc, 0);
  CU_ASSERT_EQUAL(p.rc, 0);
  CU_ASSERT_EQUAL(z.pms, 6);
  CU_ASSERT_EQUAL(z.services, 1);
  CU_ASSERT_EQUAL(z.sites, 4);
  /* PMs in natural name order: ly-0 ly-1 ly-2 p2-0 p2-1 p10-0 */
  CU_ASSERT_STRING_EQUAL(z.pm_name[0], "ly-0");
  CU_ASSERT_STRING_EQUAL(z.pm_name[5], "p10-0");
  /* zones in natural order of their names: lyon 0, paris-2 1, paris-10 2, services 3 */
  CU_ASSERT_EQUAL(site_of(&z, "ly-1"), 0);
  CU_ASSERT_EQUAL(site_of(&z, "p2-1"), 1);
  CU_ASSERT_EQUAL(site_of(&z, "p10-0"), 2);
  CU_ASSERT_EQUAL(z.service_site[0], 3);
  /* the properties: numbered by first appearance over the PMs in name order, the same here */
  CU_ASSERT_EQUAL(p.sites, z.sites);
  CU_ASSERT_EQUAL(p.pms, z.pms);
  for (size_t i = 0; i < z.pms; i++) {
    CU_ASSERT_STRING_EQUAL(p.pm_name[i], z.pm_name[i]);
    CU_ASSERT_EQUAL(p.pm_site[i], z.pm_site[i]);
  }
  CU_ASSERT_EQUAL(p.service_site[0], z.service_site[0]);
}

static void test_first_appearance_one_zone_and_refusals(void)
{
  /* properties: numbered by first appearance over the PMs (b-1 is first), not by their names */
  sites_loaded_t o = load_text(HEAD "<zone id=\"z\" routing=\"Full\">\n" H("b-1", "west") H("b-2", "east")
                                   H("b-3", "west") "</zone>\n</platform>\n");
  CU_ASSERT_EQUAL(o.rc, 0);
  CU_ASSERT_EQUAL(o.sites, 2);
  CU_ASSERT_EQUAL(site_of(&o, "b-1"), 0);
  CU_ASSERT_EQUAL(site_of(&o, "b-2"), 1);
  CU_ASSERT_EQUAL(site_of(&o, "b-3"), 0);
  /* one zone holding hosts (nested in a zone without hosts): one site */
  o = load_text(HEAD "<zone id=\"top\" routing=\"Full\"><zone id=\"inner\" routing=\"Full\">\n"
                     "  <host id=\"a\" speed=\"1Gf\" core=\"4\"/><host id=\"b\" speed=\"1Gf\" core=\"4\"/>\n"
                     "</zone></zone>\n</platform>\n");
  CU_ASSERT_EQUAL(o.rc, 0);
  CU_ASSERT_EQUAL(o.sites, 1);
  /* a site on some hosts only */
  o = load_text(HEAD "<zone id=\"z\" routing=\"Full\">\n" H("a", "west") "  <host id=\"b\" speed=\"1Gf\" core=\"4\"/>\n"
                                                                         "</zone>\n</platform>\n");
  CU_ASSERT_EQUAL(o.rc, -1);
  CU_ASSERT_PTR_NOT_NULL(strstr(o.message, "platform.file: host 'b' has no property site but host 'a' has one"));
  /* an empty site name */
  o = load_text(HEAD "<zone id=\"z\" routing=\"Full\">\n" H("a", "") "</zone>\n</platform>\n");
  CU_ASSERT_EQUAL(o.rc, -1);
  CU_ASSERT_PTR_NOT_NULL(strstr(o.message, "host 'a': property site is empty"));
}

CU_TestInfo platform_sites_tests[] = {
    {"zones_and_properties_give_the_same_sites", test_zones_and_properties_give_the_same_sites},
    {"first_appearance_one_zone_and_refusals", test_first_appearance_one_zone_and_refusals},
    CU_TEST_INFO_NULL,
};
