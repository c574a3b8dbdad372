import { compile, Dropout, Linear, type Module, ReLU, Sequential } from '@descent/layers';
import { expectNoLeaks, gradCheck, leakGuard, tf } from '@descent/tensor';
import { describe, expect, it } from 'vitest';
// Importing the package registers the lowerings, as importing @descent/cnn does.
import './index';
import { compare, forwardOf, images, TOLERANCE } from '../test/compiled-vs-plain';
import { paramGradCheck } from '../test/param-grad-check';
import { randomArray } from '../test/reference';
import { AvgPool2d } from './avg-pool2d';
import { BatchNorm2d } from './batch-norm2d';
import { Conv2d } from './conv2d';
import { Flatten } from './flatten';
import { GlobalAvgPool2d } from './global-avg-pool2d';
import { MaxPool2d } from './max-pool2d';
import { simpleCnn } from './simple-cnn';

// compile(model) runs chains of image layers channels-last (@descent/layers lowering.ts, with the
// lowerings that lowerings.ts registers). These tests hold the compiled path to the plain per-layer
// NCHW path (`model.call`): same outputs, same gradients for the input and every parameter, same
// running statistics, nothing leaked.

const cases: { name: string; layers: () => Module[]; shape: [number, number, number, number] }[] = [
  {
    name: 'Conv2d, stride 1, no padding',
    layers: () => [new Conv2d(3, 4, 3, { seed: 1 })],
    shape: [2, 3, 7, 6],
  },
  {
    name: 'Conv2d, stride 2, padding 1',
    layers: () => [new Conv2d(3, 5, 3, { stride: 2, padding: 1, seed: 2 })],
    shape: [2, 3, 9, 8],
  },
  {
    name: "Conv2d 'same', kernel [2, 3], stride [1, 1]",
    layers: () => [new Conv2d(2, 3, [2, 3], { padding: 'same', seed: 3 })],
    shape: [3, 2, 5, 6],
  },
  {
    name: 'Conv2d without bias, strides [2, 1], padding [0, 2]',
    layers: () => [new Conv2d(2, 3, 3, { bias: false, stride: [2, 1], padding: [0, 2], seed: 4 })],
    shape: [2, 2, 7, 5],
  },
  {
    name: 'one input channel (a reshape, not a transpose), then two convolutions',
    layers: () => [
      new Conv2d(1, 4, 3, { padding: 1, seed: 5 }),
      new ReLU(),
      new Conv2d(4, 2, 2, { seed: 6 }),
    ],
    shape: [2, 1, 6, 6],
  },
  {
    name: 'Conv2d → ReLU → MaxPool2d(2): the ReLU runs after the pool, windows all negative included',
    layers: () => [new Conv2d(2, 4, 3, { padding: 1, seed: 7 }), new ReLU(), new MaxPool2d(2)],
    shape: [2, 2, 8, 8],
  },
  {
    name: 'MaxPool2d(3, stride 2, padding 1) and AvgPool2d(2) in a run',
    layers: () => [
      new Conv2d(2, 3, 3, { seed: 8 }),
      new MaxPool2d(3, { stride: 2, padding: 1 }),
      new AvgPool2d(2, { stride: 1 }),
    ],
    shape: [2, 2, 9, 9],
  },
  {
    name: 'AvgPool2d with padding, countIncludePad false',
    layers: () => [
      new Conv2d(2, 3, 1, { seed: 9 }),
      new AvgPool2d(3, { stride: 2, padding: 1, countIncludePad: false }),
    ],
    shape: [2, 2, 7, 7],
  },
  {
    name: 'BatchNorm2d in training mode (batch statistics, running statistics move)',
    layers: () => [
      new Conv2d(2, 3, 3, { bias: false, seed: 10 }),
      new BatchNorm2d(3),
      new ReLU(),
      new MaxPool2d(2),
    ],
    shape: [4, 2, 6, 6],
  },
  {
    name: 'GlobalAvgPool2d ends the run with [N, C] features for a Linear',
    layers: () => [
      new Conv2d(3, 4, 3, { seed: 11 }),
      new ReLU(),
      new GlobalAvgPool2d(),
      new Linear(4, 2, { seed: 12 }),
    ],
    shape: [2, 3, 6, 6],
  },
  {
    name: 'a run ended by a training-mode Dropout and started again',
    layers: () => [
      new Conv2d(2, 3, 3, { padding: 1, seed: 13 }),
      new Dropout({ p: 0.3, seed: 14 }),
      new Conv2d(3, 2, 3, { seed: 15 }),
    ],
    shape: [2, 2, 6, 6],
  },
];

