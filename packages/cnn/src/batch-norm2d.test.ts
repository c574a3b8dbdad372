import { loadSafetensors, Sequential, saveSafetensors } from '@descent/layers';
import { gradCheck, leakGuard, tf } from '@descent/tensor';
import { describe, expect, it } from 'vitest';
import fixtures from '../fixtures/batch-norm2d.json';
import { paramGradCheck } from '../test/param-grad-check';
import { maxAbsDiff, randomNchw } from '../test/reference';
import { BatchNorm2d } from './batch-norm2d';

type Shape4 = [number, number, number, number];

/** fixtures/make-fixtures.py's batch_norm_case. */
interface BatchNormCase {
  name: string;
  numFeatures: number;
  momentum: number | null;
  affine: boolean;
  weight: number[] | null;
  bias: number[] | null;
  steps: {
    x: { shape: number[]; data: number[] };
    r: { shape: number[]; data: number[] };
    y: number[];
    runningMean: number[];
    runningVar: number[];
    numBatchesTracked: number;
    gradX: number[];
    gradWeight?: number[];
    gradBias?: number[];
  }[];
  eval: { x: { shape: number[]; data: number[] }; y: number[] };
}
const cases = fixtures.cases as BatchNormCase[];
const values = (t: tf.Tensor | null | undefined) => Array.from(t?.dataSync() ?? []);

describe('BatchNorm2d against PyTorch (fixtures/batch-norm2d.json)', () => {
  for (const c of cases) {
    it(`follows torch.nn.BatchNorm2d through training steps and eval: ${c.name}`, () => {
      const bn = new BatchNorm2d(c.numFeatures, { momentum: c.momentum, affine: c.affine });
      tf.tidy(() => {
        if (c.weight && bn.weight) bn.weight.variable.assign(tf.tensor1d(c.weight));
        if (c.bias && bn.bias) bn.bias.variable.assign(tf.tensor1d(c.bias));
      });
      const params = bn.parameters().map((p) => p.variable);
      for (const [i, step] of c.steps.entries()) {
        const label = `${c.name}, step ${i + 1}`;
        const x = tf.tensor4d(step.x.data, step.x.shape as Shape4);
        const r = tf.tensor4d(step.r.data, step.r.shape as Shape4);
        const guard = leakGuard();
        // One forward: the output, and the gradients of sum(y · r) for x and the parameters.
        let y: tf.Tensor | null = null;
        const grads = tf.grads((input: tf.Tensor, ..._params: tf.Tensor[]) => {
          y = tf.keep(bn.forward(input));
          return tf.sum(tf.mul(y, r)) as tf.Scalar;
        })([x, ...params]);
        const out = { y: y as unknown as tf.Tensor, grads };
        expect(maxAbsDiff(out.y.dataSync(), step.y), `${label}: y`).toBeLessThan(1e-5);
        expect(
          maxAbsDiff(values(bn.runningMean?.value), step.runningMean),
          `${label}: runningMean`,
        ).toBeLessThan(1e-5);
        expect(
          maxAbsDiff(values(bn.runningVar?.value), step.runningVar),
          `${label}: runningVar`,
        ).toBeLessThan(1e-5);
        expect(values(bn.numBatchesTracked?.value), label).toEqual([step.numBatchesTracked]);
        expect(maxAbsDiff(out.grads[0].dataSync(), step.gradX), `${label}: grad x`).toBeLessThan(1e-5);
        if (step.gradWeight && step.gradBias) {
          expect(maxAbsDiff(out.grads[1].dataSync(), step.gradWeight), `${label}: grad weight`).toBeLessThan(
            1e-5,
          );
          expect(maxAbsDiff(out.grads[2].dataSync(), step.gradBias), `${label}: grad bias`).toBeLessThan(
            1e-5,
          );
        }
        tf.dispose([out.y, ...out.grads]);
        guard.check(`BatchNorm2d training step (${label})`);
        tf.dispose([x, r]);
      }
      bn.eval();
      const x = tf.tensor4d(c.eval.x.data, c.eval.x.shape as Shape4);
      const y = bn.forward(x);
      expect(maxAbsDiff(y.dataSync(), c.eval.y), `${c.name}: eval`).toBeLessThan(1e-5);
      tf.dispose([x, y]);
      bn.dispose();
    });
  }
});

