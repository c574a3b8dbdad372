// Convolutions by oneDNN's convolution primitives. A patch matrix plus one sgemm (patches.c) spends
// about as long building the patches as multiplying on a small CNN; oneDNN's primitives convolve
// straight from the image, 1.5-3x faster here (bench/RESULTS.md), as PyTorch's CPU convolutions do.
//
// oneDNN wants the filter in a blocked layout of its own choosing. Each call reorders the caller's
// [kh, kw, in, out] filter into it (or the filter's gradient out of it): a filter is small, and the
// images stay where they are, NHWC. A primitive takes milliseconds to create, so each thread keeps
// the last CACHE_SIZE it used, one per geometry.
//
// Built only where oneDNN's headers are (Debian: libdnnl-dev). Their functions are looked up in
// the library gemm.c opened, so the addon still loads, and convolves by patches, without oneDNN.
#define _POSIX_C_SOURCE 200809L  // getenv, dlsym
#include "onednn-conv.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "gemm.h"

#if __has_include(<oneapi/dnnl/dnnl.h>)
#include <oneapi/dnnl/dnnl.h>

// The primitive API, as pointers found with dlsym: X(name) for each function used.
#define ONEDNN_FUNCTIONS(X)                                                                          \
  X(dnnl_engine_create) X(dnnl_engine_destroy) X(dnnl_stream_create) X(dnnl_stream_destroy)          \
  X(dnnl_stream_wait) X(dnnl_memory_desc_init_by_tag) X(dnnl_dilated_convolution_forward_desc_init)  \
  X(dnnl_dilated_convolution_backward_data_desc_init)                                               \
  X(dnnl_dilated_convolution_backward_weights_desc_init) X(dnnl_primitive_attr_create)               \
  X(dnnl_primitive_attr_destroy) X(dnnl_primitive_attr_set_scratchpad_mode)                         \
  X(dnnl_primitive_attr_set_post_ops) X(dnnl_post_ops_create) X(dnnl_post_ops_destroy)              \
  X(dnnl_post_ops_append_eltwise) X(dnnl_primitive_desc_create) X(dnnl_primitive_desc_destroy)      \
  X(dnnl_primitive_desc_query_md) X(dnnl_reorder_primitive_desc_create) X(dnnl_primitive_create)     \
  X(dnnl_primitive_destroy) X(dnnl_primitive_execute) X(dnnl_memory_create) X(dnnl_memory_destroy)   \
  X(dnnl_memory_set_data_handle) X(dnnl_memory_desc_get_size) X(dnnl_memory_desc_equal)

#define DECLARE(name) static __typeof__(&name) p_##name;
ONEDNN_FUNCTIONS(DECLARE)
#undef DECLARE

static int found;
static pthread_once_t looked_up = PTHREAD_ONCE_INIT;

static void look_up(void) {
  int major;
  void *lib = gemm_onednn(&major);
  const char *choice = getenv("DESCENT_NATIVE_CONV");
  if (lib == NULL || major != DNNL_VERSION_MAJOR || (choice && strcmp(choice, "gemm") == 0)) return;
  found = 1;
#define LOOK_UP(name) \
  p_##name = (__typeof__(&name))dlsym(lib, #name); \
  found = found && p_##name != NULL;
  ONEDNN_FUNCTIONS(LOOK_UP)
#undef LOOK_UP
}

int onednn_conv_open(void) {
  pthread_once(&looked_up, look_up);
  return found;
}

// ---- one primitive per geometry --------------------------------------------------------------

#define CACHE_SIZE 16

typedef struct {
  int kind, has_bias, relu, oihw;
  conv_t g;
} conv_key_t;

typedef struct {
  conv_key_t key;
  int usable;          // 0: oneDNN refused the geometry; the caller convolves by patches
  unsigned long used;  // when it last ran, for eviction
  dnnl_primitive_t conv, reorder;  // reorder: NULL when oneDNN takes the filter's own layout
  dnnl_memory_t x, filter, blocked, bias, y, scratch;
} entry_t;

static _Thread_local entry_t cache[CACHE_SIZE];
static _Thread_local unsigned long clock_;
static _Thread_local dnnl_engine_t engine;
static _Thread_local dnnl_stream_t stream;

static void release(entry_t *e) {
  if (e->conv) p_dnnl_primitive_destroy(e->conv);
  if (e->reorder) p_dnnl_primitive_destroy(e->reorder);
  dnnl_memory_t memories[] = {e->x, e->filter, e->blocked, e->bias, e->y, e->scratch};
  for (size_t i = 0; i < sizeof memories / sizeof *memories; i++)
    if (memories[i]) p_dnnl_memory_destroy(memories[i]);
  memset(e, 0, sizeof *e);
}

