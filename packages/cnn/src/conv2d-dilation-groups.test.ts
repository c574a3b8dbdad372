import { tf } from '@descent/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import fixtures from '../fixtures/conv2d-dilation-groups.json';
import { forwardBackends, onBackend, useConvGradientBackend } from '../test/backends';
import { maxAbsDiff, type Nchw } from '../test/reference';
import { Conv2d, type Conv2dOptions } from './conv2d';

// Conv2d's dilation and groups against torch.nn.Conv2d (fixtures/make-fixtures.py's dilated_case):
// the output, and the gradients of sum(y · r) for the input, the weight and the bias.

type Case = (typeof fixtures.cases)[number];
type Shape4 = Nchw['shape'];
const worst = { forward: 0, gradients: 0 };

afterAll(() => {
  if (process.env['DESCENT_REPORT_DIFFS']) console.info('Conv2d dilation/groups vs PyTorch', worst);
});

function build(c: Case): Conv2d {
  const conv = new Conv2d(c.inChannels, c.outChannels, c.kernelSize as number | [number, number], {
    stride: c.stride as Conv2dOptions['stride'],
    padding: c.padding as Conv2dOptions['padding'],
    dilation: c.dilation as Conv2dOptions['dilation'],
    groups: c.groups,
    bias: c.bias,
  });
  tf.tidy(() => {
    conv.weight.variable.assign(tf.tensor4d(c.weight.data, c.weight.shape as Shape4));
    if (c.biasValue && conv.bias) conv.bias.variable.assign(tf.tensor1d(c.biasValue));
  });
  return conv;
}

describe('Conv2d dilation and groups', () => {
  it('hold the weight as PyTorch does, [out, in / groups, kh, kw], and describe themselves', () => {
    const depthwise = new Conv2d(4, 8, 3, { groups: 4, dilation: [2, 1], seed: 1 });
    expect(depthwise.weight.shape).toEqual([8, 1, 3, 3]);
    expect(depthwise.toJSON()).toMatchObject({ dilation: [2, 1], groups: 4 });
    const x = tf.zeros([1, 4, 9, 9]);
    const y = depthwise.forward(x);
    // Height: a 3-tall kernel with dilation 2 spans 5 rows.
    expect(y.shape).toEqual([1, 8, 5, 7]);
    tf.dispose([x, y]);
    depthwise.dispose();
    expect(() => new Conv2d(4, 6, 3, { groups: 4 })).toThrow(
      'Conv2d(4, 6, 3): groups: expected a positive integer dividing inChannels and outChannels, found 4',
    );
    expect(() => new Conv2d(4, 4, 3, { dilation: 0 })).toThrow(
      'Conv2d(4, 4, 3): dilation: expected a positive',
    );
    const small = new Conv2d(1, 1, 3, { dilation: 3, seed: 1 });
    const tiny = tf.zeros([1, 1, 6, 6]);
    expect(() => small.forward(tiny)).toThrow('expected height and width of at least 7 x 7');
    tiny.dispose();
    small.dispose();
  });

  for (const backend of forwardBackends) {
    it(`match torch.nn.Conv2d's outputs on ${backend}`, async () => {
      await onBackend(backend, () => {
        for (const c of fixtures.cases) {
          const conv = build(c);
          const x = tf.tensor4d(c.x.data, c.x.shape as Shape4);
          const before = tf.memory().numTensors;
          const y = conv.forward(x);
          expect(y.shape, c.name).toEqual(c.y.shape);
          const d = maxAbsDiff(y.dataSync(), c.y.data);
          worst.forward = Math.max(worst.forward, d);
          expect(d, c.name).toBeLessThan(1e-5);
          y.dispose();
          expect(tf.memory().numTensors, c.name).toBe(before);
          x.dispose();
          conv.dispose();
        }
      });
    });
  }
});

describe('Conv2d dilation and groups: gradients', () => {
  useConvGradientBackend();

  it("match torch.nn.Conv2d's gradients for the input, weight and bias", () => {
    for (const c of fixtures.cases) {
      const conv = build(c);
      const x = tf.tensor4d(c.x.data, c.x.shape as Shape4);
      const r = tf.tensor4d(c.r, c.y.shape as Shape4);
      const before = tf.memory().numTensors;
      const params = conv.parameters().map((p) => p.variable);
      const grads = tf.grads(
        (input: tf.Tensor, ..._params: tf.Tensor[]) => tf.sum(tf.mul(conv.forward(input), r)) as tf.Scalar,
      )([x, ...params]);
      const expected = [c.gradX, c.gradWeight, ...(c.gradBias ? [c.gradBias] : [])];
      expect(grads.length).toBe(expected.length);
      grads.forEach((g, i) => {
        const d = maxAbsDiff(g.dataSync(), expected[i] as number[]);
        worst.gradients = Math.max(worst.gradients, d);
        expect(d, `${c.name}: gradient ${i}`).toBeLessThan(1e-5);
      });
      tf.dispose(grads);
      expect(tf.memory().numTensors, c.name).toBe(before);
      tf.dispose([x, r]);
      conv.dispose();
    }
  });
});
