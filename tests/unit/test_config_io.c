/* Suite "config_io": what crosses the config module's edges. Error lines are one line of UTF-8
 * whatever they hold; libxml2 never prints; text values must be writable XML; ranges state their
 * true limits; platform.file and backbone_file are stored absolute; LUC sizes come from a backbone
 * file or site_pms; and the resolved experiment reads back identical (write, reload, then
 * config_get on every field and memcmp, tests/fuzz/roundtrip.c). */
#include "config.h"
#include "config_backbone.h"
#include "roundtrip.h"
#include "runner.h"

#include <CUnit/CUnit.h>
#include <libxml/xmlerror.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void set_ok(config_t* c, const char* assignment)
{
  lucsim_err_t err;
  lucsim_err_clear(&err);
  int rc = config_apply_set(c, assignment, &err);
  if (rc != 0) fprintf(stderr, "\n  --set %s: %s\n", assignment, err.message);
  CU_ASSERT_EQUAL(rc, 0);
}

static void set_fails(const char* assignment, const char* expected)
{
  config_t c;
  lucsim_err_t err;
  char line[1600];
  lucsim_err_clear(&err);
  config_init_defaults(&c);
  CU_ASSERT_EQUAL(config_apply_set(&c, assignment, &err), -1);
  lucsim_err_format(&err, line, sizeof line);
  if (strcmp(line, expected) != 0) fprintf(stderr, "\n  got:      %s\n  expected: %s\n", line, expected);
  CU_ASSERT_STRING_EQUAL(line, expected);
}

static void test_err_format_gives_one_line_of_utf8(void)
{
  lucsim_err_t err;
  char line[256];
  lucsim_err_set(&err, "a\nb.xml", 3, "f\tg",
                 "x\r\ny\001z \xff\xc3(\xc3\xa9 \xe2\x80\xa8 \xc2\x85 \xc0\xaf \xed\xa0\x80");
  lucsim_err_format(&err, line, sizeof line);
  CU_ASSERT_STRING_EQUAL(line, "a b.xml:3: f g: x  y z \\xFF\\xC3(\xc3\xa9     \\xC0\\xAF \\xED\\xA0\\x80");
  /* Cut at a character or escape boundary, never inside one. */
  lucsim_err_set(&err, NULL, 0, NULL, "\xc3\xa9\xc3\xa9\xc3\xa9");
  lucsim_err_format(&err, line, 6);
  CU_ASSERT_STRING_EQUAL(line, "\xc3\xa9\xc3\xa9");
  lucsim_err_set(&err, NULL, 0, NULL, "ab\xff");
  lucsim_err_format(&err, line, 6);
  CU_ASSERT_STRING_EQUAL(line, "ab");
  lucsim_err_set(&err, "f.xml", 0, "p", "m");
  lucsim_err_format(&err, line, sizeof line);
  CU_ASSERT_STRING_EQUAL(line, "f.xml: p: m");
}

static int libxml2_prints;
static void count_generic(void* ctx, const char* fmt, ...)
{
  (void)ctx;
  (void)fmt;
  libxml2_prints++;
}
#if LIBXML_VERSION >= 21200
static void count_structured(void* ctx, const xmlError* e)
#else
static void count_structured(void* ctx, xmlErrorPtr e)
#endif
{
  (void)ctx;
  (void)e;
  libxml2_prints++;
}

/* Loads tests/e2e/bad/NAME.xml; returns its error line in line. */
static int load_bad(const char* name, char* line, size_t size)
{
  char path[LUCSIM_PATH_MAX];
  snprintf(path, sizeof path, "%s/tests/e2e/bad/%s.xml", lucsim_test_source_dir(), name);
  config_t c;
  lucsim_err_t err;
  config_init_defaults(&c);
  int rc = config_load_file(&c, path, &err);
  lucsim_err_format(&err, line, size);
  return rc;
}

