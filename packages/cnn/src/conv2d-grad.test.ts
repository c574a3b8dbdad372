import { gradCheck, leakGuard, tf } from '@descent/tensor';
import { describe, expect, it } from 'vitest';
import fixtures from '../fixtures/conv2d.json';
import { useConvGradientBackend } from '../test/backends';
import { paramGradCheck } from '../test/param-grad-check';
import { maxAbsDiff, type Nchw, randomArray } from '../test/reference';
import { Conv2d } from './conv2d';

// Weight gradients need Conv2DBackpropFilter: on cpu until the wasm backend has it.
describe('Conv2d gradients', () => {
  useConvGradientBackend();

  const configs = [
    { name: 'stride 1, no padding', options: {} },
    { name: 'stride 2, padding 1', options: { stride: 2, padding: 1 } },
    {
      name: "'same', kernel [2, 3]",
      kernel: [2, 3] as [number, number],
      options: { padding: 'same' as const },
    },
  ];
  for (const { name, kernel = 3, options } of configs) {
    it(`match finite differences for input, weight and bias (${name})`, () => {
      const conv = new Conv2d(2, 3, kernel, { ...options, seed: 5 });
      const x = tf.tensor4d(randomArray(2 * 2 * 5 * 5, 6), [2, 2, 5, 5]);
      const probe = tf.tidy(() => conv.forward(x));
      // A random projection of the output, so that every output element matters differently.
      const r = tf.tensor(randomArray(probe.size, 7), probe.shape);
      probe.dispose();
      const guard = leakGuard();
      const inputs = gradCheck((input) => tf.sum(tf.mul(conv.forward(input), r)) as tf.Scalar, [x]);
      expect(inputs.ok, JSON.stringify(inputs.worst)).toBe(true);
      const params = paramGradCheck(() => tf.sum(tf.mul(conv.forward(x), r)) as tf.Scalar, conv.parameters());
      expect(params.ok, JSON.stringify(params.worst)).toBe(true);
      guard.check('gradient checks');
      tf.dispose([x, r]);
      conv.dispose();
    });
  }

  it('gives the layer’s parameters their gradients through tf.variableGrads, leaking nothing', () => {
    const conv = new Conv2d(1, 2, 3, { seed: 1 });
    const x = tf.tensor4d(randomArray(2 * 1 * 4 * 4, 2), [2, 1, 4, 4]);
    const guard = leakGuard();
    const { value, grads } = tf.variableGrads(
      () => tf.sum(tf.square(conv.forward(x))) as tf.Scalar,
      conv.parameters().map((p) => p.variable),
    );
    expect(Object.keys(grads).sort()).toEqual(
      conv
        .parameters()
        .map((p) => p.variable.name)
        .sort(),
    );
    tf.dispose([value, ...Object.values(grads)]);
    guard.check('Conv2d backward');
    x.dispose();
    conv.dispose();
  });

  it('match PyTorch’s gradients (fixtures/conv2d.json)', () => {
    for (const c of fixtures.cases) {
      const conv = new Conv2d(c.inChannels, c.outChannels, c.kernelSize as number | [number, number], {
        stride: c.stride as number | [number, number],
        padding: c.padding as number | [number, number] | 'same',
        bias: c.bias,
      });
      tf.tidy(() => {
        conv.weight.variable.assign(tf.tensor4d(c.weight.data, c.weight.shape as Nchw['shape']));
        if (c.biasValue && conv.bias) conv.bias.variable.assign(tf.tensor1d(c.biasValue));
      });
      const x = tf.tensor4d(c.x.data, c.x.shape as Nchw['shape']);
      const r = tf.tensor4d(c.r, c.y.shape as Nchw['shape']);
      const { grads, value } = tf.tidy(() => {
        const inputGrad = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(conv.forward(input), r)))(x);
        const params = tf.variableGrads(
          () => tf.sum(tf.mul(conv.forward(x), r)) as tf.Scalar,
          conv.parameters().map((p) => p.variable),
        );
        const all: Record<string, tf.Tensor> = { ...params.grads, x: inputGrad };
        return { grads: all, value: params.value };
      });
      expect(maxAbsDiff(grads['x'].dataSync(), c.gradX), `${c.name}: x`).toBeLessThan(1e-5);
      expect(
        maxAbsDiff(grads[conv.weight.variable.name].dataSync(), c.gradWeight),
        `${c.name}: weight`,
      ).toBeLessThan(1e-5);
      if (conv.bias && c.gradBias) {
        expect(
          maxAbsDiff(grads[conv.bias.variable.name].dataSync(), c.gradBias),
          `${c.name}: bias`,
        ).toBeLessThan(1e-5);
      }
      tf.dispose([x, r, value, ...Object.values(grads)]);
      conv.dispose();
    }
  });
});
