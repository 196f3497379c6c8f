/* Tests of sim/rng: the published xoshiro256** vector, pinned seeding (so results stay reproducible
 * across lucsim versions), stream independence, and the moments of each distribution over 1M draws.
 * Statistical tolerances are stated next to each assertion, in standard errors (SE). */
#include "rng.h"

#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>

#define RNG_TEST_SEED UINT64_C(20150824)
#define RNG_TEST_DRAWS 1000000

static void test_rng_matches_xoshiro256starstar_reference_vector(void)
{
  /* Outputs of the reference C code (prng.di.unimi.it) from the state {1, 2, 3, 4}. */
  rng_t r              = {.s = {1, 2, 3, 4}};
  const uint64_t ref[] = {11520u,
                          0u,
                          1509978240u,
                          UINT64_C(1215971899390074240),
                          UINT64_C(1216172134540287360),
                          UINT64_C(607988272756665600)};
  for (size_t i = 0; i < sizeof ref / sizeof ref[0]; i++)
    CU_ASSERT_EQUAL(rng_next_u64(&r), ref[i]);
}

static void test_rng_seeding_is_pinned(void)
{
  /* Values computed by an independent Python transcription of rng.c's seeding (splitmix64 of the
   * key xored into the seed, splitmix64 expansion). A change here changes every published run. */
  rng_t r;
  rng_init(&r, 42, RNG_STREAM_ARRIVALS);
  CU_ASSERT_EQUAL(rng_next_u64(&r), UINT64_C(0x584870a53e6ddcdf));
  CU_ASSERT_EQUAL(rng_next_u64(&r), UINT64_C(0x24862b58ab088c44));
  CU_ASSERT_EQUAL(rng_next_u64(&r), UINT64_C(0xb77af7ea4c59709e));
  rng_init_named(&r, 42, "dvms");
  CU_ASSERT_EQUAL(rng_next_u64(&r), UINT64_C(0xa5346832073e3d7a));
  CU_ASSERT_EQUAL(rng_next_u64(&r), UINT64_C(0xf1c6a2e19fec0d2a));
}

static void test_rng_same_seed_same_sequence_other_seed_differs(void)
{
  printf("\n  seed %llu\n", (unsigned long long)RNG_TEST_SEED);
  rng_t a, b, c, d;
  rng_init(&a, RNG_TEST_SEED, RNG_STREAM_LOADS);
  rng_init(&b, RNG_TEST_SEED, RNG_STREAM_LOADS);
  rng_init(&c, RNG_TEST_SEED + 1, RNG_STREAM_LOADS);
  rng_init_named(&d, RNG_TEST_SEED, "snooze");
  int same = 1, differ = 0;
  for (int i = 0; i < 10000; i++) {
    double x = rng_normal(&a, 0, 1), y = rng_normal(&b, 0, 1);
    same &= (x == y);
    differ += (x != rng_normal(&c, 0, 1));
  }
  CU_ASSERT_TRUE(same);
  CU_ASSERT_EQUAL(differ, 10000);
  rng_t e;
  rng_init_named(&e, RNG_TEST_SEED, "snooze");
  for (int i = 0; i < 1000; i++)
    CU_ASSERT_EQUAL_FATAL(rng_next_u64(&d), rng_next_u64(&e));
}

/* Pearson correlation of the uniforms of two streams over RNG_TEST_DRAWS draws. */
static double rng_test_correlation(rng_t* a, rng_t* b)
{
  double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
  for (int i = 0; i < RNG_TEST_DRAWS; i++) {
    double x = rng_uniform(a), y = rng_uniform(b);
    sa += x;
    sb += y;
    saa += x * x;
    sbb += y * y;
    sab += x * y;
  }
  double n = RNG_TEST_DRAWS;
  return (sab / n - sa / n * sb / n) / sqrt((saa / n - sa * sa / n / n) * (sbb / n - sb * sb / n / n));
}

