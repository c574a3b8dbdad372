// A Linear layer on the WASM heap, forward and backward (linear.c).
#ifndef DESCENT_LINEAR_H
#define DESCENT_LINEAR_H
#include <node_api.h>
#include <stdint.h>

// y[m, n] += bias (when not NULL), then max(y, 0) (when relu): after a product, in one pass.
void add_bias_relu(float *y, int64_t m, int64_t n, const float *bias, int relu);

// Adds `linear` and `linearBackward` to the addon's exports.
void linear_export(napi_env env, napi_value exports);

#endif
