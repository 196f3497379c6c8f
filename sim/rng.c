/* Seeded random streams: xoshiro256** fed by splitmix64 (see rng.h for provenance).
 * This file only draws numbers; what each stream is used for is decided by its callers. */
#include "rng.h"

#include <math.h>
#include <stddef.h>

/* splitmix64: advances *state by the golden-ratio increment and returns the mixed value. */
static uint64_t rng_splitmix64(uint64_t* state)
{
  uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
  z          = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
  z          = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
  return z ^ (z >> 31);
}

static inline uint64_t rng_rotl(uint64_t x, int k)
{
  return (x << k) | (x >> (64 - k));
}

/* Fills the state from (seed, key): the key is mixed once, then xored into the seed, and
 * splitmix64 expands that into 256 bits. Distinct keys give unrelated starting points. */
static void rng_seed_key(rng_t* rng, uint64_t seed, uint64_t key)
{
  uint64_t k  = key;
  uint64_t sm = seed ^ rng_splitmix64(&k);
  for (int i = 0; i < 4; i++)
    rng->s[i] = rng_splitmix64(&sm);
  if ((rng->s[0] | rng->s[1] | rng->s[2] | rng->s[3]) == 0) /* the one forbidden state */
    rng->s[0] = UINT64_C(0x9E3779B97F4A7C15);
  rng->normal_spare = 0.0;
  rng->has_spare    = false;
}

void rng_init(rng_t* rng, uint64_t seed, rng_stream_t purpose)
{
  rng_seed_key(rng, seed, (uint64_t)purpose);
}

void rng_init_named(rng_t* rng, uint64_t seed, const char* name)
{
  /* FNV-1a 64-bit, with the top bit forced so that no name collides with an enum purpose. */
  uint64_t h = UINT64_C(0xCBF29CE484222325);
  for (const unsigned char* c = (const unsigned char*)name; *c; c++) {
    h ^= *c;
    h *= UINT64_C(0x100000001B3);
  }
  rng_seed_key(rng, seed, h | (UINT64_C(1) << 63));
}

uint64_t rng_next_u64(rng_t* rng)
{
  uint64_t* s        = rng->s;
  const uint64_t out = rng_rotl(s[1] * 5, 7) * 9;
  const uint64_t t   = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rng_rotl(s[3], 45);
  return out;
}

double rng_uniform(rng_t* rng)
{
  return (double)(rng_next_u64(rng) >> 11) * 0x1.0p-53;
}

uint64_t rng_below(rng_t* rng, uint64_t n)
{
  /* Lemire, "Fast random integer generation in an interval" (ACM TOMACS 2019): the high word of
   * x * n is uniform in [0, n) once the low words below (2^64 mod n) are rejected. */
  unsigned __int128 m = (unsigned __int128)rng_next_u64(rng) * n;
  uint64_t low        = (uint64_t)m;
  if (low < n) {
    const uint64_t threshold = (0 - n) % n;
    while (low < threshold) {
      m   = (unsigned __int128)rng_next_u64(rng) * n;
      low = (uint64_t)m;
    }
  }
  return (uint64_t)(m >> 64);
}

double rng_exponential(rng_t* rng, double mean)
{
  if (mean == 0.0) return 0.0;
  /* 1 - U is in (0, 1], so the logarithm is finite. */
  return -mean * log1p(-rng_uniform(rng));
}

double rng_weibull(rng_t* rng, double mean, double shape)
{
  if (mean == 0.0) return 0.0;
  double scale = mean / tgamma(1.0 + 1.0 / shape);
  return scale * pow(-log1p(-rng_uniform(rng)), 1.0 / shape);
}

double rng_normal(rng_t* rng, double mean, double sd)
{
  if (sd == 0.0) return mean;
  if (rng->has_spare) {
    rng->has_spare = false;
    return mean + sd * rng->normal_spare;
  }
  double u, v, s;
  do {
    u = 2.0 * rng_uniform(rng) - 1.0;
    v = 2.0 * rng_uniform(rng) - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  const double f    = sqrt(-2.0 * log(s) / s);
  rng->normal_spare = v * f;
  rng->has_spare    = true;
  return mean + sd * u * f;
}
