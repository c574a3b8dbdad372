import { afterAll, describe, expect, it } from 'vitest';
import { type ConvCase, convCase, convGrads, filterGradient } from '../../test/conv-cases';
import { explicitPad } from '../../test/depthwise-cases';
import { normals, onBackend, printParityLog, relativeError, valuesOn, wasmVsCpu } from '../../test/parity';
import { tf } from '../index';
import { simdFilterGradient } from './filter-gradient-simd';
import { type GradWasm, gradWasm, SIMD_GRADS_FLAG } from './grad-wasm';
import type { WasmBackend } from './wasm-backend';

/**
 * Shapes for the WebAssembly SIMD path (NHWC, output channels a multiple of 4): tap blocks of 4
 * with remainders (fw·ci = 3, 9, 10, 48), channel blocks of 8 with a 4 left over, padded frames
 * that add rows and columns or cut them off, remainder rows and columns no window reaches.
 */
const cases: ConvCase[] = [
  convCase('CNN conv2 shape, same, 8->16, odd 7x7', [3, 7, 7, 8], [3, 3, 8, 16], 1, 'same'),
  convCase('valid 3x3, 1->8, the first layer', [2, 10, 9, 1], [3, 3, 1, 8], 1, 'valid'),
  convCase('valid 3x3 stride 2, remainder row/col unread', [2, 8, 10, 3], [3, 3, 3, 12], 2, 'valid'),
  convCase('same 5x2, 5->20, stride [1,2]', [2, 6, 7, 5], [5, 2, 5, 20], [1, 2], 'same'),
  convCase('batch 1, many channels 16->32', [1, 5, 6, 16], [3, 3, 16, 32], 1, 'same'),
  convCase(
    'explicit pads [2,0]x[1,3], 3x3 stride 2, 2->4',
    [2, 7, 6, 2],
    [3, 3, 2, 4],
    2,
    explicitPad([2, 0], [1, 3]),
  ),
  convCase('same, 5x5 kernel on a 3x4 input, 1->4', [2, 3, 4, 1], [5, 5, 1, 4], 1, 'same'),
];

describe('Conv2DBackpropFilter on wasm, SIMD path', () => {
  afterAll(() => printParityLog('Conv2DBackpropFilter (SIMD)'));

  for (const c of cases) {
    it(`matches the cpu backend: ${c.label}`, async () => {
      expect(await wasmVsCpu(`conv2d dx,dW (SIMD): ${c.label}`, convGrads(c))).toBeLessThan(1e-5);
    });
  }

  it("matches the cpu backend with 'ceil' rounding that adds a window row and column", async () => {
    // 8x7, 2x2 stride 3, pad 1: floor gives 3x3 outputs, ceil 4x3 (tfjs-core's Conv2D gradient
    // drops the rounding, so the kernel is called directly, as conv2d's own gradient cannot).
    const x = normals([2, 8, 7, 3], 16);
    const dy = normals([2, 4, 4, 4], 17);
    const attrs = {
      strides: 3,
      pad: 1,
      dataFormat: 'NHWC',
      dimRoundingMode: 'ceil',
      filterShape: [2, 2, 3, 4],
    };
    const run = (a: Record<string, unknown>) => () => [
      filterGradient(tf.tensor4d(x, [2, 8, 7, 3]), tf.tensor4d(dy, [2, 4, 4, 4]), a),
    ];
    expect(await wasmVsCpu('conv2d dW (SIMD): pad 1, stride 3, ceil', run(attrs))).toBeLessThan(1e-5);
    // Without the rounding (as tfjs-core's gradient calls it), dy's shape tells it.
    const [stated, inferred] = await valuesOn('wasm', () => [
      ...run(attrs)(),
      ...run({ ...attrs, dimRoundingMode: undefined })(),
    ]);
    expect(Array.from(inferred)).toEqual(Array.from(stated));
  });

  it('takes the SIMD path for NHWC with 4k output channels, and the matmul path with the flag off', async () => {
    await onBackend('wasm', () => {
      const x = tf.tensor4d(normals([2, 6, 5, 3], 12), [2, 6, 5, 3]);
      const dy = tf.tensor4d(normals([2, 6, 5, 8], 13), [2, 6, 5, 8]);
      const info = tf.backend_util.computeConv2DInfo([2, 6, 5, 3], [3, 3, 3, 8], 1, 1, 'same');
      const backend = tf.backend() as unknown as WasmBackend;
      const kernels = gradWasm(backend);
      expect(kernels).toBeDefined();
      const direct = simdFilterGradient(backend, kernels as GradWasm, x, dy, info);
      expect(direct?.shape).toEqual([3, 3, 3, 8]);
      const simd = Array.from(backend.typedArrayFromHeap(direct as tf.TensorInfo));
      backend.disposeData((direct as tf.TensorInfo).dataId);
      const attrs = { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 3, 8] };
      tf.env().set(SIMD_GRADS_FLAG, false);
      try {
        expect(gradWasm(backend)).toBeUndefined();
        const viaMatmul = filterGradient(x, dy, attrs);
        // Both sum over the output positions in the same order in float32.
        expect(relativeError(simd, viaMatmul.dataSync())).toBeLessThan(1e-6);
        viaMatmul.dispose();
      } finally {
        tf.env().set(SIMD_GRADS_FLAG, true);
      }
      // Not taken: channels not a multiple of 4, or NCHW.
      const dy5 = tf.zeros([2, 6, 5, 5]);
      const info5 = tf.backend_util.computeConv2DInfo([2, 6, 5, 3], [3, 3, 3, 5], 1, 1, 'same');
      expect(simdFilterGradient(backend, kernels as GradWasm, x, dy5, info5)).toBeUndefined();
      const nchw = tf.backend_util.computeConv2DInfo(
        [2, 3, 6, 5],
        [3, 3, 3, 8],
        1,
        1,
        'same',
        undefined,
        false,
        'channelsFirst',
      );
      expect(simdFilterGradient(backend, kernels as GradWasm, x, dy, nchw)).toBeUndefined();
      tf.dispose([x, dy, dy5]);
    });
  });

  it('leaves no tensor, heap block or heap growth behind (padded copy included)', async () => {
    await onBackend('wasm', () => {
      const backend = tf.backend() as unknown as { numDataIds(): number; wasm: { HEAPU8: Uint8Array } };
      const x = tf.tensor4d(normals([2, 5, 5, 2], 14), [2, 5, 5, 2]);
      const dy = tf.tensor4d(normals([2, 5, 5, 4], 15), [2, 5, 5, 4]);
      const attrs = { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 2, 4] };
      filterGradient(x, dy, attrs).dispose(); // warm-up: the first call may grow the heap
      const tensors = tf.memory().numTensors;
      const blocks = backend.numDataIds();
      const heapBytes = backend.wasm.HEAPU8.buffer.byteLength;
      for (let i = 0; i < 3; i++) filterGradient(x, dy, attrs).dispose();
      expect(tf.memory().numTensors).toBe(tensors);
      expect(backend.numDataIds()).toBe(blocks);
      expect(backend.wasm.HEAPU8.buffer.byteLength).toBe(heapBytes);
      tf.dispose([x, dy]);
    });
  });
});
