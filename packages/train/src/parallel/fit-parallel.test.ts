import { fileURLToPath } from 'node:url';
import { fromConfig, Linear, type Module, ReLU, Sequential, Sigmoid } from '@descent/layers';
import { Adam, SGD } from '@descent/optim';
import { expectNoLeaks, manualSeed, tf } from '@descent/tensor';
import { describe, expect, it } from 'vitest';
import type { BatchLogs } from '../callbacks';
import { EarlyStopping } from '../early-stopping';
import { Learner } from '../learner';
import { fitParallel } from './fit-parallel';
import { ReplicaPool, WorkerFailedError } from './replica-pool';

// Registers TinyConv and FailsInWorker here; the workers import the same file through `imports`.
const fixture = new URL('./fixtures/test-modules.mjs', import.meta.url);
await import(fixture.href);

/** Seeded uniform numbers in [-1, 1). */
function uniform(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  });
}

/** 3 classes from a fixed rule on the first features: every batch has a real gradient. */
function classes(rows: number, cols: number, seed: number) {
  const data = uniform(rows * cols, seed);
  const y = Float32Array.from({ length: rows }, (_, i) => {
    const a = data[i * cols] + data[i * cols + 1];
    return a > 0.3 ? 2 : a > -0.3 ? 1 : 0;
  });
  return { X: { data, rows, cols }, y };
}

const mlp = () =>
  new Sequential([
    new Linear(8, 12, { seed: 1 }),
    new ReLU(),
    new Linear(12, 6, { seed: 2 }),
    new Sigmoid(),
    new Linear(6, 3, { seed: 3 }),
  ]);

const tinyCnn = () => {
  manualSeed(42); // the Linear that fromConfig builds draws from the global generator
  return fromConfig({
    type: 'Sequential',
    layers: [
      { type: 'TinyConv', inChannels: 1, outChannels: 4 },
      { type: 'Linear', inFeatures: 6 * 6 * 4, outFeatures: 3, bias: true },
    ],
  });
};

const weights = (model: Module) => model.parameters().map((p) => p.variable.dataSync() as Float32Array);

/** max |a − b| / max |a| over each tensor, the largest over all. */
function relativeGap(a: Float32Array[], b: Float32Array[]): number {
  let worst = 0;
  a.forEach((x, i) => {
    let diff = 0;
    let scale = 1e-12;
    x.forEach((v, j) => {
      diff = Math.max(diff, Math.abs(v - b[i][j]));
      scale = Math.max(scale, Math.abs(v));
    });
    worst = Math.max(worst, diff / scale);
  });
  return worst;
}

const maxRelative = (a: number[], b: number[]) =>
  Math.max(...a.map((x, i) => Math.abs(x - b[i]) / Math.abs(b[i])));

