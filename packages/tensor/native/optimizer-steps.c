// The fused optimizer updates of wasm/optimizer-step.wat (Adam and AdamW, SGD, RMSprop), compiled
// for the CPU the addon runs on: AVX-512 or AVX2 where the CPU has them (GCC's target_clones picks
// at load), sixteen elements at a time instead of WebAssembly's four. Adam's two divisions and
// square root per element bound its speed, and wide registers do more of them per cycle.
//
// Each step is one IEEE float32 operation in the order of the .wat (and so of the tfjs ops of the
// plain path), with no fused multiply-add (-std=c11 keeps GCC from contracting), so the results
// are bit-identical to the WASM kernels'. Same arguments as the .wat, after the heap: byte
// offsets, `groups` of four elements, the flags, then the float32 constants.
//
// An output may be its own input (a buffer updated in place), so each block of sixteen is copied
// into local arrays, computed there, and copied back: that lets the compiler vectorize without
// proving that the arrays are apart.
#include "optimizer-steps.h"
#include "addon.h"
#include <math.h>
#include <string.h>

#if defined(__x86_64__) && defined(__linux__) && defined(__GNUC__) && !defined(__clang__)
#define WIDE __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define WIDE
#endif

// Each block function below is compiled once per combination of its flags (dispatched by `switch`), so that
// the flags are constants inside and the loop has no branch left to keep it from vectorizing.
#define INLINE static inline __attribute__((always_inline))
#define CASES8(F, B, k) F(B, k) F(B, k + 1) F(B, k + 2) F(B, k + 3) F(B, k + 4) F(B, k + 5) F(B, k + 6) F(B, k + 7)
#define CASES16(F, B) CASES8(F, B, 0) CASES8(F, B, 8)
#define CASES32(F, B) CASES16(F, B) CASES8(F, B, 16) CASES8(F, B, 24)

enum { BLOCK = 16 };

// Runs `block` over n elements: whole blocks, whose copies have a constant size that the compiler
// inlines (a call to memcpy per array and block would take most of the time), then the rest.
#define BLOCKS(block, at, n, flags, f)                              \
  do {                                                              \
    int64_t i = 0;                                                  \
    for (; i + BLOCK <= (n); i += BLOCK) block(at, i, BLOCK, flags, f); \
    if (i < (n)) block(at, i, (n) - i, flags, f);                   \
  } while (0)

// WebAssembly's f32x4.max, which JavaScript's Math.max matches: NaN if either is NaN, and +0 for
// the larger of -0 and +0. Selects and bit operations only, no branch, so that it vectorizes.
static inline float max_nan(float a, float b) {
  float r = a > b ? a : b, s = b > a ? b : a;  // the same bits, unless a and b are zeros of two signs
  uint32_t bits_r, bits_s;
  memcpy(&bits_r, &r, sizeof r);
  memcpy(&bits_s, &s, sizeof s);
  uint32_t bits = bits_r & bits_s;  // +0 where either is +0
  float m;
  memcpy(&m, &bits, sizeof m);
  m = b != b ? b : m;  // one test per select: GCC does not vectorize `a != a || b != b` here
  return a != a ? a : m;
}

// Copies up to BLOCK floats in, when the buffer is used (else the block keeps its zeros).
static inline void take(float *block, const float *from, int64_t i, int64_t count, int used) {
  if (used) memcpy(block, from + i, (size_t)count * sizeof(float));
}

static inline void give(float *to, const float *block, int64_t i, int64_t count, int used) {
  if (used) memcpy(to + i, block, (size_t)count * sizeof(float));
}

