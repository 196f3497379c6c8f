/* Suite "platform": the generated cluster and hand-written SimGrid files through plat_load, on real
 * SimGrid engines (one child process per platform: SimGrid loads one platform per process), and
 * the pre-check of platform files (plat_check_file), whose refusals must never stop the process. */
#include "platform.h"
#include "simrun.h"

#include <CUnit/CUnit.h>
#include <simgrid/host.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct loaded {
  int rc;
  size_t pms, services;
  char first_pm[32], last_pm[32], service[32];
  double capacity0;
  uint64_t ram0, ram_last;
  int links_fixed;
  char message[256];
} loaded_t;

static int load_scenario(void* arg, void* out, size_t size)
{
  (void)size;
  const plat_params_t* p = arg;
  loaded_t* o            = out;
  simrun_init_simgrid();
  lucsim_err_t err;
  lucsim_err_clear(&err);
  plat_t* plat = plat_load(p, NULL, &err);
  if (!plat) {
    o->rc = -1;
    lucsim_err_format(&err, o->message, sizeof o->message);
    return 0;
  }
  o->pms      = plat_pm_count(plat);
  o->services = plat_service_count(plat);
  snprintf(o->first_pm, sizeof o->first_pm, "%s", sg_host_get_name(plat_pm_host(plat, 0)));
  snprintf(o->last_pm, sizeof o->last_pm, "%s", sg_host_get_name(plat_pm_host(plat, o->pms - 1)));
  if (o->services) snprintf(o->service, sizeof o->service, "%s", sg_host_get_name(plat_service_host(plat, 0)));
  o->capacity0   = plat_pm_cpu_capacity(plat, 0);
  o->ram0        = plat_pm_ram_bytes(plat, 0);
  o->ram_last    = plat_pm_ram_bytes(plat, o->pms - 1);
  o->links_fixed = plat_links_fixed(plat);
  plat_destroy(plat);
  return 0;
}

static loaded_t load(const plat_params_t* p)
{
  loaded_t o = {0};
  CU_ASSERT_EQUAL(simrun_in_child(load_scenario, (void*)p, &o, sizeof o), 0);
  return o;
}

static plat_params_t defaults(void)
{
  config_t* cfg = malloc(sizeof *cfg);
  config_init_defaults(cfg);
  plat_params_t p = cfg->platform;
  free(cfg);
  return p;
}

static void test_generated_cluster_orders_pms_then_service_nodes(void)
{
  plat_params_t p    = defaults();
  p.pm_count         = 12;
  p.service_nodes    = 2;
  p.cores            = 8;
  p.hypervisor_cores = 1;
  loaded_t o         = load(&p);
  CU_ASSERT_EQUAL(o.rc, 0);
  CU_ASSERT_EQUAL(o.pms, 12);
  CU_ASSERT_EQUAL(o.services, 2);
  CU_ASSERT_STRING_EQUAL(o.first_pm, "node-0");
  CU_ASSERT_STRING_EQUAL(o.last_pm, "node-11");
  CU_ASSERT_STRING_EQUAL(o.service, "node-12");
  CU_ASSERT_DOUBLE_EQUAL(o.capacity0, 700.0, 0); /* (8 - 1) cores x 100 load units */
  CU_ASSERT_EQUAL(o.ram0, (uint64_t)32 << 30);
  CU_ASSERT_EQUAL(o.links_fixed, 1);
}

/* Writes a platform file (hosts named to test the natural order) into a temporary folder. */
static void write_platform(char* dir, char* path, size_t size, const char* body)
{
  snprintf(dir, 64, "/tmp/lucsim-plat-XXXXXX");
  CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
  snprintf(path, size, "%s/platform.xml", dir);
  FILE* f = fopen(path, "w");
  CU_ASSERT_PTR_NOT_NULL_FATAL(f);
  fputs(body, f);
  fclose(f);
}

static void remove_platform(const char* dir, const char* path)
{
  unlink(path);
  rmdir(dir);
}

static const char file_platform[] =
    "<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
    "<platform version=\"4.1\">\n<zone id=\"world\" routing=\"Full\">\n"
    "  <host id=\"pm-10\" speed=\"1Gf\" core=\"4\"><prop id=\"ram\" value=\"8589934592\"/></host>\n"
    "  <host id=\"pm-2\" speed=\"1Gf\" core=\"4\"/>\n"
    "  <host id=\"ctl\" speed=\"1Gf\" core=\"1\"><prop id=\"lucsim_role\" value=\"service\"/></host>\n"
    "</zone>\n</platform>\n";

