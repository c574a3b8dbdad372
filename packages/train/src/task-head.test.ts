import { describe, expect, it } from 'vitest';
import { defaultLoss, lossMismatch, targetsInUnitInterval, taskHead } from './task-head';

describe('taskHead', () => {
  it('gives each task its default head: mse value, one logit, one score per class', () => {
    expect(taskHead({ task: 'regression' })).toEqual({
      outputs: 1,
      sigmoidOutput: false,
      loss: 'mse',
      outputKind: 'value',
      metrics: ['mse'],
    });
    expect(taskHead({ task: 'binary', classes: 2 })).toEqual({
      outputs: 1,
      sigmoidOutput: false,
      loss: 'bceWithLogits',
      outputKind: 'logit',
      metrics: ['accuracy'],
    });
    expect(taskHead({ task: 'multiclass', classes: 3 })).toEqual({
      outputs: 3,
      sigmoidOutput: false,
      loss: 'crossEntropy',
      outputKind: 'classScores',
      metrics: ['accuracy'],
    });
    expect(defaultLoss('binary')).toBe('bceWithLogits');
  });

  it('adds a sigmoid output only for bce, which reads probabilities', () => {
    const head = taskHead({ task: 'binary', loss: 'bce' });
    expect(head).toMatchObject({ outputs: 1, sigmoidOutput: true, outputKind: 'probability' });
    expect(taskHead({ task: 'binary', loss: 'crossEntropy' })).toMatchObject({ outputs: 2 });
    expect(taskHead({ task: 'multiclass', classes: 4, loss: 'mse' })).toMatchObject({
      outputs: 1,
      outputKind: 'value',
      metrics: ['mse'],
    });
  });

  it('lets bce fit regression targets that are probabilities (the dosage set) and no others', () => {
    const dosage = Float32Array.of(0, 1, 0);
    expect(taskHead({ task: 'regression', loss: 'bce', targets: dosage })).toMatchObject({
      sigmoidOutput: true,
      metrics: ['accuracy'],
    });
    expect(lossMismatch('bce', 'regression', Float32Array.of(0, 1.5))).toBe('needs-binary');
    expect(lossMismatch('bce', 'regression')).toBe('needs-binary');
    expect(lossMismatch('bceWithLogits', 'multiclass')).toBe('needs-binary');
    expect(lossMismatch('crossEntropy', 'regression')).toBe('needs-classes');
    expect(lossMismatch('mse', 'multiclass')).toBeUndefined();
    expect(targetsInUnitInterval([])).toBe(false);
    expect(targetsInUnitInterval([0, 0.5, Number.NaN])).toBe(false);
  });

  it('refuses what it cannot build, naming the argument', () => {
    expect(() => taskHead({ task: 'ranking' as never })).toThrow(
      /task: expected one of regression, binary, multiclass, found "ranking"/,
    );
    expect(() => taskHead({ task: 'binary', classes: 3 })).toThrow(
      /classes: expected 2 for a binary task, found 3/,
    );
    expect(() => taskHead({ task: 'multiclass' })).toThrow(/classes: expected an integer of at least 2/);
    expect(() => taskHead({ task: 'regression', loss: 'crossEntropy' })).toThrow(
      /task: expected a classification task for loss "crossEntropy", found "regression"/,
    );
    expect(() => taskHead({ task: 'multiclass', classes: 3, loss: 'bce' })).toThrow(
      /task: expected a binary task or targets in \[0, 1\] for loss "bce", found "multiclass"/,
    );
    expect(() => taskHead({ task: 'regression', loss: 'hinge' as never })).toThrow(/loss: expected one of/);
    expect(() => taskHead({ task: 'regression', sigmoid: true } as never)).toThrow(/options: expected only/);
  });
});
