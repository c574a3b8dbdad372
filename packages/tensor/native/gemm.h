// One row-major float32 matrix product for descent's native kernels, by the faster library found
// at load: OpenBLAS's cblas_sgemm where it runs AVX-512 kernels, else oneDNN's dnnl_sgemm, else
// OpenBLAS's (gemm.c).
#ifndef DESCENT_GEMM_H
#define DESCENT_GEMM_H
#include <signal.h>
#include <stdint.h>

// Opens the libraries (once per process); returns 1 when a product can run.
int gemm_open(void);

// c[m, n] = alpha · op(a) op(b) + beta · c, op transposing when ta / tb is 1; row-major, with
// leading dimensions lda, ldb, ldc. Returns 0, or nonzero when the library refused the call.
int gemm(int ta, int tb, int64_t m, int64_t n, int64_t k, float alpha, const float *a, int64_t lda,
         const float *b, int64_t ldb, float beta, float *c, int64_t ldc);

// The oneDNN library gemm_open opened (its dlopen handle, and its major version in *major), or
// NULL when the products run elsewhere: onednn-conv.c finds its primitives there.
void *gemm_onednn(int *major);

// Sets this thread's OpenMP thread count for oneDNN (once per thread) before it computes.
void gemm_prepare_thread(void);

// Hold back asynchronous signals around a call into oneDNN, and let them through after it (gemm.c
// says why).
void onednn_hold_signals(sigset_t *old);
void onednn_release_signals(const sigset_t *old);

// The library in use, with its version, and the threads each product may use.
const char *gemm_library(void);
int gemm_threads(void);

#endif