describe('compile: image layers channels-last', () => {
  for (const { name, layers, shape } of cases) {
    it(`gives the plain path's outputs and gradients: ${name}`, () => {
      const x = images(shape, shape[2]);
      const guard = leakGuard();
      expect(compare(() => new Sequential(layers()), x)).toBeLessThan(TOLERANCE);
      guard.check(name);
      x.dispose();
    });
  }

  it('matches on BatchNorm2d in eval mode, bit for bit like all of inference', () => {
    const make = () => {
      const model = new Sequential([
        new Conv2d(2, 3, 3, { padding: 1, seed: 16 }),
        new BatchNorm2d(3),
        new ReLU(),
        new MaxPool2d(2),
        new Flatten(),
      ]);
      const bn = model.at(1) as BatchNorm2d;
      tf.tidy(() => {
        bn.runningMean?.assign(tf.tensor1d([0.3, -0.2, 0.1]));
        bn.runningVar?.assign(tf.tensor1d([1.5, 0.5, 2]));
      });
      return model.eval();
    };
    const x = images([3, 2, 6, 6], 17);
    const guard = leakGuard();
    expect(compare(make, x)).toBeLessThan(TOLERANCE);
    const model = make();
    const fast = compile(model).forward(x);
    const plain = model.forward(x);
    expect(Array.from(fast.dataSync())).toEqual(Array.from(plain.dataSync()));
    tf.dispose([fast, plain]);
    model.dispose();
    guard.check('eval');
    x.dispose();
  });

  it('matches on a whole simpleCnn, with and without batch norm, and leaks nothing', async () => {
    for (const batchNorm of [false, true]) {
      const make = () => simpleCnn({ inputShape: [1, 12, 12], classes: 3, hidden: 5, batchNorm, seed: 3 });
      const x = images([4, 1, 12, 12], 18);
      const gap = await expectNoLeaks(() => compare(make, x), 'simpleCnn');
      expect(gap).toBeLessThan(TOLERANCE);
      x.dispose();
    }
  });

  it('transposes once in and once out, where the per-layer path transposes at every convolution', async () => {
    const model = simpleCnn({ inputShape: [3, 8, 8], classes: 2, seed: 4 });
    const x = images([2, 3, 8, 8], 19);
    const count = async (compiled: boolean) => {
      const forward = forwardOf(model, compiled);
      const profile = await tf.profile(() => tf.dispose(forward(x)));
      return profile.kernels.filter((k) => k.name === 'Transpose').length;
    };
    // Per layer: input and output of each convolution plus its weight; a max pool needs none.
    expect(await count(false)).toBe(6);
    expect(await count(true)).toBe(2);
    // A hook on any layer (featureMaps, summary) sends the compiled model to the plain path.
    const handle = model.at(0).registerForwardHook(() => undefined);
    expect(await count(true)).toBe(6);
    handle.remove();
    // So does a subclass of a lowered layer, which may compute something else.
    class MyConv extends Conv2d {}
    const sub = new Sequential([new MyConv(3, 2, 3, { seed: 1 }), new MaxPool2d(2)]);
    const subCompiled = compile(sub);
    const profile = await tf.profile(() => tf.dispose(subCompiled.forward(x)));
    expect(profile.kernels.filter((k) => k.name === 'Transpose').length).toBe(3);
    sub.dispose();
    x.dispose();
    model.dispose();
  });

  it('checks inputs as the layers do, naming NCHW shapes', () => {
    const model = new Sequential([new Conv2d(1, 4, 3), new Conv2d(3, 2, 3)]);
    const x = tf.zeros([2, 1, 7, 6]);
    const message = 'Conv2d(3, 2, 3): input: expected shape [N, 3, H, W], found [2, 4, 5, 4]';
    const guard = leakGuard();
    expect(() => compile(model).forward(x)).toThrow(message);
    expect(() => model.forward(x)).toThrow(message);
    guard.check('errors');
    const tooSmall = new Sequential([new Conv2d(1, 2, 3), new MaxPool2d(5)]);
    expect(() => compile(tooSmall).forward(x)).toThrow(
      'MaxPool2d(5): input: expected height and width of at least 5 x 5 (the kernel size minus padding), found 5 x 4 in shape [2, 2, 5, 4]',
    );
    tf.dispose(x);
    model.dispose();
    tooSmall.dispose();
  });

  it('has gradients that match finite differences through the fused convolution kernel', () => {
    const model = new Sequential([
      new Conv2d(2, 3, 3, { stride: 2, padding: 1, seed: 20 }),
      new ReLU(),
      new MaxPool2d(2),
    ]);
    const x = images([2, 2, 7, 7], 21);
    const r = tf.tensor(randomArray(2 * 3 * 2 * 2, 22), [2, 3, 2, 2]);
    const compiled = compile(model);
    const loss = (input: tf.Tensor) => tf.sum(tf.mul(compiled.forward(input), r)) as tf.Scalar;
    const guard = leakGuard();
    const input = gradCheck(loss, [x]);
    expect(input.ok, JSON.stringify(input.worst)).toBe(true);
    const params = paramGradCheck(() => loss(x), model.parameters());
    expect(params.ok, JSON.stringify(params.worst)).toBe(true);
    guard.check('gradient checks');
    tf.dispose([x, r]);
    model.dispose();
  });

  it('gives a frozen convolution no gradient and trains the rest', () => {
    const model = simpleCnn({ inputShape: [1, 8, 8], classes: 2, seed: 5 });
    (model.at(0) as Conv2d).freeze();
    const x = images([2, 1, 8, 8], 23);
    const variables = model.trainableParameters().map((p) => p.variable);
    expect(variables).toHaveLength(4);
    const guard = leakGuard();
    const compiled = compile(model);
    const { value, grads } = tf.variableGrads(() => tf.sum(compiled.forward(x)) as tf.Scalar, variables);
    expect(Object.keys(grads).sort()).toEqual(variables.map((v) => v.name).sort());
    tf.dispose([value, ...Object.values(grads)]);
    guard.check('frozen');
    x.dispose();
    model.dispose();
  });
});