static void test_libxml2_messages_never_reach_its_handlers(void)
{
  static const char* const names[] = {"utf16_lone_surrogate", "utf16_no_bom", "utf16_truncated", "invalid_utf8",
                                      "control_char_ref",     "malformed",    "unknown_element", "entity_bomb"};
  char line[2048];
  xmlSetGenericErrorFunc(NULL, count_generic);
  xmlSetStructuredErrorFunc(NULL, count_structured);
  libxml2_prints = 0;
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    CU_ASSERT_EQUAL(load_bad(names[i], line, sizeof line), -1);
    CU_ASSERT_PTR_NULL(strchr(line, '\n'));
  }
  CU_ASSERT_EQUAL(libxml2_prints, 0);
  /* The handlers in place before are given back. */
  CU_ASSERT_PTR_EQUAL(xmlGenericError, count_generic);
  CU_ASSERT_PTR_EQUAL(xmlStructuredError, count_structured);
  xmlSetGenericErrorFunc(NULL, NULL);
  xmlSetStructuredErrorFunc(NULL, NULL);
  /* The two-line libxml2 message of invalid UTF-8 is one line. */
  load_bad("invalid_utf8", line, sizeof line);
  CU_ASSERT_PTR_NOT_NULL(strstr(line, "invalid_utf8.xml:3: malformed XML: Input is not proper UTF-8, indicate "
                                      "encoding ! Bytes: 0xE9 0x2E 0x78 0x6D"));
}

static void test_text_values_must_be_writable_xml(void)
{
  set_fails("output.dir=a\xc3", "output.dir: 'a\\xC3' is not valid UTF-8");
  set_fails("output.dir=\xc0\xaf", "output.dir: '\\xC0\\xAF' is not valid UTF-8");            /* overlong '/' */
  set_fails("scheduler.k=\xed\xa0\x80", "scheduler.k: '\\xED\\xA0\\x80' is not valid UTF-8"); /* surrogate */
  set_fails("scheduler.k=\xf4\x90\x80\x80", "scheduler.k: '\\xF4\\x90\\x80\\x80' is not valid UTF-8");
  set_fails("platform.file=\xef\xbf\xbe", "platform.file: '\xef\xbf\xbe' holds U+FFFE, which XML 1.0 cannot represent");
  set_fails("scheduler.k=a\x1b[1m", "scheduler.k: 'a [1m' holds U+001B, which XML 1.0 cannot represent");
  set_fails("vms.class.0.name=\xc3\xa9", "vms.class.0.name: '\xc3\xa9' is not a valid name; expected a letter or "
                                         "digit, then letters, digits, '_' or '-'");
  /* The writer refuses what the parser would have: a config built in code cannot give an unreadable file. */
  config_t c;
  lucsim_err_t err;
  config_init_defaults(&c);
  strcpy(c.output.dir, "bad\001dir");
  CU_ASSERT_EQUAL(config_write_xml(&c, "/nonexistent/experiment.xml", &err), -1);
  CU_ASSERT_STRING_EQUAL(err.field, "output.dir");
  CU_ASSERT_STRING_EQUAL(err.message, "'bad\001dir' holds U+0001, which XML 1.0 cannot represent");
}

