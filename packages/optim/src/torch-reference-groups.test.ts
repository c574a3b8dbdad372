import { readFileSync } from 'node:fs';
import { memory, tf } from '@descent/tensor';
import { describe, expect, test } from 'vitest';
import {
  Adam,
  AdamW,
  CosineAnnealingLR,
  ExponentialLR,
  LinearLR,
  type LRScheduler,
  MultiStepLR,
  type Optimizer,
  ReduceLROnPlateau,
  SequentialLR,
  SGD,
  StepLR,
} from './index';

// Written by fixtures/make-fixtures.py from PyTorch itself (float64): two parameter groups, the new
// schedules (LinearLR, MultiStepLR, SequentialLR, ReduceLROnPlateau) over them, and trajectories.
const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/torch-reference.json', import.meta.url), 'utf8'),
);

const close = (actual: number, expected: number, what: string, tol: number) => {
  if (!(Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)))) {
    throw new Error(`${what}: expected ${expected}, found ${actual}`);
  }
};

// biome-ignore lint/suspicious/noExplicitAny: options come from JSON
type MakeSchedule = (opt: Optimizer, options: any) => LRScheduler;
const schedules: Record<string, MakeSchedule> = {
  LinearLR: (o, s) => new LinearLR(o, s),
  MultiStepLR: (o, s) => new MultiStepLR(o, s),
  StepLR: (o, s) => new StepLR(o, s),
  CosineAnnealingLR: (o, s) => new CosineAnnealingLR(o, s),
  ExponentialLR: (o, s) => new ExponentialLR(o, s),
};
const byFixtureName: Record<string, MakeSchedule> = {
  'linear-warmup': schedules.LinearLR,
  'linear-decay': schedules.LinearLR,
  'multi-step': schedules.MultiStepLR,
  step: schedules.StepLR,
  cosine: schedules.CosineAnnealingLR,
  'sequential-warmup-cosine': sequential,
  'sequential-three': sequential,
};

function sequential(opt: Optimizer, options: { schedulers: [string, object][]; milestones: number[] }) {
  const parts = options.schedulers.map(([kind, o]) => schedules[kind](opt, o));
  return new SequentialLR(opt, { schedulers: parts, milestones: options.milestones });
}

/** SGD over two one-element parameters in two groups at the fixture's base rates. */
function twoGroups() {
  const [a, b] = tf.tidy(() => [tf.variable(tf.zeros([1])), tf.variable(tf.zeros([1]))]);
  const [lr0, lr1] = fixture.groupLrs;
  const opt = new SGD(
    [
      { params: [a], lr: lr0 },
      { params: [b], lr: lr1 },
    ],
    { lr: 1 },
  );
  return { opt, dispose: () => tf.dispose([a, b]) };
}

describe('schedules scale each parameter group as PyTorch does', () => {
  for (const s of fixture.groupSchedules) {
    test(s.name, () => {
      const { opt, dispose } = twoGroups();
      const sched = byFixtureName[s.name](opt, s.options);
      s.lrs.forEach((expected: number[], t: number) => {
        expected.forEach((lr, g) => {
          close(opt.paramGroups[g].lr, lr, `${s.name} group ${g} at step ${t}`, 1e-12);
        });
        expect(sched.getLastLrs()).toEqual(opt.paramGroups.map((g) => g.lr));
        sched.step();
      });
      dispose();
    });
  }
});

describe('ReduceLROnPlateau follows the metric as PyTorch does', () => {
  for (const c of fixture.plateau.cases) {
    test(c.name, () => {
      const { opt, dispose } = twoGroups();
      let sched = new ReduceLROnPlateau(opt, c.options);
      fixture.plateau.metrics.forEach((m: number, t: number) => {
        // Halfway, a schedule resumed from a JSON state dict carries on.
        if (t === 8) {
          const resumed = new ReduceLROnPlateau(opt, c.options);
          resumed.loadStateDict(JSON.parse(JSON.stringify(sched.stateDict())));
          sched = resumed;
        }
        sched.step(m);
        c.lrs[t].forEach((lr: number, g: number) => {
          close(opt.paramGroups[g].lr, lr, `${c.name} group ${g} after metric ${t}`, 1e-12);
        });
      });
      dispose();
    });
  }
});

describe('two parameter groups reproduce PyTorch trajectories', () => {
  const { X, Y, w0, b0, steps } = fixture.problem;
  // biome-ignore lint/suspicious/noExplicitAny: options come from JSON
  const make: Record<string, (groups: any, options: any) => Optimizer> = {
    SGD: (g, o) => new SGD(g, o),
    Adam: (g, o) => new Adam(g, o),
    AdamW: (g, o) => new AdamW(g, o),
  };
  for (const run of fixture.groupOptimizers) {
    for (const fused of [true, false]) {
      test(`${run.name}${fused ? ' (fused)' : ''}`, () => {
        const before = memory().numTensors;
        const x = tf.tensor2d(X);
        const y = tf.tensor2d(Y);
        const w = tf.tidy(() => tf.variable(tf.tensor2d(w0)));
        const b = tf.tidy(() => tf.variable(tf.tensor1d(b0)));
        const groups = [
          { params: [w], ...run.groups[0] },
          { params: [b], ...run.groups[1] },
        ];
        const opt = make[run.optimizer](groups, run.options);
        opt.fused = fused;
        const sched = run.stepLR ? new StepLR(opt, run.stepLR) : undefined;
        const loss = () => tf.mean(tf.square(tf.sub(tf.tanh(tf.add(tf.matMul(x, w), b)), y))) as tf.Scalar;
        for (let t = 0; t < steps; t++) {
          const { grads, value } = tf.variableGrads(loss, [w, b]);
          opt.step(grads);
          sched?.step();
          const expected = run.trajectory[t];
          close(value.dataSync()[0], expected.loss, `${run.name} step ${t + 1} loss`, 1e-5);
          const wNow = w.dataSync();
          expected.w.flat().forEach((e: number, i: number) => {
            close(wNow[i], e, `${run.name} step ${t + 1} w[${i}]`, 1e-5);
          });
          const bNow = b.dataSync();
          expected.b.forEach((e: number, i: number) => {
            close(bNow[i], e, `${run.name} step ${t + 1} b[${i}]`, 1e-5);
          });
          tf.dispose([value, grads]);
        }
        opt.dispose();
        tf.dispose([x, y, w, b]);
        expect(memory().numTensors).toBe(before);
      });
    }
  }
});
