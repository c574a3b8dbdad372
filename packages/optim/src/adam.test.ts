import { tf } from '@descent/tensor';
import { describe, expect, test } from 'vitest';
import { expectClose, GRADS, minimiseQuadratic, trajectory, X0 } from '../test/trajectory';
import { Adam } from './adam';
import { AdamW } from './adamw';
import type { OptimParam } from './param';

interface Ref {
  lr: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  amsgrad?: boolean;
  decoupled?: boolean;
}

/** torch.optim.Adam / AdamW as implemented (amsgrad keeps the max of the raw second moment), float64. */
function adamReference(x0: number[], grads: number[][], h: Ref): number[][] {
  const { lr, betas = [0.9, 0.999], eps = 1e-8, weightDecay = 0, amsgrad = false, decoupled = false } = h;
  const [b1, b2] = betas;
  const x = [...x0];
  const m = x.map(() => 0);
  const v = x.map(() => 0);
  const vMax = x.map(() => 0);
  return grads.map((g0, s) => {
    const t = s + 1;
    for (let i = 0; i < x.length; i++) {
      let g = g0[i];
      if (decoupled) x[i] *= 1 - lr * weightDecay;
      else g += weightDecay * x[i];
      m[i] = b1 * m[i] + (1 - b1) * g;
      v[i] = b2 * v[i] + (1 - b2) * g * g;
      vMax[i] = Math.max(vMax[i], v[i]);
      const mHat = m[i] / (1 - b1 ** t);
      const vHat = (amsgrad ? vMax[i] : v[i]) / (1 - b2 ** t);
      x[i] -= (lr * mHat) / (Math.sqrt(vHat) + eps);
    }
    return [...x];
  });
}

describe('Adam matches the PyTorch formula step by step', () => {
  const cases: [string, Ref][] = [
    ['defaults', { lr: 0.1 }],
    ['other betas and eps', { lr: 0.05, betas: [0.8, 0.9], eps: 1e-3 }],
    ['L2 weight decay', { lr: 0.1, weightDecay: 0.3 }],
    ['amsgrad', { lr: 0.1, betas: [0.5, 0.6], amsgrad: true }],
  ];
  for (const [name, h] of cases) {
    test(name, () => {
      expectClose(
        trajectory((p) => new Adam(p, h), X0, GRADS),
        adamReference(X0, GRADS, h),
      );
    });
  }

  test('amsgrad differs from plain Adam on this sequence (so the case above tests something)', () => {
    const h: Ref = { lr: 0.1, betas: [0.5, 0.6] };
    const plain = adamReference(X0, GRADS, h);
    const ams = adamReference(X0, GRADS, { ...h, amsgrad: true });
    expect(Math.abs(plain[3][2] - ams[3][2])).toBeGreaterThan(1e-3);
  });
});

describe('AdamW matches the PyTorch formula step by step', () => {
  const cases: [string, Ref][] = [
    ['default decay 1e-2', { lr: 0.1, weightDecay: 1e-2 }],
    ['strong decay', { lr: 0.1, weightDecay: 0.5 }],
    ['amsgrad', { lr: 0.1, betas: [0.5, 0.6], weightDecay: 0.1, amsgrad: true }],
  ];
  for (const [name, h] of cases) {
    test(name, () => {
      const { decoupled: _, ...options } = h;
      expectClose(
        trajectory((p) => new AdamW(p, options), X0, GRADS),
        adamReference(X0, GRADS, { ...h, decoupled: true }),
      );
    });
  }

  test('defaults to weightDecay 1e-2 and is not Adam with L2', () => {
    const x = tf.variable(tf.zeros([1]));
    expect(new AdamW([x]).hyperparameters().weightDecay).toBe(1e-2);
    expect(new Adam([x]).hyperparameters().weightDecay).toBe(0);
    x.dispose();
    const h: Ref = { lr: 0.1, weightDecay: 0.5 };
    const coupled = trajectory((p) => new Adam(p, h), X0, GRADS);
    const decoupled = trajectory((p) => new AdamW(p, h), X0, GRADS);
    expect(Math.abs(coupled[3][0] - decoupled[3][0])).toBeGreaterThan(1e-3);
  });
});

describe('Adam', () => {
  test('Adam and AdamW minimise a quadratic', () => {
    for (const make of [
      (p: OptimParam[]) => new Adam(p, { lr: 0.05 }),
      (p: OptimParam[]) => new AdamW(p, { lr: 0.05, weightDecay: 0 }),
    ]) {
      const { x, c } = minimiseQuadratic(make, 1000);
      x.forEach((xi, i) => {
        expect(xi).toBeCloseTo(c[i], 3);
      });
    }
  });

  test('finds the Rosenbrock minimum (1, 1) from (-1.5, 2)', () => {
    const x = tf.variable(tf.tensor1d([-1.5]));
    const y = tf.variable(tf.tensor1d([2]));
    const opt = new Adam([x, y], { lr: 1e-2 });
    const rosenbrock = () =>
      tf.tidy(
        () =>
          tf.sum(
            tf.add(tf.square(tf.sub(1, x)), tf.mul(100, tf.square(tf.sub(y, tf.square(x))))),
          ) as tf.Scalar,
      );
    for (let i = 0; i < 5000; i++) {
      const { grads, value } = tf.variableGrads(rosenbrock, [x, y]);
      opt.step(grads);
      tf.dispose([value, grads]);
    }
    expect(Math.abs(x.dataSync()[0] - 1)).toBeLessThan(1e-3);
    expect(Math.abs(y.dataSync()[0] - 1)).toBeLessThan(1e-3);
    opt.dispose();
    tf.dispose([x, y]);
  });

  test('validates its hyperparameters', () => {
    const x = tf.variable(tf.zeros([2]));
    expect(() => new Adam([x], { betas: [0.9, 1] })).toThrow(
      'options.betas[1]: expected a number in [0, 1), found 1',
    );
    expect(() => new Adam([x], { betas: [-0.1, 0.9] })).toThrow('options.betas[0]');
    expect(() => new Adam([x], { betas: [0.9] as never })).toThrow('options.betas: expected two numbers');
    expect(() => new Adam([x], { eps: -1 })).toThrow('options.eps');
    expect(() => new AdamW([x], { weightDecay: -1 })).toThrow('options.weightDecay');
    expect(() => new Adam([x], { lr: -1e-3 })).toThrow('lr: expected a finite number >= 0, found -0.001');
    expect(() => new Adam([x], { amsgrad: 1 as never })).toThrow('options.amsgrad: expected true or false');
    const opt = new Adam([x]);
    expect(() => {
      opt.betas = [1.5, 0.9];
    }).toThrow('betas[0]');
    x.dispose();
  });
});
