import { describe, expect, it } from 'vitest';
import { onBackend } from '../../test/parity';
import { tf } from '../index';
import { gradWasm, SIMD_GRADS_FLAG } from './grad-wasm';
import type { WasmBackend } from './wasm-backend';

/** A stand-in with just the members gradWasm reads. */
const fakeBackend = (memory: unknown) =>
  ({ wasm: { asm: { memory } }, dataIdMap: { get: () => undefined } }) as unknown as WasmBackend;

describe('gradWasm: the SIMD kernels bound to the WASM heap', () => {
  it('binds once per heap on the wasm backend, and gives byte offsets and a heap view that agree', async () => {
    await onBackend('wasm', () => {
      const backend = tf.backend() as unknown as WasmBackend;
      const kernels = gradWasm(backend);
      expect(kernels).toBeDefined();
      expect(gradWasm(backend)).toBe(kernels);
      const t = tf.tensor1d([1.5, -2, 3.25]);
      const at = (kernels?.offset(t) ?? 0) >> 2;
      expect(Array.from(kernels?.heap().subarray(at, at + 3) ?? [])).toEqual([1.5, -2, 3.25]);
      t.dispose();
    });
  });

  it('is off with the flag off, and where the heap cannot be reached or imported', async () => {
    await onBackend('wasm', () => {
      const backend = tf.backend() as unknown as WasmBackend;
      tf.env().set(SIMD_GRADS_FLAG, false);
      try {
        expect(gradWasm(backend)).toBeUndefined();
      } finally {
        tf.env().set(SIMD_GRADS_FLAG, true);
      }
    });
    expect(gradWasm(fakeBackend(undefined))).toBeUndefined();
    expect(gradWasm({} as WasmBackend)).toBeUndefined();
    // The multi-threaded backend's memory is shared; the module imports a plain one.
    const shared = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    expect(gradWasm(fakeBackend(shared))).toBeUndefined();
    expect(gradWasm(fakeBackend(new WebAssembly.Memory({ initial: 1 })))).toBeDefined();
  });
});
