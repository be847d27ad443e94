#ifndef SAGSTAL_CGSL_SHIM_H
#define SAGSTAL_CGSL_SHIM_H
/* Tiny shim over GSL. Swift 6 rejects GSL's generator-type globals
   (e.g. gsl_rng_mt19937 is a mutable C global), so they are reached
   through static inline accessors here. */
#include <gsl/gsl_rng.h>
#include <gsl/gsl_qrng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_version.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_erf.h>
#include <gsl/gsl_eigen.h>
#include <string.h>

static inline const gsl_rng_type *sagstal_rng_mt19937(void) { return gsl_rng_mt19937; }
static inline const gsl_rng_type *sagstal_rng_taus2(void) { return gsl_rng_taus2; }

/* GSL's Sobol quasi-random sequence type (Bratley & Fox direction numbers, 1-40 dimensions). */
static inline const gsl_qrng_type *sagstal_qrng_sobol(void) { return gsl_qrng_sobol; }

/* Sets a taus2 generator's three 32-bit components directly (GSL's taus2 state is
   three unsigned longs s1, s2, s3 with s1 > 1, s2 > 7, s3 > 15). Returns 0 when the
   generator's state is not that size (then the caller seeds with gsl_rng_set). */
static inline int sagstal_taus2_set_state(gsl_rng *r, unsigned long s1, unsigned long s2, unsigned long s3) {
    if (r->type->size != 3 * sizeof(unsigned long)) return 0;   /* gsl_rng_size(r), without the call */
    unsigned long *s = (unsigned long *)r->state;                  /* gsl_rng_state(r) */
    s[0] = s1 < 2 ? s1 + 2 : s1;
    s[1] = s2 < 8 ? s2 + 8 : s2;
    s[2] = s3 < 16 ? s3 + 16 : s3;
    return 1;
}

/* GSL's taus2 step, inlined (the function behind gsl_rng_get for a taus2 generator, GSL 2.x
   rng/taus.c: taus_get, and gsl_rng_uniform = taus_get_double = taus_get / 2^32). It works on
   the generator's own state, so it continues exactly the stream that gsl_rng_get would give and
   can be mixed freely with GSL's samplers on the same generator; a test checks it draw for draw
   against gsl_rng_get and gsl_rng_uniform. Only for generators allocated as gsl_rng_taus2. */
static inline unsigned long sagstal_taus2_get(gsl_rng *r) {
    unsigned long *s = (unsigned long *)r->state;
    const unsigned long mask = 0xffffffffUL;
    s[0] = (((s[0] & 4294967294UL) << 12) & mask) ^ ((((s[0] << 13) & mask) ^ s[0]) >> 19);
    s[1] = (((s[1] & 4294967288UL) << 4) & mask) ^ ((((s[1] << 2) & mask) ^ s[1]) >> 25);
    s[2] = (((s[2] & 4294967280UL) << 17) & mask) ^ ((((s[2] << 3) & mask) ^ s[2]) >> 11);
    return s[0] ^ s[1] ^ s[2];
}

static inline double sagstal_taus2_uniform(gsl_rng *r) { return sagstal_taus2_get(r) / 4294967296.0; }

/* GSL's taus2 state (rng/taus.c: three unsigned longs s1, s2, s3). */
typedef struct { unsigned long s1, s2, s3; } sagstal_taus_state;

/* Whether GSL's taus2 state is laid out as sagstal_taus_state (then sagstal_taus2_make may be used). */
static inline int sagstal_taus2_state_fits(void) { return gsl_rng_taus2->size == sizeof(sagstal_taus_state); }

/* Makes n taus2 generators in memory the caller owns (n gsl_rng structs and n states, each state
   already holding a valid taus2 state): gsl_rng is GSL's public struct {type, state}, so GSL's
   functions (gsl_rng_get, gsl_rng_set, the gsl_ran_* samplers) work on these exactly as on
   generators from gsl_rng_alloc; only gsl_rng_free must not be called on them. One allocation for
   many children's generators instead of two mallocs each. */
