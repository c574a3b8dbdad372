import { Linear, ReLU, Sequential } from '@descent/layers';
import { leakGuard, tf } from '@descent/tensor';
import { describe, expect, it } from 'vitest';
import { useConvGradientBackend } from '../test/backends';
import { randomNchw } from '../test/reference';
import type { BatchNorm2d } from './batch-norm2d';
import { simpleCnn } from './simple-cnn';
import { attachHead, cutHead, replaceHead } from './transfer';

const bits = (t: tf.Tensor) => Array.from(new Uint32Array(Float32Array.from(t.dataSync()).buffer));

/** One manual SGD step over model.trainableParameters(), as an optimiser would take it. */
function sgdStep(model: Sequential, x: tf.Tensor, labels: tf.Tensor, lr = 0.1): void {
  tf.tidy(() => {
    const variables = model.trainableParameters().map((p) => p.variable);
    const { grads } = tf.variableGrads(
      () => tf.losses.softmaxCrossEntropy(labels, model.forward(x)) as tf.Scalar,
      variables,
    );
    for (const v of variables) v.assign(tf.sub(v, tf.mul(grads[v.name], lr)));
  });
}

describe('cutHead, attachHead, replaceHead', () => {
  it('split a model into body and head that share its layers, and join them back with the same keys', () => {
    const model = simpleCnn({ inputShape: [1, 8, 8], classes: 3, channels: [4], hidden: 6, seed: 1 });
    const { body, head } = cutHead(model, 3);
    expect(body.length + head.length).toBe(model.length);
    expect(head.layers.map((l) => l.toJSON().type)).toEqual(['Linear', 'ReLU', 'Linear']);
    expect(body.at(0)).toBe(model.at(0));
    const joined = attachHead(body, head);
    expect(joined.namedParameters().map(([n]) => n)).toEqual(model.namedParameters().map(([n]) => n));
    const x = tf.tensor4d(randomNchw([2, 1, 8, 8], 1).data, [2, 1, 8, 8]);
    const a = model.forward(x);
    const b = joined.forward(x);
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    // A single module is a one-layer head.
    expect(attachHead(body, new Linear(6, 2)).length).toBe(body.length + 1);
    expect(() => cutHead(model, model.length)).toThrow(
      `cutHead: n (the model has ${model.length} layers): expected an integer in [1, ${model.length - 1}], found ${model.length}`,
    );
    expect(() => attachHead(body, 'head' as unknown as Linear)).toThrow(
      'attachHead: head: expected a Module',
    );
    tf.dispose([x, a, b]);
    model.dispose();
  });

  it('replaceHead swaps the classifier, frees the old one and keeps the body', () => {
    const model = simpleCnn({ inputShape: [1, 8, 8], classes: 10, channels: [4], seed: 2 });
    const oldHead = model.at(-1) as Linear;
    const newHead = new Linear(64, 2, { seed: 3 });
    const guard = leakGuard();
    const binary = replaceHead(model, newHead);
    // The old Linear(64, 10)'s two variables are freed, the new Linear's two were made before the guard.
    expect(guard.leaked()).toBe(-2);
    expect(oldHead.weight.isDisposed).toBe(true);
    expect(binary.at(0)).toBe(model.at(0));
    const x = tf.zeros([1, 1, 8, 8]);
    const y = binary.forward(x);
    expect(y.shape).toEqual([1, 2]);
    const kept = replaceHead(binary, new Sequential([new Linear(64, 5), new ReLU()]), { dispose: false });
    expect((binary.at(-1) as Linear).weight.isDisposed).toBe(false);
    expect(kept.length).toBe(binary.length + 1);
    expect(() => replaceHead(binary, binary.at(0))).toThrow('replaceHead: newHead: expected new layers');
    tf.dispose([x, y]);
    kept.dispose();
    binary.dispose();
  });
});

describe('fine-tuning with a frozen body', () => {
  it('trains only the head: frozen weights stay the same bit for bit, head weights change', () => {
    const model = simpleCnn({ inputShape: [1, 8, 8], classes: 3, channels: [4], batchNorm: true, seed: 4 });
    const { body } = cutHead(model);
    const tuned = attachHead(body.freeze(), new Linear(64, 2, { seed: 5 }));
    expect(tuned.trainableParameters()).toEqual((tuned.at(-1) as Linear).parameters());
    const x = tf.tensor4d(randomNchw([4, 1, 8, 8], 6).data, [4, 1, 8, 8]);
    const labels = tf.oneHot(tf.tensor1d([0, 1, 1, 0], 'int32'), 2);
    const before = Object.fromEntries(tuned.namedParameters().map(([n, p]) => [n, bits(p.variable)]));
    const runningBefore = bits((tuned.at(1) as BatchNorm2d).runningMean?.value as tf.Tensor);
    // The frozen body needs no conv weight gradient, so this runs on every backend.
    for (let i = 0; i < 3; i++) sgdStep(tuned, x, labels);
    for (const [name, p] of tuned.namedParameters()) {
      if (name.startsWith(`${tuned.length - 1}.`)) expect(bits(p.variable), name).not.toEqual(before[name]);
      else expect(bits(p.variable), name).toEqual(before[name]);
    }
    // As in PyTorch, freezing does not stop BatchNorm's running statistics in training mode; eval() does.
    expect(bits((tuned.at(1) as BatchNorm2d).runningMean?.value as tf.Tensor)).not.toEqual(runningBefore);
    body.eval();
    const running = bits((tuned.at(1) as BatchNorm2d).runningMean?.value as tf.Tensor);
    sgdStep(tuned, x, labels);
    expect(bits((tuned.at(1) as BatchNorm2d).runningMean?.value as tf.Tensor)).toEqual(running);
    tf.dispose([x, labels]);
    tuned.dispose();
    model.dispose();
  });

  describe('after unfreeze', () => {
    useConvGradientBackend();

    it('trains the body again', () => {
      const model = simpleCnn({ inputShape: [1, 8, 8], classes: 2, channels: [4], seed: 7 });
      model.freeze();
      (model.at(-1) as Linear).unfreeze();
      const conv = model.at(0).parameters()[0];
      const x = tf.tensor4d(randomNchw([4, 1, 8, 8], 8).data, [4, 1, 8, 8]);
      const labels = tf.oneHot(tf.tensor1d([0, 1, 1, 0], 'int32'), 2);
      const frozen = bits(conv.variable);
      sgdStep(model, x, labels);
      expect(bits(conv.variable)).toEqual(frozen);
      model.unfreeze();
      sgdStep(model, x, labels);
      expect(bits(conv.variable)).not.toEqual(frozen);
      tf.dispose([x, labels]);
      model.dispose();
    });
  });
});
