import { tf } from '@descent/tensor';
import { describe, expect, test } from 'vitest';
import { expectClose, GRADS, minimiseQuadratic, trajectory, X0 } from '../test/trajectory';
import { AdamW } from './adamw';
import { RMSprop } from './rmsprop';
import { SGD } from './sgd';

interface Ref {
  lr: number;
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
  weightDecay?: number;
  maximize?: boolean;
}

/** torch.optim.SGD's documented algorithm in float64. */
function sgdReference(x0: number[], grads: number[][], h: Ref): number[][] {
  const { lr, momentum = 0, dampening = 0, nesterov = false, weightDecay = 0, maximize = false } = h;
  const x = [...x0];
  let buf: number[] | undefined;
  return grads.map((g0, t) => {
    const g = g0.map((gi, i) => (maximize ? -gi : gi) + weightDecay * x[i]);
    let d = g;
    if (momentum !== 0) {
      buf = t === 0 ? [...g] : g.map((gi, i) => momentum * (buf as number[])[i] + (1 - dampening) * gi);
      const b = buf;
      d = nesterov ? g.map((gi, i) => gi + momentum * b[i]) : b;
    }
    for (let i = 0; i < x.length; i++) x[i] -= lr * d[i];
    return [...x];
  });
}

describe('SGD matches the PyTorch formula step by step', () => {
  const cases: [string, Ref][] = [
    ['plain', { lr: 0.1 }],
    ['momentum', { lr: 0.05, momentum: 0.9 }],
    ['momentum with dampening', { lr: 0.05, momentum: 0.8, dampening: 0.3 }],
    ['nesterov', { lr: 0.05, momentum: 0.9, nesterov: true }],
    ['weight decay', { lr: 0.1, weightDecay: 0.2 }],
    ['weight decay + momentum + nesterov', { lr: 0.03, momentum: 0.7, nesterov: true, weightDecay: 0.1 }],
    ['maximize with weight decay', { lr: 0.1, momentum: 0.5, weightDecay: 0.1, maximize: true }],
  ];
  for (const [name, h] of cases) {
    test(name, () => {
      expectClose(
        trajectory((p) => new SGD(p, h), X0, GRADS),
        sgdReference(X0, GRADS, h),
      );
    });
  }

  test('the first momentum step uses buf = g, not (1 - dampening) g', () => {
    // With dampening 0.5 a (1 - dampening) first buffer would halve the first step.
    const [first] = trajectory((p) => new SGD(p, { lr: 1, momentum: 0.9, dampening: 0.5 }), [0], [[2]]);
    expect(first[0]).toBeCloseTo(-2, 6);
  });
});

describe('SGD', () => {
  test('minimises a quadratic', () => {
    for (const h of [{ lr: 0.1 }, { lr: 0.05, momentum: 0.9 }, { lr: 0.05, momentum: 0.9, nesterov: true }]) {
      const { x, c } = minimiseQuadratic((p) => new SGD(p, h), 300);
      x.forEach((xi, i) => {
        expect(xi).toBeCloseTo(c[i], 4);
      });
    }
  });

  test('validates its hyperparameters', () => {
    const x = tf.variable(tf.zeros([2]));
    expect(() => new SGD([x], { lr: -1 })).toThrow('lr: expected a finite number >= 0, found -1');
    expect(() => new SGD([x], {} as never)).toThrow('options.lr');
    expect(() => new SGD([x], { lr: 0.1, momentum: -0.5 })).toThrow('options.momentum');
    expect(() => new SGD([x], { lr: 0.1, weightDecay: -1 })).toThrow('options.weightDecay');
    expect(() => new SGD([x], { lr: 0.1, nesterov: true })).toThrow(
      /nesterov: expected momentum > 0 and dampening = 0/,
    );
    expect(() => new SGD([x], { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true })).toThrow(
      'dampening 0.1',
    );
    expect(() => new SGD([x], { lr: 0.1, weight_decay: 0.1 } as never)).toThrow(
      'SGD: options: expected keys among "lr", "momentum", "dampening", "nesterov", "weightDecay", "maximize", found unknown option "weight_decay" (did you mean "weightDecay"?)',
    );
    expect(() => new AdamW([x], { lr: 0.1, amsGrad: true } as never)).toThrow(
      'AdamW: options: expected keys among "lr", "betas", "eps", "weightDecay", "amsgrad", "maximize", found unknown option "amsGrad"',
    );
    expect(() => new RMSprop([x], 0.1 as never)).toThrow('RMSprop: options: expected an object');
    const opt = new SGD([x], { lr: 0.1, momentum: 0.9, nesterov: true });
    expect(() => {
      opt.momentum = 0;
    }).toThrow('nesterov');
    expect(() => {
      opt.lr = Number.NaN;
    }).toThrow('lr: expected a finite number >= 0, found NaN');
    x.dispose();
  });

  test('lr set between steps takes effect on the next step', () => {
    const h = { lr: 0.1, momentum: 0.9 };
    const traj = trajectory(
      (p) => {
        const opt = new SGD(p, h);
        const step = opt.step.bind(opt);
        opt.step = (g) => {
          step(g);
          opt.lr *= 0.5;
        };
        return opt;
      },
      X0,
      GRADS,
    );
    // Reference: the same formula with the rate halved after each step.
    const x = [...X0];
    let buf: number[] = [];
    const expected = GRADS.map((g, t) => {
      buf = t === 0 ? [...g] : g.map((gi, i) => 0.9 * buf[i] + gi);
      for (let i = 0; i < 3; i++) x[i] -= 0.1 * 0.5 ** t * buf[i];
      return [...x];
    });
    expectClose(traj, expected);
  });
});