static void test_file_hosts_in_natural_order_with_roles_and_ram(void)
{
  char dir[64], path[128];
  write_platform(dir, path, sizeof path, file_platform);
  plat_params_t p = defaults();
  p.kind          = PLAT_KIND_FILE;
  snprintf(p.file, sizeof p.file, "%s", path);
  loaded_t o = load(&p);
  CU_ASSERT_EQUAL(o.rc, 0);
  CU_ASSERT_EQUAL(o.pms, 2);
  CU_ASSERT_EQUAL(o.services, 1);
  CU_ASSERT_STRING_EQUAL(o.first_pm, "pm-2"); /* pm-2 before pm-10 */
  CU_ASSERT_STRING_EQUAL(o.last_pm, "pm-10");
  CU_ASSERT_STRING_EQUAL(o.service, "ctl");
  CU_ASSERT_DOUBLE_EQUAL(o.capacity0, 300.0, 0);        /* 4 cores - 1 for the hypervisor */
  CU_ASSERT_EQUAL(o.ram0, (uint64_t)32 << 30);          /* no property: platform.ram */
  CU_ASSERT_EQUAL(o.ram_last, (uint64_t)8589934592ull); /* the property, in bytes */
  CU_ASSERT_EQUAL(o.links_fixed, 1);                    /* no link at all */
  remove_platform(dir, path);
}

/* plat_links_fixed of a platform file `body`, with the profile file "profile.txt" next to it. */
static int links_fixed_of(const char* body)
{
  char dir[64], path[128], profile[160];
  write_platform(dir, path, sizeof path, body);
  snprintf(profile, sizeof profile, "%s/profile.txt", dir);
  FILE* f = fopen(profile, "w");
  CU_ASSERT_PTR_NOT_NULL_FATAL(f);
  fputs("5 1e6\n", f);
  fclose(f);
  plat_params_t p = defaults();
  p.kind          = PLAT_KIND_FILE;
  snprintf(p.file, sizeof p.file, "%s", path);
  loaded_t o = load(&p);
  unlink(profile);
  remove_platform(dir, path);
  CU_ASSERT_EQUAL(o.rc, 0);
  return o.links_fixed;
}

/* Two hosts joined by one link of the given attributes. */
static int link_fixed(const char* link)
{
  char body[1024];
  snprintf(body, sizeof body,
           "<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
           "<platform version=\"4.1\">\n<zone id=\"z\" routing=\"Full\">\n"
           "  <host id=\"pm-0\" speed=\"1Gf\" core=\"4\"/>\n  <host id=\"pm-1\" speed=\"1Gf\" core=\"4\"/>\n"
           "  <link id=\"l\" bandwidth=\"1Gbps\" latency=\"50us\" %s/>\n"
           "  <route src=\"pm-0\" dst=\"pm-1\"><link_ctn id=\"l\"/></route>\n</zone>\n</platform>\n",
           link);
  return links_fixed_of(body);
}

/* A wireless zone (its access point a router) wired to a zone of one host. */
static const char wifi_platform[] =
    "<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
    "<platform version=\"4.1\">\n<zone id=\"all\" routing=\"Full\">\n"
    "  <zone id=\"air\" routing=\"Wifi\"><prop id=\"access_point\" value=\"ap\"/>\n"
    "    <host id=\"pm-0\" speed=\"1Gf\" core=\"4\"/>\n"
    "    <link id=\"radio\" sharing_policy=\"WIFI\" bandwidth=\"54Mbps,36Mbps\" latency=\"0ms\"/>\n"
    "    <router id=\"ap\"/>\n  </zone>\n"
    "  <zone id=\"wired\" routing=\"Full\"><host id=\"pm-1\" speed=\"1Gf\" core=\"4\"/></zone>\n"
    "  <link id=\"uplink\" bandwidth=\"1Gbps\" latency=\"50us\"/>\n"
    "  <zoneRoute src=\"air\" dst=\"wired\" gw_src=\"ap\" gw_dst=\"pm-1\"><link_ctn id=\"uplink\"/></zoneRoute>\n"
    "</zone>\n</platform>\n";

static void test_file_links_fixed_unless_a_profile_or_wifi_can_change_them(void)
{
  CU_ASSERT_EQUAL(link_fixed(""), 1);
  CU_ASSERT_EQUAL(link_fixed("bandwidth_file=\"profile.txt\""), 0);
  CU_ASSERT_EQUAL(link_fixed("latency_file=\"profile.txt\""), 0);
  CU_ASSERT_EQUAL(link_fixed("state_file=\"profile.txt\""), 1); /* on or off: reachability, not timing */
  CU_ASSERT_EQUAL(links_fixed_of(wifi_platform), 0);
}