static void test_range_messages_state_the_true_limits(void)
{
  set_fails("injector.load.mean=1e308", "injector.load.mean: 1e308 is out of range; expected a number in [0, 1e+300]");
  set_fails("injector.load.mean=1e999", "injector.load.mean: 1e999 is out of range; expected a number in [0, 1e+300]");
  set_fails("duration=1e300h", "duration: 1e300h is out of range; expected a time in (0, 1e+300] seconds");
  set_fails("duration=-inf", "duration: -inf is infinite; expected a time in (0, 1e+300] seconds");
  set_fails("duration=1e-330ns", "duration: 1e-330ns is too close to 0 for a double (the smallest is 4.9e-324 "
                                 "seconds); expected a time in (0, 1e+300] seconds");
  set_fails("injector.load.initial=-2", "injector.load.initial: -2 is out of range; expected a number in [-1, 100]");
  set_fails("platform.pms=-99999999999999999999", "platform.pms: -99999999999999999999 is negative; expected an "
                                                  "integer in [1, 1000000]");
  set_fails("platform.ram=18446744073709551615", "platform.ram: 18446744073709551615 is out of range; expected a "
                                                 "size in (0, 1152921504606846976] bytes");
  set_fails("platform.ram=1048577TiB", "platform.ram: 1048577TiB is out of range; expected a size in (0, "
                                       "1152921504606846976] bytes");
  set_fails("platform.ram=99999999999999999999GiB", "platform.ram: 99999999999999999999GiB is out of range; expected "
                                                    "a size in (0, 1152921504606846976] bytes");
  set_fails("platform.ram=0GiB", "platform.ram: 0GiB is out of range; expected a size in (0, 1152921504606846976] "
                                 "bytes");
  set_fails("seed=18446744073709551616", "seed: 18446744073709551616 is out of range; expected an integer in [0, "
                                         "18446744073709551615]");
  /* A long value is shortened in the message (whole characters), so the range is not cut off. */
  char assignment[512], expected[512], e60[128];
  snprintf(assignment, sizeof assignment, "platform.pms=1%0199d", 0);
  snprintf(expected, sizeof expected,
           "platform.pms: 1%059d... (200 bytes) is out of range; expected an integer in [1, 1000000]", 0);
  set_fails(assignment, expected);
  strcpy(assignment, "vms.placement=");
  for (int i = 0; i < 50; i++)
    strcat(assignment, "\xc3\xa9"); /* 100 bytes */
  e60[0] = '\0';
  for (int i = 0; i < 30; i++)
    strcat(e60, "\xc3\xa9");
  snprintf(expected, sizeof expected, "vms.placement: '%s... (100 bytes)' is not one of: fill, round_robin, capacity",
           e60);
  set_fails(assignment, expected);
  strcpy(assignment, "vms.placement=a");
  for (int i = 0; i < 50; i++)
    strcat(assignment, "\xc3\xa9"); /* 101 bytes: the cut falls inside a character */
  snprintf(expected, sizeof expected,
           "vms.placement: 'a%.58s... (101 bytes)' is not one of: fill, round_robin, capacity", e60);
  set_fails(assignment, expected);
  /* The limits themselves are accepted, exactly. */
  config_t c;
  config_init_defaults(&c);
  set_ok(&c, "platform.ram=1152921504606846976");
  CU_ASSERT_EQUAL(c.platform.ram_bytes, 1ull << 60);
  set_ok(&c, "platform.ram=1048576TiB");
  CU_ASSERT_EQUAL(c.platform.ram_bytes, 1ull << 60);
  set_ok(&c, "platform.ram=9007199254740993");
  CU_ASSERT_EQUAL(c.platform.ram_bytes, 9007199254740993ull);
  set_ok(&c, "injector.load.mean=1e300");
  CU_ASSERT_EQUAL(c.injector.load_mean, 1e300);
  set_ok(&c, "migration.max_downtime=1e-300ns");
  CU_ASSERT_EQUAL(c.migration.max_downtime_s, 1e-300 / 1e9);
  set_ok(&c, "seed=18446744073709551615");
  CU_ASSERT_EQUAL(c.seed, UINT64_MAX);
}

/* A fresh temporary folder (physical path: realpath) in dir[size]. */
static void make_temp_dir(char* dir, size_t size)
{
  char tmpl[] = "/tmp/lucsim-config-io-XXXXXX";
  CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(tmpl));
  char* real = realpath(tmpl, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL(real);
  snprintf(dir, size, "%s", real);
  free(real);
}

static void write_text(const char* path, const char* text)
{
  FILE* f = fopen(path, "w");
  CU_ASSERT_PTR_NOT_NULL_FATAL(f);
  fputs(text, f);
  fclose(f);
}

