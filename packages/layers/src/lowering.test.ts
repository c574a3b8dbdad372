import { leakGuard, type Tensor4D, tf, toChannelsFirst, toChannelsLast } from '@descent/tensor';
import { describe, expect, it } from 'vitest';
import { compile } from './compile';
import { Dropout } from './dropout';
import { Linear } from './linear';
import { isLayoutAgnostic, registerLowering } from './lowering';
import { Module } from './module';
import { Parameter } from './parameter';
import { ReLU } from './relu';
import { Sequential } from './sequential';
import { Softmax } from './softmax';
import { Tanh } from './tanh';

// Stand-ins for @descent/cnn's image layers: an NCHW forward each, and a lowering registered
// below as @descent/cnn registers its own. The counters tell which one ran.

/** Multiplies each channel by its weight. */
class ChannelScale extends Module {
  readonly weight: Parameter;
  readonly calls = { forward: 0, channelsLast: 0 };

  constructor(
    values: number[],
    readonly prefers = true,
  ) {
    super();
    this.weight = new Parameter(tf.tensor1d(values));
  }

  forward(x: tf.Tensor): tf.Tensor {
    this.calls.forward++;
    return tf.mul(x, tf.reshape(this.weight.value, [1, -1, 1, 1]));
  }
}

/** 2×2 max pooling; its NCHW forward transposes around tfjs's NHWC pool. */
class Pool extends Module {
  readonly calls = { forward: 0, channelsLast: 0 };

  forward(x: tf.Tensor): tf.Tensor {
    this.calls.forward++;
    return tf.tidy(() => toChannelsFirst(tf.maxPool(toChannelsLast(x as Tensor4D), 2, 2, 'valid')));
  }
}

/** The mean of each channel, [N, C]: a channels-last run ends with it. */
class ChannelMean extends Module {
  forward(x: tf.Tensor): tf.Tensor {
    return tf.mean(x, [2, 3]);
  }
}

registerLowering(ChannelScale, (layer) => ({
  prefersChannelsLast: layer.prefers,
  run(x) {
    layer.calls.channelsLast++;
    return tf.mul(x, layer.weight.value);
  },
}));
registerLowering(Pool, (layer) => ({
  run(x) {
    layer.calls.channelsLast++;
    return tf.maxPool(x, 2, 2, 'valid');
  },
  runAfterReLU(x) {
    layer.calls.channelsLast++;
    return tf.tidy(() => tf.relu(tf.maxPool(x, 2, 2, 'valid')));
  },
}));
registerLowering(ChannelMean, () => ({ run: (x) => tf.mean(x, [1, 2]) }));

/** The compiled forward, or the model's own `call`. */
const forwardOf = (model: Module, compiled: boolean) => {
  const fast = compile(model);
  return compiled ? (x: tf.Tensor) => fast.forward(x) : (x: tf.Tensor) => model.call(x);
};

const images = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, 'float32', seed);

async function kernels(fn: () => tf.Tensor): Promise<{ name: string; inputShapes: number[][] }[]> {
  const profile = await tf.profile(() => tf.dispose(fn()));
  return profile.kernels.map((k) => ({ name: k.name, inputShapes: k.inputShapes as number[][] }));
}

const transposes = async (fn: () => tf.Tensor) =>
  (await kernels(fn)).filter((k) => k.name === 'Transpose').length;

