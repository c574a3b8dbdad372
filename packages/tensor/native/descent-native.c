// descent's native kernels for Node: matrix products and 2-D convolutions on the tfjs WASM heap,
// computed by oneDNN's or OpenBLAS's sgemm (gemm.c), and the fused optimizer steps
// (optimizer-steps.c). WebAssembly's SIMD is 128 bits wide without
// fused multiply-add; these libraries pick AVX2 or AVX-512 code with FMA for the machine they run
// on (bench/RESULTS.md).
//
// Every function takes the heap (an ArrayBuffer) and byte offsets into it, works in place and
// returns nothing. Sizes are checked against the heap before any read or write, so a wrong offset
// throws a JavaScript error instead of touching memory outside the heap.
//
// Without either library `available` is false and @descent/tensor keeps its WASM kernels.
#define _POSIX_C_SOURCE 200809L  // sigset_t, in gemm.h
#include <node_api.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addon.h"
#include "elementwise.h"
#include "gemm.h"
#include "linear.h"
#include "max-pool.h"
#include "onednn-conv.h"
#include "optimizer-steps.h"
#include "patches.h"

// One patch matrix per thread (fitParallel's workers each have their own), kept between calls:
// a fresh allocation this large would be mapped and faulted in page by page on every call.
static _Thread_local float *scratch;
static _Thread_local size_t scratch_floats;

static float *patches(size_t floats) {
  if (floats > scratch_floats) {
    free(scratch);
    scratch = malloc(floats * sizeof(float));
    scratch_floats = scratch == NULL ? 0 : floats;
  }
  return scratch;
}

// ---- matrix product --------------------------------------------------------------------------

// gemm(heap, transA, transB, m, n, k, a, b, c): c[m, n] = op(a) op(b), row-major, offsets in bytes.
static napi_value matmul(napi_env env, napi_callback_info info) {
  args_t a;
  if (!read_args(env, info, 8, 0, &a)) return NULL;
  int64_t ta = a.v[0], tb = a.v[1], m = a.v[2], n = a.v[3], k = a.v[4];
  float *pa = region(env, &a, a.v[5], mul(m, k), "descent-native: gemm: a lies outside the heap");
  float *pb = pa ? region(env, &a, a.v[6], mul(k, n), "descent-native: gemm: b lies outside the heap") : NULL;
  float *pc = pb ? region(env, &a, a.v[7], mul(m, n), "descent-native: gemm: c lies outside the heap") : NULL;
  if (pc == NULL || m == 0 || n == 0) return NULL;
  if (k == 0) {
    memset(pc, 0, (size_t)(m * n) * sizeof(float));
    return NULL;
  }
  if (gemm(ta != 0, tb != 0, m, n, k, 1.0f, pa, ta ? m : k, pb, tb ? k : n, 0.0f, pc, n) != 0)
    napi_throw_error(env, NULL, "descent-native: gemm: the library refused the product");
  return NULL;
}

// ---- convolutions (NHWC x, filter [kh, kw, in, out]) -----------------------------------------

// What every convolution function starts from: its arguments, geometry, and the x, filter and y
// (or dx, dw, dy) regions checked against the heap. `col` and `step` are set by done_by_onednn
// when the convolution goes by patches.
typedef struct {
  args_t a;
  conv_t g;
  float *x, *w, *y, *col;
  int64_t k, rows_per_sample, step;
} conv_call;

// `count` arguments, the last 15 the geometry in conv_t's order; x, w and y name the arguments
// that hold those offsets. Returns 0, with an exception thrown, when any of it is wrong.
static int conv_call_of(napi_env env, napi_callback_info info, size_t count, int x, int w, int y,
                        conv_call *c) {
  if (!read_args(env, info, count, 0, &c->a)) return 0;
  memcpy(&c->g, &c->a.v[count - 15], sizeof c->g);
  const conv_t *g = &c->g;
  int64_t x_size = mul(mul(g->batch, g->in_h), mul(g->in_w, g->in_c));
  int64_t y_size = mul(mul(g->batch, g->out_h), mul(g->out_w, g->out_c));
  c->x = region(env, &c->a, c->a.v[x], x_size, "descent-native: conv: x lies outside the heap");
  c->w = c->x ? region(env, &c->a, c->a.v[w], mul(patch_size(g), g->out_c),
                       "descent-native: conv: filter lies outside the heap")
              : NULL;
  c->y = c->w ? region(env, &c->a, c->a.v[y], y_size, "descent-native: conv: y lies outside the heap") : NULL;
  c->k = patch_size(g);
  c->rows_per_sample = g->out_h * g->out_w;
  return c->y != NULL;
}

static napi_value refused(napi_env env) {
  napi_throw_error(env, NULL, "descent-native: conv: the library refused the convolution");
  return NULL;
}