static void test_rng_streams_are_distinct_and_uncorrelated(void)
{
  printf("\n  seed %llu\n", (unsigned long long)RNG_TEST_SEED);
  /* All purposes and two names start differently. */
  uint64_t first[RNG_STREAM_COUNT + 2];
  size_t n = 0;
  for (int p = RNG_STREAM_ARRIVALS; p < RNG_STREAM_COUNT; p++) {
    rng_t r;
    rng_init(&r, RNG_TEST_SEED, (rng_stream_t)p);
    first[n++] = rng_next_u64(&r);
  }
  const char* names[] = {"dvms", "entropy"};
  for (size_t i = 0; i < 2; i++) {
    rng_t r;
    rng_init_named(&r, RNG_TEST_SEED, names[i]);
    first[n++] = rng_next_u64(&r);
  }
  for (size_t i = 0; i < n; i++)
    for (size_t j = i + 1; j < n; j++)
      CU_ASSERT_NOT_EQUAL(first[i], first[j]);
  /* Neighbouring purposes and seeds: |correlation| below 5 SE = 5 / sqrt(1M) = 0.005. */
  rng_t a, b;
  rng_init(&a, RNG_TEST_SEED, RNG_STREAM_ARRIVALS);
  rng_init(&b, RNG_TEST_SEED, RNG_STREAM_LOADS);
  double c1 = rng_test_correlation(&a, &b);
  rng_init(&a, RNG_TEST_SEED, RNG_STREAM_FAULTS);
  rng_init(&b, RNG_TEST_SEED + 1, RNG_STREAM_FAULTS);
  double c2 = rng_test_correlation(&a, &b);
  printf("  correlations %.5f %.5f\n", c1, c2);
  CU_ASSERT_TRUE(fabs(c1) < 0.005);
  CU_ASSERT_TRUE(fabs(c2) < 0.005);
}

static void test_rng_uniform_moments(void)
{
  printf("\n  seed %llu\n", (unsigned long long)RNG_TEST_SEED);
  rng_t r;
  rng_init(&r, RNG_TEST_SEED, RNG_STREAM_PLACEMENT);
  double s = 0, ss = 0, lo = 1, hi = 0;
  for (int i = 0; i < RNG_TEST_DRAWS; i++) {
    double x = rng_uniform(&r);
    s += x;
    ss += x * x;
    lo = x < lo ? x : lo;
    hi = x > hi ? x : hi;
  }
  double mean = s / RNG_TEST_DRAWS, var = ss / RNG_TEST_DRAWS - mean * mean;
  printf("  uniform mean %.6f var %.6f min %.3g max %.9f\n", mean, var, lo, hi);
  CU_ASSERT_TRUE(lo >= 0.0 && hi < 1.0);
  CU_ASSERT_DOUBLE_EQUAL(mean, 0.5, 5 * sqrt(1.0 / 12 / RNG_TEST_DRAWS)); /* 5 SE */
  CU_ASSERT_DOUBLE_EQUAL(var, 1.0 / 12, 0.001);                           /* 1.2 %, about 5 SE */
}

static void test_rng_exponential_moments(void)
{
  printf("\n  seed %llu\n", (unsigned long long)RNG_TEST_SEED);
  rng_t r;
  rng_init(&r, RNG_TEST_SEED, RNG_STREAM_ARRIVALS);
  const double mean_s = 3.0;
  double s = 0, ss = 0, lo = INFINITY;
  for (int i = 0; i < RNG_TEST_DRAWS; i++) {
    double x = rng_exponential(&r, mean_s);
    s += x;
    ss += x * x;
    lo = x < lo ? x : lo;
  }
  double mean = s / RNG_TEST_DRAWS, var = ss / RNG_TEST_DRAWS - mean * mean;
  printf("  exponential mean %.5f var %.5f\n", mean, var);
  CU_ASSERT_TRUE(lo >= 0.0);
  CU_ASSERT_DOUBLE_EQUAL(mean, mean_s, 5 * mean_s / sqrt(RNG_TEST_DRAWS)); /* 5 SE = 0.5 % */
  CU_ASSERT_DOUBLE_EQUAL(var, mean_s * mean_s, 0.02 * mean_s * mean_s);    /* 2 %, about 4.5 SE */
  CU_ASSERT_EQUAL(rng_exponential(&r, 0.0), 0.0);
}

