import { tf } from '@descent/tensor';
import { describe, expect, test } from 'vitest';
import { expectClose, GRADS, minimiseQuadratic, trajectory, X0 } from '../test/trajectory';
import { RMSprop } from './rmsprop';

interface Ref {
  lr: number;
  alpha?: number;
  eps?: number;
  weightDecay?: number;
  momentum?: number;
  centered?: boolean;
}

/** torch.optim.RMSprop's documented algorithm in float64. */
function rmspropReference(x0: number[], grads: number[][], h: Ref): number[][] {
  const { lr, alpha = 0.99, eps = 1e-8, weightDecay = 0, momentum = 0, centered = false } = h;
  const x = [...x0];
  const sq = x.map(() => 0);
  const avg = x.map(() => 0);
  const buf = x.map(() => 0);
  return grads.map((g0) => {
    for (let i = 0; i < x.length; i++) {
      const g = g0[i] + weightDecay * x[i];
      sq[i] = alpha * sq[i] + (1 - alpha) * g * g;
      let v = sq[i];
      if (centered) {
        avg[i] = alpha * avg[i] + (1 - alpha) * g;
        v -= avg[i] * avg[i];
      }
      const d = g / (Math.sqrt(v) + eps);
      if (momentum > 0) {
        buf[i] = momentum * buf[i] + d;
        x[i] -= lr * buf[i];
      } else {
        x[i] -= lr * d;
      }
    }
    return [...x];
  });
}

describe('RMSprop matches the PyTorch formula step by step', () => {
  const cases: [string, Ref][] = [
    ['defaults', { lr: 0.01 }],
    ['alpha and eps', { lr: 0.05, alpha: 0.8, eps: 1e-2 }],
    ['momentum', { lr: 0.01, alpha: 0.9, momentum: 0.9 }],
    ['centered', { lr: 0.01, alpha: 0.9, centered: true }],
    [
      'centered + momentum + weight decay',
      { lr: 0.01, alpha: 0.7, centered: true, momentum: 0.5, weightDecay: 0.2 },
    ],
  ];
  for (const [name, h] of cases) {
    test(name, () => {
      expectClose(
        trajectory((p) => new RMSprop(p, h), X0, GRADS),
        rmspropReference(X0, GRADS, h),
      );
    });
  }
});

describe('RMSprop', () => {
  test('minimises a quadratic', () => {
    for (const h of [{ lr: 0.01 }, { lr: 0.01, centered: true, momentum: 0.5 }]) {
      const { x, c } = minimiseQuadratic((p) => new RMSprop(p, h), 1500);
      // A fixed-rate RMSprop step is about lr in size, so it ends within a few lr of the minimum.
      x.forEach((xi, i) => {
        expect(Math.abs(xi - c[i])).toBeLessThan(0.02);
      });
    }
  });

  test('validates its hyperparameters', () => {
    const x = tf.variable(tf.zeros([2]));
    expect(() => new RMSprop([x], { alpha: -0.1 })).toThrow(
      'options.alpha: expected a finite number >= 0, found -0.1',
    );
    expect(() => new RMSprop([x], { momentum: -1 })).toThrow('options.momentum');
    expect(() => new RMSprop([x], { eps: Number.NaN })).toThrow('options.eps');
    expect(() => new RMSprop([x], { centered: 'yes' as never })).toThrow(
      'options.centered: expected true or false, found "yes"',
    );
    expect(new RMSprop([x]).hyperparameters()).toEqual({
      alpha: 0.99,
      eps: 1e-8,
      weightDecay: 0,
      momentum: 0,
      centered: false,
      maximize: false,
    });
    x.dispose();
  });
});
