import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { normals, onBackend, printParityLog, wasmVsCpu } from '../../test/parity';
import { tf } from '../index';
import { rowTimesMatrix } from './row-matrix-product';
import { batchMatMulConfig, fusedMatMulConfig } from './transpose-first-matmul';
import type { WasmBackend } from './wasm-backend';

const packageRoot = fileURLToPath(new URL('../..', import.meta.url));
const dist = (file: string) => fileURLToPath(new URL(`../../dist/${file}`, import.meta.url));
const flags = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
] as const;

/** An operand of logical shape [...batch, rows, cols], stored transposed when `t` (as matMul expects). */
function operand(values: Float32Array, batch: number[], rows: number, cols: number, t: boolean): tf.Tensor {
  const x = tf.tensor(values, [...batch, rows, cols]);
  return t ? tf.transpose(x, [...batch.map((_, i) => i), batch.length + 1, batch.length]) : x;
}

/** Runs one product of logical [...ba, m, k] @ [...bb, k, n] with the given flags. */
function product(ba: number[], bb: number[], m: number, k: number, n: number, ta: boolean, tb: boolean) {
  const as = normals([...ba, m, k], 7 + m);
  const bs = normals([...bb, k, n], 11 + n);
  return () => [tf.matMul(operand(as, ba, m, k, ta), operand(bs, bb, k, n, tb), ta, tb)];
}

afterAll(() => printParityLog('transpose-first matmul'));

