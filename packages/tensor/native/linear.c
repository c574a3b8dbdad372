// A Linear layer, and the ReLU after it, as one call each way on the WASM heap: the forward
// (linear) and the weight and bias gradients (linearBackward), for @descent/tensor's DescentLinear
// kernel (src/fusion/fused-linear.ts). PyTorch's weight layout [out, in].
#define _POSIX_C_SOURCE 200809L  // sigset_t, in gemm.h
#include "linear.h"
#include <string.h>
#include "addon.h"
#include "elementwise.h"
#include "gemm.h"

// y[m, n] += bias (when given), then max(y, 0) (when relu), in one pass after a product: on an
// image's first layer, a product adding onto a prefilled bias (beta 1) took 0.39 ms in oneDNN,
// against 0.12 ms with beta 0.
void add_bias_relu(float *y, int64_t m, int64_t n, const float *bias, int relu) {
  // Separate loops without branches inside, so that the compiler vectorizes them: with the tests
  // inside one loop, the ReLU's "v < 0" was a coin toss per element, mispredicted half the time,
  // and 8,192 outputs took 50 µs.
  if (bias)
    for (int64_t i = 0; i < m; i++) {
      float *row = y + i * n;
      for (int64_t o = 0; o < n; o++) row[o] += bias[o];
    }
  if (relu)
    for (int64_t i = 0; i < m * n; i++) y[i] = relu_value(y[i]);
}

// linear(heap, x, weight, bias, hasBias, relu, y, rows, in, out): y = act(x weightᵀ + bias) for
// x [rows, in] and PyTorch's weight [out, in]: a Linear layer (and the ReLU after it) in one call.
static napi_value linear(napi_env env, napi_callback_info info) {
  args_t a;
  if (!read_args(env, info, 9, 0, &a)) return NULL;
  int64_t rows = a.v[6], in = a.v[7], out = a.v[8];
  int has_bias = a.v[3] != 0, relu = a.v[4] != 0;
  float *x = region(env, &a, a.v[0], mul(rows, in), "descent-native: linear: x lies outside the heap");
  float *w = x ? region(env, &a, a.v[1], mul(out, in), "descent-native: linear: weight lies outside the heap") : NULL;
  float *bias = w && has_bias ? region(env, &a, a.v[2], out, "descent-native: linear: bias lies outside the heap") : NULL;
  float *y = w && (bias || !has_bias) ? region(env, &a, a.v[5], mul(rows, out), "descent-native: linear: y lies outside the heap") : NULL;
  if (y == NULL || rows == 0 || out == 0) return NULL;
  if (in == 0)
    memset(y, 0, (size_t)(rows * out) * sizeof(float));
  else if (gemm(0, 1, rows, out, in, 1.0f, x, in, w, in, 0.0f, y, out) != 0) {
    napi_throw_error(env, NULL, "descent-native: linear: the library refused the product");
    return NULL;
  }
  add_bias_relu(y, rows, out, bias, relu);
  return NULL;
}

// linearBackward(heap, dy, x, y, g, dw, db, relu, hasBias, rows, in, out): the gradients of
// y = act(x weightᵀ + bias) for the weight and the bias, from dy [rows, out]. With relu, g [rows,
// out] receives dy · step(y) (tf.step's values: 1 where y > 0, NaN where y is NaN, else 0), the
// gradient before the ReLU, which the input's gradient (g · weight, computed only when wanted)
// reads; without, g is unused and dy is that gradient. dw [out, in] = gᵀ x; db [out] = the column
// sums of g (elementwise.c).
static napi_value linear_backward(napi_env env, napi_callback_info info) {
  args_t a;
  if (!read_args(env, info, 11, 0, &a)) return NULL;
  int relu = a.v[6] != 0, has_bias = a.v[7] != 0;
  int64_t rows = a.v[8], in = a.v[9], out = a.v[10];
  const char *outside = "descent-native: linearBackward: an argument lies outside the heap";
  float *dy = region(env, &a, a.v[0], mul(rows, out), outside);
  float *x = dy ? region(env, &a, a.v[1], mul(rows, in), outside) : NULL;
  float *dw = x ? region(env, &a, a.v[4], mul(out, in), outside) : NULL;
  if (dw == NULL) return NULL;
  float *y = NULL, *g = NULL, *db = NULL;
  if (relu && ((y = region(env, &a, a.v[2], mul(rows, out), outside)) == NULL ||
               (g = region(env, &a, a.v[3], mul(rows, out), outside)) == NULL))
    return NULL;
  if (has_bias && (db = region(env, &a, a.v[5], out, outside)) == NULL) return NULL;
  const float *grad = dy;
  if (relu) {
    relu_mask(dy, y, g, rows * out);
    grad = g;
  }
  if (rows == 0) {
    memset(dw, 0, (size_t)(out * in) * sizeof(float));
  } else if (out > 0 && in > 0 && gemm(1, 0, out, in, rows, 1.0f, grad, out, x, in, 0.0f, dw, in) != 0) {
    napi_throw_error(env, NULL, "descent-native: linearBackward: the library refused the product");
    return NULL;
  }
  if (db) column_sums(grad, rows, out, db);
  return NULL;
}

void linear_export(napi_env env, napi_value exports) {
  export_fn(env, exports, "linear", linear);
  export_fn(env, exports, "linearBackward", linear_backward);
}