// Adam / AdamW. flags: 1 maximize, 2 L2 decay in the gradient, 4 decoupled decay, 8 amsgrad.
// f: b1, c1, b2, c2, stepSize, bias2, eps, wd, keep.
INLINE void adam_block(float *const at[9], int64_t i, int64_t count, const int flags, const float f[9]) {
  const float *p = at[0], *g = at[1], *m0 = at[2], *v0 = at[3], *x0 = at[4];
  float *out = at[5], *m1 = at[6], *v1 = at[7], *x1 = at[8];
  const int maximize = flags & 1, coupled = flags & 2, decoupled = flags & 4, ams = flags & 8;
  const float b1 = f[0], c1 = f[1], b2 = f[2], c2 = f[3], step = f[4], bias2 = f[5], eps = f[6],
              wd = f[7], keep = f[8];
  float P[BLOCK] = {0}, G[BLOCK] = {0}, M[BLOCK] = {0}, V[BLOCK] = {0}, X[BLOCK] = {0}, O[BLOCK] = {0};
  take(P, p, i, count, 1);
  take(G, g, i, count, 1);
  take(M, m0, i, count, 1);
  take(V, v0, i, count, 1);
  take(X, x0, i, count, ams);
  for (int j = 0; j < BLOCK; j++) {
    float gv = maximize ? -G[j] : G[j];
    float decayed = gv + P[j] * wd;
    gv = coupled ? decayed : gv;
    float kept = P[j] * keep;
    float base = decoupled ? kept : P[j];
    float m = M[j] * b1 + gv * c1;
    float v = V[j] * b2 + (gv * gv) * c2;
    float s = ams ? max_nan(X[j], v) : v;
    M[j] = m;
    V[j] = v;
    X[j] = s;
    O[j] = base - (m / (sqrtf(s) / bias2 + eps)) * step;
  }
  give(m1, M, i, count, 1);
  give(v1, V, i, count, 1);
  give(x1, X, i, count, ams);
  give(out, O, i, count, 1);
}

// SGD. flags: 1 maximize, 2 weight decay, 4 momentum, 8 fresh momentum buffer, 16 Nesterov.
// f: lr, momentum, dampening, wd.
INLINE void sgd_block(float *const at[5], int64_t i, int64_t count, const int flags, const float f[4]) {
  const float *p = at[0], *g = at[1], *b0 = at[2];
  float *out = at[3], *b1 = at[4];
  const int maximize = flags & 1, decay = flags & 2, momentum = flags & 4, fresh = flags & 8,
            nesterov = flags & 16;
  const float lr = f[0], mom = f[1], damp = f[2], wd = f[3];
  float P[BLOCK] = {0}, G[BLOCK] = {0}, B[BLOCK] = {0}, O[BLOCK] = {0};
  take(P, p, i, count, 1);
  take(G, g, i, count, 1);
  take(B, b0, i, count, momentum && !fresh);
  for (int j = 0; j < BLOCK; j++) {
    float gv = maximize ? -G[j] : G[j];
    float decayed = gv + P[j] * wd;
    gv = decay ? decayed : gv;
    float carried = B[j] * mom + gv * damp;
    float b = fresh ? gv : carried;
    B[j] = b;
    float ahead = gv + b * mom;
    float stepped = nesterov ? ahead : b;
    gv = momentum ? stepped : gv;
    O[j] = P[j] - gv * lr;
  }
  give(b1, B, i, count, momentum);
  give(out, O, i, count, 1);
}