// Tries oneDNN's convolution primitive first (onednn-conv.c). Returns 1 when the call is done
// (run, or an exception thrown), 0 when it should go by patches: then c->col holds a patch matrix
// for c->step samples.
static int done_by_onednn(napi_env env, conv_call *c, int kind, float *bias, int relu) {
  int ran = onednn_conv(kind, &c->g, c->x, c->w, bias, c->y, relu, 0);
  if (ran < 0) refused(env);
  if (ran <= 0) return 1;
  c->step = samples_per_chunk(&c->g);
  c->col = patches((size_t)(c->step * c->rows_per_sample * c->k));
  if (c->col == NULL) napi_throw_error(env, NULL, "descent-native: conv: out of memory");
  return c->col == NULL;
}

// conv2d(heap, x, filter, bias, hasBias, relu, y, ...geometry): y = act(conv(x, filter) + bias).
static napi_value conv2d(napi_env env, napi_callback_info info) {
  conv_call c;
  if (!conv_call_of(env, info, 21, 0, 1, 5, &c)) return NULL;
  const conv_t g = c.g;
  int has_bias = c.a.v[3] != 0, relu = c.a.v[4] != 0;
  float *bias = has_bias ? region(env, &c.a, c.a.v[2], g.out_c, "descent-native: conv: bias lies outside the heap") : NULL;
  if ((has_bias && bias == NULL) || done_by_onednn(env, &c, CONV_FORWARD, bias, relu)) return NULL;
  for (int64_t b0 = 0; b0 < g.batch; b0 += c.step) {
    int64_t b1 = b0 + c.step < g.batch ? b0 + c.step : g.batch, m = (b1 - b0) * c.rows_per_sample;
    float *y = c.y + b0 * c.rows_per_sample * g.out_c;
    im2col(&g, c.x, b0, b1, c.col);
    int t = by_columns(&g);
    if (gemm(t, 0, m, g.out_c, c.k, 1.0f, c.col, t ? m : c.k, c.w, g.out_c, 0.0f, y, g.out_c)) return refused(env);
    add_bias_relu(y, m, g.out_c, bias, relu);
  }
  return NULL;
}

// conv2dBackpropInput(heap, dy, filter, dx, ...geometry): dx = Σ over taps of dy · filterᵀ.
static napi_value conv2d_backprop_input(napi_env env, napi_callback_info info) {
  conv_call c;
  if (!conv_call_of(env, info, 18, 2, 1, 0, &c) || done_by_onednn(env, &c, CONV_BACKWARD_DATA, NULL, 0))
    return NULL;
  const conv_t g = c.g;
  memset(c.x, 0, (size_t)(g.batch * g.in_h * g.in_w * g.in_c) * sizeof(float));
  for (int64_t b0 = 0; b0 < g.batch; b0 += c.step) {
    int64_t b1 = b0 + c.step < g.batch ? b0 + c.step : g.batch, m = (b1 - b0) * c.rows_per_sample;
    const float *dy = c.y + b0 * c.rows_per_sample * g.out_c;
    int failed = by_columns(&g)
                     // patchesᵀ [k, m] = filter [k, out] · dyᵀ
                     ? gemm(0, 1, c.k, m, g.out_c, 1.0f, c.w, g.out_c, dy, g.out_c, 0.0f, c.col, m)
                     // patches [m, k] = dy [m, out] · filterᵀ
                     : gemm(0, 1, m, c.k, g.out_c, 1.0f, dy, g.out_c, c.w, g.out_c, 0.0f, c.col, c.k);
    if (failed) return refused(env);
    col2im(&g, c.col, b0, b1, c.x);
  }
  return NULL;
}

// conv2dBackpropFilter(heap, x, dy, dw, ...geometry): dw = patchesᵀ · dy, summed over the batch.
static napi_value conv2d_backprop_filter(napi_env env, napi_callback_info info) {
  conv_call c;
  if (!conv_call_of(env, info, 18, 0, 2, 1, &c) || done_by_onednn(env, &c, CONV_BACKWARD_WEIGHTS, NULL, 0))
    return NULL;
  const conv_t g = c.g;
  if (g.batch == 0 || c.rows_per_sample == 0) memset(c.w, 0, (size_t)(c.k * g.out_c) * sizeof(float));
  for (int64_t b0 = 0; b0 < g.batch; b0 += c.step) {
    int64_t b1 = b0 + c.step < g.batch ? b0 + c.step : g.batch, m = (b1 - b0) * c.rows_per_sample;
    im2col(&g, c.x, b0, b1, c.col);
    int t = by_columns(&g);
    const float *dy = c.y + b0 * c.rows_per_sample * g.out_c;
    if (gemm(!t, 0, c.k, g.out_c, m, 1.0f, c.col, t ? m : c.k, dy, g.out_c, b0 == 0 ? 0.0f : 1.0f, c.w, g.out_c))
      return refused(env);
  }
  return NULL;
}

// ---- convolutions with PyTorch's weight layout [out, in, kh, kw], in oneDNN only --------------

// Each returns true when oneDNN ran it, false when oneDNN is missing or refuses the geometry (the
// caller then transposes the weight and takes the functions above).
static napi_value ran(napi_env env, int status) {
  napi_value result;
  if (status < 0) return refused(env);
  napi_get_boolean(env, status == 0, &result);
  return result;
}