static inline void sagstal_taus2_make(gsl_rng *r, sagstal_taus_state *states, size_t n) {
    for (size_t i = 0; i < n; i++) {
        r[i].type = gsl_rng_taus2;
        r[i].state = &states[i];
    }
}

/* GSL's mt19937 step, inlined (GSL 2.x rng/mt.c: mt_get, the function behind gsl_rng_get for
   gsl_rng_mt19937; gsl_rng_uniform = mt_get / 2^32). It works on the generator's own state
   (624 words and the index mti, as GSL lays them out), so it continues exactly GSL's stream and
   mixes freely with GSL's samplers; a test checks it against gsl_rng_get across many refills.
   Only for generators whose type is gsl_rng_mt19937 (sagstal_rng_is_mt19937). */
typedef struct { unsigned long mt[624]; int mti; } sagstal_mt_state;

static inline int sagstal_rng_is_mt19937(const gsl_rng *r) {
    return r->type == gsl_rng_mt19937 && r->type->size == sizeof(sagstal_mt_state);
}

static inline unsigned long sagstal_mt19937_get(gsl_rng *r) {
    sagstal_mt_state *state = (sagstal_mt_state *)r->state;
    unsigned long *const mt = state->mt;
    const unsigned long upper = 0x80000000UL, lower = 0x7fffffffUL;
    if (state->mti >= 624) {
        int kk;
        for (kk = 0; kk < 624 - 397; kk++) {
            unsigned long y = (mt[kk] & upper) | (mt[kk + 1] & lower);
            mt[kk] = mt[kk + 397] ^ (y >> 1) ^ ((y & 0x1) ? 0x9908b0dfUL : 0);
        }
        for (; kk < 624 - 1; kk++) {
            unsigned long y = (mt[kk] & upper) | (mt[kk + 1] & lower);
            mt[kk] = mt[kk + (397 - 624)] ^ (y >> 1) ^ ((y & 0x1) ? 0x9908b0dfUL : 0);
        }
        {
            unsigned long y = (mt[624 - 1] & upper) | (mt[0] & lower);
            mt[624 - 1] = mt[397 - 1] ^ (y >> 1) ^ ((y & 0x1) ? 0x9908b0dfUL : 0);
        }
        state->mti = 0;
    }
    unsigned long k = mt[state->mti];
    k ^= (k >> 11);
    k ^= (k << 7) & 0x9d2c5680UL;
    k ^= (k << 15) & 0xefc60000UL;
    k ^= (k >> 18);
    state->mti++;
    return k;
}

static inline double sagstal_mt19937_uniform(gsl_rng *r) { return sagstal_mt19937_get(r) / 4294967296.0; }

/* Look a generator type up by its GSL name ("mt19937", "ranlxd2", "taus2", ...);
   NULL when GSL has no such generator. */
static inline const gsl_rng_type *sagstal_rng_type_named(const char *name) {
    const gsl_rng_type **t = gsl_rng_types_setup();
    for (; *t != NULL; t++) {
        if (strcmp((*t)->name, name) == 0) return *t;
    }
    return NULL;
}

/* Switch off GSL's abort-on-error handler; callers check return values. */
static inline void sagstal_gsl_disable_abort(void) { gsl_set_error_handler_off(); }

static inline const char *sagstal_gsl_version(void) { return GSL_VERSION; }

/* Brent's bracketing root solver (gsl_root_fsolver_brent is a C global). */
static inline const gsl_root_fsolver_type *sagstal_root_brent(void) { return gsl_root_fsolver_brent; }

/* Multidimensional minimisers (gsl_multimin_*minimizer_* are C globals): the Nelder-Mead
   simplex (nmsimplex2, O(n) memory and a simplex size as the stopping statistic) and the
   BFGS quasi-Newton method (vector_bfgs2, Fletcher's line search). */
static inline const gsl_multimin_fminimizer_type *sagstal_multimin_nmsimplex2(void) { return gsl_multimin_fminimizer_nmsimplex2; }
static inline const gsl_multimin_fdfminimizer_type *sagstal_multimin_bfgs2(void) { return gsl_multimin_fdfminimizer_vector_bfgs2; }

#endif
