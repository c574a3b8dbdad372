import { tf } from '@descent/tensor';
import { afterAll, describe, expect, test } from 'vitest';
import { Adam } from '../adam';
import { RMSprop } from '../rmsprop';
import { SGD } from '../sgd';
import { CosineAnnealingLR } from './cosine-annealing-lr';
import { ExponentialLR } from './exponential-lr';
import { LinearLR } from './linear-lr';
import type { LRScheduler } from './lr-scheduler';
import { MultiStepLR } from './multi-step-lr';
import { OneCycleLR } from './one-cycle-lr';
import { ReduceLROnPlateau } from './reduce-lr-on-plateau';
import { SequentialLR } from './sequential-lr';
import { StepLR } from './step-lr';

const p = tf.variable(tf.zeros([1]));
afterAll(() => p.dispose());

/** The rates the schedule hands the optimizer at steps 0 .. n-1, checking getLastLr agrees. */
function rates(sched: LRScheduler, n: number): number[] {
  const out: number[] = [];
  for (let t = 0; t < n; t++) {
    expect(sched.getLastLr()).toBe(sched.optimizer.lr);
    out.push(sched.optimizer.lr);
    if (t < n - 1) sched.step();
  }
  return out;
}

function expectRates(actual: number[], expected: number[]) {
  expected.forEach((e, t) => {
    expect(actual[t], `step ${t}`).toBeCloseTo(e, 12);
  });
}

describe('StepLR, ExponentialLR, CosineAnnealingLR follow their closed forms', () => {
  test('StepLR', () => {
    const sched = new StepLR(new SGD([p], { lr: 0.8 }), { stepSize: 3, gamma: 0.5 });
    expectRates(rates(sched, 10), [0.8, 0.8, 0.8, 0.4, 0.4, 0.4, 0.2, 0.2, 0.2, 0.1]);
    expect(new StepLR(new SGD([p], { lr: 1 }), { stepSize: 1 }).gamma).toBe(0.1);
  });

  test('ExponentialLR', () => {
    const sched = new ExponentialLR(new SGD([p], { lr: 0.5 }), { gamma: 0.9 });
    expectRates(
      rates(sched, 8),
      Array.from({ length: 8 }, (_, t) => 0.5 * 0.9 ** t),
    );
  });

  test('CosineAnnealingLR', () => {
    const [base, etaMin, tMax] = [0.3, 0.01, 6];
    const sched = new CosineAnnealingLR(new SGD([p], { lr: base }), { tMax, etaMin });
    const got = rates(sched, 10);
    expectRates(
      got,
      Array.from(
        { length: 10 },
        (_, t) => etaMin + ((base - etaMin) * (1 + Math.cos((Math.PI * t) / tMax))) / 2,
      ),
    );
    expect(got[0]).toBeCloseTo(base, 12);
    expect(got[3]).toBeCloseTo((base + etaMin) / 2, 12);
    expect(got[6]).toBeCloseTo(etaMin, 12);
  });

  test('the optimizer steps with the scheduled rate', () => {
    const x = tf.variable(tf.tensor1d([0]));
    const opt = new SGD([x], { lr: 1 });
    const sched = new StepLR(opt, { stepSize: 1, gamma: 0.5 });
    let expected = 0;
    for (let t = 0; t < 4; t++) {
      const g = { [x.name]: tf.ones([1]) };
      opt.step(g);
      tf.dispose(g);
      expected -= 0.5 ** t;
      sched.step();
    }
    expect(x.dataSync()[0]).toBeCloseTo(expected, 6);
    x.dispose();
  });

  test('resumes from stateDict', () => {
    const a = new ExponentialLR(new SGD([p], { lr: 0.5 }), { gamma: 0.8 });
    for (let t = 0; t < 4; t++) a.step();
    const b = new ExponentialLR(new SGD([p], { lr: 7 }), { gamma: 0.8 });
    b.loadStateDict(JSON.parse(JSON.stringify(a.stateDict())));
    expect(b.lastEpoch).toBe(4);
    expect(b.getLastLr()).toBe(a.getLastLr());
    a.step();
    b.step();
    expect(b.optimizer.lr).toBe(a.optimizer.lr);
    expect(() => b.loadStateDict({ lastEpoch: -1, baseLr: 1 })).toThrow('stateDict.lastEpoch');
  });

  test('validate their options', () => {
    const opt = new SGD([p], { lr: 0.1 });
    expect(() => new StepLR(opt, { stepSize: 0 })).toThrow(
      'options.stepSize: expected a positive integer, found 0',
    );
    expect(() => new StepLR(opt, { stepSize: 2, gamma: -1 })).toThrow('options.gamma');
    expect(() => new ExponentialLR(opt, {} as never)).toThrow(
      'options.gamma: expected a finite number >= 0, found undefined',
    );
    expect(() => new CosineAnnealingLR(opt, { tMax: 1.5 })).toThrow('options.tMax');
    expect(() => new CosineAnnealingLR(opt, { tMax: 5, eta_min: 0 } as never)).toThrow(
      'CosineAnnealingLR: options: expected keys among "tMax", "etaMin", found unknown option "eta_min" (did you mean "etaMin"?)',
    );
    expect(() => new StepLR({} as never, { stepSize: 1 })).toThrow('optimizer: expected an Optimizer');
  });
});

