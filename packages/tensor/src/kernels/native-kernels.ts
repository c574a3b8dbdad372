import { env, type TensorInfo } from '@tensorflow/tfjs-core';

/**
 * descent's native kernels (native/descent-native.c): matrix products and 2-D convolutions run by
 * oneDNN's or OpenBLAS's sgemm (native/gemm.c), or oneDNN's convolution primitives
 * (native/onednn-conv.c), straight on the WASM backend's heap. Node only, and
 * only where `pnpm build` could compile the addon and the machine has one of the two libraries
 * (Debian: libdnnl2, libopenblas0-pthread); everywhere else, and in browsers, the WASM kernels run
 * as before. WebAssembly's SIMD is 128 bits wide without fused multiply-add; on this project's
 * machine oneDNN runs the same products several times faster (bench/RESULTS.md).
 */
export interface NativeAddon {
  available: boolean;
  library: string;
  threads: number;
  /** True when convolutions run in oneDNN's convolution primitives, false for patch matrices + sgemm. */
  convolutionPrimitives: boolean;
  gemm(heap: ArrayBuffer, ...args: number[]): void;
  linear(heap: ArrayBuffer, ...args: number[]): void;
  linearBackward(heap: ArrayBuffer, ...args: number[]): void;
  relu(heap: ArrayBuffer, ...args: number[]): void;
  reluBackward(heap: ArrayBuffer, ...args: number[]): void;
  columnSums(heap: ArrayBuffer, ...args: number[]): void;
  maxPool(heap: ArrayBuffer, ...args: number[]): void;
  maxPoolBackward(heap: ArrayBuffer, ...args: number[]): void;
  conv2d(heap: ArrayBuffer, ...args: number[]): void;
  conv2dBackpropInput(heap: ArrayBuffer, ...args: number[]): void;
  conv2dBackpropFilter(heap: ArrayBuffer, ...args: number[]): void;
  /** Convolutions with PyTorch's weight layout, in oneDNN only: false where it does not take them. */
  conv2dOihw(heap: ArrayBuffer, ...args: number[]): boolean;
  conv2dOihwBackwardData(heap: ArrayBuffer, ...args: number[]): boolean;
  conv2dOihwAccepts(heap: ArrayBuffer, ...args: number[]): boolean;
  conv2dOihwBackwardWeights(heap: ArrayBuffer, ...args: number[]): boolean;
  /** The fused optimizer steps, with the arguments of wasm/optimizer-step.wat after the heap. */
  adam(heap: ArrayBuffer, ...args: number[]): void;
  sgd(heap: ArrayBuffer, ...args: number[]): void;
  rmsprop(heap: ArrayBuffer, ...args: number[]): void;
}

/** What `nativeKernelInfo()` reports: whether the native kernels run, and why not if they do not. */
export interface NativeKernelInfo {
  /** True when matrix products and convolutions on the WASM backend run natively. */
  active: boolean;
  /** The library and its version, and what convolves, e.g. 'oneDNN 2.6.3 (dnnl_sgemm); convolutions: oneDNN primitives'. */
  library?: string;
  /** Threads per product: 1 unless OMP_NUM_THREADS (or, for OpenBLAS, OPENBLAS_NUM_THREADS) says otherwise. */
  threads?: number;
  /** Why they do not run: off by flag, not built, no library, or not Node. */
  reason?: string;
}

/**
 * tfjs environment flag, true by default (false when the environment variable
 * DESCENT_NATIVE_KERNELS is 0): `tf.env().set('DESCENT_NATIVE_KERNELS', false)` sends every product
 * and convolution back to the WASM kernels, for comparisons in benchmarks and tests.
 */
export const NATIVE_KERNELS_FLAG = 'DESCENT_NATIVE_KERNELS';

const isNode = typeof process !== 'undefined' && process.versions?.node != null;

