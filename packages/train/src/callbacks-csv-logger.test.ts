import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Linear, Sequential } from '@descent/layers';
import { SGD, StepLR } from '@descent/optim';
import { memory } from '@descent/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { CSVLogger } from './callbacks-csv-logger';
import { Learner } from './learner';

let dir = '';
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('CSVLogger', () => {
  it('writes one row per epoch: epoch, train loss, metrics, validation, lr', async () => {
    dir = await mkdtemp(join(tmpdir(), 'descent-csv-'));
    const before = memory().numTensors;
    const X = [[0], [1], [2], [3], [4], [5]];
    const y = [0, 0, 0, 1, 1, 1];
    const model = new Sequential([new Linear(1, 1, { seed: 1 })]);
    const optimizer = new SGD(model.parameters(), { lr: 0.4 });
    const schedule = new StepLR(optimizer, { stepSize: 1, gamma: 0.5 });
    const learner = new Learner(model, { loss: 'bceWithLogits', optimizer, metrics: ['accuracy'] });
    const path = join(dir, 'logs', 'history.csv');
    const { history } = await learner.fit(
      { X, y },
      {
        epochs: 3,
        validation: { X, y },
        callbacks: [new CSVLogger(path), { onEpochEnd: () => schedule.step() }],
      },
    );
    const [header, ...rows] = (await readFile(path, 'utf8')).trim().split('\n');
    expect(header).toBe('epoch,loss,accuracy,valLoss,valAccuracy,lr');
    expect(rows).toHaveLength(3);
    rows.forEach((row, i) => {
      const h = history[i];
      // The rate the epoch trained with: the schedule steps after the logger has written.
      expect(row.split(',').map(Number)).toEqual([
        h.epoch,
        h.loss,
        h.accuracy,
        h.valLoss,
        h.valAccuracy,
        0.4 * 0.5 ** i,
      ]);
    });
    optimizer.dispose();
    model.dispose();
    expect(memory().numTensors).toBe(before);
    expect(() => new CSVLogger('')).toThrow('CSVLogger: path: expected a file path');
  });
});
