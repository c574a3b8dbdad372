import { dosage, moons } from '@descent/datasets';
import { Linear, type Module, ReLU, Sequential, Sigmoid, Softplus } from '@descent/layers';
import { Adam, SGD } from '@descent/optim';
import { leakGuard, tf } from '@descent/tensor';
import { describe, expect, it } from 'vitest';
import type { Callback, EpochLogs } from './callbacks';
import { EarlyStopping } from './early-stopping';
import { Learner } from './learner';
import { TrainingDivergedError } from './training-diverged-error';

const patients = () => {
  const d = dosage();
  return { X: d.X, y: d.y };
};

function dosageNet(seed: number): Sequential {
  return new Sequential([new Linear(1, 2, { seed }), new Softplus(), new Linear(2, 1, { seed: seed + 1 })]);
}

function weights(model: Module): number[][] {
  return model.parameters().map((p) => Array.from(p.variable.dataSync()));
}

describe('Learner on the course example', () => {
  it('fits the three patients with a 1-2-1 softplus network to MSE < 0.01', async () => {
    const model = dosageNet(0);
    const optimizer = new Adam(model.parameters(), { lr: 0.05 });
    const learner = new Learner(model, { loss: 'mse', optimizer, metrics: ['mse'] });
    const { history } = await learner.fit(patients(), { epochs: 1000, batchSize: 3, seed: 1 });
    expect(history[history.length - 1].loss).toBeLessThan(0.01);
    const out = learner.predict([[0], [0.5], [1]]).data;
    expect(Math.abs(out[0] - 0)).toBeLessThan(0.1);
    expect(Math.abs(out[1] - 1)).toBeLessThan(0.1);
    expect(Math.abs(out[2] - 0)).toBeLessThan(0.1);
    optimizer.dispose();
    model.dispose();
  });

  it('gives the same weights and loss curve for the same seed', async () => {
    const run = async () => {
      const model = dosageNet(11);
      const optimizer = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
      const learner = new Learner(model, { loss: 'mse', optimizer });
      const { history } = await learner.fit(patients(), { epochs: 50, batchSize: 2, seed: 5 });
      const result = { losses: history.map((h) => h.loss), weights: weights(model) };
      optimizer.dispose();
      model.dispose();
      return result;
    };
    const a = await run();
    const b = await run();
    expect(b.losses).toEqual(a.losses);
    expect(b.weights).toEqual(a.weights);
    expect(new Set(a.losses).size).toBeGreaterThan(10);
  });
});

