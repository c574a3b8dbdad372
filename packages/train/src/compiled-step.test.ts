import { readFileSync } from 'node:fs';
import { Linear, ReLU, Sequential, Sigmoid } from '@descent/layers';
import { Adam } from '@descent/optim';
import { nativeKernelInfo, tf } from '@descent/tensor';
import { describe, expect, it } from 'vitest';
import { Learner } from './learner';

const native = nativeKernelInfo().active && tf.getBackend() === 'wasm';

/** 96 rows of 20 features in 4 classes, separable enough to learn in a few epochs. */
function data() {
  const rows = 96;
  const X = new Float32Array(rows * 20);
  const y = new Float32Array(rows);
  for (let i = 0; i < rows; i++) {
    y[i] = i % 4;
    for (let j = 0; j < 20; j++) X[i * 20 + j] = Math.sin(i * 1.3 + j * 0.7) + (j % 4 === y[i] ? 1 : 0);
  }
  return { X: { data: X, rows, cols: 20 }, y: { data: y, rows, cols: 1 } };
}

const mlp = (middle = new ReLU()) =>
  new Sequential([
    new Linear(20, 16, { seed: 1 }),
    middle,
    new Linear(16, 8, { seed: 2 }),
    new ReLU(),
    new Linear(8, 4, { seed: 3 }),
  ]);

/** Trains an MLP under crossEntropy; returns its epoch losses, weights, accuracies and the kernels of one epoch. */
async function train(options: {
  compile: boolean;
  freezeFirst?: boolean;
  middle?: () => Sequential['layers'][number];
}) {
  const before = tf.memory().numTensors;
  const model = mlp(options.middle?.());
  if (options.freezeFirst) model.layers[0].freeze();
  const optimizer = new Adam(model.parameters(), { lr: 0.01 });
  const learner = new Learner(model, {
    loss: 'crossEntropy',
    optimizer,
    metrics: ['accuracy'],
    compile: options.compile,
  });
  const first = Array.from(model.parameters()[0].variable.dataSync());
  const info = await tf.profile(async () => {
    await learner.fit(data(), { epochs: 1, batchSize: 32, seed: 1 });
  });
  const { history } = await learner.fit(data(), { epochs: 4, batchSize: 32, seed: 2 });
  const weights = model.parameters().map((p) => Array.from(p.variable.dataSync()));
  optimizer.dispose();
  model.dispose();
  expect(tf.memory().numTensors).toBe(before);
  return {
    losses: history.map((h) => h.loss),
    accuracies: history.map((h) => h.accuracy),
    weights,
    first,
    kernels: info.kernels.map((k) => k.name),
  };
}

describe('the Learner step compiled whole (a Linear chain under crossEntropy)', () => {
  it.runIf(native)("trains as the step through the tape does, with none of the chain's kernels", async () => {
    const whole = await train({ compile: true });
    const plain = await train({ compile: false });
    for (const [i, l] of whole.losses.entries()) {
      expect(Math.abs(l - plain.losses[i])).toBeLessThan(1e-4 * plain.losses[i]);
    }
    expect(whole.accuracies).toEqual(plain.accuracies);
    for (const [i, w] of whole.weights.flat().entries()) expect(w).toBeCloseTo(plain.weights.flat()[i], 4);
    expect(whole.losses[3]).toBeLessThan(whole.losses[0]);
    // Through the tape the compiled chain runs DescentLinear3 and DescentLinearGrad every step.
    expect(whole.kernels.filter((k) => k.startsWith('DescentLinear'))).toEqual([]);
    expect(plain.kernels.length).toBeGreaterThan(20);
  });

  it.runIf(native)('leaves a frozen layer as it was', async () => {
    const whole = await train({ compile: true, freezeFirst: true });
    const plain = await train({ compile: false, freezeFirst: true });
    expect(whole.weights[0]).toEqual(whole.first);
    for (const [i, w] of whole.weights.flat().entries()) expect(w).toBeCloseTo(plain.weights.flat()[i], 4);
  });

  it.runIf(native)('steps aside for a model that is not a Linear chain', async () => {
    const sigmoid = await train({ compile: true, middle: () => new Sigmoid() });
    const whole = await train({ compile: true });
    // One epoch is 3 steps: the whole step runs at most the optimizer's 2 copies a step, the taped one more.
    expect(whole.kernels.length).toBeLessThanOrEqual(6);
    expect(sigmoid.kernels.length).toBeGreaterThan(2 * whole.kernels.length);
  });
});

// Written by fixtures/make-chain-step-fixture.py from PyTorch itself (float64).
const torchRun = JSON.parse(readFileSync(new URL('../fixtures/chain-step.json', import.meta.url), 'utf8'));

describe(`the Learner's step reproduces PyTorch ${torchRun.torch}'s training of a ReLU MLP under cross-entropy`, () => {
  for (const compile of [true, false]) {
    it.runIf(native || !compile)(compile ? 'compiled whole' : 'through the tape', async () => {
      const [a, b, c, d] = torchRun.widths as number[];
      const model = new Sequential([
        new Linear(a, b),
        new ReLU(),
        new Linear(b, c),
        new ReLU(),
        new Linear(c, d),
      ]);
      const start = Object.fromEntries(
        model.namedParameters().map(([name, p]) => [name, tf.tensor(torchRun.start[name], p.shape)]),
      );
      model.loadStateDict(start);
      tf.dispose(Object.values(start));
      const optimizer = new Adam(model.parameters(), { lr: torchRun.lr });
      const learner = new Learner(model, { loss: 'crossEntropy', optimizer, compile });
      const rows = torchRun.y.length;
      const data = {
        X: { data: Float32Array.from(torchRun.X.flat()), rows, cols: a },
        y: { data: Float32Array.from(torchRun.y), rows, cols: 1 },
      };
      const losses: number[] = [];
      const before = await tf.profile(async () => {
        await learner.fit(data, {
          epochs: torchRun.epochs,
          batchSize: torchRun.batch,
          shuffle: false,
          callbacks: [{ onBatchEnd: (logs) => void losses.push(logs.loss) }],
        });
      });
      // Compiled whole, no kernel runs but the optimizer's copies.
      expect(before.kernels.every((k) => k.name === 'Identity')).toBe(compile);
      expect(losses.length).toBe(torchRun.losses.length);
      for (const [i, loss] of losses.entries()) expect(loss).toBeCloseTo(torchRun.losses[i], 5);
      for (const [name, p] of model.namedParameters()) {
        const values = p.variable.dataSync();
        for (const [i, v] of torchRun.end[name].entries()) expect(values[i]).toBeCloseTo(v, 5);
      }
      optimizer.dispose();
      model.dispose();
    });
  }
});
