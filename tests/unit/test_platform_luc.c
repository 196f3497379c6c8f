/* Suite "platform_luc": generated multi-site LUC platforms through plat_load on real SimGrid engines
 * (one child process per platform): host counts and names per site, contiguous site indices, route
 * latencies along each topology (hops x WAN latency + the two private links) and each topology's
 * diameter, a backbone file (per-link latencies from lengths, shortest path by latency, site names,
 * PMs per site, coordinates), the links and coordinates kept for backbone.csv and sites.csv, the
 * sites of the printed platform loaded back from host properties and from zones,
 * and the same sites seen by a scheduler through scheduler/scheduler.h. */
#include "platform.h"
#include "run.h"
#include "runner.h"
#include "simrun.h"

#include <CUnit/CUnit.h>
#include <simgrid/host.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NIC_LAT 50e-6
#define WAN_LAT 1e-3

typedef struct luc_case {
  plat_params_t p;
  size_t site_a, site_b; /* latency between the first PMs of these sites */
} luc_case_t;

typedef struct luc_loaded {
  int rc;
  size_t pms, services, sites;
  size_t pms_per_site[8], services_per_site[8];
  int contiguous;
  char first_pm[32], last_pm[32], first_service[32];
  double latency;         /* first PM of site_a to first PM of site_b */
  double service_latency; /* service node 0 to PM 0 */
  double diameter;        /* the largest latency between the first PMs of two sites */
  char site_name[8][16];  /* host property site of each site's first PM */
} luc_loaded_t;

static size_t first_pm_of(const plat_t* plat, size_t site)
{
  for (size_t pm = 0; pm < plat_pm_count(plat); pm++)
    if (plat_pm_site(plat, pm) == site) return pm;
  return 0;
}

static int load_scenario(void* arg, void* out, size_t size)
{
  (void)size;
  const luc_case_t* c = arg;
  luc_loaded_t* o     = out;
  simrun_init_simgrid();
  lucsim_err_t err;
  lucsim_err_clear(&err);
  plat_t* plat = plat_load(&c->p, NULL, &err);
  if (!plat) {
    o->rc = -1;
    return 0;
  }
  o->pms        = plat_pm_count(plat);
  o->services   = plat_service_count(plat);
  o->sites      = plat_site_count(plat);
  o->contiguous = 1;
  for (size_t pm = 0; pm < o->pms; pm++) {
    size_t s = plat_pm_site(plat, pm);
    if (s < 8) o->pms_per_site[s]++;
    if (pm > 0 && s != plat_pm_site(plat, pm - 1) && s != plat_pm_site(plat, pm - 1) + 1) o->contiguous = 0;
  }
  for (size_t sv = 0; sv < o->services; sv++)
    if (plat_service_site(plat, sv) < 8) o->services_per_site[plat_service_site(plat, sv)]++;
  snprintf(o->first_pm, sizeof o->first_pm, "%s", sg_host_get_name(plat_pm_host(plat, 0)));
  snprintf(o->last_pm, sizeof o->last_pm, "%s", sg_host_get_name(plat_pm_host(plat, o->pms - 1)));
  if (o->services) {
    snprintf(o->first_service, sizeof o->first_service, "%s", sg_host_get_name(plat_service_host(plat, 0)));
    o->service_latency = sg_host_get_route_latency(plat_service_host(plat, 0), plat_pm_host(plat, 0));
  }
  o->latency = sg_host_get_route_latency(plat_pm_host(plat, first_pm_of(plat, c->site_a)),
                                         plat_pm_host(plat, first_pm_of(plat, c->site_b)));
  for (size_t a = 0; a < o->sites; a++) {
    sg_host_t ha = plat_pm_host(plat, first_pm_of(plat, a));
    if (a < 8) snprintf(o->site_name[a], sizeof o->site_name[a], "%s", sg_host_get_property_value(ha, "site"));
    for (size_t b = a + 1; b < o->sites; b++) {
      double l = sg_host_get_route_latency(ha, plat_pm_host(plat, first_pm_of(plat, b)));
      if (l > o->diameter) o->diameter = l;
    }
  }
  plat_destroy(plat);
  return 0;
}