/** PyTorch's OneCycleLR phases written out independently for the two-phase cosine case. */
function oneCycleReference(
  t: number,
  maxLr: number,
  total: number,
  pct: number,
  div: number,
  finalDiv: number,
): number {
  const init = maxLr / div;
  const min = init / finalDiv;
  const peak = pct * total - 1;
  const cos = (a: number, b: number, f: number) => b + ((a - b) * (1 + Math.cos(Math.PI * f))) / 2;
  return t <= peak ? cos(init, maxLr, t / peak) : cos(maxLr, min, (t - peak) / (total - 1 - peak));
}

describe('OneCycleLR', () => {
  test('rises to maxLr at step round(pctStart * totalSteps) - 1 and ends at minLr', () => {
    const [maxLr, total, pct] = [0.5, 40, 0.3];
    const sched = new OneCycleLR(new SGD([p], { lr: 0.1 }), {
      maxLr,
      totalSteps: total,
      pctStart: pct,
      cycleMomentum: false,
    });
    const got = rates(sched, total);
    expectRates(
      got,
      got.map((_, t) => oneCycleReference(t, maxLr, total, pct, 25, 1e4)),
    );
    const peak = Math.round(pct * total) - 1;
    expect(got[0]).toBeCloseTo(maxLr / 25, 12);
    expect(got[peak]).toBeCloseTo(maxLr, 12);
    expect(Math.max(...got)).toBe(got[peak]);
    expect(got[total - 1]).toBeCloseTo(maxLr / 25 / 1e4, 15);
    expect(sched.minLr).toBeCloseTo(maxLr / 25 / 1e4, 15);
    for (let t = 1; t < total; t++) expect(Math.sign(got[t] - got[t - 1])).toBe(t <= peak ? 1 : -1);
  });

  test('linear annealing and three phases', () => {
    const [maxLr, total, pct, div, finalDiv] = [1, 20, 0.25, 10, 100];
    const lin = rates(
      new OneCycleLR(new SGD([p], { lr: 1 }), {
        maxLr,
        totalSteps: total,
        pctStart: pct,
        divFactor: div,
        finalDivFactor: finalDiv,
        annealStrategy: 'linear',
        cycleMomentum: false,
      }),
      total,
    );
    // Phase 1 ends at step 4, phase 2 at step 19, each a straight line.
    expectRates(
      lin,
      lin.map((_, t) => (t <= 4 ? 0.1 + (0.9 * t) / 4 : 1 + ((0.001 - 1) * (t - 4)) / 15)),
    );
    const three = rates(
      new OneCycleLR(new SGD([p], { lr: 1 }), {
        maxLr,
        totalSteps: total,
        pctStart: pct,
        divFactor: div,
        finalDivFactor: finalDiv,
        annealStrategy: 'linear',
        threePhase: true,
        cycleMomentum: false,
      }),
      total,
    );
    // Up to 4, down to the initial rate at 2 * 0.25 * 20 - 2 = 8, then down to the minimum at 19.
    expectRates(
      three,
      three.map((_, t) =>
        t <= 4
          ? 0.1 + (0.9 * t) / 4
          : t <= 8
            ? 1 - (0.9 * (t - 4)) / 4
            : 0.1 + ((0.001 - 0.1) * (t - 8)) / 11,
      ),
    );
  });

  test('cycles momentum or beta1 against the rate', () => {
    const sgd = new SGD([p], { lr: 0.1, momentum: 0.9 });
    const sched = new OneCycleLR(sgd, { maxLr: 1, totalSteps: 10, pctStart: 0.5 });
    expect(sgd.momentum).toBe(0.95);
    for (let t = 0; t < 4; t++) sched.step();
    expect(sgd.momentum).toBeCloseTo(0.85, 12);
    for (let t = 4; t < 9; t++) sched.step();
    expect(sgd.momentum).toBeCloseTo(0.95, 12);
    const adam = new Adam([p], { betas: [0.9, 0.99] });
    const s2 = new OneCycleLR(adam, {
      maxLr: 1,
      totalSteps: 10,
      pctStart: 0.5,
      baseMomentum: 0.8,
      maxMomentum: 0.9,
    });
    for (let t = 0; t < 4; t++) s2.step();
    expect(adam.betas).toEqual([s2.momentumAt(4), 0.99]);
    expect(adam.betas[0]).toBeCloseTo(0.8, 12);
    const rms = new RMSprop([p]);
    new OneCycleLR(rms, { maxLr: 1, totalSteps: 10 });
    expect(rms.momentum).toBe(0.95);
  });

  test('accepts epochs x stepsPerEpoch and refuses to step past totalSteps', () => {
    const sched = new OneCycleLR(new SGD([p], { lr: 1 }), {
      maxLr: 1,
      epochs: 2,
      stepsPerEpoch: 3,
      cycleMomentum: false,
    });
    expect(sched.totalSteps).toBe(6);
    for (let t = 0; t < 6; t++) sched.step();
    expect(() => sched.step()).toThrow('OneCycleLR: stepped 7 times, more than totalSteps (6)');
  });

  test('validates its options', () => {
    const opt = new SGD([p], { lr: 0.1 });
    expect(() => new OneCycleLR(opt, { maxLr: 1 })).toThrow(
      'options.totalSteps: expected a positive integer (or epochs and stepsPerEpoch)',
    );
    expect(() => new OneCycleLR(opt, { maxLr: 0, totalSteps: 5 })).toThrow(
      'options.maxLr: expected a finite number > 0, found 0',
    );
    expect(() => new OneCycleLR(opt, { maxLr: 1, totalSteps: 5, pctStart: 1.5 })).toThrow(
      'options.pctStart: expected a number in [0, 1], found 1.5',
    );
    expect(() => new OneCycleLR(opt, { maxLr: 1, totalSteps: 5, annealStrategy: 'exp' as never })).toThrow(
      'options.annealStrategy: expected "cos" or "linear", found "exp"',
    );
    expect(() => new OneCycleLR(opt, { maxLr: 1, epochs: 2 })).toThrow('options.stepsPerEpoch');
  });
});

