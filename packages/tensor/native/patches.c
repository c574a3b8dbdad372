// The patch matrix of a 2-D convolution and its inverse (patches.h), in two layouts.
#include "patches.h"

#include <stddef.h>

int64_t patch_size(const conv_t *g) { return mul(mul(g->f_h, g->f_w), g->in_c); }

int64_t samples_per_chunk(const conv_t *g) {
  int64_t per_sample = mul(mul(g->out_h, g->out_w), patch_size(g));
  int64_t n = per_sample == 0 ? g->batch : PATCH_LIMIT / per_sample;
  return n < 1 ? 1 : n;
}

// Two layouts of the patch matrix, each the faster to build for its inputs (bench/RESULTS.md):
// - rows: row (b, oh, ow), column (kh, kw, c), like the filter; each tap's channels are one
//   contiguous copy of x. Used from 8 input channels up.
// - columns (the transpose): row (kh, kw, c), column (b, oh, ow); each output row is one run along
//   x's row. With one input channel (an image's first layer) this one is about 20× faster.
int by_columns(const conv_t *g) { return g->in_c < 8; }

// The output columns [lo, hi) whose tap at column offset `off` lands inside the input.
static void valid_columns(const conv_t *g, int64_t off, int64_t *lo, int64_t *hi) {
  *lo = 0;
  *hi = g->out_w;
  while (*lo < *hi && *lo * g->stride_w + off < 0) (*lo)++;
  while (*hi > *lo && (*hi - 1) * g->stride_w + off >= g->in_w) (*hi)--;
}

// The row of x that filter row kh reads for output row oh of sample b, or NULL in the padding.
static const float *input_line(const conv_t *g, const float *x, int64_t b, int64_t oh, int64_t kh) {
  int64_t ih = oh * g->stride_h - g->pad_top + kh * g->dil_h;
  return ih < 0 || ih >= g->in_h ? NULL : x + (b * g->in_h + ih) * g->in_w * g->in_c;
}

// Rows layout, one output position at a time, so that each patch row is written whole. With
// dilation 1, a filter row that lies wholly inside x reads one contiguous run of f_w * c floats.
static void im2col_rows(const conv_t *g, const float *x, int64_t b0, int64_t b1, float *col) {
  int64_t c = g->in_c, run = g->f_w * c;
  float *out = col;
  for (int64_t b = b0; b < b1; b++)
    for (int64_t oh = 0; oh < g->out_h; oh++)
      for (int64_t ow = 0; ow < g->out_w; ow++) {
        int64_t iw0 = ow * g->stride_w - g->pad_left;
        int inside = g->dil_w == 1 && iw0 >= 0 && iw0 + g->f_w <= g->in_w;
        for (int64_t kh = 0; kh < g->f_h; kh++) {
          const float *line = input_line(g, x, b, oh, kh);
          if (line && inside) {
            const float *in = line + iw0 * c;
            for (int64_t i = 0; i < run; i++) out[i] = in[i];
            out += run;
            continue;
          }
          for (int64_t kw = 0; kw < g->f_w; kw++, out += c) {
            int64_t iw = iw0 + kw * g->dil_w;
            const float *in = line && iw >= 0 && iw < g->in_w ? line + iw * c : NULL;
            for (int64_t ci = 0; ci < c; ci++) out[ci] = in ? in[ci] : 0;
          }
        }
      }
}

// Columns layout, one tap at a time, so that each output row is one run along x's row.
static void im2col_columns(const conv_t *g, const float *x, int64_t b0, int64_t b1, float *col) {
  int64_t c = g->in_c, m = (b1 - b0) * g->out_h * g->out_w;
  for (int64_t kh = 0; kh < g->f_h; kh++)
    for (int64_t kw = 0; kw < g->f_w; kw++) {
      int64_t off = kw * g->dil_w - g->pad_left, lo, hi;
      valid_columns(g, off, &lo, &hi);
      for (int64_t ci = 0; ci < c; ci++) {
        float *out = col + ((kh * g->f_w + kw) * c + ci) * m;
        for (int64_t b = b0; b < b1; b++)
          for (int64_t oh = 0; oh < g->out_h; oh++, out += g->out_w) {
            const float *line = input_line(g, x, b, oh, kh);
            int64_t first = line ? lo : g->out_w, last = line ? hi : g->out_w;
            for (int64_t w = 0; w < first; w++) out[w] = 0;
            if (c == 1 && g->stride_w == 1)  // a plain copy, which the compiler vectorizes
              for (int64_t w = first; w < last; w++) out[w] = line[w + off];
            else
              for (int64_t w = first; w < last; w++) out[w] = line[(w * g->stride_w + off) * c + ci];
            for (int64_t w = last; w < g->out_w; w++) out[w] = 0;
          }
      }
    }
}

// Patches of samples [b0, b1) in the layout by_columns picks; padding reads as 0.
void im2col(const conv_t *g, const float *x, int64_t b0, int64_t b1, float *col) {
  (by_columns(g) ? im2col_columns : im2col_rows)(g, x, b0, b1, col);
}

// The inverse scatters: each patch entry is added to the cell of x it was read from.
static void col2im_rows(const conv_t *g, const float *col, int64_t b0, int64_t b1, float *dx) {
  int64_t c = g->in_c;
  const float *in = col;
  for (int64_t b = b0; b < b1; b++)
    for (int64_t oh = 0; oh < g->out_h; oh++)
      for (int64_t ow = 0; ow < g->out_w; ow++)
        for (int64_t kh = 0; kh < g->f_h; kh++) {
          float *line = (float *)input_line(g, dx, b, oh, kh);
          for (int64_t kw = 0; kw < g->f_w; kw++, in += c) {
            int64_t iw = ow * g->stride_w - g->pad_left + kw * g->dil_w;
            if (line == NULL || iw < 0 || iw >= g->in_w) continue;
            float *cell = line + iw * c;
            for (int64_t ci = 0; ci < c; ci++) cell[ci] += in[ci];
          }
        }
}

static void col2im_columns(const conv_t *g, const float *col, int64_t b0, int64_t b1, float *dx) {
  int64_t c = g->in_c, m = (b1 - b0) * g->out_h * g->out_w;
  for (int64_t kh = 0; kh < g->f_h; kh++)
    for (int64_t kw = 0; kw < g->f_w; kw++) {
      int64_t off = kw * g->dil_w - g->pad_left, lo, hi;
      valid_columns(g, off, &lo, &hi);
      for (int64_t ci = 0; ci < c; ci++) {
        const float *in = col + ((kh * g->f_w + kw) * c + ci) * m;
        for (int64_t b = b0; b < b1; b++)
          for (int64_t oh = 0; oh < g->out_h; oh++, in += g->out_w) {
            float *line = (float *)input_line(g, dx, b, oh, kh);
            if (line == NULL) continue;
            for (int64_t w = lo; w < hi; w++) line[(w * g->stride_w + off) * c + ci] += in[w];
          }
      }
    }
}

void col2im(const conv_t *g, const float *col, int64_t b0, int64_t b1, float *dx) {
  (by_columns(g) ? col2im_columns : col2im_rows)(g, col, b0, b1, dx);
}
