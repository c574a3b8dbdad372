// The ReLU, its gradient and column sums on the WASM heap (elementwise.c).
#ifndef DESCENT_ELEMENTWISE_H
#define DESCENT_ELEMENTWISE_H
#include <node_api.h>
#include <stdint.h>

// max(x, 0) as tf.relu gives it: NaN stays NaN, and -0 gives +0.
static inline float relu_value(float x) { return x != x ? x : x > 0.0f ? x : 0.0f; }

// dx = dy · step(y): a ReLU's gradient from its output y (NaN where y is NaN, as tf.step).
void relu_mask(const float *dy, const float *y, float *dx, int64_t n);

// sums[c] = Σ over rows of g[r, c], for g [rows, cols]: float32 within blocks of 128 rows,
// double across blocks.
void column_sums(const float *g, int64_t rows, int64_t cols, float *sums);

// Adds `relu`, `reluBackward` and `columnSums` to the addon's exports.
void elementwise_export(napi_env env, napi_value exports);

#endif