// RMSprop. flags: 1 maximize, 2 weight decay, 4 centered, 8 momentum.
// f: lr, alpha, c (1 - alpha), eps, momentum, wd.
INLINE void rmsprop_block(float *const at[9], int64_t i, int64_t count, const int flags, const float f[6]) {
  const float *p = at[0], *g = at[1], *s0 = at[2], *a0 = at[3], *u0 = at[4];
  float *out = at[5], *s1 = at[6], *a1 = at[7], *u1 = at[8];
  const int maximize = flags & 1, decay = flags & 2, centered = flags & 4, momentum = flags & 8;
  const float lr = f[0], alpha = f[1], c = f[2], eps = f[3], mom = f[4], wd = f[5];
  float P[BLOCK] = {0}, G[BLOCK] = {0}, S[BLOCK] = {0}, A[BLOCK] = {0}, U[BLOCK] = {0}, O[BLOCK] = {0};
  take(P, p, i, count, 1);
  take(G, g, i, count, 1);
  take(S, s0, i, count, 1);
  take(A, a0, i, count, centered);
  take(U, u0, i, count, momentum);
  for (int j = 0; j < BLOCK; j++) {
    float gv = maximize ? -G[j] : G[j];
    float decayed = gv + P[j] * wd;
    gv = decay ? decayed : gv;
    float sq = S[j] * alpha + (gv * gv) * c;
    float ga = A[j] * alpha + gv * c;
    float centred = max_nan(0.0f, sq - ga * ga);
    float var = centered ? centred : sq;
    float u = gv / (sqrtf(var) + eps);
    float carried = U[j] * mom + u;
    u = momentum ? carried : u;
    S[j] = sq;
    A[j] = ga;
    U[j] = u;
    O[j] = P[j] - u * lr;
  }
  give(s1, S, i, count, 1);
  give(a1, A, i, count, centered);
  give(u1, U, i, count, momentum);
  give(out, O, i, count, 1);
}

// Each algorithm's step: a switch over its flags to its block function, compiled once per case.
#define CASE(block, k)              \
  case k:                           \
    BLOCKS(block, at, n, k, f);     \
    break;
#define STEP(name, block, cases, mask, pointers, constants)                                      \
  WIDE static void name(float *const at[pointers], int64_t n, int flags, const float f[constants]) { \
    switch (flags & mask) { cases(CASE, block) }                                                 \
  }

STEP(adam_step, adam_block, CASES16, 15, 9, 9)
STEP(sgd_step, sgd_block, CASES32, 31, 5, 4)
STEP(rmsprop_step, rmsprop_block, CASES16, 15, 9, 6)

// Reads the call: `pointers` byte offsets, then groups and flags, then `constants` numbers, each
// region `groups` × 4 floats long. 0 (an exception thrown) when any of it is wrong. A buffer the
// flags leave unused arrives as offset 0, which lies in the heap as the used ones do.
static int64_t read_step(napi_env env, napi_callback_info info, size_t pointers, size_t constants,
                         float **at, int *flags, float *f) {
  args_t a;
  if (!read_args(env, info, pointers + 2, constants, &a)) return 0;
  int64_t n = mul(a.v[pointers], 4);
  for (size_t i = 0; i < pointers; i++) {
    at[i] = region(env, &a, a.v[i], n, "descent-native: optimizer step: a buffer lies outside the heap");
    if (at[i] == NULL) return 0;
  }
  *flags = (int)a.v[pointers + 1];
  for (size_t i = 0; i < constants; i++) f[i] = (float)a.f[i];  // rounded as WebAssembly's f32 parameters are
  return n;
}

static napi_value adam(napi_env env, napi_callback_info info) {
  float *at[9], f[9];
  int flags;
  int64_t n = read_step(env, info, 9, 9, at, &flags, f);
  if (n > 0) adam_step(at, n, flags, f);
  return NULL;
}

static napi_value sgd(napi_env env, napi_callback_info info) {
  float *at[5], f[4];
  int flags;
  int64_t n = read_step(env, info, 5, 4, at, &flags, f);
  if (n > 0) sgd_step(at, n, flags, f);
  return NULL;
}

static napi_value rmsprop(napi_env env, napi_callback_info info) {
  float *at[9], f[6];
  int flags;
  int64_t n = read_step(env, info, 9, 6, at, &flags, f);
  if (n > 0) rmsprop_step(at, n, flags, f);
  return NULL;
}

void optimizer_steps_export(napi_env env, napi_value exports) {
  export_fn(env, exports, "adam", adam);
  export_fn(env, exports, "sgd", sgd);
  export_fn(env, exports, "rmsprop", rmsprop);
}
