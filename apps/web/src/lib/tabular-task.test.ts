import { penguins } from '@descent/datasets';
import { initBackend, memory } from '@descent/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeTabularModel, prepareTabular, tabularOptimizers } from './tabular-task';

beforeAll(async () => {
  await initBackend();
});

const features = ['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g'];

describe('makeTabularModel', () => {
  it('builds the head taskHead gives: one logit for two classes, a score per class for more', () => {
    const before = memory().numTensors;
    const sex = prepareTabular(
      { table: penguins(), target: 'sex', features },
      { seed: 1, scale: 'standard' },
    );
    const species = prepareTabular(
      { table: penguins(), target: 'species', features },
      { seed: 1, scale: 'standard' },
    );
    const options = { hidden: [4], activation: 'relu' as const, lr: 0.01, seed: 1 };
    const binary = makeTabularModel(sex, { ...options, optimizer: 'adam' });
    expect(binary.learner.lossName).toBe('bceWithLogits');
    expect(binary.learner.outputKind).toBe('logit');
    expect(binary.model.numParameters()).toBe(4 * 4 + 4 + 4 + 1);
    const multi = makeTabularModel(species, { ...options, optimizer: 'momentum' });
    expect(multi.learner.lossName).toBe('crossEntropy');
    expect(multi.model.numParameters()).toBe(4 * 4 + 4 + 4 * 3 + 3);
    // 'momentum' is SGD with momentum 0.9, as in the CLI.
    expect(multi.optimizer.kind).toBe('SGD');
    expect(multi.optimizer.hyperparameters()).toMatchObject({ momentum: 0.9 });
    binary.dispose();
    multi.dispose();
    expect(memory().numTensors).toBe(before);
    expect(tabularOptimizers).toEqual(['adam', 'momentum', 'rmsprop']);
  });
});
