import { afterAll, describe, expect, it } from 'vitest';
import { normals, onBackend, parityLog, printParityLog, relativeError, wasmVsCpu } from '../../test/parity';
import { cnnLoss, cnnStep, cnnVariables, smallCnnData } from '../../test/small-cnn';
import { tf } from '../index';

/** Kernels the cpu backend has and wasm lacks even now; none is used by a gradient or a training op. */
const notForTraining = [
  'Complex',
  'ComplexAbs',
  'Draw',
  'Einsum',
  'FFT',
  'IFFT',
  'Imag',
  'RaggedGather',
  'RaggedRange',
  'RaggedTensorToTensor',
  'Real',
  'StaticRegexReplace',
];

describe('training on the wasm backend', () => {
  afterAll(() => printParityLog('Training ops on wasm'));

  it('lacks, after registration, only kernels that no training path uses', () => {
    const wasm = new Set(tf.getKernelsForBackend('wasm').map((k) => k.kernelName));
    const missing = tf
      .getKernelsForBackend('cpu')
      .map((k) => k.kernelName)
      .filter((name) => !wasm.has(name))
      .sort();
    expect(missing).toEqual(notForTraining);
  });

  it('runs an SGD step of conv-relu-maxpool x2, dense, softmax cross-entropy with the gradients of cpu', async () => {
    const data = smallCnnData(3);
    const run = (backend: string) =>
      onBackend(backend, () => {
        const v = cnnVariables(data);
        try {
          const step = cnnStep(v, data, 0.05);
          const after = tf.tidy(
            () =>
              cnnLoss(
                v,
                tf.tensor4d(data.images, [data.batch, 28, 28, 1]),
                tf.oneHot(tf.tensor1d(data.labels, 'int32'), 10) as tf.Tensor2D,
              ).dataSync()[0],
          );
          return { ...step, after };
        } finally {
          tf.dispose(Object.values(v));
        }
      });
    const wasm = await run('wasm');
    const cpu = await run('cpu');
    expect(wasm.after).toBeLessThan(wasm.loss);
    expect(Math.abs(wasm.loss - cpu.loss) / cpu.loss).toBeLessThan(1e-5);
    const names = ['w1', 'b1', 'w2', 'b2', 'wd', 'bd'];
    wasm.grads.forEach((g, i) => {
      const error = relativeError(g, cpu.grads[i]);
      parityLog.push({ label: `small CNN step, gradient of ${names[i]}`, error });
      expect(error, names[i]).toBeLessThan(1e-4);
    });
  });

  it('leaves no tensor and no WASM heap block behind after a gradient step', async () => {
    const data = smallCnnData(2, 5);
    await onBackend('wasm', () => {
      const v = cnnVariables(data);
      cnnStep(v, data, 0.01); // warm-up: the first call may cache kernels
      const backend = tf.backend() as unknown as { numDataIds(): number };
      const tensors = tf.memory().numTensors;
      const blocks = backend.numDataIds();
      cnnStep(v, data, 0.01);
      expect(tf.memory().numTensors).toBe(tensors);
      expect(backend.numDataIds()).toBe(blocks);
      tf.dispose(Object.values(v));
    });
  });

  it('matches cpu for the pooling and input-gradient kernels the network uses (same padding, stride 2, 3x3)', async () => {
    const xs = normals([2, 7, 8, 3], 51);
    const ws = normals([3, 3, 3, 4], 52);
    const error = await wasmVsCpu('maxPool/avgPool 3x3 s2 same + conv2d dx (Conv2DBackpropInput)', () => {
      const x = tf.tensor4d(xs, [2, 7, 8, 3]);
      const w = tf.tensor4d(ws, [3, 3, 3, 4]);
      return tf.grads((a: tf.Tensor, b: tf.Tensor) => {
        const conv = tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same');
        return tf.add(
          tf.sum(tf.square(tf.maxPool(conv, 3, 2, 'same'))),
          tf.sum(tf.square(tf.avgPool(conv, 3, 2, 'same'))),
        );
      })([x, w]);
    });
    expect(error).toBeLessThan(1e-4);
  });

  it('matches cpu for the batch-norm gradients (x, mean, variance, offset, scale)', async () => {
    const xs = normals([4, 3, 3, 5], 53);
    const error = await wasmVsCpu('batchNorm gradients', () => {
      const x = tf.tensor4d(xs, [4, 3, 3, 5]);
      const { mean, variance } = tf.moments(x, [0, 1, 2]);
      const offset = tf.tensor1d(normals([5], 54));
      const scale = tf.tensor1d(normals([5], 55));
      const r = tf.tensor4d(normals([4, 3, 3, 5], 56), [4, 3, 3, 5]);
      return tf.grads((a: tf.Tensor, m: tf.Tensor, s2: tf.Tensor, o: tf.Tensor, g: tf.Tensor) =>
        tf.sum(tf.mul(tf.batchNorm(a, m, s2, o, g, 1e-3), r)),
      )([x, mean, variance, offset, scale]);
    });
    expect(error).toBeLessThan(1e-4);
  });
});
