// Small passes over the WASM heap that tfjs runs as several kernels each: the ReLU and its
// gradient, and the column sums that give a bias its gradient (elementwise.h).
#include "elementwise.h"
#include "addon.h"

// relu(heap, x, y, n): y = max(x, 0), as tf.relu gives it (relu_value).
static napi_value relu(napi_env env, napi_callback_info info) {
  args_t a;
  if (!read_args(env, info, 3, 0, &a)) return NULL;
  int64_t n = a.v[2];
  const char *outside = "descent-native: relu: an argument lies outside the heap";
  float *x = region(env, &a, a.v[0], n, outside);
  float *y = x ? region(env, &a, a.v[1], n, outside) : NULL;
  if (y == NULL) return NULL;
  for (int64_t i = 0; i < n; i++) y[i] = relu_value(x[i]);
  return NULL;
}

// reluBackward(heap, dy, y, dx, n): dx = dy · step(y), tf.step's values (1 where y > 0, NaN where
// y is NaN, else 0): what tfjs's Relu gradient computes with a Step, a Cast and a Multiply.
static napi_value relu_backward(napi_env env, napi_callback_info info) {
  args_t a;
  if (!read_args(env, info, 4, 0, &a)) return NULL;
  int64_t n = a.v[3];
  const char *outside = "descent-native: reluBackward: an argument lies outside the heap";
  float *dy = region(env, &a, a.v[0], n, outside);
  float *y = dy ? region(env, &a, a.v[1], n, outside) : NULL;
  float *dx = y ? region(env, &a, a.v[2], n, outside) : NULL;
  if (dx == NULL) return NULL;
  relu_mask(dy, y, dx, n);
  return NULL;
}

void relu_mask(const float *dy, const float *y, float *dx, int64_t n) {
  for (int64_t i = 0; i < n; i++) {
    float step = y[i] > 0.0f ? 1.0f : 0.0f;
    step = y[i] != y[i] ? y[i] : step;
    dx[i] = dy[i] * step;
  }
}

void column_sums(const float *g, int64_t rows, int64_t cols, float *sums) {
  // In float32, row after row, within blocks of 128 rows (so a batch of up to 128 sums as tfjs's
  // ops sum it, to the bit), and the blocks' sums in double: a convolution's bias sums 50,000 rows
  // and more, where one float32 running sum would lose digits.
  enum { WIDE = 64, BLOCK_ROWS = 128 };
  for (int64_t c0 = 0; c0 < cols; c0 += WIDE) {
    int64_t width = cols - c0 < WIDE ? cols - c0 : WIDE;
    double total[WIDE] = {0};
    for (int64_t r0 = 0; r0 < rows; r0 += BLOCK_ROWS) {
      int64_t r1 = r0 + BLOCK_ROWS < rows ? r0 + BLOCK_ROWS : rows;
      float block[WIDE] = {0};
      for (int64_t r = r0; r < r1; r++) {
        const float *row = g + r * cols + c0;
        for (int64_t c = 0; c < width; c++) block[c] += row[c];
      }
      for (int64_t c = 0; c < width; c++) total[c] += block[c];
    }
    for (int64_t c = 0; c < width; c++) sums[c0 + c] = (float)total[c];
  }
}

// columnSums(heap, g, sums, rows, cols): sums[c] = Σ_r g[r, c].
static napi_value column_sums_fn(napi_env env, napi_callback_info info) {
  args_t a;
  if (!read_args(env, info, 4, 0, &a)) return NULL;
  int64_t rows = a.v[2], cols = a.v[3];
  const char *outside = "descent-native: columnSums: an argument lies outside the heap";
  float *g = region(env, &a, a.v[0], mul(rows, cols), outside);
  float *sums = g ? region(env, &a, a.v[1], cols, outside) : NULL;
  if (sums == NULL) return NULL;
  column_sums(g, rows, cols, sums);
  return NULL;
}

void elementwise_export(napi_env env, napi_value exports) {
  export_fn(env, exports, "relu", relu);
  export_fn(env, exports, "reluBackward", relu_backward);
  export_fn(env, exports, "columnSums", column_sums_fn);
}
