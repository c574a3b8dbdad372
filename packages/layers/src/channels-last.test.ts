import { leakGuard, tf } from '@descent/tensor';
import { describe, expect, it } from 'vitest';
import {
  channelsLastLayer,
  forwardLayers,
  isLayoutAgnostic,
  toChannelsFirst,
  toChannelsLast,
} from './channels-last';
import { Dropout } from './dropout';
import { Linear } from './linear';
import { Module } from './module';
import { Parameter } from './parameter';
import { ReLU } from './relu';
import { Sequential } from './sequential';
import { Softmax } from './softmax';
import { Tanh } from './tanh';

// Stand-ins for @descent/cnn's image layers, which implement the same two members.

/** Multiplies each channel by its weight: NCHW forward, NHWC forwardChannelsLast. */
class ChannelScale extends Module {
  readonly weight: Parameter;
  readonly calls = { forward: 0, channelsLast: 0 };

  constructor(
    values: number[],
    private readonly prefers = true,
  ) {
    super();
    this.weight = new Parameter(tf.tensor1d(values));
  }

  forward(x: tf.Tensor): tf.Tensor {
    this.calls.forward++;
    return tf.mul(x, tf.reshape(this.weight.value, [1, -1, 1, 1]));
  }

  get prefersChannelsLast(): boolean {
    return this.prefers;
  }

  forwardChannelsLast(x: tf.Tensor): tf.Tensor {
    this.calls.channelsLast++;
    return tf.mul(x, this.weight.value);
  }
}

/** 2×2 max pooling; its NCHW forward transposes around tfjs's NHWC pool. */
class Pool extends Module {
  readonly calls = { forward: 0, channelsLast: 0 };

  forward(x: tf.Tensor): tf.Tensor {
    this.calls.forward++;
    return tf.tidy(() => toChannelsFirst(tf.maxPool(toChannelsLast(x) as tf.Tensor4D, 2, 2, 'valid')));
  }

  get commutesWithReLU(): boolean {
    return true;
  }

  forwardChannelsLast(x: tf.Tensor): tf.Tensor {
    this.calls.channelsLast++;
    return tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid');
  }
}

/** The mean of each channel, [N, C]: a channels-last run ends with it. */
class ChannelMean extends Module {
  forward(x: tf.Tensor): tf.Tensor {
    return tf.mean(x, [2, 3]);
  }

  forwardChannelsLast(x: tf.Tensor): tf.Tensor {
    return tf.mean(x, [1, 2]);
  }
}

const images = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, 'float32', seed);

async function kernels(fn: () => tf.Tensor): Promise<{ name: string; inputShapes: number[][] }[]> {
  const profile = await tf.profile(() => tf.dispose(fn()));
  return profile.kernels.map((k) => ({ name: k.name, inputShapes: k.inputShapes as number[][] }));
}

const transposes = async (fn: () => tf.Tensor) =>
  (await kernels(fn)).filter((k) => k.name === 'Transpose').length;

/** Output and every gradient (input and parameters) of sum(model(x) · r), as plain arrays. */
function outputsAndGradients(model: Sequential, x: tf.Tensor): number[][] {
  return tf.tidy(() => {
    const y = model.forward(x);
    const r = images(y.shape, 7);
    const objective = (input: tf.Tensor) => tf.sum(tf.mul(model.forward(input), r)) as tf.Scalar;
    const variables = model.parameters().map((p) => p.variable);
    const { grads } = tf.variableGrads(() => objective(x), variables);
    return [y, tf.grad(objective)(x), ...variables.map((v) => grads[v.name])].map((t) =>
      Array.from(t.dataSync()),
    );
  });
}

function expectClose(a: number[][], b: number[][]): void {
  expect(b.map((t) => t.length)).toEqual(a.map((t) => t.length));
  a.forEach((t, i) => {
    t.forEach((v, j) => {
      expect(Math.abs(v - b[i][j])).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(v)));
    });
  });
}

