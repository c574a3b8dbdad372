import { mse } from '@descent/losses';
import { initBackend, tf } from '@descent/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { bump, disposeStack, makeStack, multiplyOut, trainStep } from './tricks-recipe';

beforeAll(async () => {
  await initBackend();
});

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
