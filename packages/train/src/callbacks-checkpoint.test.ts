import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Linear, ReLU, Sequential } from '@descent/layers';
import { SGD } from '@descent/optim';
import { memory } from '@descent/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import type { Callback } from './callbacks';
import { ModelCheckpoint } from './callbacks-checkpoint';
import { Learner } from './learner';
import { loadBundle } from './node';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** A noisy two-class problem whose validation loss goes up and down. */
function data(n: number, seed: number) {
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = Math.sin(i * 12.9898 + seed) * 2;
    const b = Math.cos(i * 78.233 + seed) * 2;
    X.push([a, b]);
    y.push(a * b + Math.sin(i + seed) > 0 ? 1 : 0);
  }
  return { X, y };
}

describe('ModelCheckpoint', () => {
  it('keeps the best epoch by the monitored value and the last one, as real bundles', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'descent-ckpt-'));
    dirs.push(dir);
    const before = memory().numTensors;
    const model = new Sequential([new Linear(2, 8, { seed: 1 }), new ReLU(), new Linear(8, 1, { seed: 2 })]);
    const optimizer = new SGD(model.parameters(), { lr: 0.5, momentum: 0.9 });
    const learner = new Learner(model, { loss: 'bceWithLogits', optimizer, metrics: ['accuracy'] });
    const checkpoint = new ModelCheckpoint({ dir, info: { loss: 'bceWithLogits', outputKind: 'logit' } });
    // Each epoch's weights, taken right after the checkpoint has seen the epoch.
    const seen: number[][] = [];
    const spy: Callback = {
      onEpochEnd: (_logs, control) => {
        seen.push(control.model.parameters().flatMap((p) => Array.from(p.variable.dataSync())));
      },
    };
    const { history } = await learner.fit(data(64, 1), {
      epochs: 6,
      batchSize: 8,
      validation: data(32, 2),
      callbacks: [checkpoint, spy],
    });
    const losses = history.map((h) => h.valLoss);
    const bestEpoch = losses.indexOf(Math.min(...losses)) + 1;
    expect(checkpoint.monitor).toBe('valLoss');
    expect(checkpoint.bestEpoch).toBe(bestEpoch);
    expect(checkpoint.best).toBe(Math.min(...losses));

    const weights = (m: { parameters(): { variable: { dataSync(): ArrayLike<number> } }[] }) =>
      m.parameters().flatMap((p) => Array.from(p.variable.dataSync()));
    const best = await loadBundle(join(dir, 'best'));
    const last = await loadBundle(join(dir, 'last'));
    expect(weights(best.model)).toEqual(seen[bestEpoch - 1]);
    expect(weights(last.model)).toEqual(seen[5]);
    expect(best.manifest.extra?.checkpoint).toMatchObject({ epoch: bestEpoch, kind: 'best' });
    expect(last.manifest.extra?.checkpoint).toMatchObject({ epoch: 6, kind: 'last', loss: history[5].loss });
    // Nothing half-written is left beside them.
    expect((await readdir(dir)).sort()).toEqual(['best', 'last']);
    best.model.dispose();
    last.model.dispose();
    optimizer.dispose();
    model.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('monitors the training loss without validation data, or what it is told; refuses the rest', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'descent-ckpt-'));
    dirs.push(dir);
    const model = new Sequential([new Linear(2, 1, { seed: 1 })]);
    const optimizer = new SGD(model.parameters(), { lr: 0.1 });
    const learner = new Learner(model, { loss: 'bceWithLogits', optimizer, metrics: ['accuracy'] });
    const info = { loss: 'bceWithLogits', outputKind: 'logit' as const };
    const byLoss = new ModelCheckpoint({ dir: join(dir, 'a'), info, saveLast: false });
    const byAccuracy = new ModelCheckpoint({ dir: join(dir, 'b'), info, monitor: 'accuracy' });
    const { history } = await learner.fit(data(32, 3), { epochs: 3, callbacks: [byLoss, byAccuracy] });
    expect(byLoss.monitor).toBe('loss');
    expect(await readdir(join(dir, 'a'))).toEqual(['best']);
    const accuracies = history.map((h) => h.accuracy);
    expect(byAccuracy.best).toBe(Math.max(...accuracies));
    const wrong = new ModelCheckpoint({ dir: join(dir, 'c'), info, monitor: 'valAccuracy' });
    await expect(learner.fit(data(32, 3), { epochs: 1, callbacks: [wrong] })).rejects.toThrow(
      'ModelCheckpoint: monitor: expected one of the logged values (epoch, loss, accuracy), found "valAccuracy"',
    );
    expect(() => new ModelCheckpoint({ dir, info, save_best: false } as never)).toThrow(
      '(did you mean "saveBest"?)',
    );
    optimizer.dispose();
    model.dispose();
  });
});