/** Output and every gradient (input and parameters) of sum(model(x) · r), as plain arrays. */
function outputsAndGradients(model: Sequential, x: tf.Tensor, compiled: boolean): number[][] {
  const forward = forwardOf(model, compiled);
  return tf.tidy(() => {
    const y = forward(x);
    const r = images(y.shape, 7);
    const objective = (input: tf.Tensor) => tf.sum(tf.mul(forward(input), r)) as tf.Scalar;
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

/** The compiled forward of `model`. */
const fast = (model: Module) => {
  const compiled = compile(model);
  return (x: tf.Tensor) => compiled.forward(x);
};

describe('compile: channels-last runs of lowered layers', () => {
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
    const plain = outputsAndGradients(model, x, false);
    const [a, , pool, , b] = model.layers as [ChannelScale, ReLU, Pool, Tanh, ChannelScale];
    expect([a.calls, pool.calls, b.calls].map((c) => c.channelsLast)).toEqual([0, 0, 0]);
    const compiled = outputsAndGradients(model, x, true);
    expectClose(plain, compiled);
    // Each layer ran as often compiled as plain, there channels-last only.
    expect([a.calls, pool.calls, b.calls]).toEqual([a, pool, b].map(() => ({ forward: 3, channelsLast: 3 })));
    guard.check('forward and gradients');
    x.dispose();
    model.dispose();
  });

  it('transposes once in and once out, or only reshapes for one channel', async () => {
    const model = new Sequential([new ChannelScale([1, 2]), new Pool(), new Pool()]);
    const x = images([1, 2, 8, 8], 2);
    expect(await transposes(() => model.forward(x))).toBe(4);
    expect(await transposes(() => fast(model)(x))).toBe(2);
    const single = new Sequential([new ChannelScale([3]), new Pool()]);
    const y = images([2, 1, 4, 4], 3);
    expect(await transposes(() => fast(single)(y))).toBe(0);
    const out = fast(single)(y);
    expect(out.shape).toEqual([2, 1, 2, 2]);
    tf.dispose([x, y, out]);
    model.dispose();
    single.dispose();
  });

  it('runs a ReLU just before a max pool after it, on the pooled values', async () => {
    const model = new Sequential([new ChannelScale([1, -1]), new ReLU(), new Pool()]);
    const x = images([2, 2, 4, 4], 4);
    const relu = (await kernels(() => fast(model)(x))).find((k) => k.name === 'Relu');
    expect(relu?.inputShapes[0]).toEqual([2, 2, 2, 2]);
    const plainRelu = (await kernels(() => model.forward(x))).find((k) => k.name === 'Relu');
    expect(plainRelu?.inputShapes[0]).toEqual([2, 2, 4, 4]);
    x.dispose();
    model.dispose();
  });

  it('opens up nested Sequentials, so a run goes on across them', async () => {
    const model = new Sequential([new Sequential([new ChannelScale([1, 2]), new Pool()]), new Pool()]);
    const x = images([1, 2, 8, 8], 2);
    expect(await transposes(() => model.forward(x))).toBe(4);
    expect(await transposes(() => fast(model)(x))).toBe(2);
    const [plain, compiled] = [model.forward(x), fast(model)(x)];
    expectClose([Array.from(plain.dataSync())], [Array.from(compiled.dataSync())]);
    tf.dispose([x, plain, compiled]);
    model.dispose();
  });

  it('starts a run only where a layer prefers channels-last', async () => {
    const pools = new Sequential([new Pool(), new Pool()]);
    const x = images([1, 2, 8, 8], 5);
    expect(await transposes(() => fast(pools)(x))).toBe(4);
    expect((pools.at(0) as Pool).calls.channelsLast).toBe(0);
    // A layer that does not prefer channels-last still joins a run that a later one starts.
    const mixed = new Sequential([new ChannelScale([1, 1], false), new Pool(), new ChannelScale([2, 2])]);
    expect(await transposes(() => fast(mixed)(x))).toBe(2);
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
    expect(await transposes(() => fast(model)(x))).toBe(4);
    model.eval();
    expect(await transposes(() => fast(model)(x))).toBe(2);
    const softmax = new Sequential([
      new ChannelScale([1, 2]),
      new Softmax({ dim: 1 }),
      new ChannelScale([1, 1]),
    ]);
    expect(isLayoutAgnostic(softmax.at(1))).toBe(false);
    expect(await transposes(() => fast(softmax)(x))).toBe(4);
    const pooled = new Sequential([
      new ChannelScale([1, 2]),
      new ChannelMean(),
      new Linear(2, 3, { seed: 1 }),
    ]);
    const guard = leakGuard();
    const y = fast(pooled)(x);
    expect(y.shape).toEqual([2, 3]);
    expect(await transposes(() => fast(pooled)(x))).toBe(1);
    const plain = pooled.forward(x);
    expectClose([Array.from(plain.dataSync())], [Array.from(y.dataSync())]);
    tf.dispose([y, plain]);
    guard.check('ChannelMean run');
    x.dispose();
    for (const m of [model, softmax, pooled]) m.dispose();
  });

  it('leaves hooked models, subclasses, vectors and non-float images on the plain path', async () => {
    const x = images([1, 2, 4, 4], 7);
    const hooked = new ChannelScale([1, 2]);
    const handle = hooked.registerForwardHook(() => undefined);
    const model = new Sequential([hooked, new Pool()]);
    expect(await transposes(() => fast(model)(x))).toBe(2);
    expect(hooked.calls).toEqual({ forward: 1, channelsLast: 0 });
    handle.remove();
    expect(await transposes(() => fast(model)(x))).toBe(2);
    expect(hooked.calls).toEqual({ forward: 1, channelsLast: 1 });
    // A subclass may compute something else: it runs its own forward (and ends the run).
    class Doubled extends ChannelScale {
      override forward(x: tf.Tensor): tf.Tensor {
        return tf.mul(super.forward(x), 2);
      }
    }
    const doubled = new Doubled([1, 1]);
    const sub = new Sequential([doubled, new ChannelScale([2, 2]), new Pool()]);
    tf.dispose(fast(sub)(x));
    expect(doubled.calls).toEqual({ forward: 1, channelsLast: 0 });
    class Relu2 extends ReLU {}
    expect(isLayoutAgnostic(new Relu2())).toBe(false);
    class Sequential2 extends Sequential {}
    const subModel = new Sequential2([new ChannelScale([1, 2]), new Pool()]);
    tf.dispose(fast(subModel)(x));
    expect((subModel.at(0) as ChannelScale).calls).toEqual({ forward: 1, channelsLast: 0 });
    // summary() hooks every layer's forward, so it sees the NCHW shapes.
    const text = new Sequential([new ChannelScale([1, 2]), new ReLU(), new Pool()]).summary([2, 4, 4]);
    expect(text).toMatch(/1\s+ReLU\s+\[N, 2, 4, 4\]/);
    const ints = tf.ones([1, 2, 4, 4], 'int32');
    const scale = new ChannelScale([1, 2]);
    tf.dispose(fast(new Sequential([scale]))(ints));
    expect(scale.calls).toEqual({ forward: 1, channelsLast: 0 });
    const vectors = tf.ones([3, 2]);
    expect(fast(new Sequential([new ReLU()]))(vectors).shape).toEqual([3, 2]);
    tf.dispose([x, ints, vectors]);
    for (const m of [model, sub, subModel, scale]) m.dispose();
  });

  it('runs the layer itself where its step steps aside, so the layer reports the error', () => {
    class Strict extends Module {
      forward(x: tf.Tensor): tf.Tensor {
        if (x.shape[1] !== 2) throw new Error(`Strict: expected 2 channels, found shape [${x.shape}]`);
        return x;
      }
    }
    registerLowering(Strict, () => ({ run: (x) => (x.shape[3] === 2 ? x : undefined) }));
    const model = new Sequential([new ChannelScale([1, 2]), new Pool(), new Strict()]);
    const x = images([1, 2, 4, 4], 8);
    const three = new Sequential([new ChannelScale([1, 2, 3]), new Pool(), new Strict()]);
    const z = images([1, 3, 4, 4], 9);
    const guard = leakGuard();
    const y = fast(model)(x);
    expect(y.shape).toEqual([1, 2, 2, 2]);
    y.dispose();
    expect(() => fast(three)(z)).toThrow('Strict: expected 2 channels, found shape [1,3,2,2]');
    guard.check('stepped aside');
    tf.dispose([x, z]);
    model.dispose();
    three.dispose();
  });
});
