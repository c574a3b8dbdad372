import { readFileSync } from 'node:fs';
import { tf } from '@descent/tensor';
import { describe, expect, test } from 'vitest';
import {
  Adam,
  AdamW,
  CosineAnnealingLR,
  clipGradNorm,
  ExponentialLR,
  OneCycleLR,
  RMSprop,
  SGD,
  StepLR,
} from './index';
import type { Optimizer } from './optimizer';
import type { LRScheduler } from './schedules/lr-scheduler';

// Written by fixtures/make-fixtures.py from PyTorch itself (float64).
const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/torch-reference.json', import.meta.url), 'utf8'),
);

// biome-ignore lint/suspicious/noExplicitAny: options come from JSON
type Make = (params: tf.Variable[], options: any) => Optimizer;
const optimizers: Record<string, Make> = {
  SGD: (p, o) => new SGD(p, o),
  Adam: (p, o) => new Adam(p, o),
  AdamW: (p, o) => new AdamW(p, o),
  RMSprop: (p, o) => new RMSprop(p, o),
};

const close = (actual: number, expected: number, what: string, tol = 1e-5) => {
  if (!(Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)))) {
    throw new Error(`${what}: expected ${expected}, found ${actual}`);
  }
};

describe(`optimizers reproduce PyTorch ${fixture.torch} trajectories`, () => {
  const { X, Y, w0, b0, steps, skipBAt } = fixture.problem;
  for (const run of fixture.optimizers) {
    test(run.name, () => {
      const x = tf.tensor2d(X);
      const y = tf.tensor2d(Y);
      const w = tf.variable(tf.tensor2d(w0));
      const b = tf.variable(tf.tensor1d(b0));
      const opt = optimizers[run.optimizer]([w, b], run.options);
      const loss = () => tf.mean(tf.square(tf.sub(tf.tanh(tf.add(tf.matMul(x, w), b)), y))) as tf.Scalar;
      for (let t = 0; t < steps; t++) {
        // PyTorch's grad = None for b at one step: the map simply lacks b.
        const { grads, value } = tf.variableGrads(loss, t === skipBAt ? [w] : [w, b]);
        opt.step(grads);
        const expected = run.trajectory[t];
        close(value.dataSync()[0], expected.loss, `${run.name} step ${t + 1} loss`);
        const wNow = w.dataSync();
        const bNow = b.dataSync();
        expected.w.flat().forEach((e: number, i: number) => {
          close(wNow[i], e, `${run.name} step ${t + 1} w[${i}]`);
        });
        expected.b.forEach((e: number, i: number) => {
          close(bNow[i], e, `${run.name} step ${t + 1} b[${i}]`);
        });
        tf.dispose([value, grads]);
      }
      opt.dispose();
      tf.dispose([x, y, w, b]);
    });
  }
});

// biome-ignore lint/suspicious/noExplicitAny: options come from JSON
const schedules: Record<string, (opt: Optimizer, options: any) => LRScheduler> = {
  step: (o, s) => new StepLR(o, s),
  exponential: (o, s) => new ExponentialLR(o, s),
  cosine: (o, s) => new CosineAnnealingLR(o, s),
};

describe('schedules reproduce PyTorch', () => {
  for (const s of fixture.schedules) {
    test(s.name, () => {
      const p = tf.variable(tf.zeros([1]));
      const opt = optimizers[s.optimizer]([p], s.optimizerOptions);
      const make = schedules[s.name] ?? ((o: Optimizer, options: never) => new OneCycleLR(o, options));
      const sched = make(opt, s.options);
      const holder = opt as unknown as { betas?: number[]; momentum?: number };
      s.lr.forEach((lr: number, t: number) => {
        close(sched.getLastLr(), lr, `${s.name} lr at step ${t}`, 1e-9);
        close(opt.lr, lr, `${s.name} optimizer lr at step ${t}`, 1e-9);
        const m = s.momentum[t];
        if (m !== null)
          close(
            holder.betas ? holder.betas[0] : (holder.momentum as number),
            m,
            `${s.name} momentum at ${t}`,
            1e-9,
          );
        sched.step();
      });
      if (sched instanceof OneCycleLR) {
        // PyTorch allows one step past the last batch, then refuses.
        expect(sched.getLastLr()).toBeCloseTo(sched.minLr, 12);
        expect(() => sched.step()).toThrow(
          'OneCycleLR: stepped 21 times, more than totalSteps'.replace('21', String(sched.totalSteps + 1)),
        );
      }
      opt.dispose();
      p.dispose();
    });
  }
});

describe('clipGradNorm reproduces torch.nn.utils.clip_grad_norm_', () => {
  for (const c of fixture.clip.cases) {
    test(`maxNorm ${c.maxNorm}, normType ${c.normType}`, () => {
      const names = Object.keys(fixture.clip.grads);
      const grads = Object.fromEntries(names.map((n) => [n, tf.tensor(fixture.clip.grads[n])]));
      const normType = c.normType === 'Infinity' ? Infinity : c.normType;
      const out = clipGradNorm(grads, c.maxNorm, normType);
      close(out.totalNorm, c.totalNorm, 'totalNorm');
      for (const n of names) {
        const expected = [c.grads[n]].flat(2) as number[];
        Array.from(out.grads[n].dataSync()).forEach((v, i) => {
          close(v, expected[i], `${n}[${i}]`);
        });
      }
      tf.dispose([grads, out.grads]);
    });
  }
});