describe('BatchNorm2d', () => {
  it('normalises each channel to mean 0 and variance 1 in training mode (closed form)', () => {
    const x = tf.tensor4d(
      randomNchw([3, 2, 4, 4], 1).data.map((v) => 3 * v + 5),
      [3, 2, 4, 4],
    );
    const bn = new BatchNorm2d(2);
    const y = bn.forward(x);
    const mean = tf.mean(y, [0, 2, 3]);
    const variance = tf.mean(tf.square(y), [0, 2, 3]);
    expect(maxAbsDiff(mean.dataSync(), [0, 0])).toBeLessThan(1e-5);
    // Biased variance of the normalised values: 1 - eps / (var + eps), essentially 1.
    expect(maxAbsDiff(variance.dataSync(), [1, 1])).toBeLessThan(1e-5);
    tf.dispose([x, y, mean, variance]);
    bn.dispose();
  });

  it('holds weight and bias as parameters and the running statistics as buffers', () => {
    const bn = new BatchNorm2d(4);
    expect(bn.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([
      ['weight', [4]],
      ['bias', [4]],
    ]);
    expect(bn.namedBuffers().map(([n, b]) => [n, b.shape, b.dtype])).toEqual([
      ['running_mean', [4], 'float32'],
      ['running_var', [4], 'float32'],
      ['num_batches_tracked', [], 'int32'],
    ]);
    expect(values(bn.weight?.value)).toEqual([1, 1, 1, 1]);
    expect(values(bn.runningVar?.value)).toEqual([1, 1, 1, 1]);
    const dict = bn.stateDict();
    // PyTorch's keys, those of torch.nn.BatchNorm2d(4).state_dict().
    expect(Object.keys(dict)).toEqual([
      'weight',
      'bias',
      'running_mean',
      'running_var',
      'num_batches_tracked',
    ]);
    tf.dispose(Object.values(dict));
    expect(bn.numParameters()).toBe(8);
    bn.freeze();
    expect(bn.trainableParameters()).toEqual([]);
    bn.dispose();

    const bare = new BatchNorm2d(2, { affine: false, trackRunningStats: false });
    expect([bare.parameters(), bare.buffers()]).toEqual([[], []]);
    expect(bare.toJSON()).toEqual({
      type: 'BatchNorm2d',
      numFeatures: 2,
      eps: 1e-5,
      momentum: 0.1,
      affine: false,
      trackRunningStats: false,
    });
  });

  it('uses the batch statistics in eval mode too when it tracks none', () => {
    const x = tf.tensor4d(
      randomNchw([2, 1, 3, 3], 2).data.map((v) => v + 10),
      [2, 1, 3, 3],
    );
    const bn = new BatchNorm2d(1, { trackRunningStats: false }).eval();
    const y = bn.forward(x);
    const mean = tf.mean(y);
    expect(Math.abs(mean.dataSync()[0])).toBeLessThan(1e-5);
    tf.dispose([x, y, mean]);
    bn.dispose();
  });

  it('matches finite differences in training mode for input, weight and bias', () => {
    const bn = new BatchNorm2d(2);
    tf.tidy(() => {
      bn.weight?.variable.assign(tf.tensor1d([1.5, 0.5]));
      bn.bias?.variable.assign(tf.tensor1d([0.2, -0.3]));
    });
    const x = tf.tensor4d(randomNchw([2, 2, 3, 3], 3).data, [2, 2, 3, 3]);
    const r = tf.tensor4d(randomNchw([2, 2, 3, 3], 4).data, [2, 2, 3, 3]);
    // The running statistics move at each call, but training mode does not read them.
    const inputs = gradCheck((input) => tf.sum(tf.mul(bn.forward(input), r)) as tf.Scalar, [x]);
    expect(inputs.ok, JSON.stringify(inputs.worst)).toBe(true);
    const params = paramGradCheck(() => tf.sum(tf.mul(bn.forward(x), r)) as tf.Scalar, bn.parameters());
    expect(params.ok, JSON.stringify(params.worst)).toBe(true);
    tf.dispose([x, r]);
    bn.dispose();
  });

  it('names the layer in its errors', () => {
    expect(() => new BatchNorm2d(0)).toThrow(
      'BatchNorm2d(0): numFeatures: expected a positive integer, found 0',
    );
    expect(() => new BatchNorm2d(3, { momentum: 2 })).toThrow(
      'BatchNorm2d(3): momentum: expected a number in [0, 1] or null, found 2',
    );
    const bn = new BatchNorm2d(3);
    const wrong = tf.zeros([2, 4, 5, 5]);
    const single = tf.zeros([1, 3, 1, 1]);
    expect(() => bn.forward(wrong)).toThrow(
      'BatchNorm2d(3): input: expected shape [N, 3, H, W], found [2, 4, 5, 5]',
    );
    expect(() => bn.forward(single)).toThrow(
      'BatchNorm2d(3): input: expected more than 1 value per channel in training mode, found shape [1, 3, 1, 1]',
    );
    bn.eval();
    const y = bn.forward(single);
    expect(values(y)).toEqual([0, 0, 0]);
    tf.dispose([wrong, single, y]);
    bn.dispose();
  });

  it('loads a bundle saved before the buffers took PyTorch’s names (runningMean, ...), strictly', async () => {
    const before = tf.memory().numTensors;
    const model = new Sequential([new BatchNorm2d(3)]);
    // The safetensors an older descent wrote: the same tensors under the fields' camelCase names.
    const old = {
      '0.weight': tf.tensor1d([1.5, 0.5, 2]),
      '0.bias': tf.tensor1d([0.1, 0.2, 0.3]),
      '0.runningMean': tf.tensor1d([0.3, -0.2, 0.1]),
      '0.runningVar': tf.tensor1d([1.5, 0.5, 2]),
      '0.numBatchesTracked': tf.scalar(7, 'int32'),
    };
    const bytes = await saveSafetensors(old);
    tf.dispose(Object.values(old));
    const { tensors } = loadSafetensors(bytes);
    expect(model.loadStateDict(tensors)).toEqual({ missingKeys: [], unexpectedKeys: [] });
    tf.dispose(Object.values(tensors));
    const bn = model.at(0) as BatchNorm2d;
    expect(values(bn.runningMean?.value)).toEqual(Array.from(new Float32Array([0.3, -0.2, 0.1])));
    expect(values(bn.numBatchesTracked?.value)).toEqual([7]);
    // Saved again, it holds the keys of a torch state_dict().
    const dict = model.stateDict();
    expect(Object.keys(dict)).toEqual([
      '0.weight',
      '0.bias',
      '0.running_mean',
      '0.running_var',
      '0.num_batches_tracked',
    ]);
    tf.dispose(Object.values(dict));
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
