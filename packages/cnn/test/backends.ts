import { tf } from '@descent/tensor';
import { afterAll, beforeAll } from 'vitest';

/**
 * Conv2d's weight gradient needs the Conv2DBackpropFilter kernel, which tfjs-backend-wasm 4.22 does
 * not have. Until @descent/tensor registers one for the backend under test, the describe block that
 * calls this runs on cpu; once it does, the same tests run on wasm unchanged.
 */
export function useConvGradientBackend(): void {
  let previous = '';
  beforeAll(async () => {
    previous = tf.getBackend();
    if (!tf.getKernel('Conv2DBackpropFilter', previous)) await tf.setBackend('cpu');
  });
  afterAll(async () => {
    if (tf.getBackend() !== previous) await tf.setBackend(previous);
  });
}

/** Whether the tests that call useConvGradientBackend run on another backend than the default one. */
export function convGradientsFallBack(): boolean {
  return !tf.getKernel('Conv2DBackpropFilter', tf.getBackend());
}

/** The backends a forward is compared on: both that Node can run. */
export const forwardBackends = ['cpu', 'wasm'] as const;

/** Runs `fn` on `backend`, then switches back to the backend that was active. */
export async function onBackend<T>(backend: string, fn: () => T): Promise<T> {
  const previous = tf.getBackend();
  await tf.setBackend(backend);
  try {
    return fn();
  } finally {
    await tf.setBackend(previous);
  }
}
