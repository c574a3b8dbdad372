import { env, type TensorInfo } from '@tensorflow/tfjs-core';
import { gradWasmBase64 } from './grad-wasm-binary';
import type { WasmBackend } from './wasm-backend';

/**
 * One register tile of the conv2d filter gradient (wasm/generate.mjs): dW rows × channels +=
 * Σ over rows × cols output positions of x · dy. Pointers are byte offsets into the heap.
 */
export type FilterTile = (
  x: number,
  dy: number,
  out: number,
  rows: number,
  cols: number,
  xRow: number,
  xCol: number,
  dyCol: number,
  outRow: number,
) => void;

/** The SIMD kernels of wasm/grad.wat, bound to tfjs-backend-wasm's heap. */
export interface GradWasm {
  /** Tiles by taps (1–4) and output channels (4 or 8): `tiles[taps - 1][channels / 4 - 1]`. */
  tiles: FilterTile[][];
  maxPoolGrad(
    x: number,
    dy: number,
    dx: number,
    n: number,
    h: number,
    w: number,
    c4: number,
    oh: number,
    ow: number,
    fh: number,
    fw: number,
    sh: number,
    sw: number,
    top: number,
    left: number,
  ): void;
  /** Copies n NHWC samples (pixel bytes a cell) into a zeroed height × width frame, top rows and left columns in. */
  pad(
    src: number,
    dst: number,
    n: number,
    h: number,
    w: number,
    pixel: number,
    height: number,
    width: number,
    top: number,
    left: number,
  ): void;
  /** A tensor's byte offset on the heap. */
  offset(info: TensorInfo): number;
  /** The whole heap as floats (a fresh view after the heap grew). */
  heap(): Float32Array;
}

/** The members of tfjs-backend-wasm's BackendWasm needed to reach its memory, declared structurally. */
interface HeapOwner {
  wasm?: { asm?: { memory?: unknown } };
  dataIdMap?: { get(id: object): { memoryOffset: number } | undefined };
}

let compiled: WebAssembly.Module | null | undefined;
const bound = new WeakMap<WebAssembly.Memory, GradWasm | null>();

/**
 * tfjs environment flag, true by default: `tf.env().set('DESCENT_WASM_SIMD_GRADS', false)` runs
 * the previous paths instead of these SIMD kernels: the JavaScript MaxPoolGrad, the
 * im2col-and-matmul Conv2DBackpropFilter and XNNPACK for a row times a matrix (for comparisons
 * in tests and benchmarks; both sides give the cpu backend's results).
 */
export const SIMD_GRADS_FLAG = 'DESCENT_WASM_SIMD_GRADS';

/** Registers the flag (again is harmless); register-wasm-kernels.ts calls it on import. */
export function registerSimdGradsFlag(): void {
  env().registerFlag(SIMD_GRADS_FLAG, () => true);
}

function decode(base64: string): Uint8Array {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

function compile(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      // 4 KB: compiling synchronously is allowed on a browser's main thread too.
      compiled = new WebAssembly.Module(decode(gradWasmBase64) as BufferSource);
    } catch {
      compiled = null; // no WebAssembly SIMD here: the callers keep their JS paths
    }
  }
  return compiled;
}

/** The kernels on `backend`'s heap, or undefined (SIMD off or unavailable, or an unknown backend build). */
export function gradWasm(backend: WasmBackend): GradWasm | undefined {
  if (!env().getBool(SIMD_GRADS_FLAG)) return undefined;
  const owner = backend as unknown as HeapOwner;
  const memory = owner.wasm?.asm?.memory;
  const ids = owner.dataIdMap;
  if (!(memory instanceof WebAssembly.Memory) || ids == null) return undefined;
  const known = bound.get(memory);
  if (known !== undefined) return known ?? undefined;
  const module = compile();
  if (module === null) return undefined;
  let e: Record<string, unknown>;
  try {
    e = new WebAssembly.Instance(module, { env: { memory } }).exports as Record<string, unknown>;
  } catch {
    // e.g. the multi-threaded backend's shared memory, which this module does not declare
    bound.set(memory, null);
    return undefined;
  }
  let view = new Float32Array(memory.buffer);
  const tile = (taps: number, channels: number) => e[`dw${taps}x${channels}`] as FilterTile;
  const kernels: GradWasm = {
    tiles: [1, 2, 3, 4].map((taps) => [tile(taps, 4), tile(taps, 8)]),
    maxPoolGrad: e.maxPoolGrad as GradWasm['maxPoolGrad'],
    pad: e.pad as GradWasm['pad'],
    offset(info) {
      const entry = ids.get(info.dataId as object);
      if (entry == null) throw new Error('heap offset: expected a tensor of the WASM backend, found none');
      return entry.memoryOffset;
    },
    heap() {
      if (view.buffer !== memory.buffer) view = new Float32Array(memory.buffer);
      return view;
    },
  };
  bound.set(memory, kernels);
  return kernels;
}
