import { afterAll, describe, expect, it } from 'vitest';
import { maxPoolGrad, type PoolCase, poolCase, poolGrad } from '../../test/max-pool-cases';
import { normals, onBackend, printParityLog, valuesOn, wasmVsCpu } from '../../test/parity';
import { tf } from '../index';
import { SIMD_GRADS_FLAG } from './grad-wasm';

/**
 * Non-overlapping windows (stride >= window) with channels a multiple of 4 take the WebAssembly
 * SIMD kernel: whole 2x2 windows unrolled, other and clipped windows in a loop, cells no window
 * covers zeroed first.
 */
const cases: PoolCase[] = [
  poolCase('2x2 s2 valid, the CNN pool', [2, 8, 8, 8], 2, 2, 'valid', 'normal'),
  poolCase('2x2 s2 valid, remainder row and column', [2, 7, 9, 8], 2, 2, 'valid', 'normal'),
  poolCase('2x2 s2 valid, 12 channels', [3, 6, 8, 12], 2, 2, 'valid', 'ties'),
  poolCase('2x2 s2 same, odd sizes', [2, 7, 9, 4], 2, 2, 'same', 'negative'),
  poolCase('2x2 s2 same, odd sizes', [2, 7, 9, 4], 2, 2, 'same', 'ties'),
  poolCase('3x3 s3 valid, remainder', [2, 9, 10, 8], 3, 3, 'valid', 'ties'),
  poolCase('3x3 s3 same', [2, 8, 7, 4], 3, 3, 'same', 'negative'),
  poolCase('2x2 s3 valid, gaps', [2, 8, 8, 4], 2, 3, 'valid', 'normal'),
  poolCase('batch 1, 64 channels', [1, 6, 6, 64], 2, 2, 'valid', 'ties'),
  poolCase('batch 1, 64 channels', [1, 6, 6, 64], 2, 2, 'valid', 'negative'),
  poolCase('2x3 window, strides [2,3], pad 1', [2, 7, 8, 4], [2, 3], [2, 3], 1, 'ties'),
];

describe('MaxPoolGrad on wasm, SIMD path', () => {
  afterAll(() => printParityLog('MaxPoolGrad (SIMD)'));

  for (const [i, c] of cases.entries()) {
    it(`equals the cpu backend bit for bit: ${c.label}, ${c.values} values, x [${c.x}]`, async () => {
      expect(await wasmVsCpu(`maxPool dx (SIMD): ${c.label}, ${c.values}`, poolGrad(c, 90 + 2 * i))).toBe(0);
    });
  }

  it('passes no gradient from -Infinity or NaN lanes and settles ties per channel, like the cpu backend', async () => {
    // One 2x2 window per sample, 8 channels; each channel (lane) its own pattern.
    const lanes = [
      [-Infinity, -Infinity, -Infinity, -Infinity],
      [NaN, NaN, NaN, NaN],
      [NaN, -Infinity, 3, NaN],
      [-2, -2, -2, -2],
      [-5, -1, -1, -7],
      [1, NaN, 2, 2],
      [-Infinity, -3, -Infinity, -3],
      [0, -0, 0, -1],
    ];
    const x = new Float32Array(4 * 8);
    lanes.forEach((cells, ch) => {
      cells.forEach((v, cell) => {
        x[cell * 8 + ch] = v;
      });
    });
    const dy = Float32Array.from({ length: 8 }, (_, ch) => ch + 1);
    const run = () => [
      maxPoolGrad(tf.tensor4d(x, [1, 2, 2, 8]), tf.tensor4d(dy, [1, 1, 1, 8]), {
        filterSize: 2,
        strides: 2,
        pad: 'valid',
      }),
    ];
    expect(await wasmVsCpu('maxPool dx (SIMD): -Infinity, NaN and ties per lane', run)).toBe(0);
    const [dx] = await valuesOn('wasm', run);
    // Winning cell per channel, hand-worked: none, none, 2, 0, 1, 2, 1, 0.
    const winners = [-1, -1, 2, 0, 1, 2, 1, 0];
    const expected = new Float32Array(32);
    winners.forEach((cell, ch) => {
      if (cell >= 0) expected[cell * 8 + ch] = ch + 1;
    });
    expect(Array.from(dx)).toEqual(Array.from(expected));
  });

  it('SIMD and JavaScript paths agree bit for bit, and ceil rounding is inferred from dy', async () => {
    const x = normals([4, 28, 28, 8], 76).map((v) => v - 1);
    const dy = normals([4, 14, 14, 8], 77);
    const attrs = { filterSize: 2, strides: 2, pad: 'valid' };
    const run = () => [maxPoolGrad(tf.tensor4d(x, [4, 28, 28, 8]), tf.tensor4d(dy, [4, 14, 14, 8]), attrs)];
    const [simd] = await valuesOn('wasm', run);
    tf.env().set(SIMD_GRADS_FLAG, false);
    let js: Float32Array;
    try {
      [js] = await valuesOn('wasm', run);
    } finally {
      tf.env().set(SIMD_GRADS_FLAG, true);
    }
    expect(Array.from(simd)).toEqual(Array.from(js));
    // 7x7, 2x2 stride 2, pad 0, 'ceil': 4x4 windows, the last row and column clipped to one cell.
    const xc = normals([2, 7, 7, 4], 78);
    const dyc = normals([2, 4, 4, 4], 79);
    const ceil = (rounding?: string) => () => {
      const a = tf.tensor4d(xc, [2, 7, 7, 4]);
      const d = tf.tensor4d(dyc, [2, 4, 4, 4]);
      const attrsC = { filterSize: 2, strides: 2, pad: 0, dimRoundingMode: rounding };
      return [
        tf
          .engine()
          .runKernel('MaxPoolGrad', { dy: d, input: a, output: d }, attrsC as tf.NamedAttrMap) as tf.Tensor,
      ];
    };
    expect(await wasmVsCpu('maxPool dx (SIMD): 2x2 s2 pad 0 ceil', ceil('ceil'))).toBe(0);
    const [stated, inferred] = await valuesOn('wasm', () => [...ceil('ceil')(), ...ceil()()]);
    expect(Array.from(inferred)).toEqual(Array.from(stated));
  });

  it('leaves no tensor, heap block or heap growth behind', async () => {
    await onBackend('wasm', () => {
      const backend = tf.backend() as unknown as { numDataIds(): number; wasm: { HEAPU8: Uint8Array } };
      const x = tf.tensor4d(normals([2, 7, 9, 8], 80), [2, 7, 9, 8]);
      const dy = tf.tensor4d(normals([2, 3, 4, 8], 81), [2, 3, 4, 8]);
      const attrs = { filterSize: 2, strides: 2, pad: 'valid' };
      maxPoolGrad(x, dy, attrs).dispose(); // warm-up: the first call may grow the heap
      const tensors = tf.memory().numTensors;
      const blocks = backend.numDataIds();
      const heapBytes = backend.wasm.HEAPU8.buffer.byteLength;
      for (let i = 0; i < 3; i++) maxPoolGrad(x, dy, attrs).dispose();
      expect(tf.memory().numTensors).toBe(tensors);
      expect(backend.numDataIds()).toBe(blocks);
      expect(backend.wasm.HEAPU8.buffer.byteLength).toBe(heapBytes);
      tf.dispose([x, dy]);
    });
  });
});
