// Max pooling of NHWC images on the WASM heap, with the ReLU after it or not, forward and back
// (max-pool.c).
#ifndef DESCENT_MAX_POOL_H
#define DESCENT_MAX_POOL_H
#include <node_api.h>

// Adds `maxPool` and `maxPoolBackward` to the addon's exports.
void max_pool_export(napi_env env, napi_value exports);

#endif