static luc_case_t luc_case(int pms, int sites, plat_topology_t topo, size_t a, size_t b)
{
  config_t* cfg = malloc(sizeof *cfg);
  config_init_defaults(cfg);
  luc_case_t c = {.p = cfg->platform, .site_a = a, .site_b = b};
  free(cfg);
  c.p.kind          = PLAT_KIND_LUC;
  c.p.pm_count      = pms;
  c.p.sites         = sites;
  c.p.topology      = topo;
  c.p.service_nodes = 3;
  c.p.nic_latency_s = NIC_LAT;
  c.p.wan_latency_s = WAN_LAT;
  return c;
}

static luc_loaded_t load(const luc_case_t* c)
{
  luc_loaded_t o = {0};
  CU_ASSERT_EQUAL(simrun_in_child(load_scenario, (void*)c, &o, sizeof o), 0);
  CU_ASSERT_EQUAL(o.rc, 0);
  return o;
}

static void test_sites_split_pms_evenly_first_sites_one_more(void)
{
  luc_case_t c   = luc_case(10, 4, PLAT_TOPO_RING, 0, 1);
  luc_loaded_t o = load(&c);
  CU_ASSERT_EQUAL(o.pms, 10);
  CU_ASSERT_EQUAL(o.sites, 4);
  CU_ASSERT_EQUAL(o.services, 3);
  CU_ASSERT_EQUAL(o.pms_per_site[0], 3);
  CU_ASSERT_EQUAL(o.pms_per_site[1], 3);
  CU_ASSERT_EQUAL(o.pms_per_site[2], 2);
  CU_ASSERT_EQUAL(o.pms_per_site[3], 2);
  CU_ASSERT_EQUAL(o.services_per_site[0], 1);
  CU_ASSERT_EQUAL(o.services_per_site[2], 1);
  CU_ASSERT_EQUAL(o.services_per_site[3], 0);
  CU_ASSERT_TRUE(o.contiguous);
  CU_ASSERT_STRING_EQUAL(o.first_pm, "s0-node-0");
  CU_ASSERT_STRING_EQUAL(o.last_pm, "s3-node-1");
  CU_ASSERT_STRING_EQUAL(o.first_service, "s0-service-0");
  /* a service node reaches its site's PMs over the two private links only */
  CU_ASSERT_DOUBLE_EQUAL(o.service_latency, 2 * NIC_LAT, 1e-12);
}

/* The diameter of each topology, in backbone hops, between the first PMs of two sites. */
static void check_hops(int sites, plat_topology_t topo, size_t a, size_t b, int hops)
{
  luc_case_t c   = luc_case(2 * sites, sites, topo, a, b);
  luc_loaded_t o = load(&c);
  CU_ASSERT_DOUBLE_EQUAL(o.latency, hops * WAN_LAT + 2 * NIC_LAT, 1e-12);
}

static void test_route_latency_sums_hops_ring(void)
{
  check_hops(8, PLAT_TOPO_RING, 0, 4, 4);
  check_hops(8, PLAT_TOPO_RING, 1, 7, 2); /* the short way round */
  check_hops(2, PLAT_TOPO_RING, 0, 1, 1);
}
static void test_route_latency_sums_hops_star(void)
{
  check_hops(6, PLAT_TOPO_STAR, 2, 5, 2);
  check_hops(6, PLAT_TOPO_STAR, 0, 5, 1);
}
static void test_route_latency_sums_hops_mesh(void)
{
  check_hops(6, PLAT_TOPO_MESH, 1, 4, 1);
}
static void test_route_latency_sums_hops_tree(void)
{
  check_hops(7, PLAT_TOPO_TREE, 3, 6, 4);
  check_hops(7, PLAT_TOPO_TREE, 3, 4, 2);
}

/* The diameter of each topology in backbone hops: the largest route latency between two sites. */
static void check_diameter(int sites, plat_topology_t topo, int hops)
{
  luc_case_t c   = luc_case(sites, sites, topo, 0, 0);
  luc_loaded_t o = load(&c);
  CU_ASSERT_EQUAL(o.sites, (size_t)sites);
  CU_ASSERT_DOUBLE_EQUAL(o.diameter, hops * WAN_LAT + 2 * NIC_LAT, 1e-12);
}