describe('Learner.fit', () => {
  it('leaks no tensors over epochs, prediction and evaluation', async () => {
    const data = moons({ n: 64, seed: 2 });
    const model = new Sequential([
      new Linear(2, 8, { seed: 1 }),
      new ReLU(),
      new Linear(8, 1, { seed: 2 }),
      new Sigmoid(),
    ]);
    const optimizer = new Adam(model.parameters(), { lr: 0.01 });
    const learner = new Learner(model, { loss: 'bce', optimizer, metrics: ['accuracy'] });
    await learner.fit({ X: data.X, y: data.y }, { epochs: 1, batchSize: 16 }); // creates the optimizer state
    const guard = leakGuard();
    await learner.fit(
      { X: data.X, y: data.y },
      { epochs: 5, batchSize: 16, validation: { X: data.X, y: data.y } },
    );
    learner.predict(data.X);
    learner.evaluate({ X: data.X, y: data.y });
    guard.check('fit, predict and evaluate');
    optimizer.dispose();
    model.dispose();
  });

  it('learns the moons to high accuracy and logs metrics for train and validation', async () => {
    const data = moons({ n: 200, noise: 0.1, seed: 4 });
    const model = new Sequential([
      new Linear(2, 16, { seed: 1 }),
      new ReLU(),
      new Linear(16, 1, { seed: 2 }),
      new Sigmoid(),
    ]);
    const optimizer = new Adam(model.parameters(), { lr: 0.02 });
    const learner = new Learner(model, { loss: 'bce', optimizer, metrics: ['accuracy'] });
    const { history } = await learner.fit(
      { X: data.X, y: data.y },
      { epochs: 60, batchSize: 32, validation: data },
    );
    const last = history[history.length - 1];
    expect(last.accuracy).toBeGreaterThan(0.95);
    expect(last.valAccuracy).toBeGreaterThan(0.95);
    expect(last.valLoss).toBeLessThan(history[0].valLoss);
    optimizer.dispose();
    model.dispose();
  });

  it('predicts and evaluates the same with asynchronous reads', async () => {
    const data = moons({ n: 40, seed: 3 });
    const model = new Sequential([
      new Linear(2, 4, { seed: 1 }),
      new ReLU(),
      new Linear(4, 1, { seed: 2 }),
      new Sigmoid(),
    ]);
    const learner = new Learner(model, { loss: 'bce', metrics: ['accuracy'] });
    const guard = leakGuard();
    expect(Array.from((await learner.predictAsync(data.X)).data)).toEqual(
      Array.from(learner.predict(data.X).data),
    );
    expect(await learner.evaluateAsync(data)).toEqual(learner.evaluate(data));
    guard.check('async predict and evaluate');
    model.dispose();
  });

  it('calls callbacks in order and reports progress up to the last epoch', async () => {
    const model = dosageNet(1);
    const optimizer = new SGD(model.parameters(), { lr: 0.1 });
    const learner = new Learner(model, { loss: 'mse', optimizer });
    const events: string[] = [];
    const recorder: Callback = {
      onTrainBegin: () => void events.push('train'),
      onEpochBegin: (e) => void events.push(`epoch${e}`),
      onBatchBegin: (b) => void events.push(`batch${b}`),
      onBatchEnd: (logs) => void events.push(`end${logs.batch}/${logs.batches}`),
      onEpochEnd: (logs) => void events.push(`done${logs.epoch}`),
      onTrainEnd: (h) => void events.push(`history${h.length}`),
    };
    const progress: number[] = [];
    await learner.fit(patients(), {
      epochs: 2,
      batchSize: 2,
      callbacks: [recorder],
      onProgress: (p) => progress.push(p.epoch),
    });
    expect(events).toEqual([
      'train',
      'epoch1',
      'batch1',
      'end1/2',
      'batch2',
      'end2/2',
      'done1',
      'epoch2',
      'batch1',
      'end1/2',
      'batch2',
      'end2/2',
      'done2',
      'history2',
    ]);
    expect(progress).toEqual([1, 1, 2, 2]);
    optimizer.dispose();
    model.dispose();
  });

  it('stops on cancellation at the next batch', async () => {
    const model = dosageNet(1);
    const optimizer = new SGD(model.parameters(), { lr: 0.1 });
    const learner = new Learner(model, { loss: 'mse', optimizer });
    const controller = new AbortController();
    const stopper: Callback = { onEpochEnd: (logs) => (logs.epoch === 3 ? controller.abort() : undefined) };
    const result = await learner.fit(patients(), {
      epochs: 100,
      callbacks: [stopper],
      signal: controller.signal,
    });
    expect(result.cancelled).toBe(true);
    expect(result.history).toHaveLength(3);
    optimizer.dispose();
    model.dispose();
  });

  it('names the epoch and batch when the loss turns NaN and keeps finite weights', async () => {
    const model = dosageNet(2);
    const optimizer = new SGD(model.parameters(), { lr: 1e6 });
    const learner = new Learner(model, { loss: 'mse', optimizer });
    const data = { X: [[0], [0.5], [1], [100]], y: [0, 1, 0, 50] };
    const error = await learner.fit(data, { epochs: 50, batchSize: 2 }).catch((e) => e);
    expect(error).toBeInstanceOf(TrainingDivergedError);
    expect(error.message).toMatch(/the loss became (NaN|Infinity) at epoch \d+, batch \d+/);
    expect(error.epoch).toBeGreaterThanOrEqual(1);
    // The weights kept are those from before the bad batch, or the start of an earlier epoch.
    const { kept } = error as TrainingDivergedError;
    expect(kept.epoch * 1000 + kept.batch).toBeLessThan(error.epoch * 1000 + error.batch);
    expect(weights(model).flat().every(Number.isFinite)).toBe(true);
    optimizer.dispose();
    model.dispose();
  });

  it('refuses bad data with the argument named', async () => {
    const model = dosageNet(1);
    const learner = new Learner(model, { loss: 'mse', optimizer: new SGD(model.parameters(), { lr: 0.1 }) });
    await expect(learner.fit({ X: [[0], [1, 2]], y: [0, 1] }, { epochs: 1 })).rejects.toThrow(
      /data.X\[1\]: expected a row of 1 numbers/,
    );
    await expect(learner.fit({ X: [[0], [1]], y: [0] }, { epochs: 1 })).rejects.toThrow(
      /y: expected 2 targets/,
    );
    await expect(learner.fit({ X: [[0], [Number.NaN]], y: [0, 1] }, { epochs: 1 })).rejects.toThrow(
      /row 1, column 0: expected a finite number, found NaN/,
    );
    await expect(learner.fit(patients(), { epochs: 0 })).rejects.toThrow(
      /epochs: expected a positive integer, found 0/,
    );
    await expect(new Learner(model, { loss: 'mse' }).fit(patients(), { epochs: 1 })).rejects.toThrow(
      /optimizer/,
    );
    model.dispose();
  });
});

describe('EarlyStopping', () => {
  it('stops after `patience` epochs without improvement and restores the best weights', async () => {
    const model = dosageNet(4);
    const optimizer = new SGD(model.parameters(), { lr: 0.05 });
    const learner = new Learner(model, { loss: 'mse', optimizer });
    const seen: number[][][] = [];
    // From epoch 6 on, each epoch starts from weights pushed far off, so the loss only gets worse.
    const saboteur: Callback = {
      onEpochBegin: (epoch, control) => {
        if (epoch < 6) return;
        for (const p of control.model.parameters()) p.variable.assign(tf.tidy(() => p.variable.add(3)));
      },
      onEpochEnd: (_logs: EpochLogs, control) => void seen.push(weights(control.model)),
    };
    const stopper = new EarlyStopping({ monitor: 'loss', patience: 2 });
    const result = await learner.fit(patients(), { epochs: 100, callbacks: [saboteur, stopper] });
    expect(result.stopReason).toMatch(
      /early stopping: loss did not improve for 2 epochs \(best .* at epoch 5\)/,
    );
    expect(result.history).toHaveLength(7);
    expect(stopper.bestEpoch).toBe(5);
    expect(weights(model)).toEqual(seen[4]);
    expect(weights(model)).not.toEqual(seen[6]);
    optimizer.dispose();
    model.dispose();
  });

  it('complains about a monitor that is not logged', async () => {
    const model = dosageNet(1);
    const learner = new Learner(model, { loss: 'mse', optimizer: new SGD(model.parameters(), { lr: 0.1 }) });
    await expect(learner.fit(patients(), { epochs: 2, callbacks: [new EarlyStopping()] })).rejects.toThrow(
      /EarlyStopping: monitor: expected one of the logged values \(epoch, loss\), found "valLoss"/,
    );
    model.dispose();
  });
});
