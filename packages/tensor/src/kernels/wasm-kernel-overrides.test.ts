import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { normals, onBackend } from '../../test/parity';
import { tf } from '../index';
import { setCol2imChunkLimit } from './conv2d-backprop-input';
import { overrideWasmKernels, wasmKernelOverrides } from './wasm-kernel-overrides';

const names = [
  'MaxPoolGrad',
  'MaxPool',
  'AvgPool',
  'Conv2DBackpropInput',
  'BatchMatMul',
  '_FusedMatMul',
  'Identity',
  'Conv2D',
  'FusedConv2D',
];
const packageRoot = fileURLToPath(new URL('../..', import.meta.url));
const dist = (file: string) => fileURLToPath(new URL(`../../dist/${file}`, import.meta.url));

/**
 * What a fresh Node process sees after loading a build: the all-negative MaxPoolGrad case (tfjs
 * 4.22 gives [10, 0, …]), the shape and last value of a ceil-mode maxPool, and whether
 * Conv2DBackpropInput is still tfjs's (which needs a setup function, ours does not).
 */
const probe = `
  await m.initBackend({ backend: 'wasm' });
  const tf = m.tf;
  const x = tf.tensor4d([-3, -1, -2, -4, -5, -6, -0.5, -7, -1, -2, -3, -4, -9, -8, -7, -6], [1, 4, 4, 1]);
  const dx = tf.engine().runKernel('MaxPoolGrad',
    { dy: tf.tensor4d([10, 20, 30, 40], [1, 2, 2, 1]), input: x, output: tf.maxPool(x, 2, 2, 'valid') },
    { filterSize: 2, strides: 2, pad: 'valid' });
  const pooled = tf.maxPool(tf.range(1, 17).reshape([1, 4, 4, 1]), 3, 2, 0, 'ceil');
  console.log(JSON.stringify({
    backend: tf.getBackend(),
    dx: Array.from(dx.dataSync()),
    pooled: [pooled.shape, Array.from(pooled.dataSync())],
    tfjsInputGradient: tf.getKernel('Conv2DBackpropInput', 'wasm').setupFunc != null,
  }));`;

const expected = {
  backend: 'wasm',
  dx: [0, 10, 0, 0, 0, 0, 20, 0, 30, 0, 40, 0, 0, 0, 0, 0],
  pooled: [
    [1, 2, 2, 1],
    [11, 12, 15, 16],
  ],
  tfjsInputGradient: false,
};

function probeIn(load: string, type: 'module' | 'commonjs'): unknown {
  const script = type === 'module' ? `${load}${probe}` : `(async () => { ${load}${probe} })();`;
  const out = execFileSync(process.execPath, [`--input-type=${type}`, '-e', script], {
    cwd: packageRoot,
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}');
}

/** numTensors, heap blocks and the WASM memory size stay put over repeated calls of `fn`. */
async function expectNoWasmLeaks(fn: () => tf.Tensor | tf.Tensor[]): Promise<void> {
  await onBackend('wasm', () => {
    const backend = tf.backend() as unknown as { numDataIds(): number; wasm: { HEAPU8: Uint8Array } };
    tf.dispose(fn()); // warm-up: the first call may cache kernels and grow the heap
    const tensors = tf.memory().numTensors;
    const blocks = backend.numDataIds();
    const heapBytes = backend.wasm.HEAPU8.buffer.byteLength;
    for (let i = 0; i < 5; i++) tf.dispose(fn());
    expect(tf.memory().numTensors).toBe(tensors);
    expect(backend.numDataIds()).toBe(blocks);
    expect(backend.wasm.HEAPU8.buffer.byteLength).toBe(heapBytes);
  });
}

describe('the WASM kernel overrides', () => {
  it("replace tfjs's kernels on importing @descent/tensor (source), once", () => {
    expect(wasmKernelOverrides.map((o) => o.config.kernelName)).toEqual(names);
    for (const { config } of wasmKernelOverrides)
      expect(tf.getKernel(config.kernelName, 'wasm')?.kernelFunc, config.kernelName).toBe(config.kernelFunc);
    expect(overrideWasmKernels()).toEqual([]);
  });

  it.skipIf(!existsSync(dist('index.js')))('are in place on import of the ESM build', () => {
    expect(probeIn(`const m = await import(${JSON.stringify(dist('index.js'))});`, 'module')).toEqual(
      expected,
    );
  });

  it.skipIf(!existsSync(dist('index.cjs')))('are in place on require of the CJS build', () => {
    expect(probeIn(`const m = require(${JSON.stringify(dist('index.cjs'))});`, 'commonjs')).toEqual(expected);
  });

  it('leave no tensor, heap block or heap growth behind: MaxPoolGrad, disjoint and overlapping windows', async () => {
    const xs = normals([4, 9, 9, 3], 120);
    const dy = normals([4, 9, 9, 3], 121);
    await expectNoWasmLeaks(() =>
      tf.tidy(() => {
        const x = tf.tensor4d(xs, [4, 9, 9, 3]);
        const disjoint = tf.grad((a: tf.Tensor) => tf.sum(tf.maxPool(a as tf.Tensor4D, 2, 2, 'same')))(x);
        const overlapping = tf.grad((a: tf.Tensor) =>
          tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, 3, 1, 'same'), tf.tensor4d(dy, [4, 9, 9, 3]))),
        )(x);
        return [disjoint, overlapping];
      }),
    );
  });

  it('leave no tensor, heap block or heap growth behind: MaxPool and AvgPool, both routes', async () => {
    const xs = normals([2, 7, 6, 3], 122);
    await expectNoWasmLeaks(() =>
      tf.tidy(() => {
        const x = tf.tensor4d(xs, [2, 7, 6, 3]);
        return [
          tf.maxPool(x, 3, 2, 'same'),
          tf.avgPool(x, 3, 2, 'same'),
          tf.maxPool(x, [2, 3], [2, 1], 1, 'ceil'),
          tf.avgPool(x, [2, 3], [2, 1], 1, 'ceil'),
        ];
      }),
    );
  });

  it('leave no tensor, heap block or heap growth behind: Conv2DBackpropInput, every route', async () => {
    const xs = normals([3, 8, 8, 4], 123);
    const ws = normals([3, 3, 4, 5], 124);
    const previous = setCol2imChunkLimit(2000);
    try {
      await expectNoWasmLeaks(() =>
        tf.tidy(() => {
          const x = tf.tensor4d(xs, [3, 8, 8, 4]);
          const w = tf.tensor4d(ws, [3, 3, 4, 5]);
          const dx = (strides: number) =>
            tf.grad((a: tf.Tensor) => tf.sum(tf.conv2d(a as tf.Tensor4D, w, strides, 'same')))(x);
          const nchw = tf
            .engine()
            .runKernel(
              'Conv2DBackpropInput',
              { dy: tf.ones([3, 5, 4, 4]), filter: w },
              { strides: 2, pad: 'same', dataFormat: 'NCHW', inputShape: [3, 4, 8, 8] },
            ) as tf.Tensor;
          return [dx(1), dx(2), nchw];
        }),
      );
    } finally {
      setCol2imChunkLimit(previous);
    }
  });

  it('leave no heap block behind when they reject their input', async () => {
    await expectNoWasmLeaks(() => {
      const dy = tf.ones([1, 5, 2, 3]);
      const w = tf.ones([3, 3, 4, 5]);
      const attrs = { strides: 1, pad: 'same', dataFormat: 'NCHW', inputShape: [1, 4, 3, 3] };
      expect(() => tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, attrs)).toThrow(
        /dy: expected shape/,
      );
      return [dy, w];
    });
  });
});
