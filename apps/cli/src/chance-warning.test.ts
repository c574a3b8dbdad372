import { Linear } from '@descent/layers';
import { initBackend, memory } from '@descent/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { chanceWarning, largestWeight, majorityShare } from './chance-warning';

beforeAll(async () => {
  await initBackend();
});

describe('the chance-level warning', () => {
  it('warns only when held-out accuracy is at chance and the weights exploded', () => {
    const model = new Linear(2, 1, { seed: 1 });
    const tensors = memory().numTensors;
    const labels = [0, 0, 1, 1, 1];
    expect(majorityShare(labels)).toBeCloseTo(0.6);
    expect(chanceWarning(model, 0.6, labels, 1e3)).toBeUndefined();
    const scaled = model.weight.variable.mul(1e6);
    model.weight.variable.assign(scaled);
    scaled.dispose();
    expect(largestWeight(model)).toBeGreaterThan(100);
    expect(chanceWarning(model, 0.6, labels, 1e3)).toMatch(
      /held-out accuracy 60\.0% is at chance level .* 60\.0%.* weights reach .*smaller --lr than 1000/,
    );
    expect(chanceWarning(model, 0.9, labels, 1e3)).toBeUndefined();
    expect(memory().numTensors).toBe(tensors);
    model.dispose();
  });
});
