// What every function of descent's addon shares: reading its arguments (the WASM heap, then
// integers, then floating-point numbers), checking regions of the heap, and exporting itself.
#ifndef DESCENT_ADDON_H
#define DESCENT_ADDON_H
#include <node_api.h>
#include <stddef.h>
#include <stdint.h>
#include "sizes.h"

typedef struct {
  char *heap;
  size_t bytes;
  int64_t v[24];  // the integer arguments (byte offsets, sizes, flags), all non-negative
  double f[12];   // the floating-point ones (an optimizer's hyperparameters)
} args_t;

// Reads (heap, `ints` integers, `floats` numbers) into `a`; 0, with an exception thrown, when the
// call has another count or kind of argument.
int read_args(napi_env env, napi_callback_info info, size_t ints, size_t floats, args_t *a);

// A float pointer `floats` long at byte `offset`, or NULL (with an exception naming it) outside
// the heap. An overflowing size (INT64_MAX from sizes.h's mul()) is refused here.
float *region(napi_env env, const args_t *a, int64_t offset, int64_t floats, const char *name);

void export_fn(napi_env env, napi_value exports, const char *name, napi_callback fn);

#endif