// The bias (or its gradient) at argument `at` where argument `flag` is set, else NULL in *bias;
// 0, with an exception thrown, when it lies outside the heap.
static int optional_bias(napi_env env, conv_call *c, int at, int flag, float **bias) {
  *bias = NULL;
  if (c->a.v[flag] == 0) return 1;
  *bias = region(env, &c->a, c->a.v[at], c->g.out_c, "descent-native: conv: the bias lies outside the heap");
  return *bias != NULL;
}

// conv2dOihw(heap, x, weight, bias, hasBias, y, ...geometry): y = conv(x, weight) + bias.
static napi_value conv2d_oihw(napi_env env, napi_callback_info info) {
  conv_call c;
  float *bias;
  if (!conv_call_of(env, info, 20, 0, 1, 4, &c) || !optional_bias(env, &c, 2, 3, &bias)) return NULL;
  return ran(env, onednn_conv(CONV_FORWARD, &c.g, c.x, c.w, bias, c.y, 0, 1));
}

// conv2dOihwBackwardData(heap, dy, weight, dx, ...geometry): dx, the gradient of x.
static napi_value conv2d_oihw_backward_data(napi_env env, napi_callback_info info) {
  conv_call c;
  if (!conv_call_of(env, info, 18, 2, 1, 0, &c)) return NULL;
  return ran(env, onednn_conv(CONV_BACKWARD_DATA, &c.g, c.x, c.w, NULL, c.y, 0, 1));
}

// conv2dOihwBackwardWeights(heap, x, dy, dw, db, hasBias, ...geometry): the gradients of the
// weight and (with hasBias) the bias, in one pass.
static napi_value conv2d_oihw_backward_weights(napi_env env, napi_callback_info info) {
  conv_call c;
  float *db;
  if (!conv_call_of(env, info, 20, 0, 2, 1, &c) || !optional_bias(env, &c, 3, 4, &db)) return NULL;
  return ran(env, onednn_conv(CONV_BACKWARD_WEIGHTS, &c.g, c.x, c.w, db, c.y, 0, 1));
}

// conv2dOihwAccepts(heap, kind, hasBias, ...geometry): whether oneDNN runs that call (kind 0
// forward, 1 the input's gradient, 2 the weight's and bias's), its primitive then built.
static napi_value conv2d_oihw_accepts(napi_env env, napi_callback_info info) {
  args_t a;
  conv_t g;
  if (!read_args(env, info, 17, 0, &a)) return NULL;
  memcpy(&g, &a.v[2], sizeof g);
  napi_value result;
  napi_get_boolean(env, a.v[0] <= CONV_BACKWARD_WEIGHTS && onednn_conv_accepts((int)a.v[0], &g, a.v[1] != 0, 1), &result);
  return result;
}

// ---- loading ---------------------------------------------------------------------------------

// When a Node environment shuts down (a fitParallel worker's thread, or the process), on its own
// thread: that thread's patch matrix and oneDNN primitives go with it. Not a pthread key's
// destructor: a worker's Node unloads the addon before its thread ends, and the destructor's code
// would be gone.
static void release_thread(void *token) {
  free(token);
  free(scratch);
  scratch = NULL;
  scratch_floats = 0;
  onednn_conv_release_thread();
}

NAPI_MODULE_INIT() {
  napi_value available, library, threads, primitives;
  // A token of its own per load: Node refuses the same hook and argument twice in one environment,
  // and two copies of the package (ESM beside CommonJS) each load the addon.
  void *token = malloc(1);
  if (token && napi_add_env_cleanup_hook(env, release_thread, token) != napi_ok) free(token);
  napi_get_boolean(env, gemm_open(), &available);
  int by_primitives = onednn_conv_open();
  // e.g. 'oneDNN 2.6.3 (dnnl_sgemm)', and what convolves: oneDNN's primitives or patch matrices.
  char name[300];
  snprintf(name, sizeof name, "%s; convolutions: %s", gemm_library(),
           by_primitives ? "oneDNN primitives" : "patches + sgemm");
  napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &library);
  napi_create_int32(env, gemm_threads(), &threads);
  napi_get_boolean(env, by_primitives, &primitives);
  napi_set_named_property(env, exports, "convolutionPrimitives", primitives);
  napi_set_named_property(env, exports, "available", available);
  napi_set_named_property(env, exports, "library", library);
  napi_set_named_property(env, exports, "threads", threads);
  export_fn(env, exports, "gemm", matmul);
  linear_export(env, exports);
  elementwise_export(env, exports);
  max_pool_export(env, exports);
  export_fn(env, exports, "conv2d", conv2d);
  export_fn(env, exports, "conv2dBackpropInput", conv2d_backprop_input);
  export_fn(env, exports, "conv2dBackpropFilter", conv2d_backprop_filter);
  export_fn(env, exports, "conv2dOihw", conv2d_oihw);
  export_fn(env, exports, "conv2dOihwAccepts", conv2d_oihw_accepts);
  export_fn(env, exports, "conv2dOihwBackwardData", conv2d_oihw_backward_data);
  export_fn(env, exports, "conv2dOihwBackwardWeights", conv2d_oihw_backward_weights);
  optimizer_steps_export(env, exports);
  return exports;
}
