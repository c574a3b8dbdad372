// Sizes built from a caller's figures, kept checkable when they overflow.
#ifndef DESCENT_SIZES_H
#define DESCENT_SIZES_H
#include <stdint.h>

// a · b, or INT64_MAX when it overflows (which every heap check then refuses).
static inline int64_t mul(int64_t a, int64_t b) {
  int64_t r;
  return __builtin_mul_overflow(a, b, &r) ? INT64_MAX : r;
}

#endif