describe('Sequential channels-last runs', () => {
  it('gives the per-layer path’s output and gradients, each image layer running channels-last', () => {
    const model = new Sequential([
      new ChannelScale([0.5, -2, 1.5]),
      new ReLU(),
      new Pool(),
      new Tanh(),
      new ChannelScale([1, 3, -1]),
    ]);
    const x = images([2, 3, 4, 6], 1);
    const guard = leakGuard();
    model.channelsLast = false;
    const plain = outputsAndGradients(model, x);
    const [a, , pool, , b] = model.layers as [ChannelScale, ReLU, Pool, Tanh, ChannelScale];
    expect([a.calls, pool.calls, b.calls].map((c) => c.channelsLast)).toEqual([0, 0, 0]);
    model.channelsLast = true;
    const fast = outputsAndGradients(model, x);
    expectClose(plain, fast);
    // Each layer ran as often on the fast path as on the plain one, there channels-last only.
    expect([a.calls, pool.calls, b.calls]).toEqual([a, pool, b].map(() => ({ forward: 3, channelsLast: 3 })));
    guard.check('forward and gradients');
    x.dispose();
    model.dispose();
  });

  it('transposes once in and once out, or only reshapes for one channel', async () => {
    const model = new Sequential([new ChannelScale([1, 2]), new Pool(), new Pool()]);
    const x = images([1, 2, 8, 8], 2);
    model.channelsLast = false;
    expect(await transposes(() => model.forward(x))).toBe(4);
    model.channelsLast = true;
    expect(await transposes(() => model.forward(x))).toBe(2);
    const single = new Sequential([new ChannelScale([3]), new Pool()]);
    const y = images([2, 1, 4, 4], 3);
    expect(await transposes(() => single.forward(y))).toBe(0);
    const out = single.forward(y);
    expect(out.shape).toEqual([2, 1, 2, 2]);
    tf.dispose([x, y, out]);
    model.dispose();
    single.dispose();
  });

  it('runs a ReLU just before a max pool after it, on the pooled values', async () => {
    const model = new Sequential([new ChannelScale([1, -1]), new ReLU(), new Pool()]);
    const x = images([2, 2, 4, 4], 4);
    const relu = (await kernels(() => model.forward(x))).find((k) => k.name === 'Relu');
    expect(relu?.inputShapes[0]).toEqual([2, 2, 2, 2]);
    model.channelsLast = false;
    const plainRelu = (await kernels(() => model.forward(x))).find((k) => k.name === 'Relu');
    expect(plainRelu?.inputShapes[0]).toEqual([2, 2, 4, 4]);
    x.dispose();
    model.dispose();
  });

  it('starts a run only where a layer prefers channels-last', async () => {
    const pools = new Sequential([new Pool(), new Pool()]);
    const x = images([1, 2, 8, 8], 5);
    expect(await transposes(() => pools.forward(x))).toBe(4);
    expect((pools.at(0) as Pool).calls.channelsLast).toBe(0);
    // A layer that does not prefer channels-last still joins a run that a later one starts.
    const mixed = new Sequential([new ChannelScale([1, 1], false), new Pool(), new ChannelScale([2, 2])]);
    expect(await transposes(() => mixed.forward(x))).toBe(2);
    expect((mixed.at(0) as ChannelScale).calls).toEqual({ forward: 0, channelsLast: 1 });
    x.dispose();
    pools.dispose();
    mixed.dispose();
  });

  it('ends a run at a layer that cannot take channels-last images, and at a non-image result', async () => {
    const dropout = new Dropout({ p: 0.5, seed: 1 });
    const model = new Sequential([new ChannelScale([1, 2]), dropout, new ChannelScale([3, 4])]);
    const x = images([2, 2, 4, 4], 6);
    // Dropout draws its mask in NCHW order: the run stops before it and starts again after.
    expect(await transposes(() => model.forward(x))).toBe(4);
    model.eval();
    expect(await transposes(() => model.forward(x))).toBe(2);
    const softmax = new Sequential([
      new ChannelScale([1, 2]),
      new Softmax({ dim: 1 }),
      new ChannelScale([1, 1]),
    ]);
    expect(isLayoutAgnostic(softmax.at(1))).toBe(false);
    expect(await transposes(() => softmax.forward(x))).toBe(4);
    const pooled = new Sequential([
      new ChannelScale([1, 2]),
      new ChannelMean(),
      new Linear(2, 3, { seed: 1 }),
    ]);
    const guard = leakGuard();
    const y = pooled.forward(x);
    expect(y.shape).toEqual([2, 3]);
    expect(await transposes(() => pooled.forward(x))).toBe(1);
    pooled.channelsLast = false;
    const plain = pooled.forward(x);
    expectClose([Array.from(plain.dataSync())], [Array.from(y.dataSync())]);
    tf.dispose([y, plain]);
    guard.check('ChannelMean run');
    x.dispose();
    for (const m of [model, softmax, pooled]) m.dispose();
  });

  it('leaves hooked or overridden forwards, vectors and non-float images on the plain path', async () => {
    const hooked = new ChannelScale([1, 2]);
    hooked.registerForwardHook(() => undefined);
    expect(channelsLastLayer(hooked)).toBeNull();
    class Doubled extends ChannelScale {
      override forward(x: tf.Tensor): tf.Tensor {
        return tf.mul(super.forward(x), 2);
      }
    }
    expect(channelsLastLayer(new Doubled([1]))).toBeNull();
    const relu = new ReLU();
    const handle = relu.registerForwardPreHook(() => undefined);
    expect(isLayoutAgnostic(relu)).toBe(false);
    handle.remove();
    expect(isLayoutAgnostic(relu)).toBe(true);
    class Relu2 extends ReLU {}
    expect(isLayoutAgnostic(new Relu2())).toBe(false);
    expect(channelsLastLayer(new ChannelScale([1]))).not.toBeNull();

    const model = new Sequential([hooked, new Pool()]);
    const x = images([1, 2, 4, 4], 7);
    expect(await transposes(() => model.forward(x))).toBe(2);
    expect(hooked.calls.channelsLast).toBe(0);
    // summary() hooks every layer's forward, so it sees the NCHW shapes.
    const text = new Sequential([new ChannelScale([1, 2]), new ReLU(), new Pool()]).summary([2, 4, 4]);
    expect(text).toMatch(/1\s+ReLU\s+\[N, 2, 4, 4\]/);
    const ints = tf.ones([1, 2, 4, 4], 'int32');
    const scale = new ChannelScale([1, 2]);
    tf.dispose(forwardLayers([scale], ints));
    expect(scale.calls).toEqual({ forward: 1, channelsLast: 0 });
    const vectors = tf.ones([3, 2]);
    expect(forwardLayers([new ReLU()], vectors).shape).toEqual([3, 2]);
    tf.dispose([x, ints, vectors]);
    model.dispose();
    scale.dispose();
  });
});