static void test_rng_normal_moments(void)
{
  printf("\n  seed %llu\n", (unsigned long long)RNG_TEST_SEED);
  rng_t r;
  rng_init(&r, RNG_TEST_SEED, RNG_STREAM_LOADS);
  const double mu = 60, sd = 20;
  double s = 0, ss = 0, s3 = 0, s4 = 0;
  long within1 = 0;
  for (int i = 0; i < RNG_TEST_DRAWS; i++) {
    double x = rng_normal(&r, mu, sd);
    double z = (x - mu) / sd;
    s += x;
    ss += x * x;
    s3 += z * z * z;
    s4 += z * z * z * z;
    within1 += fabs(z) < 1.0;
  }
  double mean = s / RNG_TEST_DRAWS, var = ss / RNG_TEST_DRAWS - mean * mean;
  double p1 = (double)within1 / RNG_TEST_DRAWS;
  printf("  normal mean %.4f sd %.4f skew %.4f kurt %.4f P(|z|<1) %.5f\n", mean, sqrt(var), s3 / RNG_TEST_DRAWS,
         s4 / RNG_TEST_DRAWS, p1);
  CU_ASSERT_DOUBLE_EQUAL(mean, mu, 5 * sd / sqrt(RNG_TEST_DRAWS)); /* 5 SE = 0.1 */
  CU_ASSERT_DOUBLE_EQUAL(sqrt(var), sd, 0.005 * sd);               /* 0.5 %, about 7 SE */
  CU_ASSERT_DOUBLE_EQUAL(s3 / RNG_TEST_DRAWS, 0.0, 0.015);         /* skewness, SE sqrt(6/n) = 0.0024 */
  CU_ASSERT_DOUBLE_EQUAL(s4 / RNG_TEST_DRAWS, 3.0, 0.025);         /* kurtosis, SE sqrt(24/n) = 0.0049 */
  CU_ASSERT_DOUBLE_EQUAL(p1, erf(1.0 / sqrt(2.0)), 0.0025);        /* 0.6827, SE 0.00047 */
  CU_ASSERT_EQUAL(rng_normal(&r, 7.5, 0.0), 7.5);
}

static void test_rng_below_is_unbiased(void)
{
  printf("\n  seed %llu\n", (unsigned long long)RNG_TEST_SEED);
  rng_t r;
  rng_init(&r, RNG_TEST_SEED, RNG_STREAM_VM_CHOICE);
  /* Chi-square over 7 bins: df 6, the 0.1 % critical value is 22.46. */
  long bins[7] = {0};
  for (int i = 0; i < RNG_TEST_DRAWS; i++) {
    uint64_t k = rng_below(&r, 7);
    CU_ASSERT_FATAL(k < 7);
    bins[k]++;
  }
  double chi2 = 0, e = RNG_TEST_DRAWS / 7.0;
  for (int k = 0; k < 7; k++)
    chi2 += (bins[k] - e) * (bins[k] - e) / e;
  /* n = 3 * 2^62: x % n would put 3/4 of the draws below 2^63; an unbiased draw puts 2/3. */
  const uint64_t n = UINT64_C(3) << 62;
  long below       = 0;
  for (int i = 0; i < RNG_TEST_DRAWS; i++)
    below += rng_below(&r, n) < (UINT64_C(1) << 63);
  double share = (double)below / RNG_TEST_DRAWS;
  printf("  chi2(7 bins) %.2f share below 2^63 %.5f\n", chi2, share);
  CU_ASSERT_TRUE(chi2 < 22.46);
  CU_ASSERT_DOUBLE_EQUAL(share, 2.0 / 3.0, 0.0025); /* SE 0.00047; the biased value is 0.75 */
  for (int i = 0; i < 100; i++)
    CU_ASSERT_EQUAL(rng_below(&r, 1), 0);
}

CU_TestInfo rng_tests[] = {
    {"matches_xoshiro256starstar_reference_vector", test_rng_matches_xoshiro256starstar_reference_vector},
    {"seeding_is_pinned", test_rng_seeding_is_pinned},
    {"same_seed_same_sequence_other_seed_differs", test_rng_same_seed_same_sequence_other_seed_differs},
    {"streams_are_distinct_and_uncorrelated", test_rng_streams_are_distinct_and_uncorrelated},
    {"uniform_moments", test_rng_uniform_moments},
    {"exponential_moments", test_rng_exponential_moments},
    {"normal_moments", test_rng_normal_moments},
    {"below_is_unbiased", test_rng_below_is_unbiased},
    CU_TEST_INFO_NULL,
};