export function registerNativeKernelsFlag(): void {
  env().registerFlag(NATIVE_KERNELS_FLAG, () => !(isNode && process.env.DESCENT_NATIVE_KERNELS === '0'));
}

declare const __filename: string | undefined;

/** This file's folder: `dist/` when built, `src/kernels/` in the tests. */
function moduleDir(): string | undefined {
  if (typeof __filename === 'string') return __filename.replace(/[/\\][^/\\]*$/, '');
  // The CommonJS build has __filename; the ESM build has import.meta (empty in CommonJS).
  const url: unknown = import.meta.url;
  if (typeof url !== 'string' || !url.startsWith('file:')) return undefined;
  return decodeURIComponent(new URL(url).pathname).replace(/\/[^/]*$/, '');
}

let loaded: { addon?: NativeAddon; reason?: string } | undefined;

function load(): { addon?: NativeAddon; reason?: string } {
  if (!isNode || typeof process.dlopen !== 'function') return { reason: 'not Node' };
  const dir = moduleDir();
  if (dir == null) return { reason: 'the package folder could not be found' };
  let reason = 'not built (pnpm build compiles native/descent-native.c where a C compiler is found)';
  for (const relative of ['../native/build', '../../native/build']) {
    const module = { exports: {} as NativeAddon };
    try {
      process.dlopen(module, `${dir}/${relative}/descent-native.node`);
    } catch (error) {
      if (!String((error as Error).message).includes('No such file'))
        reason = String((error as Error).message);
      continue;
    }
    if (!module.exports.available)
      return {
        reason: 'neither oneDNN nor OpenBLAS found (Debian: apt-get install libdnnl2 libopenblas0-pthread)',
      };
    return { addon: module.exports };
  }
  return { reason };
}

/** The addon when it is loaded and the flag is on; undefined otherwise (the WASM kernels run). */
export function nativeAddon(): NativeAddon | undefined {
  if (!env().getBool(NATIVE_KERNELS_FLAG)) return undefined;
  loaded ??= load();
  return loaded.addon;
}

/** Whether descent's native kernels run in this process, with their library or the reason not. */
export function nativeKernelInfo(): NativeKernelInfo {
  if (!env().getBool(NATIVE_KERNELS_FLAG))
    return { active: false, reason: `off (${NATIVE_KERNELS_FLAG} is false)` };
  loaded ??= load();
  const { addon, reason } = loaded;
  return addon ? { active: true, library: addon.library, threads: addon.threads } : { active: false, reason };
}

/** The members of tfjs-backend-wasm's BackendWasm needed to reach its memory, declared structurally. */
interface HeapOwner {
  wasm?: { asm?: { memory?: unknown } };
  dataIdMap?: { get(id: object): { memoryOffset: number } | undefined };
}

/** The WASM heap as the addon takes it: the current buffer, and each tensor's byte offset in it. */
export interface NativeHeap {
  addon: NativeAddon;
  /** The heap's current buffer: read it after the last allocation, since growing replaces it. */
  buffer(): ArrayBuffer;
  offset(info: TensorInfo): number;
}

/**
 * The addon and `backend`'s heap, or undefined: no addon, the flag off, or a backend whose memory
 * is not a plain ArrayBuffer (the threaded WASM build shares its memory).
 */
export function nativeHeap(backend: unknown): NativeHeap | undefined {
  const addon = nativeAddon();
  if (addon == null) return undefined;
  const owner = backend as HeapOwner;
  const memory = owner.wasm?.asm?.memory;
  const ids = owner.dataIdMap;
  if (!(memory instanceof WebAssembly.Memory) || !(memory.buffer instanceof ArrayBuffer) || ids == null)
    return undefined;
  return {
    addon,
    buffer: () => memory.buffer as ArrayBuffer,
    offset(info) {
      const entry = ids.get(info.dataId as object);
      if (entry == null) throw new Error('heap offset: expected a tensor of the WASM backend, found none');
      return entry.memoryOffset;
    },
  };
}
