// Max pooling of NHWC images on the WASM heap, forward and back, with the ReLU after it or not
// (max-pool.h). A CNN's pool (2×2, stride 2) moves memory and compares, nothing more: tfjs runs it
// as XNNPACK's MaxPool, then a Relu, and back a MaxPoolGrad and a Relu gradient, four passes
// where these are two. Channels are innermost, so each window's cells are compared a group of
// channels at a time (GCC vectorizes the gradient's groups; the forward's stay eight scalar lanes
// in registers). Both are bound by memory: a CNN's first pool reads 1.6 MB.
//
// The decision rule is tfjs's cpu backend's, which descent's MaxPoolGrad follows: a strict `>`
// from the start value, cells in row-major window order, padding left out. So NaN is skipped,
// and a tie goes to the first cell. With the ReLU the start value is +0 instead of -∞:
// max(0, max of the window) is relu(maxPool(x)) exactly (-0 gives +0, as tf.relu does), and the
// gradient reaches the window's first largest cell only where that maximum is positive, which is
// what the Relu's gradient (tf.step of the output) lets through.
#include "max-pool.h"
#include <math.h>
#include <string.h>
#include "addon.h"

#if defined(__x86_64__) && defined(__linux__) && defined(__GNUC__) && !defined(__clang__)
#define WIDE __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define WIDE
#endif

// Channels compared at once: a fixed count, so that the compiler keeps a group in registers and,
// in the gradient, makes each step one vector compare and blend (a loop as long as the channel
// count ran scalar, with branches, when the count was less than a vector). Channels past the last
// whole group go one at a time.
enum { GROUP = 8 };

typedef struct {
  int64_t n, h, w, c, oh, ow, fh, fw, sh, sw, top, left;
} pool_t;

// The rows [r0, r1) and columns [c0, c1) of the input that output cell (r, q) covers.
static inline void window(const pool_t *p, int64_t r, int64_t q, int64_t *r0, int64_t *r1,
                          int64_t *c0, int64_t *c1) {
  int64_t rs = r * p->sh - p->top, cs = q * p->sw - p->left;
  *r0 = rs < 0 ? 0 : rs;
  *r1 = rs + p->fh < p->h ? rs + p->fh : p->h;
  *c0 = cs < 0 ? 0 : cs;
  *c1 = cs + p->fw < p->w ? cs + p->fw : p->w;
}

WIDE static void forward(const float *x, float *y, const pool_t *p, int relu) {
  const float start = relu ? 0.0f : -INFINITY;
  const int64_t c = p->c, whole = c - c % GROUP;
  for (int64_t b = 0; b < p->n; b++) {
    const float *image = x + b * p->h * p->w * c;
    for (int64_t r = 0; r < p->oh; r++)
      for (int64_t q = 0; q < p->ow; q++) {
        int64_t r0, r1, c0, c1;
        window(p, r, q, &r0, &r1, &c0, &c1);
        float *out = y + ((b * p->oh + r) * p->ow + q) * c;
        for (int64_t k0 = 0; k0 < whole; k0 += GROUP) {
          float best[GROUP];
          for (int k = 0; k < GROUP; k++) best[k] = start;
          for (int64_t i = r0; i < r1; i++)
            for (int64_t j = c0; j < c1; j++) {
              const float *cell = image + (i * p->w + j) * c + k0;
              for (int k = 0; k < GROUP; k++) best[k] = cell[k] > best[k] ? cell[k] : best[k];
            }
          for (int k = 0; k < GROUP; k++) out[k0 + k] = best[k];
        }
        for (int64_t k = whole; k < c; k++) {
          float best = start;
          for (int64_t i = r0; i < r1; i++)
            for (int64_t j = c0; j < c1; j++) {
              float v = image[(i * p->w + j) * c + k];
              best = v > best ? v : best;
            }
          out[k] = best;
        }
      }
  }
}