describe('transpose-first BatchMatMul on wasm', () => {
  it("is the registered wasm kernel (tfjs's replaced on import)", () => {
    expect(tf.getKernel('BatchMatMul', 'wasm')?.kernelFunc).toBe(batchMatMulConfig.kernelFunc);
    expect(tf.getKernel('_FusedMatMul', 'wasm')?.kernelFunc).toBe(fusedMatMulConfig.kernelFunc);
  });

  for (const [ta, tb] of flags) {
    it(`matches the cpu backend, odd sizes, transposeA ${ta}, transposeB ${tb}`, async () => {
      const error = await wasmVsCpu(`2-D 7x5 @ 5x3, tA ${ta} tB ${tb}`, product([], [], 7, 5, 3, ta, tb));
      expect(error).toBeLessThan(1e-6);
      const big = await wasmVsCpu(
        `2-D 33x65 @ 65x17, tA ${ta} tB ${tb}`,
        product([], [], 33, 65, 17, ta, tb),
      );
      expect(big).toBeLessThan(1e-5);
    });

    it(`matches the cpu backend with batch dims (one side broadcast), transposeA ${ta}, transposeB ${tb}`, async () => {
      const cases: [number[], number[]][] = [
        [[3], [3]],
        [[1], [3]],
        [[3], [1]],
        [
          [2, 3],
          [2, 3],
        ],
      ];
      for (const [ba, bb] of cases) {
        const label = `[${ba}] x [${bb}] 4x6 @ 6x5, tA ${ta} tB ${tb}`;
        expect(await wasmVsCpu(label, product(ba, bb, 4, 6, 5, ta, tb)), label).toBeLessThan(1e-6);
      }
    });

    it(`matches the cpu backend when a transposed operand is a row or a column, transposeA ${ta}, transposeB ${tb}`, async () => {
      for (const [m, k, n] of [
        [1, 6, 4],
        [5, 1, 3],
        [4, 6, 1],
        [1, 1, 1],
      ]) {
        const label = `${m}x${k} @ ${k}x${n}, tA ${ta} tB ${tb}`;
        expect(await wasmVsCpu(label, product([2], [2], m, k, n, ta, tb)), label).toBeLessThan(1e-6);
      }
    });
  }

  it('matches the cpu backend for a row times a matrix (the SIMD route: ones @ g, per-channel sums)', async () => {
    // N a multiple of 4 up to 64 takes the SIMD route; K past one cached block of b's rows.
    for (const [k, n] of [
      [3000, 4],
      [2500, 8],
      [1100, 12],
      [700, 16],
      [600, 64],
      [5, 8],
    ]) {
      const label = `row 1x${k} @ ${k}x${n}`;
      expect(await wasmVsCpu(label, product([], [], 1, k, n, false, false)), label).toBeLessThan(1e-5);
      const stored = `${label}, a stored as a column (transposeA)`;
      expect(await wasmVsCpu(stored, product([], [], 1, k, n, true, false)), stored).toBeLessThan(1e-5);
    }
    // Batch dims of 1 take it too; other widths, batches and transposeB go to XNNPACK.
    for (const [ba, bb, k, n, tb] of [
      [[1], [1], 900, 8, false],
      [[1, 1], [], 300, 16, false],
      [[], [], 500, 6, false],
      [[], [], 500, 68, false],
      [[2], [2], 300, 8, false],
      [[], [], 400, 8, true],
    ] as [number[], number[], number, number, boolean][]) {
      const label = `row [${ba}] x [${bb}] 1x${k} @ ${k}x${n}, tB ${tb}`;
      expect(await wasmVsCpu(label, product(ba, bb, 1, k, n, false, tb)), label).toBeLessThan(1e-5);
    }
    const g = normals([4, 9, 9, 8], 51);
    const sums = await wasmVsCpu('ones[1, 324] @ g[324, 8]', () => [
      tf.matMul(tf.ones([1, 324]), tf.tensor2d(g, [324, 8])),
    ]);
    expect(sums).toBeLessThan(1e-6);
  });

  it('takes the SIMD route exactly for a float32 row times a matrix of 4k columns, up to 64', async () => {
    await onBackend('wasm', () => {
      const backend = tf.backend() as unknown as WasmBackend;
      const route = (a: number[], b: number[], transposeA = false, transposeB = false) => {
        const ta = tf.ones(a);
        const tb = tf.ones(b);
        const out = rowTimesMatrix(backend, ta, tb, { transposeA, transposeB });
        const shape = out?.shape;
        if (out) backend.disposeData(out.dataId);
        tf.dispose([ta, tb]);
        return shape;
      };
      expect(route([1, 50], [50, 8])).toEqual([1, 8]);
      expect(route([50, 1], [50, 64], true)).toEqual([1, 64]);
      expect(route([1, 1, 1, 50], [50, 16])).toEqual([1, 1, 1, 16]);
      expect(route([1, 50], [1, 50, 4])).toEqual([1, 1, 4]);
      expect(route([2, 50], [50, 8])).toBeUndefined();
      expect(route([1, 50], [50, 6])).toBeUndefined();
      expect(route([1, 50], [50, 68])).toBeUndefined();
      expect(route([1, 50], [8, 50], false, true)).toBeUndefined();
      expect(route([2, 1, 50], [2, 50, 8])).toBeUndefined();
      expect(route([1, 50], [49, 8])).toBeUndefined();
    });
  });

  it('matches the cpu backend in the gradients of a small MLP step (transposed products)', async () => {
    const xs = normals([9, 13], 21);
    const w1s = normals([11, 13], 22);
    const w2s = normals([3, 11], 23);
    const ys = normals([9, 3], 24);
    const error = await wasmVsCpu('MLP 13-11-3 loss and grads', () => {
      const x = tf.tensor2d(xs, [9, 13]);
      const y = tf.tensor2d(ys, [9, 3]);
      const loss = (w1: tf.Tensor, b1: tf.Tensor, w2: tf.Tensor) => {
        const h = tf.relu(tf.add(tf.matMul(x, w1, false, true), b1));
        return tf.mean(tf.square(tf.sub(tf.matMul(h, w2, false, true), y)));
      };
      const params = [tf.tensor2d(w1s, [11, 13]), tf.zeros([11]), tf.tensor2d(w2s, [3, 11])];
      const { value, grads } = tf.valueAndGrads((...p: tf.Tensor[]) => loss(p[0], p[1], p[2]) as tf.Scalar)(
        params,
      );
      return [value, ...grads];
    });
    expect(error).toBeLessThan(1e-5);
  });

  for (const [ta, tb] of flags) {
    it(`_FusedMatMul matches the cpu backend, bias and relu, transposeA ${ta}, transposeB ${tb}`, async () => {
      const as = normals([5, 7], 31);
      const bs = normals([7, 4], 32);
      const bias = normals([4], 33);
      const error = await wasmVsCpu(`fused 5x7 @ 7x4 + bias, relu, tA ${ta} tB ${tb}`, () => [
        tf.fused.matMul({
          a: operand(as, [], 5, 7, ta) as tf.Tensor2D,
          b: operand(bs, [], 7, 4, tb) as tf.Tensor2D,
          transposeA: ta,
          transposeB: tb,
          bias: tf.tensor1d(bias),
          activation: 'relu',
        }),
      ]);
      expect(error).toBeLessThan(1e-6);
    });
  }

  it('names the shapes and flags the caller passed when the inner dimensions differ', async () => {
    await onBackend('wasm', () => {
      const a = tf.ones([4, 3]);
      const b = tf.ones([5, 2]);
      expect(() =>
        tf.engine().runKernel('BatchMatMul', { a, b }, { transposeA: true, transposeB: false }),
      ).toThrow(
        'BatchMatMul: b: expected inner dimension 4 (a [4, 3], transposeA true), found 5 (b [5, 2], transposeB false)',
      );
      tf.dispose([a, b]);
    });
  });

  it('leaves no tensor, heap block or heap growth behind, on every route and on an error', async () => {
    await onBackend('wasm', () => {
      const backend = tf.backend() as unknown as { numDataIds(): number; wasm: { HEAPU8: Uint8Array } };
      const a = tf.tensor(normals([2, 6, 5], 41), [2, 6, 5]);
      const b = tf.tensor(normals([2, 5, 6], 42), [2, 5, 6]);
      const row = tf.tensor(normals([2, 1, 6], 43), [2, 1, 6]);
      const run = () => {
        const outs = flags.map(([ta, tb]) =>
          tf.matMul(ta ? tf.transpose(a, [0, 2, 1]) : a, tb ? tf.transpose(b, [0, 2, 1]) : b, ta, tb),
        );
        outs.push(
          tf.matMul(a, row, true, true),
          tf.matMul(tf.reshape(row, [1, 12]), tf.ones([12, 8])),
          tf.fused.matMul({ a: b as tf.Tensor2D, b, transposeA: true, bias: tf.ones([6]) }),
        );
        tf.dispose(outs);
        expect(() =>
          tf.engine().runKernel('BatchMatMul', { a, b: row }, { transposeA: false, transposeB: true }),
        ).toThrow(/inner dimension/);
      };
      tf.tidy(run); // warm-up: the first call may grow the heap
      const tensors = tf.memory().numTensors;
      const blocks = backend.numDataIds();
      const heapBytes = backend.wasm.HEAPU8.buffer.byteLength;
      for (let i = 0; i < 5; i++) tf.tidy(run);
      expect(tf.memory().numTensors).toBe(tensors);
      expect(backend.numDataIds()).toBe(blocks);
      expect(backend.wasm.HEAPU8.buffer.byteLength).toBe(heapBytes);
      tf.dispose([a, b, row]);
    });
  });
});