static void test_set_platform_file_is_stored_absolute(void)
{
  char dir[256], cwd[LUCSIM_PATH_MAX], path[512], other[256], why[2048];
  make_temp_dir(dir, sizeof dir);
  make_temp_dir(other, sizeof other);
  CU_ASSERT_PTR_NOT_NULL_FATAL(getcwd(cwd, sizeof cwd));
  snprintf(path, sizeof path, "%s/plat.xml", dir);
  write_text(path, "<platform/>\n");
  CU_ASSERT_EQUAL_FATAL(chdir(dir), 0);
  config_t c;
  config_init_defaults(&c);
  set_ok(&c, "platform.file=plat.xml"); /* exists: realpath */
  CU_ASSERT_STRING_EQUAL(c.platform.file, path);
  set_ok(&c, "platform.file=missing/.././plat.xml"); /* normalised, then it exists */
  CU_ASSERT_STRING_EQUAL(c.platform.file, path);
  set_ok(&c, "platform.file=sub//later/../p.xml"); /* does not exist (yet): joined and normalised */
  snprintf(path, sizeof path, "%s/sub/p.xml", dir);
  CU_ASSERT_STRING_EQUAL(c.platform.file, path);
  set_ok(&c, "platform.file=/a/../../b/./c/");
  CU_ASSERT_STRING_EQUAL(c.platform.file, "/b/c");
  set_ok(&c, "platform.file=sub//later/../p.xml");
  set_ok(&c, "platform.file=");
  CU_ASSERT_STRING_EQUAL(c.platform.file, "");
  set_ok(&c, "platform.file=sub/p.xml");
  lucsim_err_t err;
  CU_ASSERT_EQUAL(config_finish(&c, &err), 0);
  /* Written in one folder, read back from another: the same run. */
  CU_ASSERT_EQUAL_FATAL(chdir(other), 0);
  bool same = roundtrip_check(&c, other, why, sizeof why);
  if (!same) fprintf(stderr, "\n  %s\n", why);
  CU_ASSERT_TRUE(same);
  CU_ASSERT_EQUAL(chdir(cwd), 0);
  snprintf(path, sizeof path, "%s/plat.xml", dir);
  unlink(path);
  rmdir(dir);
  rmdir(other);
}

static void test_file_platform_file_is_stored_absolute_even_when_missing(void)
{
  char dir[256], cwd[LUCSIM_PATH_MAX], expected[512];
  make_temp_dir(dir, sizeof dir);
  CU_ASSERT_PTR_NOT_NULL_FATAL(getcwd(cwd, sizeof cwd));
  CU_ASSERT_EQUAL_FATAL(chdir(dir), 0);
  CU_ASSERT_EQUAL_FATAL(mkdir("exp", 0700), 0);
  write_text("exp/e.xml", "<experiment><platform file=\"./x/../plat.xml\"/></experiment>\n");
  config_t c;
  lucsim_err_t err;
  config_init_defaults(&c);
  CU_ASSERT_EQUAL(config_load_file(&c, "exp/e.xml", &err), 0); /* relative experiment path */
  snprintf(expected, sizeof expected, "%s/exp/plat.xml", dir);
  CU_ASSERT_STRING_EQUAL(c.platform.file, expected);
  unlink("exp/e.xml");
  rmdir("exp");
  CU_ASSERT_EQUAL(chdir(cwd), 0);
  rmdir(dir);
}

/* kind=luc sizes: a backbone file relative to the experiment gives the sites (stored absolute),
 * site_pms (spaces allowed) gives each site's PMs and platform.pms, and both read back. */
