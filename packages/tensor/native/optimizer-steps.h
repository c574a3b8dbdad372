// The fused optimizer updates (Adam, AdamW, SGD, RMSprop) on the WASM heap: optimizer-steps.c.
#ifndef DESCENT_OPTIMIZER_STEPS_H
#define DESCENT_OPTIMIZER_STEPS_H
#include <node_api.h>

// Adds `adam`, `sgd` and `rmsprop` to the addon's exports.
void optimizer_steps_export(napi_env env, napi_value exports);

#endif
