import { compile, ReLU, Sequential } from '@descent/layers';
import { leakGuard, tf } from '@descent/tensor';
import { describe, expect, it } from 'vitest';
// Importing the package registers the lowerings, as importing @descent/cnn does.
import './index';
import { compare, images, TOLERANCE } from '../test/compiled-vs-plain';
import { AvgPool2d } from './avg-pool2d';
import { BatchNorm2d } from './batch-norm2d';
import { Conv2d } from './conv2d';
import { MaxPool2d } from './max-pool2d';

// The channels-last steps implement neither dilation, groups nor ceilMode: compile must leave such
// layers to their own forward (and still run the layers around them channels-last), giving the
// plain path's outputs, gradients and running statistics.

const cases = [
  {
    name: 'a dilated convolution between two plain ones',
    layers: () => [
      new Conv2d(2, 4, 3, { padding: 1, seed: 1 }),
      new ReLU(),
      new Conv2d(4, 4, 3, { dilation: 2, padding: 2, seed: 2 }),
      new ReLU(),
      new Conv2d(4, 3, 3, { seed: 3 }),
    ],
    shape: [2, 2, 9, 9] as [number, number, number, number],
  },
  {
    name: 'depthwise then pointwise (a separable convolution), with batch norm',
    layers: () => [
      new Conv2d(3, 6, 3, { groups: 3, padding: 1, bias: false, seed: 4 }),
      new BatchNorm2d(6),
      new ReLU(),
      new Conv2d(6, 4, 1, { seed: 5 }),
    ],
    shape: [3, 3, 7, 7] as [number, number, number, number],
  },
  {
    name: 'two groups, stride 2',
    layers: () => [new Conv2d(4, 6, 3, { groups: 2, stride: 2, seed: 6 }), new ReLU()],
    shape: [2, 4, 9, 8] as [number, number, number, number],
  },
  {
    name: 'ceil-mode max and average pools after a convolution',
    layers: () => [
      new Conv2d(2, 3, 3, { seed: 7 }),
      new ReLU(),
      new MaxPool2d(2, { ceilMode: true }),
      new AvgPool2d(3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }),
    ],
    shape: [2, 2, 10, 9] as [number, number, number, number],
  },
];

describe('compile: layers with options the channels-last steps do not implement', () => {
  for (const { name, layers, shape } of cases) {
    it(`gives the plain path's outputs and gradients: ${name}`, () => {
      const x = images(shape, shape[2]);
      const guard = leakGuard();
      expect(compare(() => new Sequential(layers()), x)).toBeLessThan(TOLERANCE);
      guard.check(name);
      x.dispose();
    });
  }

  it('runs such a layer as written (the same kernels as without compile), a plain one fused', async () => {
    const x = images([1, 2, 8, 8], 3);
    const kernels = async (model: Sequential, compiled: boolean) => {
      const fast = compile(model);
      const forward = () => (compiled ? fast.forward(x) : model.call(x));
      const profile = await tf.profile(() => tf.dispose(forward()));
      return profile.kernels.map((k) => k.name);
    };
    for (const layer of [
      new Conv2d(2, 2, 3, { dilation: 2, seed: 1 }),
      new Conv2d(2, 4, 3, { groups: 2, seed: 1 }),
      new MaxPool2d(3, { stride: 2, ceilMode: true }),
      new AvgPool2d(3, { stride: 2, ceilMode: true }),
    ]) {
      const model = new Sequential([layer]);
      expect(await kernels(model, true)).toEqual(await kernels(model, false));
      model.dispose();
    }
    const plain = new Sequential([new Conv2d(2, 2, 3, { seed: 1 })]);
    expect(await kernels(plain, true)).toEqual(['Transpose', 'DescentConv2dNhwcOihw', 'Transpose']);
    plain.dispose();
    x.dispose();
  });
});