static void test_luc_backbone_file_and_site_pms_read_back(void)
{
  char dir[256], cwd[LUCSIM_PATH_MAX], expected[512], why[2048];
  make_temp_dir(dir, sizeof dir);
  CU_ASSERT_PTR_NOT_NULL_FATAL(getcwd(cwd, sizeof cwd));
  CU_ASSERT_EQUAL_FATAL(chdir(dir), 0);
  CU_ASSERT_EQUAL_FATAL(mkdir("exp", 0700), 0);
  write_text("exp/bb.csv", "site,a,2\nsite,b,3\nsite,c,1\nlink,a,b,10km\nlink,c,b,1ms,1Gbps\n");
  write_text("exp/e.xml", "<experiment><platform kind=\"luc\" topology=\"file\" backbone_file=\"bb.csv\"/>"
                          "<vms count=\"8\"/></experiment>\n");
  config_t c;
  lucsim_err_t err;
  config_init_defaults(&c);
  CU_ASSERT_EQUAL_FATAL(config_load_file(&c, "exp/e.xml", &err), 0);
  CU_ASSERT_EQUAL_FATAL(config_finish(&c, &err), 0);
  snprintf(expected, sizeof expected, "%s/exp/bb.csv", dir);
  CU_ASSERT_STRING_EQUAL(c.platform.backbone_file, expected);
  CU_ASSERT_EQUAL(c.platform.sites, 3);
  CU_ASSERT_EQUAL(c.platform.pm_count, 6);
  config_backbone_t* bb = config_backbone_load(c.platform.backbone_file, &err);
  CU_ASSERT_PTR_NOT_NULL_FATAL(bb);
  CU_ASSERT_DOUBLE_EQUAL(bb->links[0].latency_s, 50e-6, 1e-15); /* 10 km at 5 us/km */
  CU_ASSERT_EQUAL(bb->links[1].a, 1);                           /* stored a < b */
  CU_ASSERT_DOUBLE_EQUAL(bb->links[1].bw_Bps, 125e6, 1e-3);
  size_t counts[3];
  config_site_pm_counts(&c.platform, bb, counts);
  CU_ASSERT(counts[0] == 2 && counts[1] == 3 && counts[2] == 1);
  config_backbone_free(bb);
  bool same = roundtrip_check(&c, dir, why, sizeof why);
  if (!same) fprintf(stderr, "\n  %s\n", why);
  CU_ASSERT_TRUE(same);
  config_t d;
  config_init_defaults(&d);
  set_ok(&d, "platform.kind=luc");
  set_ok(&d, "platform.site_pms= 3, 4 ,5");
  CU_ASSERT_EQUAL_FATAL(config_finish(&d, &err), 0);
  CU_ASSERT_EQUAL(d.platform.sites, 3);
  CU_ASSERT_EQUAL(d.platform.pm_count, 12);
  config_site_pm_counts(&d.platform, NULL, counts);
  CU_ASSERT(counts[0] == 3 && counts[1] == 4 && counts[2] == 5);
  same = roundtrip_check(&d, dir, why, sizeof why);
  if (!same) fprintf(stderr, "\n  %s\n", why);
  CU_ASSERT_TRUE(same);
  unlink("exp/bb.csv");
  unlink("exp/e.xml");
  rmdir("exp");
  CU_ASSERT_EQUAL(chdir(cwd), 0);
  rmdir(dir);
}

/* Drawn site sizes: every site keeps a PM, the total is platform.pms, the same seed gives the same
 * sizes and another seed others, Zipf sizes follow 1/rank, and the draw reads back from the
 * written experiment. */
static size_t draw_sizes(const char* how, const char* spread, uint64_t seed, size_t* counts)
{
  config_t c;
  lucsim_err_t err;
  char text[64];
  config_init_defaults(&c);
  set_ok(&c, "platform.kind=luc");
  set_ok(&c, "platform.pms=1000");
  set_ok(&c, "platform.sites=30");
  snprintf(text, sizeof text, "platform.site_sizes=%s", how);
  set_ok(&c, text);
  if (spread) {
    snprintf(text, sizeof text, "platform.site_size_spread=%s", spread);
    set_ok(&c, text);
  }
  snprintf(text, sizeof text, "seed=%llu", (unsigned long long)seed);
  set_ok(&c, text);
  CU_ASSERT_EQUAL_FATAL(config_finish(&c, &err), 0);
  config_site_pm_counts(&c.platform, NULL, counts);
  size_t total = 0, smallest = SIZE_MAX;
  for (size_t s = 0; s < 30; s++) {
    total += counts[s];
    if (counts[s] < smallest) smallest = counts[s];
  }
  CU_ASSERT_EQUAL(total, 1000);
  CU_ASSERT(smallest >= 1);
  char dir[256], why[2048];
  make_temp_dir(dir, sizeof dir);
  bool same = roundtrip_check(&c, dir, why, sizeof why);
  if (!same) fprintf(stderr, "\n  %s\n", why);
  CU_ASSERT_TRUE(same);
  rmdir(dir);
  size_t largest = 0;
  for (size_t s = 0; s < 30; s++)
    if (counts[s] > largest) largest = counts[s];
  return largest;
}

