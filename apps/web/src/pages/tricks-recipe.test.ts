import { mse } from '@descent/losses';
import { initBackend, tf } from '@descent/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { bump, disposeStack, makeStack, multiplyOut, trainStep, tricksSteps } from './tricks-recipe';

beforeAll(async () => {
  await initBackend();
});

/** The least-squares line's MSE: the best the linear stack can reach. */
function bestLineMse(x: number[], y: number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  const sxy = x.reduce((a, xi, i) => a + (xi - mx) * (y[i] - my), 0);
  const sxx = x.reduce((a, xi) => a + (xi - mx) ** 2, 0);
  const k = sxy / sxx;
  return x.reduce((a, xi, i) => a + (my + k * (xi - mx) - y[i]) ** 2, 0) / n;
}

describe('page 1: the two stacks', () => {
  it('the linear-only stack is one line: multiplied out, it gives its own predictions', () => {
    const before = tf.memory().numTensors;
    const stack = makeStack('none', 3);
    const { x, y } = bump(3);
    for (let i = 0; i < 20; i++) trainStep(stack, x, y);
    const [k, b] = multiplyOut(stack.model);
    const [slope, intercept] = [k.dataSync()[0], b.dataSync()[0]];
    const predicted = tf.tidy(() => stack.model.forward(x).dataSync());
    const dose = x.dataSync();
    for (let i = 0; i < dose.length; i++) expect(predicted[i]).toBeCloseTo(slope * dose[i] + intercept, 5);
    tf.dispose([k, b, x, y]);
    disposeStack(stack);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('with an activation the stack bends: it fits the bump far better than any line', () => {
    const before = tf.memory().numTensors;
    const { x, y } = bump(1);
    const line = makeStack('none', 1);
    const bent = makeStack('relu', 1);
    const lossOf = (s: typeof line) => tf.tidy(() => mse(s.model.forward(x), y).dataSync()[0]);
    const first = lossOf(bent);
    for (let i = 0; i < 600; i++) {
      trainStep(line, x, y);
      trainStep(bent, x, y);
    }
    expect(lossOf(bent)).toBeLessThan(first);
    expect(lossOf(bent)).toBeLessThan(lossOf(line) / 2);
    disposeStack(line);
    disposeStack(bent);
    tf.dispose([x, y]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("ReLU bends for every seed 1-30: after the page's 600 steps its MSE is far below the best line's", () => {
    const before = tf.memory().numTensors;
    const ratios: number[] = [];
    for (let seed = 1; seed <= 30; seed++) {
      const { data, x, y } = bump(seed);
      const bent = makeStack('relu', seed);
      for (let i = 0; i < tricksSteps.total; i++) trainStep(bent, x, y);
      const reluLoss = tf.tidy(() => mse(bent.model.forward(x), y).dataSync()[0]);
      ratios.push(reluLoss / bestLineMse(Array.from(data.X.data), Array.from(data.y)));
      disposeStack(bent);
      tf.dispose([x, y]);
    }
    const shown = ratios.map((r) => r.toFixed(3)).join(' ');
    expect(Math.max(...ratios), `ReLU / best-line MSE by seed: ${shown}`).toBeLessThan(0.25);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('the same seed gives the same data and the same first weights', () => {
    const a = bump(7);
    const b = bump(7);
    expect(Array.from(a.y.dataSync())).toEqual(Array.from(b.y.dataSync()));
    const s1 = makeStack('tanh', 7);
    const s2 = makeStack('tanh', 7);
    const w = (s: typeof s1) => Array.from(s.model.trainableParameters()[0].value.dataSync());
    expect(w(s1)).toEqual(w(s2));
    tf.dispose([a.x, a.y, b.x, b.y]);
    disposeStack(s1);
    disposeStack(s2);
  });
});
