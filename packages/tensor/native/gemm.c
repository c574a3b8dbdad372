// The matrix product behind descent's native kernels, from a library opened with dlopen, so that
// the addon builds without any library's headers and loads without them (then it is unavailable
// and @descent/tensor keeps its WASM kernels).
//
// Both are opened where both are installed (Debian: libdnnl2, which PyTorch's package uses for
// its convolutions, and libopenblas0-pthread). oneDNN's sgemm picks AVX-512 code where the CPU
// has it, and runs the products unless OpenBLAS runs AVX-512 kernels too: then OpenBLAS does, as
// it multiplies a Linear layer's shapes faster (an MLP step's products in 0.22 ms instead of
// 0.32 on this project's AMD machine, bench/RESULTS.md). OpenBLAS picks its kernels for the CPU at
// load, unless OPENBLAS_CORETYPE pins others (this project's machine pins its AVX2 ones, Haswell).
// Convolutions stay with oneDNN's primitives either way (onednn-conv.c). A reference BLAS behind
// libblas.so.3 would be slower than the WASM kernels, so only OpenBLAS is taken.
// DESCENT_NATIVE_BLAS=openblas or =onednn opens only that one.
#define _POSIX_C_SOURCE 200809L  // snprintf, pthread_once
#include "gemm.h"
#include <dlfcn.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int (*dnnl_sgemm_fn)(char, char, int64_t, int64_t, int64_t, float, const float *, int64_t,
                             const float *, int64_t, float, float *, int64_t);
typedef struct {
  int major, minor, patch;
  const char *hash;
  unsigned cpu_runtime, gpu_runtime;
} dnnl_version_t;
typedef void (*cblas_sgemm_fn)(int, int, int, int, int, int, float, const float *, int, const float *,
                               int, float, float *, int);
enum { ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112 };

static dnnl_sgemm_fn dnnl_sgemm;
static void *onednn;
static void (*omp_set_num_threads_fn)(int);
static cblas_sgemm_fn cblas_sgemm;
static int openblas_wide;  // 1 when OpenBLAS runs its AVX-512 kernels
static int products_by_openblas;
static int threads = 1;
static int onednn_major;
static char library[200];
static pthread_once_t opened = PTHREAD_ONCE_INIT;

// oneDNN runs on OpenMP, whose thread count is a per-thread setting: each thread that multiplies
// (fitParallel's workers included) sets it once before its first product.
static _Thread_local int thread_ready;

static int wanted(const char *name) {
  const char *choice = getenv("DESCENT_NATIVE_BLAS");
  return choice == NULL || *choice == '\0' || strcmp(choice, name) == 0;
}

static void open_onednn(void) {
  const char *names[] = {"libdnnl.so.3", "libdnnl.so.2", "libdnnl.so", "libdnnl.dylib"};
  for (size_t i = 0; i < sizeof names / sizeof *names && dnnl_sgemm == NULL; i++) {
    void *lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) continue;
    dnnl_sgemm = (dnnl_sgemm_fn)dlsym(lib, "dnnl_sgemm");
    const dnnl_version_t *(*version)(void) = (const dnnl_version_t *(*)(void))dlsym(lib, "dnnl_version");
    if (dnnl_sgemm == NULL || version == NULL) {
      dnnl_sgemm = NULL;
      dlclose(lib);
      continue;
    }
    // One thread unless the user chose: descent's own parallelism is fitParallel's workers, and a
    // pool on top of them would oversubscribe the cores (as Debian's PyTorch does with OpenBLAS).
    omp_set_num_threads_fn = (void (*)(int))dlsym(lib, "omp_set_num_threads");
    const char *omp = getenv("OMP_NUM_THREADS");
    threads = omp ? atoi(omp) : 1;
    if (omp) omp_set_num_threads_fn = NULL;
    const dnnl_version_t *v = version();
    onednn = lib;
    onednn_major = v->major;
    snprintf(library, sizeof library, "oneDNN %d.%d.%d (dnnl_sgemm)", v->major, v->minor, v->patch);
  }
}