// Windows that do not overlap (fh <= sh, fw <= sw): each input cell is in one window at most, so
// each dx cell is written once: dy where it is its window's first largest cell, else 0.
WIDE static void backward(const float *x, const float *dy, float *dx, const pool_t *p, int relu) {
  const float start = relu ? 0.0f : -INFINITY;
  const int64_t c = p->c, whole = c - c % GROUP;
  // Cells in no window (gaps, a remainder row or column) read 0. Windows that tile the image
  // leave none.
  int tiled = p->fh == p->sh && p->fw == p->sw && (p->oh - 1) * p->sh - p->top + p->fh >= p->h &&
              (p->ow - 1) * p->sw - p->left + p->fw >= p->w;
  if (!tiled) memset(dx, 0, (size_t)(p->n * p->h * p->w * c) * sizeof(float));
  for (int64_t b = 0; b < p->n; b++) {
    const float *image = x + b * p->h * p->w * c;
    float *grad = dx + b * p->h * p->w * c;
    for (int64_t r = 0; r < p->oh; r++)
      for (int64_t q = 0; q < p->ow; q++) {
        int64_t r0, r1, c0, c1;
        window(p, r, q, &r0, &r1, &c0, &c1);
        const float *d = dy + ((b * p->oh + r) * p->ow + q) * c;
        for (int64_t k0 = 0; k0 < c; k0 += GROUP) {
          // A whole group, or the channels past the last one (lanes past c left unused).
          int64_t width = k0 < whole ? GROUP : c - k0;
          float best[GROUP];
          int32_t at[GROUP];
          for (int k = 0; k < GROUP; k++) {
            best[k] = start;
            at[k] = -1;
          }
          int32_t index = 0;  // the cell's place in the window, row-major
          for (int64_t i = r0; i < r1; i++)
            for (int64_t j = c0; j < c1; j++, index++) {
              const float *cell = image + (i * p->w + j) * c + k0;
              if (width == GROUP) {
                for (int k = 0; k < GROUP; k++) {
                  int larger = cell[k] > best[k];
                  best[k] = larger ? cell[k] : best[k];
                  at[k] = larger ? index : at[k];
                }
              } else {
                for (int64_t k = 0; k < width; k++) {
                  int larger = cell[k] > best[k];
                  best[k] = larger ? cell[k] : best[k];
                  at[k] = larger ? index : at[k];
                }
              }
            }
          // dy read whole first: a read inside the selection below would keep it scalar.
          float g[GROUP] = {0};
          for (int64_t k = 0; k < width; k++) g[k] = d[k0 + k];
          index = 0;
          for (int64_t i = r0; i < r1; i++)
            for (int64_t j = c0; j < c1; j++, index++) {
              float *cell = grad + (i * p->w + j) * c + k0;
              if (width == GROUP)
                for (int k = 0; k < GROUP; k++) cell[k] = at[k] == index ? g[k] : 0.0f;
              else
                for (int64_t k = 0; k < width; k++) cell[k] = at[k] == index ? g[k] : 0.0f;
            }
        }
      }
  }
}

// Reads (heap, x, y-or-dy, [dx,] n, h, w, c, oh, ow, fh, fw, sh, sw, top, left, relu) and checks
// the geometry: the output size is PyTorch's (floor mode), padding at most half the window.
static int read_pool(napi_env env, napi_callback_info info, int tensors, args_t *a, pool_t *p,
                     const char *name) {
  if (!read_args(env, info, (size_t)tensors + 13, 0, a)) return 0;
  const int64_t *v = a->v + tensors;
  *p = (pool_t){v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11]};
  int ok = p->fh > 0 && p->fw > 0 && p->sh > 0 && p->sw > 0 && 2 * p->top <= p->fh &&
           2 * p->left <= p->fw && p->h + 2 * p->top >= p->fh && p->w + 2 * p->left >= p->fw &&
           p->oh == (p->h + 2 * p->top - p->fh) / p->sh + 1 &&
           p->ow == (p->w + 2 * p->left - p->fw) / p->sw + 1 && v[12] <= 1;
  if (!ok) napi_throw_range_error(env, NULL, name);
  return ok;
}

// maxPool(heap, x, y, n, h, w, c, oh, ow, fh, fw, sh, sw, top, left, relu)
static napi_value max_pool(napi_env env, napi_callback_info info) {
  args_t a;
  pool_t p;
  if (!read_pool(env, info, 2, &a, &p, "descent-native: maxPool: inconsistent pooling geometry"))
    return NULL;
  const char *outside = "descent-native: maxPool: an argument lies outside the heap";
  float *x = region(env, &a, a.v[0], mul(mul(mul(p.n, p.h), p.w), p.c), outside);
  float *y = x ? region(env, &a, a.v[1], mul(mul(mul(p.n, p.oh), p.ow), p.c), outside) : NULL;
  if (y == NULL) return NULL;
  forward(x, y, &p, (int)a.v[14]);
  return NULL;
}

// maxPoolBackward(heap, x, dy, dx, n, h, w, c, oh, ow, fh, fw, sh, sw, top, left, relu): windows
// that do not overlap only.
static napi_value max_pool_backward(napi_env env, napi_callback_info info) {
  args_t a;
  pool_t p;
  if (!read_pool(env, info, 3, &a, &p, "descent-native: maxPoolBackward: inconsistent pooling geometry"))
    return NULL;
  if (p.fh > p.sh || p.fw > p.sw) {
    napi_throw_range_error(env, NULL, "descent-native: maxPoolBackward: expected windows that do not overlap");
    return NULL;
  }
  const char *outside = "descent-native: maxPoolBackward: an argument lies outside the heap";
  int64_t in = mul(mul(mul(p.n, p.h), p.w), p.c);
  float *x = region(env, &a, a.v[0], in, outside);
  float *dy = x ? region(env, &a, a.v[1], mul(mul(mul(p.n, p.oh), p.ow), p.c), outside) : NULL;
  float *dx = dy ? region(env, &a, a.v[2], in, outside) : NULL;
  if (dx == NULL) return NULL;
  backward(x, dy, dx, &p, (int)a.v[15]);
  return NULL;
}

void max_pool_export(napi_env env, napi_value exports) {
  export_fn(env, exports, "maxPool", max_pool);
  export_fn(env, exports, "maxPoolBackward", max_pool_backward);
}