describe('fitParallel', () => {
  it('matches Learner.fit for an MLP with Adam: weights, loss curve, batch losses and metrics (2 and 3 threads)', async () => {
    const data = classes(230, 8, 7); // 230 = 4 batches of 50 and one of 30: uneven shards
    const run = async (workers: number) => {
      const model = mlp();
      const learner = new Learner(model, {
        loss: 'crossEntropy',
        optimizer: new Adam(model.parameters(), { lr: 0.01 }),
        metrics: ['accuracy'],
      });
      const batches: number[] = [];
      const onBatchEnd = (logs: BatchLogs) => {
        batches.push(logs.loss);
      };
      const options = { epochs: 3, batchSize: 50, seed: 4, callbacks: [{ onBatchEnd }] };
      const { history } =
        workers === 1
          ? await learner.fit(data, options)
          : await fitParallel(learner, data, { ...options, workers });
      return { history, batches, weights: weights(model) };
    };
    const plain = await run(1);
    for (const workers of [2, 3]) {
      const parallel = await run(workers);
      expect(relativeGap(plain.weights, parallel.weights)).toBeLessThan(1e-5);
      expect(parallel.batches).toHaveLength(15);
      expect(maxRelative(parallel.batches, plain.batches)).toBeLessThan(1e-5);
      parallel.history.forEach((h, i) => {
        expect(Math.abs(h.loss - plain.history[i].loss) / plain.history[i].loss).toBeLessThan(1e-5);
        expect(h.accuracy).toBeCloseTo(plain.history[i].accuracy, 6);
      });
    }
    // Training happened: the loss fell, so the comparison is not between two unchanged models.
    expect(plain.history[2].loss).toBeLessThan(plain.history[0].loss);
  });

  it('matches Learner.fit for a conv model whose layer type a worker must import, buffers included (SGD momentum)', async () => {
    const data = classes(90, 36, 11);
    const run = async (workers: number) => {
      const model = tinyCnn();
      const learner = new Learner(model, {
        loss: 'crossEntropy',
        optimizer: new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 }),
        inputShape: [6, 6, 1],
      });
      const options = { epochs: 2, batchSize: 32, seed: 5 };
      const { history } =
        workers === 1
          ? await learner.fit(data, options)
          : await fitParallel(learner, data, { ...options, workers, imports: [fixture] });
      const calls = model.stateDict();
      const count = calls['0.calls'].dataSync()[0];
      tf.dispose(Object.values(calls));
      return { losses: history.map((h) => h.loss), weights: weights(model), count };
    };
    const plain = await run(1);
    const parallel = await run(2);
    expect(parallel.count).toBe(6); // the main's buffer: one training forward per step
    expect(plain.count).toBe(6);
    expect(relativeGap(plain.weights, parallel.weights)).toBeLessThan(1e-5);
    expect(maxRelative(parallel.losses, plain.losses)).toBeLessThan(1e-5);
  });

  it('trains every replica on rows rewritten in shared memory between epochs; a plain array is a snapshot', async () => {
    // The CLI's image recipe shifts its images in place at each epoch's start (one fit, many epochs).
    const source = classes(120, 8, 9);
    const run = async (workers: number, shared: boolean) => {
      const data = shared
        ? new Float32Array(new SharedArrayBuffer(source.X.data.byteLength))
        : new Float32Array(source.X.data.length);
      data.set(source.X.data);
      // Epoch 2 trains on the negated rows: the labels no longer follow the features' rule.
      const onEpochBegin = (epoch: number) => {
        if (epoch === 2) for (let i = 0; i < data.length; i++) data[i] = -source.X.data[i];
      };
      const model = mlp();
      const learner = new Learner(model, {
        loss: 'crossEntropy',
        optimizer: new Adam(model.parameters(), { lr: 0.01 }),
      });
      const options = { epochs: 2, batchSize: 40, seed: 2, callbacks: [{ onEpochBegin }] };
      const X = { data, rows: source.X.rows, cols: source.X.cols };
      const { history } =
        workers === 1
          ? await learner.fit({ X, y: source.y }, options)
          : await fitParallel(learner, { X, y: source.y }, { ...options, workers });
      return { losses: history.map((h) => h.loss), weights: weights(model) };
    };
    const plain = await run(1, true);
    const parallel = await run(2, true);
    expect(relativeGap(plain.weights, parallel.weights)).toBeLessThan(1e-5);
    expect(maxRelative(parallel.losses, plain.losses)).toBeLessThan(1e-5);
    // A plain array is copied into shared memory once per call: the rewrite reaches no replica.
    const snapshot = await run(2, false);
    expect(maxRelative(snapshot.losses.slice(0, 1), plain.losses.slice(0, 1))).toBeLessThan(1e-5);
    expect(Math.abs(snapshot.losses[1] - plain.losses[1]) / plain.losses[1]).toBeGreaterThan(0.01);
  });

  it('runs callbacks, progress, validation and early stopping on the main thread with the combined loss', async () => {
    const data = classes(121, 8, 3); // the last batch has one row: the worker's shard is empty
    const model = mlp();
    const learner = new Learner(model, {
      loss: 'crossEntropy',
      optimizer: new SGD(model.parameters(), { lr: 0 }),
    });
    const progress: number[] = [];
    const stopper = new EarlyStopping({ monitor: 'valLoss', patience: 1 });
    const result = await fitParallel(learner, data, {
      epochs: 10,
      batchSize: 40,
      workers: 2,
      validation: data,
      callbacks: [stopper],
      onProgress: (p) => progress.push(p.loss),
    });
    // lr 0: nothing improves after epoch 1, so patience 1 stops after epoch 2.
    expect(result.history).toHaveLength(2);
    expect(result.stopReason).toMatch(/early stopping: valLoss/);
    expect(progress).toHaveLength(8);
    expect(result.history[0].valLoss).toBeCloseTo(result.history[0].loss, 5);
    expect(learner.batchStep).toBeUndefined();
    expect(ReplicaPool.running).toBe(0);
  });

  it('leaks no tensors on the main thread', async () => {
    const data = classes(64, 8, 9);
    const model = mlp();
    const learner = new Learner(model, {
      loss: 'crossEntropy',
      optimizer: new Adam(model.parameters()),
      metrics: ['accuracy'],
    });
    await fitParallel(learner, data, { epochs: 1, batchSize: 16, workers: 2 }); // creates Adam's state
    await expectNoLeaks(
      () => fitParallel(learner, data, { epochs: 2, batchSize: 16, workers: 2 }),
      'fitParallel',
    );
  });

  it('stops between batches when aborted and reports cancelled', async () => {
    const data = classes(200, 8, 2);
    const model = mlp();
    const learner = new Learner(model, { loss: 'crossEntropy', optimizer: new Adam(model.parameters()) });
    const abort = new AbortController();
    let seen = 0;
    const onBatchEnd = () => {
      if (++seen === 3) abort.abort();
    };
    const result = await fitParallel(learner, data, {
      epochs: 5,
      batchSize: 20,
      workers: 2,
      signal: abort.signal,
      callbacks: [{ onBatchEnd }],
    });
    expect(result.cancelled).toBe(true);
    expect(seen).toBe(3);
    expect(ReplicaPool.running).toBe(0);
    const again = await fitParallel(learner, data, { epochs: 1, workers: 2, signal: abort.signal });
    expect(again.cancelled).toBe(true);
  });

  it('surfaces an error thrown inside a worker, names the worker and stops the others', async () => {
    const model = new Sequential([new Linear(8, 3, { seed: 1 }), fromConfig({ type: 'FailsInWorker' })]);
    const learner = new Learner(model, {
      loss: 'crossEntropy',
      optimizer: new SGD(model.parameters(), { lr: 0.1 }),
    });
    const failing = fitParallel(learner, classes(40, 8, 1), {
      epochs: 1,
      batchSize: 20,
      workers: 3,
      imports: [fileURLToPath(fixture)],
    });
    await expect(failing).rejects.toThrow(WorkerFailedError);
    await expect(failing).rejects.toThrow(/fitParallel: worker [12] failed during a step: boom in a worker/);
    expect(learner.batchStep).toBeUndefined();
    expect(ReplicaPool.running).toBe(0);
  });

  it('notices a worker that dies in the middle of a step', async () => {
    const model = new Sequential([new Linear(8, 3, { seed: 1 }), fromConfig({ type: 'ExitsInWorker' })]);
    const learner = new Learner(model, {
      loss: 'crossEntropy',
      optimizer: new SGD(model.parameters(), { lr: 0.1 }),
    });
    await expect(
      fitParallel(learner, classes(40, 8, 1), { epochs: 1, batchSize: 20, workers: 2, imports: [fixture] }),
    ).rejects.toThrow(/fitParallel: worker 1 exited unexpectedly \(code 3\)/);
    expect(ReplicaPool.running).toBe(0);
  });

  it('says which module to import when a worker cannot rebuild the model', async () => {
    const model = new Sequential([new Linear(8, 3, { seed: 1 }), fromConfig({ type: 'FailsInWorker' })]);
    const learner = new Learner(model, {
      loss: 'crossEntropy',
      optimizer: new SGD(model.parameters(), { lr: 0.1 }),
    });
    await expect(fitParallel(learner, classes(40, 8, 1), { epochs: 1, workers: 2 })).rejects.toThrow(
      /worker 1 could not build its replica: fromConfig: config.type: .*found "FailsInWorker".*imports: \['@descent\/cnn'\]/,
    );
    expect(ReplicaPool.running).toBe(0);
  });

  it('validates workers, imports and the loss; workers: 1 is plain Learner.fit', async () => {
    const data = classes(30, 8, 5);
    const make = () => {
      const model = mlp();
      return new Learner(model, {
        loss: 'crossEntropy',
        optimizer: new SGD(model.parameters(), { lr: 0.1 }),
      });
    };
    const learner = make();
    for (const workers of [0, -1, 1.5, Number.NaN, '2' as unknown as number]) {
      await expect(fitParallel(learner, data, { epochs: 1, workers })).rejects.toThrow(
        /workers: expected a positive integer, found/,
      );
    }
    await expect(
      fitParallel(learner, data, { epochs: 1, workers: 2, imports: 'x' as unknown as string[] }),
    ).rejects.toThrow(/imports: expected an array/);
    await expect(
      fitParallel(learner, data, { epochs: 1, workers: 2, imports: ['@descent/no-such-package'] }),
    ).rejects.toThrow(/imports: expected a module installed .* found '@descent\/no-such-package'/);
    const net = mlp();
    const fnLoss = new Learner(net, {
      loss: (a, b) => tf.losses.meanSquaredError(b, a),
      optimizer: new SGD(net.parameters(), { lr: 0.1 }),
    });
    await expect(fitParallel(fnLoss, data, { epochs: 1, workers: 2 })).rejects.toThrow(
      /Learner: loss: expected a loss name/,
    );
    const one = make();
    const two = make();
    const a = await one.fit(data, { epochs: 2, batchSize: 8 });
    const b = await fitParallel(two, data, { epochs: 2, batchSize: 8, workers: 1 });
    expect(b.history).toEqual(a.history);
    expect(weights(two.model)).toEqual(weights(one.model));
  });
});