static void open_openblas(void) {
  const char *names[] = {"libopenblas.so.0", "libopenblas.so", "libopenblasp.so.0", "libopenblas.dylib"};
  for (size_t i = 0; i < sizeof names / sizeof *names && cblas_sgemm == NULL; i++) {
    void *lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) continue;
    const char *(*config)(void) = (const char *(*)(void))dlsym(lib, "openblas_get_config");
    cblas_sgemm = config ? (cblas_sgemm_fn)dlsym(lib, "cblas_sgemm") : NULL;
    if (cblas_sgemm == NULL) {
      dlclose(lib);
      continue;
    }
    void (*set_threads)(int) = (void (*)(int))dlsym(lib, "openblas_set_num_threads");
    int (*get_threads)(void) = (int (*)(void))dlsym(lib, "openblas_get_num_threads");
    if (set_threads && !getenv("OPENBLAS_NUM_THREADS") && !getenv("OMP_NUM_THREADS")) set_threads(1);
    const char *(*core)(void) = (const char *(*)(void))dlsym(lib, "openblas_get_corename");
    // OpenBLAS 0.3's names for its AVX-512 kernels.
    const char *wide[] = {"SkylakeX", "Cooperlake", "SapphireRapids"};
    for (size_t k = 0; core && k < sizeof wide / sizeof *wide; k++)
      openblas_wide = openblas_wide || strcmp(core(), wide[k]) == 0;
    products_by_openblas = dnnl_sgemm == NULL || openblas_wide;
    if (!products_by_openblas) continue;  // kept open: the library string names oneDNN's products
    threads = get_threads ? get_threads() : 1;
    snprintf(library, sizeof library, "%s (cblas_sgemm)", config());
  }
}

static void open_libraries(void) {
  if (wanted("onednn")) open_onednn();
  if (wanted("openblas")) open_openblas();
}

// Once per process, though the main thread and fitParallel's workers may each load the addon.
int gemm_open(void) {
  pthread_once(&opened, open_libraries);
  return dnnl_sgemm != NULL || cblas_sgemm != NULL;
}

const char *gemm_library(void) { return library; }
int gemm_threads(void) { return threads; }

void *gemm_onednn(int *major) {
  *major = onednn_major;
  return dnnl_sgemm ? onednn : NULL;
}

// oneDNN's AVX2 and AVX-512 sgemm kernels point the stack pointer into a heap buffer while they
// run, so a signal arriving mid-call has the kernel write its signal frame into the heap: glibc
// later aborts with "corrupted size vs. prev_size" (oneDNN issue #4845, fixed upstream in 2026 by
// pull request #4855, after Debian's 2.6.3). Here it took `node --cpu-prof`, whose sampler signals
// the thread thousands of times a second, and a plain C loop of dnnl_sgemm under a SIGPROF timer;
// with ONEDNN_MAX_CPU_ISA=AVX, or OpenBLAS, or signals held back, both ran clean. So each call into
// oneDNN blocks asynchronous signals and restores the mask after it, which delivers any that came
// (about 2 µs a call on this machine's VM).
void onednn_hold_signals(sigset_t *old) {
  sigset_t all;
  sigfillset(&all);
  // A fault inside the call is not held: the kernel delivers it regardless, as it should.
  sigdelset(&all, SIGSEGV);
  sigdelset(&all, SIGBUS);
  sigdelset(&all, SIGFPE);
  sigdelset(&all, SIGILL);
  pthread_sigmask(SIG_BLOCK, &all, old);
}

void onednn_release_signals(const sigset_t *old) { pthread_sigmask(SIG_SETMASK, old, NULL); }

void gemm_prepare_thread(void) {
  if (!thread_ready && omp_set_num_threads_fn) omp_set_num_threads_fn(threads);
  thread_ready = 1;
}

int gemm(int ta, int tb, int64_t m, int64_t n, int64_t k, float alpha, const float *a, int64_t lda,
         const float *b, int64_t ldb, float beta, float *c, int64_t ldc) {
  if (dnnl_sgemm && !products_by_openblas) {
    gemm_prepare_thread();
    sigset_t old;
    onednn_hold_signals(&old);
    int status = dnnl_sgemm(ta ? 'T' : 'N', tb ? 'T' : 'N', m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    onednn_release_signals(&old);
    return status;
  }
  if (cblas_sgemm == NULL) return -1;
  cblas_sgemm(ROW_MAJOR, ta ? TRANS : NO_TRANS, tb ? TRANS : NO_TRANS, (int)m, (int)n, (int)k, alpha,
              a, (int)lda, b, (int)ldb, beta, c, (int)ldc);
  return 0;
}
