// 2-D convolutions by oneDNN's own convolution primitives, the code PyTorch's CPU convolutions run
// (onednn-conv.c). Geometry and layouts as patches.h: NHWC images, filters [kh, kw, in, out].
#ifndef DESCENT_ONEDNN_CONV_H
#define DESCENT_ONEDNN_CONV_H
#include "patches.h"

enum { CONV_FORWARD, CONV_BACKWARD_DATA, CONV_BACKWARD_WEIGHTS };

// Finds oneDNN's primitive API in the library gemm.c opened (once per process); 1 when it can run.
// 0 without oneDNN, without its headers at build time, with another major version than those
// headers, or with DESCENT_NATIVE_CONV=gemm (which keeps the patch-matrix route).
int onednn_conv_open(void);

// One convolution, in place on the caller's memory, w in the layout [kh, kw, in, out], or with
// `oihw` PyTorch's [out, in, kh, kw]:
// - CONV_FORWARD: y = act(conv(x, w) + bias), bias NULL for none (only read), relu 0 or 1;
// - CONV_BACKWARD_DATA: x = the gradient of the input for gradient y;
// - CONV_BACKWARD_WEIGHTS: w = the gradient of the filter for input x and gradient y, and bias
//   (unless NULL) that of the bias, in the same pass over y.
// Returns 0 when it ran, 1 when oneDNN does not take this geometry (the caller convolves by
// patches instead) and -1 when oneDNN failed while running it.
int onednn_conv(int kind, const conv_t *g, float *x, float *w, float *bias, float *y, int relu, int oihw);

// 1 when oneDNN runs that convolution (a bias: has_bias; no activation), having built its primitive
// for the call to come; 0 when it does not.
int onednn_conv_accepts(int kind, const conv_t *g, int has_bias, int oihw);

// Frees this thread's primitives, memory and stream (when its Node environment shuts down).
void onednn_conv_release_thread(void);

#endif
