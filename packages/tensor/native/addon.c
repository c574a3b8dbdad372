// Argument reading and heap checks for descent's addon (addon.h).
#include "addon.h"

int read_args(napi_env env, napi_callback_info info, size_t ints, size_t floats, args_t *a) {
  napi_value argv[1 + 24 + 12];
  size_t count = ints + floats, argc = sizeof argv / sizeof *argv;
  if (ints > 24 || floats > 12 || napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok ||
      argc != count + 1) {
    napi_throw_error(env, NULL, "descent-native: wrong argument count");
    return 0;
  }
  void *data;
  if (napi_get_arraybuffer_info(env, argv[0], &data, &a->bytes) != napi_ok) {
    napi_throw_type_error(env, NULL, "descent-native: heap: expected an ArrayBuffer");
    return 0;
  }
  a->heap = data;
  for (size_t i = 0; i < ints; i++) {
    if (napi_get_value_int64(env, argv[i + 1], &a->v[i]) != napi_ok || a->v[i] < 0) {
      napi_throw_type_error(env, NULL, "descent-native: expected non-negative integer arguments");
      return 0;
    }
  }
  for (size_t i = 0; i < floats; i++) {
    if (napi_get_value_double(env, argv[ints + i + 1], &a->f[i]) != napi_ok) {
      napi_throw_type_error(env, NULL, "descent-native: expected number arguments");
      return 0;
    }
  }
  return 1;
}

float *region(napi_env env, const args_t *a, int64_t offset, int64_t floats, const char *name) {
  if (offset % 4 != 0 || (uint64_t)offset > a->bytes || (uint64_t)floats > (a->bytes - (uint64_t)offset) / 4) {
    napi_throw_range_error(env, NULL, name);
    return NULL;
  }
  return (float *)(a->heap + offset);
}

void export_fn(napi_env env, napi_value exports, const char *name, napi_callback fn) {
  napi_value value;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, fn, NULL, &value);
  napi_set_named_property(env, exports, name, value);
}