// A memory object on md: `own` allocates it (oneDNN's blocked filter, the scratchpad); otherwise
// its data is the caller's, set before each run.
static int memory(dnnl_memory_t *m, const dnnl_memory_desc_t *md, int own) {
  return p_dnnl_memory_create(m, md, engine, own ? DNNL_MEMORY_ALLOCATE : DNNL_MEMORY_NONE) == dnnl_success;
}

// The primitive descriptor for e's key, or NULL where oneDNN refuses it. The backward ones are
// built against the forward one, as oneDNN asks, so that they pick matching implementations.
static dnnl_primitive_desc_t describe(const conv_key_t *k, dnnl_primitive_attr_t attr) {
  const conv_t *g = &k->g;
  dnnl_memory_desc_t x_md, y_md, w_md, b_md;
  dnnl_dims_t x_dims = {g->batch, g->in_c, g->in_h, g->in_w}, y_dims = {g->batch, g->out_c, g->out_h, g->out_w};
  dnnl_dims_t w_dims = {g->out_c, g->in_c, g->f_h, g->f_w}, b_dims = {g->out_c};
  // oneDNN counts dilation from 0 and wants the right and bottom padding too; with tfjs's 'valid'
  // a stride can leave the last rows unread, which oneDNN's floor division allows with 0.
  dnnl_dims_t strides = {g->stride_h, g->stride_w}, dilation = {g->dil_h - 1, g->dil_w - 1};
  dnnl_dims_t pad_l = {g->pad_top, g->pad_left}, pad_r;
  pad_r[0] = (g->out_h - 1) * g->stride_h + (g->f_h - 1) * g->dil_h + 1 - g->in_h - g->pad_top;
  pad_r[1] = (g->out_w - 1) * g->stride_w + (g->f_w - 1) * g->dil_w + 1 - g->in_w - g->pad_left;
  if (pad_r[0] < 0) pad_r[0] = 0;
  if (pad_r[1] < 0) pad_r[1] = 0;
  if (p_dnnl_memory_desc_init_by_tag(&x_md, 4, x_dims, dnnl_f32, dnnl_nhwc) ||
      p_dnnl_memory_desc_init_by_tag(&y_md, 4, y_dims, dnnl_f32, dnnl_nhwc) ||
      p_dnnl_memory_desc_init_by_tag(&w_md, 4, w_dims, dnnl_f32, dnnl_format_tag_any) ||
      p_dnnl_memory_desc_init_by_tag(&b_md, 1, b_dims, dnnl_f32, dnnl_x))
    return NULL;
  dnnl_convolution_desc_t fwd, bwd;
  dnnl_primitive_desc_t forward = NULL, pd = NULL;
  const dnnl_memory_desc_t *bias = k->kind == CONV_FORWARD && k->has_bias ? &b_md : NULL;
  const dnnl_memory_desc_t *diff_bias = k->kind == CONV_BACKWARD_WEIGHTS && k->has_bias ? &b_md : NULL;
  if (p_dnnl_dilated_convolution_forward_desc_init(&fwd, dnnl_forward_training, dnnl_convolution_direct, &x_md,
                                                   &w_md, bias, &y_md, strides, dilation, pad_l, pad_r) ||
      p_dnnl_primitive_desc_create(&forward, &fwd, k->kind == CONV_FORWARD ? attr : NULL, engine, NULL))
    return NULL;
  if (k->kind == CONV_FORWARD) return forward;
  dnnl_status_t s = k->kind == CONV_BACKWARD_DATA
                        ? p_dnnl_dilated_convolution_backward_data_desc_init(
                              &bwd, dnnl_convolution_direct, &x_md, &w_md, &y_md, strides, dilation, pad_l, pad_r)
                        : p_dnnl_dilated_convolution_backward_weights_desc_init(
                              &bwd, dnnl_convolution_direct, &x_md, &w_md, diff_bias, &y_md, strides, dilation, pad_l, pad_r);
  if (s == dnnl_success && p_dnnl_primitive_desc_create(&pd, &bwd, attr, engine, forward) != dnnl_success) pd = NULL;
  p_dnnl_primitive_desc_destroy(forward);
  return pd;
}