static void test_topology_diameters(void)
{
  check_diameter(7, PLAT_TOPO_RING, 3); /* floor(n / 2) */
  check_diameter(8, PLAT_TOPO_RING, 4);
  check_diameter(6, PLAT_TOPO_STAR, 2); /* leaf, hub, leaf */
  check_diameter(5, PLAT_TOPO_MESH, 1);
  check_diameter(7, PLAT_TOPO_TREE, 4);  /* 3 to 6 through the root */
  check_diameter(15, PLAT_TOPO_TREE, 6); /* 7 to 14: three levels up, three down */
}

/* ---- a backbone file (platform.topology=file) ---- */

/* 5 sites: alpha-beta 100 km (0.5 ms), beta-gamma 200 km (1 ms), gamma-delta 2 ms, alpha-delta 5 ms
 * direct, alpha-eps 50 km, eps-delta 10 ms: alpha to delta is shortest by latency over 3 hops
 * (3.5 ms), not over the direct link (5 ms). */
static const char backbone_text[] = "# test backbone\n"
                                    "site,alpha\nsite,beta\n  site , gamma \nsite,delta\nsite,eps\n\n"
                                    "link,alpha,beta,100km\nlink,gamma,beta,200km\nlink,gamma,delta,2ms\n"
                                    "link,alpha,delta,5ms,1Gbps\nlink,alpha,eps,50km\nlink,eps,delta,10ms\n";

static luc_case_t file_case(char* path, const char* site_pms, size_t a, size_t b)
{
  int fd  = mkstemp(path);
  FILE* f = fd >= 0 ? fdopen(fd, "w") : NULL;
  CU_ASSERT_PTR_NOT_NULL_FATAL(f);
  fputs(backbone_text, f);
  fclose(f);
  luc_case_t c = luc_case(9, 5, PLAT_TOPO_FILE, a, b);
  snprintf(c.p.backbone_file, sizeof c.p.backbone_file, "%s", path);
  snprintf(c.p.site_pms, sizeof c.p.site_pms, "%s", site_pms);
  return c;
}

static void test_backbone_file_latency_is_the_shortest_sum_of_link_latencies(void)
{
  char path[]    = "/tmp/lucsim-backbone-XXXXXX";
  luc_case_t c   = file_case(path, "3,1,2,2,1", 0, 3);
  luc_loaded_t o = load(&c);
  CU_ASSERT_EQUAL(o.sites, 5);
  CU_ASSERT_EQUAL(o.pms, 9);
  static const size_t pms[] = {3, 1, 2, 2, 1};
  for (size_t s = 0; s < 5; s++)
    CU_ASSERT_EQUAL(o.pms_per_site[s], pms[s]);
  CU_ASSERT_TRUE(o.contiguous);
  CU_ASSERT_STRING_EQUAL(o.site_name[0], "alpha");
  CU_ASSERT_STRING_EQUAL(o.site_name[2], "gamma"); /* spaces around columns are trimmed */
  CU_ASSERT_STRING_EQUAL(o.site_name[4], "eps");
  CU_ASSERT_STRING_EQUAL(o.last_pm, "s4-node-0");
  /* alpha to delta: 0.5 + 1 + 2 ms over three links, plus the two private links */
  CU_ASSERT_DOUBLE_EQUAL(o.latency, 3.5e-3 + 2 * NIC_LAT, 1e-12);
  /* the diameter: eps to delta over alpha, beta and gamma, 0.25 + 3.5 ms (the direct link: 10 ms) */
  CU_ASSERT_DOUBLE_EQUAL(o.diameter, 3.75e-3 + 2 * NIC_LAT, 1e-12);
  char again[] = "/tmp/lucsim-backbone-XXXXXX";
  c            = file_case(again, "3,1,2,2,1", 4, 1); /* eps to beta: 0.25 + 0.5 ms over alpha */
  o            = load(&c);
  CU_ASSERT_DOUBLE_EQUAL(o.latency, 0.75e-3 + 2 * NIC_LAT, 1e-12);
  unlink(again);
  unlink(path);
}

