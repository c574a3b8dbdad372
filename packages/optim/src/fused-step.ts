import { type Tensor, tf, type Variable } from '@descent/tensor';
import type { FusedWasm } from './fused-wasm';
import type { HostMemory } from './host-memory';
import type { ParamState } from './optimizer';

/**
 * One state buffer in a fused update: `in` holds its values before the step (zeros when the
 * buffer is new, i.e. `fresh`), `out` receives the values after it. Both are flat float32 views.
 */
export interface FusedBuffer {
  in: Float32Array;
  out: Float32Array;
  fresh: boolean;
}

/** The same arrays as byte offsets into the WASM heap, for the SIMD kernels. */
export interface FusedPointers {
  param: number;
  grad: number;
  paramOut: number;
  buffers: Record<string, { in: number; out: number; fresh: boolean }>;
}

/** What an optimizer supplies for its fused update. */
export interface FusedHooks {
  /** The state buffers read and written with the current hyperparameters. */
  names: readonly string[];
  /** The update over flat views, every arithmetic step rounded to float32 as the tfjs ops do. */
  update(
    param: Float32Array,
    grad: Float32Array,
    out: Float32Array,
    buffers: Record<string, FusedBuffer>,
    step: number,
  ): void;
  /** The same update over the first `groups` × 4 elements with the SIMD kernels. */
  simd?(kernels: FusedWasm, at: FusedPointers, groups: number, step: number): void;
}

/**
 * Updates one parameter and its state in one pass over their memory. Returns false, having
 * changed nothing, when some tensor's memory is not on the host backend. Where no other tensor
 * shares a buffer's memory (the usual case), its new values go over the old ones: no allocation,
 * no tensor made or freed, which is most of a small network's update. So does the parameter's,
 * except on WASM (see `cachesWeights`). A shared one (a snapshot, a clone) gets fresh memory,
 * which then replaces the variable's.
 */
export function fusedStep(
  memory: HostMemory,
  param: Variable,
  grad: Tensor,
  state: ParamState,
  hooks: FusedHooks,
): boolean {
  const { names } = hooks;
  const existing = names.map((name) => state.buffers.get(name));
  if (!memory.view(param) || !memory.view(grad) || existing.some((b) => b && !memory.view(b))) return false;
  const fresh = (i: number) => existing[i] === undefined;
  // Each kernel reads an element before it writes it, so an output may be its own input.
  const inPlace = (t: Tensor | undefined): t is Tensor => t !== undefined && !memory.shared(t);
  const made: Tensor[] = [];
  const make = () => {
    const t = memory.wrap(memory.alloc(param.shape));
    made.push(t);
    return t;
  };
  const outputs = [memory.cachesWeights ? undefined : param, ...existing].map((t) =>
    inPlace(t) ? t : make(),
  );
  const zeros = names.map((_, i) => (fresh(i) ? make() : undefined));
  try {
    // Views only after the last allocation: an allocation may grow the WASM heap and detach them.
    const inputs = names.map((_, i) => (existing[i] ?? zeros[i]) as Tensor);
    for (const z of zeros) if (z) (memory.view(z) as Float32Array).fill(0);
    const size = param.size;
    const simd = hooks.simd && memory.simd;
    const done = simd ? size - (size % 4) : 0;
    if (simd && hooks.simd && done > 0) {
      const at = simd.offset;
      const buffers: FusedPointers['buffers'] = {};
      names.forEach((name, i) => {
        buffers[name] = { in: at(inputs[i]), out: at(outputs[i + 1]), fresh: fresh(i) };
      });
      hooks.simd(
        simd.kernels,
        { param: at(param), grad: at(grad), paramOut: at(outputs[0]), buffers },
        done / 4,
        state.step,
      );
    }
    if (done < size) {
      const tail = (t: Tensor) => (memory.view(t) as Float32Array).subarray(done);
      const buffers: Record<string, FusedBuffer> = {};
      names.forEach((name, i) => {
        buffers[name] = { in: tail(inputs[i]), out: tail(outputs[i + 1]), fresh: fresh(i) };
      });
      hooks.update(tail(param), tail(grad), tail(outputs[0]), buffers, state.step);
    }
    if (outputs[0] !== param) param.assign(outputs[0]);
    names.forEach((name, i) => {
      const b = existing[i];
      if (b === undefined) state.buffers.set(name, tf.variable(outputs[i + 1], false));
      else if (outputs[i + 1] !== b) b.assign(outputs[i + 1]);
    });
  } finally {
    tf.dispose(made);
  }
  return true;
}
