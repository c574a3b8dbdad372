import { gradCheck, tf } from '@descent/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, read, scalarOf } from '../test/util';
import { l1Penalty, l2Penalty, penalty } from './penalty';

const W1 = [0.5, -1.25, 2, -0.1];
const W2 = [-3, 0.75];

describe('l1Penalty and l2Penalty', () => {
  it('give rate · Σ|w| and rate · Σw² over every tensor', () => {
    const a = tf.tensor(W1, [2, 2]);
    const b = tf.tensor(W2);
    const all = [...W1, ...W2];
    expectClose([scalarOf(l1Penalty([a, b], 0.01))], [0.01 * all.reduce((s, w) => s + Math.abs(w), 0)]);
    expectClose([scalarOf(l2Penalty([a, b], 0.3))], [0.3 * all.reduce((s, w) => s + w * w, 0)]);
    expect(scalarOf(penalty('none', [a, b], 0.3))).toBe(0);
    expect(scalarOf(l2Penalty([], 0.3))).toBe(0);
    tf.dispose([a, b]);
  });

  it('have the closed-form gradients rate · sign(w) and 2 · rate · w, and finite differences agree', () => {
    const w = tf.tensor(W1, [2, 2]);
    const g1 = tf.grad((x: tf.Tensor) => l1Penalty([x], 0.1))(w);
    expectClose(
      read(g1),
      W1.map((v) => 0.1 * Math.sign(v)),
    );
    const g2 = tf.grad((x: tf.Tensor) => l2Penalty([x], 0.1))(w);
    expectClose(
      read(g2),
      W1.map((v) => 0.2 * v),
    );
    // No weight sits at |w| < 1e-2, so |w| is smooth within the finite-difference step.
    for (const f of [l1Penalty, l2Penalty]) {
      const result = gradCheck((x: tf.Tensor) => f([x], 0.7) as tf.Scalar, [w]);
      expect(result.ok, JSON.stringify(result.worst)).toBe(true);
    }
    w.dispose();
  });

  it('leave only their result behind', () => {
    const w = tf.tensor(W2);
    const before = tf.memory().numTensors;
    const p = l1Penalty([w], 1);
    expect(tf.memory().numTensors).toBe(before + 1);
    p.dispose();
    w.dispose();
  });

  it('name the argument, what was expected and what was found', () => {
    const w = tf.tensor(W2);
    expect(() => l1Penalty([w], -1)).toThrow('l1Penalty: rate: expected a finite number >= 0, found -1');
    expect(() => l2Penalty(w as never, 1)).toThrow('l2Penalty: weights: expected an array of tensors');
    expect(() => l2Penalty([w, 3 as never], 1)).toThrow('l2Penalty: weights[1]: expected a Tensor');
    expect(() => penalty('l3' as never, [w], 1)).toThrow('penalty: name: expected one of none, l1, l2');
    w.dispose();
  });
});
