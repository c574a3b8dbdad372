import { type Tensor, tf } from '@descent/tensor';

/** The members of tfjs-backend-wasm 4.22's backend used here, declared structurally. */
interface WasmBackendLike {
  dataIdMap: { get(id: object): { dtype: string } | undefined };
  typedArrayFromHeap(info: { dataId: object; shape: number[]; dtype: string }): ArrayLike<number>;
}

/** The members of tfjs-backend-cpu 4.22's backend used here. */
interface CpuBackendLike {
  data: { get(id: object): { values?: unknown } | undefined };
}

type Values = Float32Array | Int32Array;

const isValues = (v: unknown): v is Values => v instanceof Float32Array || v instanceof Int32Array;

/**
 * A tensor's values without a copy where the backend keeps them in this thread (the WASM heap,
 * the cpu backend's arrays), else a copy (`dataSync`). Each step reads about 400 KB of weights
 * and gradients per thread for the MLP; copies of that size made the garbage collector's threads
 * busy. A view is only good until the next tfjs allocation (the WASM heap may grow), and is
 * read-only: use it at once, and never write to it.
 */
export function readValues(t: Tensor): Values {
  const backend = tf.backend() as unknown;
  const name = tf.getBackend();
  if (name === 'wasm' && typeof (backend as WasmBackendLike).typedArrayFromHeap === 'function') {
    const wasm = backend as WasmBackendLike;
    if (wasm.dataIdMap?.get(t.dataId)?.dtype === t.dtype) {
      const view = wasm.typedArrayFromHeap(t);
      if (isValues(view) && view.length === t.size) return view;
    }
  } else if (name === 'cpu') {
    const values = (backend as CpuBackendLike).data?.get(t.dataId)?.values;
    if (isValues(values) && values.length === t.size) return values;
  }
  return t.dataSync() as Values;
}
