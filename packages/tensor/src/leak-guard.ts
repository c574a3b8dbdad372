import * as tf from '@tensorflow/tfjs-core';

/** Thrown by a LeakGuard's `check` when tensors have leaked. */
export class TensorLeakError extends Error {
  override name = 'TensorLeakError';
}

/** Counts tensors made since the guard was made and not yet disposed. */
export interface LeakGuard {
  /** Tensors alive now minus tensors alive when the guard was made. */
  leaked(): number;
  /** Throws a TensorLeakError when `leaked()` is not zero. */
  check(label?: string): void;
}

/** Records `tf.memory().numTensors` now, to compare against later. */
export function leakGuard(): LeakGuard {
  const before = tf.memory().numTensors;
  return {
    leaked: () => tf.memory().numTensors - before,
    check(label = 'operation') {
      const after = tf.memory().numTensors;
      if (after !== before) {
        throw new TensorLeakError(
          `${label}: tensor count changed from ${before} to ${after} (${after - before > 0 ? '+' : ''}${after - before})`,
        );
      }
    },
  };
}

/** Runs `fn` and throws if it left tensors behind (or freed tensors it did not make). */
export async function expectNoLeaks<T>(fn: () => T | Promise<T>, label?: string): Promise<T> {
  const guard = leakGuard();
  const result = await fn();
  guard.check(label);
  return result;
}
