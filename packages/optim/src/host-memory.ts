import { type Tensor, type TensorInfo, tf } from '@descent/tensor';
import { type FusedWasm, fusedWasm } from './fused-wasm';

/**
 * Direct access to float32 tensor memory on the backends that keep it in this process: tfjs's
 * WASM backend (the WASM heap) and its cpu backend (plain typed arrays). The fused optimizer
 * update reads the parameter, its gradient and its state through these views and writes new
 * tensors in one pass, instead of a dozen tfjs ops per parameter.
 *
 * A result goes over its input only where no other tensor shares that memory (`shared`);
 * otherwise to freshly allocated memory that `wrap` turns into a tensor.
 */
export interface HostMemory {
  /** A view of `t`'s memory (no copy), or undefined when it is not float32 data on this backend. */
  view(t: Tensor): Float32Array | undefined;
  /** Whether another tensor shares `t`'s memory (a clone, a snapshot): then it must not be written. */
  shared(t: Tensor): boolean;
  /**
   * True on WASM: its matmul and convolution keep XNNPACK's packed copy of a weight, keyed by the
   * weight's tensor, so a parameter written in place would go on being read stale. Parameters
   * then get fresh memory; the optimizer's own buffers are still updated in place.
   */
  cachesWeights: boolean;
  /** Allocates (uninitialised) float32 memory of `shape` for an output. */
  alloc(shape: readonly number[]): TensorInfo;
  /** A tensor owning the memory of `info` (from `alloc`). */
  wrap(info: TensorInfo): Tensor;
  /**
   * On the WASM backend: the SIMD update kernels, working on its heap, and each tensor's byte
   * offset there. Absent on the cpu backend or without WebAssembly SIMD.
   */
  simd?: { kernels: FusedWasm; offset(t: Tensor): number };
}

/** The members of tfjs-backend-wasm's BackendWasm used here, declared structurally. */
interface WasmBackendLike {
  dataIdMap: {
    has(id: object): boolean;
    get(id: object): { dtype: string; memoryOffset: number } | undefined;
  };
  /** The Emscripten module; `asm.memory` is its WebAssembly.Memory. */
  wasm?: { asm?: { memory?: unknown } };
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  refCount(dataId: object): number;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/** The members of tfjs-backend-cpu's MathBackendCPU used here. */
interface CpuBackendLike {
  data: { has(id: object): boolean; get(id: object): { values: unknown; dtype: string } | undefined };
  write(values: Float32Array, shape: number[], dtype: 'float32'): object;
  refCount(dataId: object): number;
}

function wasmMemory(backend: WasmBackendLike): HostMemory {
  const heap = backend.wasm?.asm?.memory;
  const kernels =
    typeof WebAssembly !== 'undefined' && heap instanceof WebAssembly.Memory ? fusedWasm(heap) : undefined;
  return {
    simd: kernels && {
      kernels,
      offset: (t) => (backend.dataIdMap.get(t.dataId) as { memoryOffset: number }).memoryOffset,
    },
    view(t) {
      if (t.dtype !== 'float32' || backend.dataIdMap.get(t.dataId)?.dtype !== 'float32') return undefined;
      return backend.typedArrayFromHeap(t) as Float32Array;
    },
    shared: (t) => backend.refCount(t.dataId) !== 1,
    cachesWeights: true,
    alloc: (shape) => backend.makeOutput([...shape], 'float32'),
    wrap: (info) => tf.engine().makeTensorFromTensorInfo(info, backend as never),
  };
}

function cpuMemory(backend: CpuBackendLike): HostMemory {
  return {
    view(t) {
      const values = backend.data.get(t.dataId)?.values;
      return t.dtype === 'float32' && values instanceof Float32Array ? values : undefined;
    },
    shared: (t) => backend.refCount(t.dataId) !== 1,
    cachesWeights: false,
    alloc(shape) {
      const size = shape.reduce((a, b) => a * b, 1);
      return {
        dataId: backend.write(new Float32Array(size), [...shape], 'float32'),
        shape: [...shape],
        dtype: 'float32',
      };
    },
    wrap: (info) => tf.engine().makeTensorFromTensorInfo(info, backend as never),
  };
}

const isWasm = (b: unknown): b is WasmBackendLike =>
  typeof (b as WasmBackendLike).typedArrayFromHeap === 'function' &&
  typeof (b as WasmBackendLike).makeOutput === 'function' &&
  typeof (b as WasmBackendLike).refCount === 'function' &&
  (b as WasmBackendLike).dataIdMap != null;

const isCpu = (b: unknown): b is CpuBackendLike =>
  typeof (b as CpuBackendLike).write === 'function' &&
  typeof (b as CpuBackendLike).refCount === 'function' &&
  (b as CpuBackendLike).data != null &&
  typeof (b as CpuBackendLike).data.get === 'function';

/**
 * Host memory of the active backend when it is 'wasm' or 'cpu' and looks as tfjs 4.22 builds
 * it; undefined otherwise (GPU backends, or a tfjs whose internals changed), and the caller then
 * falls back to tfjs ops.
 */
export function hostMemory(): HostMemory | undefined {
  const name = tf.getBackend();
  const backend = tf.backend() as unknown;
  if (name === 'wasm' && isWasm(backend)) return wasmMemory(backend);
  if (name === 'cpu' && isCpu(backend)) return cpuMemory(backend);
  return undefined;
}
