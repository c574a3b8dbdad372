import { describe, expect, it } from 'vitest';
import { SpinWaiter } from './spin-wait';

describe('SpinWaiter', () => {
  it('returns at once when the value already differs, and keeps its budget', () => {
    const array = new Int32Array(new SharedArrayBuffer(8));
    array[1] = 5;
    const waiter = new SpinWaiter(0.5);
    expect(waiter.spin(array, 1, 4)).toBe(true);
    expect(waiter.budgetMs).toBe(0.5);
  });

  it('halves its budget each time a spin runs out, so a loaded machine soon sleeps at once', () => {
    const array = new Int32Array(new SharedArrayBuffer(8));
    const waiter = new SpinWaiter(0.2);
    expect(waiter.spin(array, 0, 0)).toBe(false);
    expect(waiter.budgetMs).toBeCloseTo(0.1, 10);
    expect(waiter.spin(array, 0, 0)).toBe(false);
    expect(waiter.budgetMs).toBeCloseTo(0.05, 10);
  });

  it('never spins with a budget of 0 (more threads than cores)', () => {
    const array = new Int32Array(new SharedArrayBuffer(8));
    const waiter = new SpinWaiter(0);
    for (let i = 0; i < 100; i++) expect(waiter.spin(array, 0, 0)).toBe(false);
    expect(waiter.budgetMs).toBe(0);
  });
});