// Creates e's primitive, its filter reorder and its memory objects; 0 where oneDNN refuses.
static int build(entry_t *e) {
  const conv_key_t *k = &e->key;
  dnnl_primitive_attr_t attr;
  dnnl_post_ops_t post_ops = NULL;
  if (p_dnnl_primitive_attr_create(&attr)) return 0;
  // The scratchpad belongs to the entry, and so to this thread: fitParallel's workers convolve at once.
  int ok = p_dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user) == dnnl_success;
  if (ok && k->relu)
    ok = p_dnnl_post_ops_create(&post_ops) == dnnl_success &&
         p_dnnl_post_ops_append_eltwise(post_ops, 1.0f, dnnl_eltwise_relu, 0.0f, 0.0f) == dnnl_success &&
         p_dnnl_primitive_attr_set_post_ops(attr, post_ops) == dnnl_success;
  dnnl_primitive_desc_t pd = ok ? describe(k, attr) : NULL;
  if (post_ops) p_dnnl_post_ops_destroy(post_ops);
  p_dnnl_primitive_attr_destroy(attr);
  if (pd == NULL) return 0;

  const conv_t *g = &k->g;
  int weights_out = k->kind == CONV_BACKWARD_WEIGHTS;
  dnnl_query_t x_q = k->kind == CONV_BACKWARD_DATA ? dnnl_query_diff_src_md : dnnl_query_src_md;
  dnnl_query_t w_q = weights_out ? dnnl_query_diff_weights_md : dnnl_query_weights_md;
  dnnl_query_t y_q = k->kind == CONV_FORWARD ? dnnl_query_dst_md : dnnl_query_diff_dst_md;
  const dnnl_memory_desc_t *w_md = p_dnnl_primitive_desc_query_md(pd, w_q, 0);
  const dnnl_memory_desc_t *scratch_md = p_dnnl_primitive_desc_query_md(pd, dnnl_query_scratchpad_md, 0);
  dnnl_memory_desc_t user_w, b_md;
  dnnl_dims_t w_dims = {g->out_c, g->in_c, g->f_h, g->f_w}, b_dims = {g->out_c};
  ok = p_dnnl_memory_desc_init_by_tag(&user_w, 4, w_dims, dnnl_f32, k->oihw ? dnnl_oihw : dnnl_hwio) == dnnl_success &&
       p_dnnl_memory_desc_init_by_tag(&b_md, 1, b_dims, dnnl_f32, dnnl_x) == dnnl_success &&
       memory(&e->x, p_dnnl_primitive_desc_query_md(pd, x_q, 0), 0) &&
       memory(&e->y, p_dnnl_primitive_desc_query_md(pd, y_q, 0), 0) && memory(&e->filter, &user_w, 0) &&
       memory(&e->bias, &b_md, 0) && p_dnnl_primitive_create(&e->conv, pd) == dnnl_success;
  if (ok && scratch_md && p_dnnl_memory_desc_get_size(scratch_md) > 0) ok = memory(&e->scratch, scratch_md, 1);
  if (ok && !p_dnnl_memory_desc_equal(w_md, &user_w)) {
    dnnl_primitive_desc_t reorder_pd;
    ok = memory(&e->blocked, w_md, 1) &&
         p_dnnl_reorder_primitive_desc_create(&reorder_pd, weights_out ? w_md : &user_w, engine,
                                              weights_out ? &user_w : w_md, engine, NULL) == dnnl_success;
    if (ok) {
      ok = p_dnnl_primitive_create(&e->reorder, reorder_pd) == dnnl_success;
      p_dnnl_primitive_desc_destroy(reorder_pd);
    }
  }
  p_dnnl_primitive_desc_destroy(pd);
  return ok;
}

// This thread's entry for key, built on first use (the least recently used one makes room).
static entry_t *entry_for(const conv_key_t *key) {
  entry_t *oldest = &cache[0];
  for (int i = 0; i < CACHE_SIZE; i++) {
    entry_t *e = &cache[i];
    if (e->used && memcmp(&e->key, key, sizeof *key) == 0) {
      e->used = ++clock_;
      return e;
    }
    if (e->used < oldest->used) oldest = e;
  }
  if (oldest->used) release(oldest);
  oldest->key = *key;
  oldest->used = ++clock_;
  oldest->usable = build(oldest);
  if (!oldest->usable) {
    conv_key_t kept = oldest->key;
    unsigned long used = oldest->used;
    release(oldest);  // keeps the refusal cached, without half-built objects
    oldest->key = kept;
    oldest->used = used;
  }
  return oldest;
}

void onednn_conv_release_thread(void) {
  if (!found) return;
  for (int i = 0; i < CACHE_SIZE; i++) release(&cache[i]);
  if (stream) p_dnnl_stream_destroy(stream);
  if (engine) p_dnnl_engine_destroy(engine);
  stream = NULL;
  engine = NULL;
}

static int run(dnnl_primitive_t p, int count, const dnnl_exec_arg_t *args) {
  return p_dnnl_primitive_execute(p, stream, count, args) == dnnl_success;
}