static void test_luc_site_sizes_drawn_from_the_seed(void)
{
  size_t a[30], b[30], c[30], z[30];
  draw_sizes("lognormal", NULL, 23, a);
  draw_sizes("lognormal", NULL, 23, b);
  draw_sizes("lognormal", NULL, 24, c);
  CU_ASSERT_EQUAL(memcmp(a, b, sizeof a), 0);
  CU_ASSERT_NOT_EQUAL(memcmp(a, c, sizeof a), 0);
  size_t even_largest = draw_sizes("even", NULL, 23, z);
  CU_ASSERT_EQUAL(even_largest, 34); /* 1000 = 10 x 34 + 20 x 33 */
  CU_ASSERT(draw_sizes("lognormal", "2", 23, z) > draw_sizes("lognormal", "0.1", 23, b));
  /* Zipf, exponent 1: the largest site has 1 + 970 / H(30) = 1 + 970 / 3.995 ~ 243 PMs */
  size_t largest = draw_sizes("zipf", NULL, 23, z);
  CU_ASSERT(largest >= 242 && largest <= 244);
  /* rank r gets 1 + 970 / (H(30) r) PMs: 122 for rank 2, 9 for rank 30 */
  size_t rank2 = 0, rank30 = SIZE_MAX;
  for (size_t s = 0; s < 30; s++) {
    if (z[s] < largest && z[s] > rank2) rank2 = z[s];
    if (z[s] < rank30) rank30 = z[s];
  }
  CU_ASSERT(rank2 >= 121 && rank2 <= 123);
  CU_ASSERT(rank30 >= 8 && rank30 <= 10);
}

static void test_written_experiment_reads_back_every_field(void)
{
  char dir[256], why[2048];
  make_temp_dir(dir, sizeof dir);
  config_t c;
  lucsim_err_t err;
  config_init_defaults(&c);
  set_ok(&c, "name=edge-values");
  set_ok(&c, "seed=18446744073709551615");
  set_ok(&c, "duration=1e300");
  set_ok(&c, "platform.ram=9007199254740993");
  set_ok(&c, "platform.core_speed=4.9406564584124654e-324");
  set_ok(&c, "platform.latency=1e-300ns");
  set_ok(&c, "platform.bandwidth=1bps");
  set_ok(&c, "platform.backbone_bandwidth=0.1");
  set_ok(&c, "injector.load.mean=-0");
  set_ok(&c, "injector.load.initial=33.333333333333336");
  set_ok(&c, "migration.max_downtime=1ns");
  set_ok(&c, "vms.class.small-10.ram=1152921504606846975");
  set_ok(&c, "vms.class.small-10.ram=3");
  set_ok(&c, "vms.class.4.weight=1e-310");
  set_ok(&c, "scheduler.text=caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 <&>\"' tab\there\r\nnew\x7f");
  set_ok(&c, "scheduler.empty=");
  set_ok(&c, "output.dir= spaced/dir \t");
  set_ok(&c, "platform.file=rel/../p\xc3\xa9.xml");
  CU_ASSERT_EQUAL_FATAL(config_finish(&c, &err), 0);
  bool same = roundtrip_check(&c, dir, why, sizeof why);
  if (!same) fprintf(stderr, "\n  %s\n", why);
  CU_ASSERT_TRUE(same);
  same = roundtrip_set_identity(&c, why, sizeof why);
  if (!same) fprintf(stderr, "\n  %s\n", why);
  CU_ASSERT_TRUE(same);
  /* The comparison itself can fail: one changed field is named. */
  config_t d                       = c;
  d.vms.classes[2].dirty_intensity = 0.25;
  CU_ASSERT_FALSE(roundtrip_same(&c, &d, why, sizeof why));
  CU_ASSERT_STRING_EQUAL(why, "vms.class.2.dirty_intensity: '0.3' became '0.25'");
  rmdir(dir);
}

CU_TestInfo config_io_tests[] = {
    {"err_format_gives_one_line_of_utf8", test_err_format_gives_one_line_of_utf8},
    {"libxml2_messages_never_reach_its_handlers", test_libxml2_messages_never_reach_its_handlers},
    {"text_values_must_be_writable_xml", test_text_values_must_be_writable_xml},
    {"range_messages_state_the_true_limits", test_range_messages_state_the_true_limits},
    {"set_platform_file_is_stored_absolute", test_set_platform_file_is_stored_absolute},
    {"file_platform_file_is_stored_absolute_even_when_missing",
     test_file_platform_file_is_stored_absolute_even_when_missing},
    {"luc_backbone_file_and_site_pms_read_back", test_luc_backbone_file_and_site_pms_read_back},
    {"luc_site_sizes_drawn_from_the_seed", test_luc_site_sizes_drawn_from_the_seed},
    {"written_experiment_reads_back_every_field", test_written_experiment_reads_back_every_field},
    CU_TEST_INFO_NULL,
};