/** In a fresh Node process: whether both kernels are ours, and a transposed product's values. */
const probe = `
  await m.initBackend({ backend: 'wasm' });
  const tf = m.tf;
  const ours = ['BatchMatMul', '_FusedMatMul'].map((n) => /^transposeFirstMatMul/.test(tf.getKernel(n, 'wasm').kernelFunc.name));
  const y = tf.matMul(tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]), tf.tensor2d([1, 0, 2, 1, 0, 3], [2, 3]), true, true);
  console.log(JSON.stringify({ backend: tf.getBackend(), ours, y: Array.from(y.dataSync()) }));`;

function probeIn(load: string, type: 'module' | 'commonjs'): unknown {
  const script = type === 'module' ? `${load}${probe}` : `(async () => { ${load}${probe} })();`;
  const out = execFileSync(process.execPath, [`--input-type=${type}`, '-e', script], {
    cwd: packageRoot,
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}');
}

// aᵀ = [[1, 3, 5], [2, 4, 6]], bᵀ = [[1, 1], [0, 0], [2, 3]]: aᵀbᵀ by hand.
const expected = { backend: 'wasm', ours: [true, true], y: [11, 16, 14, 20] };

describe('registration of the transpose-first matmul', () => {
  it.skipIf(!existsSync(dist('index.js')))('happens on import of the ESM build', () => {
    expect(probeIn(`const m = await import(${JSON.stringify(dist('index.js'))});`, 'module')).toEqual(
      expected,
    );
  });

  it.skipIf(!existsSync(dist('index.cjs')))('happens on require of the CJS build', () => {
    expect(probeIn(`const m = require(${JSON.stringify(dist('index.cjs'))});`, 'commonjs')).toEqual(expected);
  });
});