// This thread's entry for the call, or NULL where oneDNN cannot run it.
static entry_t *usable_entry(int kind, const conv_t *g, int has_bias, int relu, int oihw) {
  if (!onednn_conv_open()) return NULL;
  if (engine == NULL) {
    if (p_dnnl_engine_create(&engine, dnnl_cpu, 0)) {
      engine = NULL;
      return NULL;
    }
    if (p_dnnl_stream_create(&stream, engine, dnnl_stream_default_flags)) {
      p_dnnl_engine_destroy(engine);
      engine = NULL;
      stream = NULL;
      return NULL;
    }
  }
  gemm_prepare_thread();
  conv_key_t key;
  memset(&key, 0, sizeof key);  // the key is compared bytewise, padding included
  key.kind = kind;
  key.has_bias = has_bias;
  key.relu = relu;
  key.oihw = oihw;
  key.g = *g;
  entry_t *e = entry_for(&key);
  return e->usable ? e : NULL;
}

int onednn_conv_accepts(int kind, const conv_t *g, int has_bias, int oihw) {
  return usable_entry(kind, g, has_bias, 0, oihw) != NULL;
}

int onednn_conv(int kind, const conv_t *g, float *x, float *w, float *bias, float *y, int relu, int oihw) {
  entry_t *e = usable_entry(kind, g, bias != NULL, relu, oihw);
  if (e == NULL) return 1;
  dnnl_memory_t filter = e->blocked ? e->blocked : e->filter;
  if (p_dnnl_memory_set_data_handle(e->x, x) || p_dnnl_memory_set_data_handle(e->y, y) ||
      p_dnnl_memory_set_data_handle(e->filter, w) || p_dnnl_memory_set_data_handle(e->bias, (void *)bias))
    return -1;
  dnnl_exec_arg_t to_blocked[] = {{DNNL_ARG_FROM, e->filter}, {DNNL_ARG_TO, e->blocked}};
  dnnl_exec_arg_t from_blocked[] = {{DNNL_ARG_FROM, e->blocked}, {DNNL_ARG_TO, e->filter}};
  dnnl_exec_arg_t args[6];
  int n = 0;
  if (kind == CONV_FORWARD) {
    args[n++] = (dnnl_exec_arg_t){DNNL_ARG_SRC, e->x};
    args[n++] = (dnnl_exec_arg_t){DNNL_ARG_WEIGHTS, filter};
    args[n++] = (dnnl_exec_arg_t){DNNL_ARG_DST, e->y};
    if (bias) args[n++] = (dnnl_exec_arg_t){DNNL_ARG_BIAS, e->bias};
  } else if (kind == CONV_BACKWARD_DATA) {
    args[n++] = (dnnl_exec_arg_t){DNNL_ARG_DIFF_SRC, e->x};
    args[n++] = (dnnl_exec_arg_t){DNNL_ARG_WEIGHTS, filter};
    args[n++] = (dnnl_exec_arg_t){DNNL_ARG_DIFF_DST, e->y};
  } else {
    args[n++] = (dnnl_exec_arg_t){DNNL_ARG_SRC, e->x};
    args[n++] = (dnnl_exec_arg_t){DNNL_ARG_DIFF_WEIGHTS, filter};
    args[n++] = (dnnl_exec_arg_t){DNNL_ARG_DIFF_DST, e->y};
    if (bias) args[n++] = (dnnl_exec_arg_t){DNNL_ARG_DIFF_BIAS, e->bias};
  }
  if (e->scratch) args[n++] = (dnnl_exec_arg_t){DNNL_ARG_SCRATCHPAD, e->scratch};
  sigset_t old;
  onednn_hold_signals(&old);  // see gemm.c
  int ok = (e->reorder == NULL || kind == CONV_BACKWARD_WEIGHTS || run(e->reorder, 2, to_blocked)) &&
           run(e->conv, n, args) &&
           (e->reorder == NULL || kind != CONV_BACKWARD_WEIGHTS || run(e->reorder, 2, from_blocked)) &&
           p_dnnl_stream_wait(stream) == dnnl_success;
  onednn_release_signals(&old);
  return ok ? 0 : -1;
}

#else  // no oneDNN headers at build time: every convolution goes by patches

int onednn_conv_open(void) { return 0; }

int onednn_conv(int kind, const conv_t *g, float *x, float *w, float *bias, float *y, int relu, int oihw) {
  (void)kind, (void)g, (void)x, (void)w, (void)bias, (void)y, (void)relu, (void)oihw;
  return 1;
}

int onednn_conv_accepts(int kind, const conv_t *g, int has_bias, int oihw) {
  (void)kind, (void)g, (void)has_bias, (void)oihw;
  return 0;
}

void onednn_conv_release_thread(void) {}

#endif