/* One PM with the given ram and lucsim_role properties (NULL: absent), loaded from a file. */
static loaded_t load_one_host(const char* ram, const char* role)
{
  char dir[64], path[128], body[1024], props[256] = "";
  if (ram) snprintf(props, sizeof props, "<prop id=\"ram\" value=\"%s\"/>", ram);
  if (role)
    snprintf(props + strlen(props), sizeof props - strlen(props), "<prop id=\"lucsim_role\" value=\"%s\"/>", role);
  snprintf(body, sizeof body,
           "<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
           "<platform version=\"4.1\">\n<zone id=\"z\" routing=\"Full\">\n"
           "  <host id=\"pm-0\" speed=\"1Gf\" core=\"4\">%s</host>\n</zone>\n</platform>\n",
           props);
  write_platform(dir, path, sizeof path, body);
  plat_params_t p = defaults();
  p.kind          = PLAT_KIND_FILE;
  snprintf(p.file, sizeof p.file, "%s", path);
  loaded_t o = load(&p);
  remove_platform(dir, path);
  return o;
}

static void test_file_ram_with_units_and_refused_properties(void)
{
  CU_ASSERT_EQUAL(load_one_host("32GiB", NULL).ram0, (uint64_t)32 << 30);
  CU_ASSERT_EQUAL(load_one_host("512MiB", NULL).ram0, (uint64_t)512 << 20);
  CU_ASSERT_EQUAL(load_one_host("1.5GB", NULL).ram0, (uint64_t)1500000000);
  CU_ASSERT_EQUAL(load_one_host("4096", NULL).ram0, (uint64_t)4096);
  loaded_t o = load_one_host("lots", NULL);
  CU_ASSERT_EQUAL(o.rc, -1);
  CU_ASSERT_PTR_NOT_NULL(strstr(o.message, ": platform.file: host 'pm-0': property ram: 'lots' is not a size"));
  o = load_one_host("0", NULL);
  CU_ASSERT_EQUAL(o.rc, -1);
  CU_ASSERT_PTR_NOT_NULL(strstr(o.message, "host 'pm-0': property ram: 0 is out of range"));
  o = load_one_host(NULL, "controller");
  CU_ASSERT_EQUAL(o.rc, -1);
  CU_ASSERT_PTR_NOT_NULL(strstr(o.message, "host 'pm-0': property lucsim_role is 'controller'; expected service"));
}

static void test_check_refuses_what_simgrid_would_abort_on(void)
{
  char dir[64], path[128], line[1024];
  lucsim_err_t err;
  simrun_init_simgrid();
  /* SimGrid refuses core="x": its message, one line, and this process goes on */
  write_platform(dir, path, sizeof path,
                 "<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
                 "<platform version=\"4.1\">\n<zone id=\"z\" routing=\"Full\">\n"
                 "<host id=\"a\" speed=\"1Gf\" core=\"x\"/>\n</zone>\n</platform>\n");
  CU_ASSERT_EQUAL(plat_check_file(path, NULL, &err), -1);
  lucsim_err_format(&err, line, sizeof line);
  char expected[256];
  snprintf(expected, sizeof expected, "%s:5: platform.file: SimGrid cannot read this platform: x is not an int", path);
  CU_ASSERT_STRING_EQUAL(line, expected);
  remove_platform(dir, path);
  /* not XML, a folder, a device */
  write_platform(dir, path, sizeof path, "root:x:0:0:root:/root:/bin/bash\n");
  CU_ASSERT_EQUAL(plat_check_file(path, NULL, &err), -1);
  CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "not a SimGrid platform file: malformed XML"));
  CU_ASSERT_EQUAL(err.line, 1);
  CU_ASSERT_EQUAL(plat_check_file(dir, NULL, &err), -1);
  CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "not a regular file"));
  remove_platform(dir, path);
  CU_ASSERT_EQUAL(plat_check_file("/dev/zero", NULL, &err), -1);
  /* a good file passes */
  write_platform(dir, path, sizeof path, file_platform);
  CU_ASSERT_EQUAL(plat_check_file(path, NULL, &err), 0);
  remove_platform(dir, path);
}

/* plat_check_file needs an initialized SimGrid: run it in a child too. */
static int check_scenario(void* arg, void* out, size_t size)
{
  (void)arg, (void)out, (void)size;
  unsigned before = CU_get_number_of_failures();
  test_check_refuses_what_simgrid_would_abort_on();
  return CU_get_number_of_failures() > before ? 1 : 0; /* the failed assertions print in the child's log */
}

static void test_check_in_child(void)
{
  CU_ASSERT_EQUAL(simrun_in_child(check_scenario, NULL, NULL, 0), 0);
}

CU_TestInfo platform_tests[] = {
    {"generated_cluster_orders_pms_then_service_nodes", test_generated_cluster_orders_pms_then_service_nodes},
    {"file_hosts_in_natural_order_with_roles_and_ram", test_file_hosts_in_natural_order_with_roles_and_ram},
    {"file_ram_with_units_and_refused_properties", test_file_ram_with_units_and_refused_properties},
    {"file_links_fixed_unless_a_profile_or_wifi_can_change_them",
     test_file_links_fixed_unless_a_profile_or_wifi_can_change_them},
    {"check_refuses_what_simgrid_would_abort_on", test_check_in_child},
    CU_TEST_INFO_NULL,
};
