// The patch matrix of a 2-D convolution (im2col) and its inverse scatter (col2im), for NHWC
// images and filters [kh, kw, in, out]: a convolution becomes one matrix product (patches.c).
#ifndef DESCENT_PATCHES_H
#define DESCENT_PATCHES_H
#include <stdint.h>
#include "sizes.h"

// Most floats one patch matrix holds (16 MiB); larger batches are done a few samples at a time.
#define PATCH_LIMIT (1 << 22)

typedef struct {
  int64_t batch, in_h, in_w, in_c, out_h, out_w, out_c, f_h, f_w, stride_h, stride_w, dil_h, dil_w,
      pad_top, pad_left;
} conv_t;

// Rows of the patch matrix per output position: kh · kw · in.
int64_t patch_size(const conv_t *g);

// Samples per patch matrix, so that it stays within PATCH_LIMIT floats (at least one sample).
int64_t samples_per_chunk(const conv_t *g);

// 1 when the patch matrix is stored transposed ([patch, position]), 0 for [position, patch].
int by_columns(const conv_t *g);

// Patches of samples [b0, b1) of x, in the layout by_columns picks; padding reads as 0.
void im2col(const conv_t *g, const float *x, int64_t b0, int64_t b1, float *col);

// Adds each entry of a patch matrix to the cell of dx it was read from.
void col2im(const conv_t *g, const float *col, int64_t b0, int64_t b1, float *dx);

#endif
