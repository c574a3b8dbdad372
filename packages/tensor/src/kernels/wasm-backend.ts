import {
  type BackendValues,
  type DataId,
  type DataType,
  getKernel,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';

/**
 * The members of tfjs-backend-wasm's `BackendWasm` that the kernels here use. Declared
 * structurally because tfjs-core's kernel signature only promises a `KernelBackend`.
 */
export interface WasmBackend {
  /** Allocates `shape` on the WASM heap (copying `values` in when given). */
  makeOutput(shape: number[], dtype: DataType, memoryOffset?: number, values?: BackendValues): TensorInfo;
  /** A view of the tensor's bytes on the heap; no copy. */
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: DataId, force?: boolean): boolean;
}

export function asWasm(backend: unknown): WasmBackend {
  const b = backend as Partial<WasmBackend> | null;
  if (b == null || typeof b.makeOutput !== 'function' || typeof b.typedArrayFromHeap !== 'function') {
    throw new Error(
      'backend: expected the tfjs WASM backend, found a backend without makeOutput/typedArrayFromHeap',
    );
  }
  return b as WasmBackend;
}

/**
 * A float32 view of a tensor on the WASM heap. The heap may grow (and detach every view) on any
 * allocation, so take views after the last `makeOutput` or kernel call, never before.
 */
export function heapF32(backend: WasmBackend, info: TensorInfo): Float32Array {
  const view = backend.typedArrayFromHeap(info);
  if (!(view instanceof Float32Array))
    throw new Error(`heap view: expected a float32 tensor, found ${info.dtype}`);
  return view;
}

/** Requires float32, the only dtype the convolution kernels here accept (as in the other backends). */
export function requireFloat32(kernel: string, name: string, info: TensorInfo): void {
  if (info.dtype !== 'float32') {
    throw new Error(`${kernel}: ${name}: expected dtype float32, found ${info.dtype}`);
  }
}

/** Runs one of tfjs-backend-wasm's own kernels directly, outside the engine (no tape, no tensors). */
export function runWasmKernel(
  name: string,
  inputs: NamedTensorInfoMap,
  backend: unknown,
  attrs: NamedAttrMap = {},
): TensorInfo {
  const kernel = getKernel(name, 'wasm');
  if (kernel == null) throw new Error(`kernel ${name}: expected it registered for 'wasm', found none`);
  const out = kernel.kernelFunc({ inputs, backend: backend as never, attrs });
  if (Array.isArray(out)) throw new Error(`kernel ${name}: expected one output, found ${out.length}`);
  return out;
}

/** A kernel's named input, which the engine always passes; checked because the map type allows none. */
export function inputOf(kernel: string, inputs: NamedTensorInfoMap, name: string): TensorInfo {
  const info = inputs[name];
  if (info == null) throw new Error(`${kernel}: ${name}: expected a tensor input, found none`);
  return info;
}
