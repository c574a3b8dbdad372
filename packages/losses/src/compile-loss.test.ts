import { tf } from '@descent/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { compileLoss } from './compile-loss';
import { losses } from './registry';

const previous = tf.getBackend();
afterAll(async () => {
  await tf.setBackend(previous);
});

/** A batch each loss accepts: probabilities for bce, logits and class indices for crossEntropy. */
function batchFor(name: 'mse' | 'bce' | 'crossEntropy') {
  if (name === 'crossEntropy') {
    return [tf.tensor2d([2, -1, 0.5, 0.1, 0.3, -2, 1, 1, 0], [3, 3]), tf.tensor1d([0, 2, 1], 'int32')];
  }
  const input = tf.tensor2d([0.1, 0.7, 0.45, 0.99, 0.02, 0.5], [3, 2]);
  return [input, tf.tensor2d([0, 1, 1, 0, 0.3, 1], [3, 2])];
}

/** The loss and its gradient for the input, with the kernels that ran. */
async function run(loss: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor, input: tf.Tensor, target: tf.Tensor) {
  let value = 0;
  let grad: number[] = [];
  const info = await tf.profile(() => {
    const r = tf.valueAndGrad((x: tf.Tensor) => loss(x, target) as tf.Scalar)(input);
    value = r.value.dataSync()[0];
    grad = Array.from(r.grad.dataSync());
    tf.dispose([r.value, r.grad]);
  });
  return { value, grad, kernels: info.kernels.length };
}

describe.each(['wasm', 'cpu'])('compileLoss (%s)', (backend) => {
  it.each(['mse', 'bce', 'crossEntropy'] as const)(
    '%s: the plain loss value and gradient, in a few kernels, leaking nothing',
    async (name) => {
      await tf.setBackend(backend);
      const before = tf.memory().numTensors;
      const [input, target] = batchFor(name);
      const fast = await run(compileLoss(name), input, target);
      const plain = await run(losses[name], input, target);
      expect(fast.value).toBeCloseTo(plain.value, 5);
      fast.grad.forEach((g, i) => {
        expect(g).toBeCloseTo(plain.grad[i], 5);
      });
      expect(fast.kernels).toBeLessThanOrEqual(name === 'crossEntropy' ? 6 : 3);
      expect(fast.kernels).toBeLessThan(plain.kernels);
      tf.dispose([input, target]);
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it('steps aside to the plain loss, which reports bad input as always', async () => {
    await tf.setBackend(backend);
    const x = tf.tensor2d([0.2, 0.4], [1, 2]);
    const wide = tf.tensor2d([0, 1, 0], [1, 3]);
    const above = tf.tensor2d([0.2, 1.5], [1, 2]);
    const labels = tf.tensor1d([2], 'int32');
    expect(() => compileLoss('mse')(x, wide)).toThrow('mse: target: expected shape [1, 2]');
    expect(() => compileLoss('bce')(x, above)).toThrow(
      'bce: target: expected values in [0, 1], found 1.5 at index [0, 1]',
    );
    expect(() => compileLoss('crossEntropy')(x, labels)).toThrow(
      'crossEntropy: target: expected class indices, integers in [0, 2), found 2 at index [0]',
    );
    // Class probabilities and int targets are not fused, and give the plain values.
    const probs = tf.tensor2d([0.25, 0.75], [1, 2]);
    const compiled = compileLoss('crossEntropy')(x, probs);
    const plain = losses.crossEntropy(x, probs);
    expect(compiled.dataSync()[0]).toBe(plain.dataSync()[0]);
    tf.dispose([x, wide, above, labels, probs, compiled, plain]);
  });

  it('runs the plain loss with its options (crossEntropy weight, ignoreIndex), in its own kernels', async () => {
    await tf.setBackend(backend);
    const before = tf.memory().numTensors;
    const [input, target] = batchFor('crossEntropy');
    const weight = tf.tensor1d([0.5, 2, 1]);
    const options = { weight, ignoreIndex: 1 };
    const plainWithOptions = (a: tf.Tensor, b: tf.Tensor) => losses.crossEntropy(a, b, options);
    const compiled = await run(compileLoss('crossEntropy', options), input, target);
    const plain = await run(plainWithOptions, input, target);
    const fused = await run(compileLoss('crossEntropy'), input, target);
    expect(compiled).toEqual(plain);
    expect(compiled.value).not.toBeCloseTo(fused.value, 3);
    expect(compiled.kernels).toBeGreaterThan(fused.kernels);
    tf.dispose([input, target, weight]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('compileLoss', () => {
  it('returns a loss without a fused op as it is, and refuses unknown names', () => {
    expect(compileLoss('huber')).toBe(losses.huber);
    expect(compileLoss('mse').name).toBe('mse');
    expect(() => compileLoss('l2' as 'mse')).toThrow('getLoss: name: expected one of');
    expect(compileLoss('cross_entropy' as 'crossEntropy').name).toBe('crossEntropy');
  });
});
