import { Linear, ReLU, Sequential } from '@descent/layers';
import { Adam } from '@descent/optim';
import { describe, expect, it } from 'vitest';
import { fineTune } from './fine-tune';
import { Learner } from './learner';

const values = (m: Sequential) => m.parameters().map((p) => Array.from(p.variable.dataSync()));

/** Two blobs: class = x0 + x1 > 0. */
function blobs(n: number) {
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = Math.sin(i * 12.9898) * 2;
    const b = Math.cos(i * 78.233) * 2;
    X.push([a, b]);
    y.push(a + b > 0 ? 1 : 0);
  }
  return { X, y };
}

describe('fineTune', () => {
  it('trains only the head when the backbone is frozen, and the body stays bit for bit', async () => {
    const model = new Sequential([new Linear(2, 8, { seed: 1 }), new ReLU(), new Linear(8, 2, { seed: 2 })]);
    const learner = new Learner(model, { loss: 'crossEntropy', metrics: ['accuracy'] });
    const before = values(model);
    const result = await fineTune(learner, blobs(64), { epochs: 15, lr: 0.05, batchSize: 16 });
    const after = values(model);
    expect(after[0]).toEqual(before[0]); // body weight
    expect(after[1]).toEqual(before[1]); // body bias
    expect(after[2]).not.toEqual(before[2]); // head weight learned
    expect(result.history).toHaveLength(15);
    expect(result.history[14].loss).toBeLessThan(result.history[0].loss);
    expect(
      model
        .at(0)
        .parameters()
        .every((p) => !p.trainable),
    ).toBe(true);
    model.dispose();
  });

  it('unfreezes for a second phase at a tenth of the rate when asked', async () => {
    const model = new Sequential([new Linear(2, 4, { seed: 3 }), new ReLU(), new Linear(4, 2, { seed: 4 })]);
    const learner = new Learner(model, { loss: 'crossEntropy', optimizer: new Adam(model.parameters()) });
    const before = values(model);
    const result = await fineTune(learner, blobs(32), { epochs: 2, unfreezeEpochs: 2, batchSize: 8 });
    expect(values(model)[0]).not.toEqual(before[0]);
    expect(result.history).toHaveLength(4);
    expect(model.trainableParameters()).toHaveLength(4);
    model.dispose();
  });

  it('refuses a model that is not a Sequential and a bad head size', async () => {
    const model = new Sequential([new Linear(2, 2)]);
    const learner = new Learner(model, { loss: 'crossEntropy' });
    await expect(fineTune(learner, blobs(8), { epochs: 1 })).rejects.toThrow(
      /headLayers: expected an integer in \[1, 0\]/,
    );
    model.dispose();
  });
});
