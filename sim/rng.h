/* rng_t: seeded pseudo-random streams, one per purpose, all derived from the experiment seed.
 * Algorithm: xoshiro256** 1.0 (Blackman & Vigna, 2018, public domain; https://prng.di.unimi.it/),
 * its state filled by splitmix64 (Steele, Lea & Flood, 2014) from a hash of (seed, purpose).
 * Our own implementation. Not cryptographic, not thread-safe (one stream per purpose and owner);
 * it knows nothing of SimGrid nor of wall-clock time, so a run is a function of its seed. */
#ifndef LUCSIM_RNG_H
#define LUCSIM_RNG_H

#include <stdbool.h>
#include <stdint.h>

/* The purposes of the engine. Each has its own stream, so changing how many draws one purpose
 * makes (e.g. the fault rate) never shifts another purpose's sequence. Values are part of the
 * seeding: append new purposes before RNG_STREAM_COUNT, never renumber. Schedulers use
 * rng_init_named() with their own name instead of adding values here. */
typedef enum {
  RNG_STREAM_ARRIVALS = 1,   /* injector: times between two load changes */
  RNG_STREAM_LOADS,          /* injector: load values */
  RNG_STREAM_VM_CHOICE,      /* injector: which VM changes load */
  RNG_STREAM_FAULTS,         /* injector: crash times and crashed nodes */
  RNG_STREAM_REPAIRS,        /* injector: repair durations */
  RNG_STREAM_SCHED_TIEBREAK, /* schedulers: shared tie-breaks */
  RNG_STREAM_PLACEMENT,      /* initial placement and VM classes */
  RNG_STREAM_DOMAIN_FAULTS,  /* injector: site or rack outage times and domains */
  RNG_STREAM_DOMAIN_REPAIRS, /* injector: site or rack repair durations */
  RNG_STREAM_WAN_FAULTS,     /* backbone link failure times and links */
  RNG_STREAM_WAN_REPAIRS,    /* backbone link repair durations */
  RNG_STREAM_TRACE_MAP,      /* load traces: which traced VM each VM follows, and where it starts */
  RNG_STREAM_COUNT           /* not a purpose */
} rng_stream_t;

/* A plain caller-owned value (embed it or put it on the stack; no create/destroy, no malloc).
 * Copying it forks the stream: the copy repeats the original's future draws. */
typedef struct rng {
  uint64_t s[4];       /* xoshiro256** state, never all zero */
  double normal_spare; /* second value of the last polar-method pair */
  bool has_spare;      /* normal_spare is pending */
} rng_t;

/* Seeds rng with the stream of purpose `purpose` for experiment seed `seed`. Same (seed, purpose):
 * same sequence, on every machine. */
void rng_init(rng_t* rng, uint64_t seed, rng_stream_t purpose);
/* Seeds rng with a stream named by a string (borrowed, read only during the call), e.g. "dvms" or
 * "dvms.partition": the name is hashed (FNV-1a 64) into the purpose key. Distinct from every
 * rng_stream_t value. */
void rng_init_named(rng_t* rng, uint64_t seed, const char* name);

/* The next raw 64-bit output. */
uint64_t rng_next_u64(rng_t* rng);
/* Uniform in [0, 1), with 53 random bits (multiples of 2^-53). */
double rng_uniform(rng_t* rng);
/* Uniform integer in [0, n), without modulo bias (Lemire's multiply-and-reject). n must be > 0. */
uint64_t rng_below(rng_t* rng, uint64_t n);
/* Exponential with the given mean (>= 0): -mean * log(1 - U). Returns 0 when mean is 0. */
double rng_exponential(rng_t* rng, double mean);
/* Weibull with the given mean (>= 0) and shape k > 0, by inversion: scale x (-log(1 - U))^(1/k),
 * scale = mean / Gamma(1 + 1/k). Shape 1 is the exponential; below 1 failures come in bursts (a
 * decreasing hazard), above 1 they wear out. Returns 0 when mean is 0. */
double rng_weibull(rng_t* rng, double mean, double shape);
/* Normal N(mean, sd) by Marsaglia's polar method; every other call returns the cached second
 * value of the pair. sd = 0 returns mean (and consumes no draw). */
double rng_normal(rng_t* rng, double mean, double sd);

#endif