describe('LinearLR, MultiStepLR, SequentialLR, ReduceLROnPlateau validate their options', () => {
  test('each names itself and the option', () => {
    const opt = new SGD([p], { lr: 0.1 });
    expect(() => new LinearLR(opt, { startFactor: 0 })).toThrow(
      'LinearLR: options.startFactor: expected a number in (0, 1], found 0',
    );
    expect(() => new LinearLR(opt, { total_iters: 3 } as never)).toThrow('(did you mean "totalIters"?)');
    expect(() => new MultiStepLR(opt, { milestones: [3, 2] })).toThrow(
      'MultiStepLR: options.milestones: expected an increasing list of integers >= 0, found [3, 2]',
    );
    const warm = new LinearLR(opt, { totalIters: 2 });
    expect(() => new SequentialLR(opt, { schedulers: [warm], milestones: [2] })).toThrow(
      'SequentialLR: options.milestones: expected 0 milestones (one fewer than schedulers)',
    );
    const other = new SGD([p], { lr: 0.1 });
    expect(
      () =>
        new SequentialLR(opt, { schedulers: [warm, new StepLR(other, { stepSize: 1 })], milestones: [2] }),
    ).toThrow('SequentialLR: options.schedulers[1]: expected a schedule of the same optimizer');
    expect(() => new ReduceLROnPlateau(opt, { factor: 1 })).toThrow(
      'ReduceLROnPlateau: options.factor: expected a number in [0, 1), found 1',
    );
    expect(() => new ReduceLROnPlateau(opt, { min_lr: 0 } as never)).toThrow('(did you mean "minLr"?)');
    expect(() => new ReduceLROnPlateau(opt).step(Number.NaN)).toThrow('metric: expected a number');
  });

  test('a second schedule starts from the base rate the first recorded, as PyTorch', () => {
    const opt = new SGD([p], { lr: 1 });
    const warm = new LinearLR(opt, { startFactor: 0.5, totalIters: 2 });
    expect(opt.lr).toBe(0.5);
    const decay = new ExponentialLR(opt, { gamma: 0.5 });
    expect(decay.baseLr).toBe(1);
    expect(warm.baseLrs).toEqual([1]);
  });
});