/* The shipped France backbone (platforms/france-backbone.csv): connected (config_backbone_load
 * refuses it otherwise), and its longest shortest path, Brest to Nice, is 1662 km of links: 8.31 ms
 * one way plus the two private links. */
static void test_france_backbone_is_about_8ms_across(void)
{
  luc_case_t c = luc_case(28, 28, PLAT_TOPO_FILE, 6, 18); /* brest, nice (file order) */
  snprintf(c.p.backbone_file, sizeof c.p.backbone_file, "%s/platforms/france-backbone.csv", lucsim_test_source_dir());
  luc_loaded_t o = load(&c);
  CU_ASSERT_EQUAL(o.sites, 28);
  CU_ASSERT_STRING_EQUAL(o.site_name[6], "brest");
  CU_ASSERT_DOUBLE_EQUAL(o.diameter, 8.31e-3 + 2 * NIC_LAT, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL(o.latency, o.diameter, 0);
}

/* The backbone a loaded platform keeps for the results (plat_link_*, plat_site_coords, backbone.csv):
 * the links of a backbone file with its latencies and bandwidths and its sites' coordinates; the
 * links of a ring; nothing for a single cluster. */
typedef struct backbone_kept {
  int rc;
  size_t links;
  plat_link_t link[8];
  int has_coords;
  double lon[4], lat[4];
  char csv[512];
} backbone_kept_t;

static int keep_scenario(void* arg, void* out, size_t size)
{
  (void)size;
  backbone_kept_t* o = out;
  simrun_init_simgrid();
  lucsim_err_t err;
  plat_t* plat = plat_load(arg, NULL, &err);
  if (!plat) {
    o->rc = -1;
    return 0;
  }
  o->links = plat_link_count(plat);
  for (size_t i = 0; i < o->links && i < 8; i++)
    o->link[i] = *plat_link(plat, i);
  o->has_coords = plat_site_coords(plat, 0, &o->lon[0], &o->lat[0]);
  for (size_t s = 1; s < plat_site_count(plat) && s < 4; s++)
    o->has_coords &= plat_site_coords(plat, s, &o->lon[s], &o->lat[s]);
  FILE* f = fmemopen(o->csv, sizeof o->csv - 1, "w");
  if (!f || plat_write_backbone_csv(plat, f) != 0) o->rc = -1;
  if (f) fclose(f);
  plat_destroy(plat);
  return 0;
}

static backbone_kept_t keep(const plat_params_t* p)
{
  backbone_kept_t o;
  memset(&o, 0, sizeof o);
  CU_ASSERT_EQUAL(simrun_in_child(keep_scenario, (void*)p, &o, sizeof o), 0);
  CU_ASSERT_EQUAL(o.rc, 0);
  return o;
}

static void test_backbone_links_and_coordinates_kept_for_results(void)
{
  char path[] = "/tmp/lucsim-backbone-XXXXXX";
  FILE* f     = fdopen(mkstemp(path), "w");
  CU_ASSERT_PTR_NOT_NULL_FATAL(f);
  fputs("site,alpha,3,2.5,48.5\nsite,beta,1,-4.25,47\n site , gamma ,2, 7.75 , 43.5\n"
        "link,alpha,beta,100km\nlink,gamma,beta,2ms,1Gbps\n",
        f);
  fclose(f);
  luc_case_t c = luc_case(6, 3, PLAT_TOPO_FILE, 0, 1);
  snprintf(c.p.backbone_file, sizeof c.p.backbone_file, "%s", path);
  backbone_kept_t o = keep(&c.p);
  unlink(path);
  CU_ASSERT_EQUAL_FATAL(o.links, 2);
  CU_ASSERT(o.link[0].a == 0 && o.link[0].b == 1 && o.link[1].a == 1 && o.link[1].b == 2);
  CU_ASSERT_DOUBLE_EQUAL(o.link[0].latency_s, 0.5e-3, 1e-15);  /* 100 km at 5 us/km */
  CU_ASSERT_DOUBLE_EQUAL(o.link[0].bw_Bps, c.p.wan_bw_Bps, 0); /* none given: wan_bandwidth */
  CU_ASSERT_DOUBLE_EQUAL(o.link[1].bw_Bps, 125e6, 0);          /* 1 Gbps */
  CU_ASSERT_TRUE(o.has_coords);
  CU_ASSERT(o.lon[0] == 2.5 && o.lat[0] == 48.5 && o.lon[1] == -4.25 && o.lat[1] == 47);
  CU_ASSERT(o.lon[2] == 7.75 && o.lat[2] == 43.5); /* spaces around columns trimmed */
  char expected[256];
  snprintf(expected, sizeof expected,
           "site_a,site_b,latency_s,bandwidth_Bps\n0,1,0.000500000,%.0f\n1,2,0.002000000,125000000\n", c.p.wan_bw_Bps);
  CU_ASSERT_STRING_EQUAL(o.csv, expected);

  c = luc_case(8, 4, PLAT_TOPO_RING, 0, 1); /* ring of 4: 0-1, 0-3, 1-2, 2-3; no coordinates */
  o = keep(&c.p);
  CU_ASSERT_EQUAL_FATAL(o.links, 4);
  static const size_t ends[4][2] = {{0, 1}, {0, 3}, {1, 2}, {2, 3}};
  for (size_t i = 0; i < 4; i++) {
    CU_ASSERT(o.link[i].a == ends[i][0] && o.link[i].b == ends[i][1]);
    CU_ASSERT_DOUBLE_EQUAL(o.link[i].latency_s, WAN_LAT, 0);
  }
  CU_ASSERT_FALSE(o.has_coords);

  c.p.kind = PLAT_KIND_CLUSTER; /* one cluster: no backbone */
  o        = keep(&c.p);
  CU_ASSERT_EQUAL(o.links, 0);
  CU_ASSERT_FALSE(o.has_coords);
  CU_ASSERT_STRING_EQUAL(o.csv, "site_a,site_b,latency_s,bandwidth_Bps\n");
}

/* The platform of a backbone file as `lucsim platform` prints it, loaded back as a file: the sites
 * from the host property site (the file's names) and, with every site property removed, from the
 * zones (s0, s1 ... s10, natural order) are the generated sites. */
typedef struct back_loaded {
  int rc;
  size_t pms, sites;
  uint32_t pm_site[16];
} back_loaded_t;

static int load_back(void* arg, void* out, size_t size)
{
  (void)size;
  back_loaded_t* o = out;
  simrun_init_simgrid();
  plat_params_t p = *(const plat_params_t*)arg;
  lucsim_err_t err;
  plat_t* plat = plat_load(&p, NULL, &err);
  if (!plat) {
    o->rc = -1;
    return 0;
  }
  o->pms   = plat_pm_count(plat);
  o->sites = plat_site_count(plat);
  for (size_t pm = 0; pm < o->pms && pm < 16; pm++)
    o->pm_site[pm] = (uint32_t)plat_pm_site(plat, pm);
  plat_destroy(plat);
  return 0;
}

static void write_platform(const plat_params_t* p, const char* path, bool keep_site_props)
{
  char* text  = NULL;
  size_t size = 0;
  FILE* mem   = open_memstream(&text, &size);
  CU_ASSERT_EQUAL_FATAL(plat_write_xml(p, mem), 0);
  fclose(mem);
  FILE* f = fopen(path, "w");
  CU_ASSERT_PTR_NOT_NULL_FATAL(f);
  for (char* line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
    if (keep_site_props || !strstr(line, "<prop id=\"site\"")) fprintf(f, "%s\n", line);
  fclose(f);
  free(text);
}

static void test_backbone_file_sites_from_properties_and_zones_agree(void)
{
  /* 12 sites on a line (s2 before s10 in natural order, not in byte order) */
  char backbone[] = "/tmp/lucsim-backbone-XXXXXX", props[] = "/tmp/lucsim-props-XXXXXX",
       zones[] = "/tmp/lucsim-zones-XXXXXX";
  FILE* f      = fdopen(mkstemp(backbone), "w");
  CU_ASSERT_PTR_NOT_NULL_FATAL(f);
  for (int s = 0; s < 12; s++)
    fprintf(f, "site,city%c\n", 'a' + s);
  for (int s = 1; s < 12; s++)
    fprintf(f, "link,city%c,city%c,%dkm\n", 'a' + s - 1, 'a' + s, 10 * s);
  fclose(f);
  luc_case_t c = luc_case(14, 12, PLAT_TOPO_FILE, 0, 11);
  snprintf(c.p.backbone_file, sizeof c.p.backbone_file, "%s", backbone);
  c.p.service_nodes = 0; /* a service cluster is a zone of its own */
  luc_loaded_t gen  = load(&c);
  close(mkstemp(props));
  close(mkstemp(zones));
  write_platform(&c.p, props, true);
  write_platform(&c.p, zones, false);
  back_loaded_t by[2];
  const char* files[2] = {props, zones};
  for (int i = 0; i < 2; i++) {
    plat_params_t p = c.p;
    p.kind          = PLAT_KIND_FILE;
    snprintf(p.file, sizeof p.file, "%s", files[i]);
    memset(&by[i], 0, sizeof by[i]);
    CU_ASSERT_EQUAL(simrun_in_child(load_back, &p, &by[i], sizeof by[i]), 0);
    CU_ASSERT_EQUAL(by[i].rc, 0);
    CU_ASSERT_EQUAL(by[i].sites, 12);
    CU_ASSERT_EQUAL(by[i].pms, 14);
  }
  /* the even spread: 2, 2, then 1 per site; the same site for each PM both ways */
  size_t pm = 0;
  for (size_t s = 0; s < 12; s++)
    for (size_t i = 0; i < (s < 2 ? 2u : 1u); i++, pm++) {
      CU_ASSERT_EQUAL(by[0].pm_site[pm], s);
      CU_ASSERT_EQUAL(by[1].pm_site[pm], s);
    }
  CU_ASSERT_EQUAL(pm, 14);
  CU_ASSERT_EQUAL(gen.pms_per_site[0], 2);
  CU_ASSERT_EQUAL(gen.pms_per_site[2], 1);
  /* the line's two ends: 10 + 20 + ... + 110 km = 660 km, 3.3 ms */
  CU_ASSERT_DOUBLE_EQUAL(gen.latency, 3.3e-3 + 2 * NIC_LAT, 1e-12);
  unlink(backbone);
  unlink(props);
  unlink(zones);
}

/* ---- the scheduler API: a probe scheduler records what sched_*site* and sched_route_latency say ---- */

typedef struct probe {
  int rc;
  size_t sites, pms, services;
  size_t pm_site[8], service_site[2];
  double latency_0_1, latency_0_7, latency_self, latency_service_pm0;
  lucsim_err_t err;
} probe_t;

static probe_t* probe_out;

static int probe_init(sched_ctx_t* ctx, void** state, lucsim_err_t* err)
{
  (void)err;
  *state      = NULL;
  probe_t* o  = probe_out;
  o->sites    = sched_site_count(ctx);
  o->pms      = sched_pm_count(ctx);
  o->services = sched_service_count(ctx);
  for (size_t pm = 0; pm < o->pms && pm < 8; pm++)
    o->pm_site[pm] = sched_pm_site(ctx, pm);
  for (size_t sv = 0; sv < o->services && sv < 2; sv++)
    o->service_site[sv] = sched_node_site(ctx, sched_service_node(ctx, sv));
  o->latency_0_1  = sched_route_latency(ctx, 0, 1);
  o->latency_0_7  = o->pms > 7 ? sched_route_latency(ctx, 0, 7) : 0;
  o->latency_self = sched_route_latency(ctx, 3, 3);
  if (o->services) o->latency_service_pm0 = sched_route_latency(ctx, sched_service_node(ctx, 0), 0);
  return 0;
}

static const sched_ops_t probe_ops = {.abi_version = SCHED_ABI_VERSION, .name = "probe", .init = probe_init};

static int probe_scenario(void* arg, void* blob, size_t size)
{
  (void)size;
  const char* const* sets = arg;
  probe_out               = blob;
  simrun_init_simgrid();
  char tmp[]    = "/tmp/lucsim-luc-XXXXXX";
  config_t* cfg = malloc(sizeof *cfg);
  int pms       = 8;
  int rc        = simrun_experiment(cfg, NULL, simrun_craft_small_cluster, &pms, sets, 16, tmp, &probe_out->err);
  if (rc != 0) return rc;
  lucsim_run_t* run = run_create_with(cfg, &probe_ops, &probe_out->err);
  probe_out->rc     = run ? 0 : -1;
  run_destroy(run);
  free(cfg);
  return simrun_remove(tmp);
}

static void test_scheduler_api_sees_sites_and_route_latency(void)
{
  static const char* const sets[] = {"platform.kind=luc",
                                     "platform.sites=4",
                                     "platform.topology=ring",
                                     "platform.service_nodes=2",
                                     "platform.latency=50us",
                                     "platform.wan_latency=1ms",
                                     NULL};
  probe_t o;
  memset(&o, 0, sizeof o);
  CU_ASSERT_EQUAL_FATAL(simrun_in_child(probe_scenario, (void*)sets, &o, sizeof o), 0);
  CU_ASSERT_EQUAL_FATAL(o.rc, 0);
  CU_ASSERT_EQUAL(o.sites, 4);
  static const size_t expected[8] = {0, 0, 1, 1, 2, 2, 3, 3};
  for (size_t pm = 0; pm < 8; pm++)
    CU_ASSERT_EQUAL(o.pm_site[pm], expected[pm]);
  CU_ASSERT_EQUAL(o.service_site[0], 0);
  CU_ASSERT_EQUAL(o.service_site[1], 1);
  CU_ASSERT_DOUBLE_EQUAL(o.latency_0_1, 2 * NIC_LAT, 1e-12);           /* same site */
  CU_ASSERT_DOUBLE_EQUAL(o.latency_0_7, WAN_LAT + 2 * NIC_LAT, 1e-12); /* site 0 to 3: one hop of the ring */
  CU_ASSERT_DOUBLE_EQUAL(o.latency_self, 0, 0);
  CU_ASSERT_DOUBLE_EQUAL(o.latency_service_pm0, 2 * NIC_LAT, 1e-12);
}

static void test_scheduler_api_single_cluster_is_site_0(void)
{
  static const char* const sets[] = {"platform.latency=50us", NULL};
  probe_t o;
  memset(&o, 0, sizeof o);
  CU_ASSERT_EQUAL_FATAL(simrun_in_child(probe_scenario, (void*)sets, &o, sizeof o), 0);
  CU_ASSERT_EQUAL_FATAL(o.rc, 0);
  CU_ASSERT_EQUAL(o.sites, 1);
  for (size_t pm = 0; pm < 8; pm++)
    CU_ASSERT_EQUAL(o.pm_site[pm], 0);
  CU_ASSERT_DOUBLE_EQUAL(o.latency_0_7, 2 * NIC_LAT, 1e-12);
}

CU_TestInfo platform_luc_tests[] = {
    {"sites_split_pms_evenly_first_sites_one_more", test_sites_split_pms_evenly_first_sites_one_more},
    {"route_latency_sums_hops_ring", test_route_latency_sums_hops_ring},
    {"route_latency_sums_hops_star", test_route_latency_sums_hops_star},
    {"route_latency_sums_hops_mesh", test_route_latency_sums_hops_mesh},
    {"route_latency_sums_hops_tree", test_route_latency_sums_hops_tree},
    {"topology_diameters", test_topology_diameters},
    {"backbone_file_latency_is_the_shortest_sum_of_link_latencies",
     test_backbone_file_latency_is_the_shortest_sum_of_link_latencies},
    {"france_backbone_is_about_8ms_across", test_france_backbone_is_about_8ms_across},
    {"backbone_links_and_coordinates_kept_for_results", test_backbone_links_and_coordinates_kept_for_results},
    {"backbone_file_sites_from_properties_and_zones_agree", test_backbone_file_sites_from_properties_and_zones_agree},
    {"scheduler_api_sees_sites_and_route_latency", test_scheduler_api_sees_sites_and_route_latency},
    {"scheduler_api_single_cluster_is_site_0", test_scheduler_api_single_cluster_is_site_0},
    CU_TEST_INFO_NULL,
};
