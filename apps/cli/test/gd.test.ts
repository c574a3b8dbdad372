import { describe, expect, it } from 'vitest';
import { runGd } from '../src/commands/gd';

const quiet = { write: () => true } as unknown as NodeJS.WritableStream;

describe('gradient descent on the test functions', () => {
  it('stays on the saddle ridge when started exactly on it, and escapes when nudged', async () => {
    const onRidge = await runGd(
      { fn: 'saddle', optimizer: 'sgd', lr: 0.01, steps: 3000, start: [1, 0], tol: 1e-8 },
      quiet,
    );
    expect(onRidge.point[1]).toBe(0);
    expect(Math.abs(onRidge.point[0])).toBeLessThan(1e-6);
    const nudged = await runGd(
      { fn: 'saddle', optimizer: 'sgd', lr: 0.01, steps: 3000, start: [1, 1e-6], tol: 1e-8 },
      quiet,
    );
    expect(Math.abs(nudged.point[1])).toBeGreaterThan(1);
  });

  it('brings Adam from (-1.5, 2) to within 1e-3 of the Rosenbrock minimum (1, 1)', async () => {
    const result = await runGd(
      { fn: 'rosenbrock', optimizer: 'adam', lr: 0.01, steps: 20000, start: [-1.5, 2], tol: 1e-9 },
      quiet,
    );
    expect(Math.hypot(result.point[0] - 1, result.point[1] - 1)).toBeLessThan(1e-3);
  });

  it('finds a Himmelblau minimum with momentum', async () => {
    const result = await runGd(
      { fn: 'himmelblau', optimizer: 'momentum', lr: 0.001, steps: 5000, start: [0, 0], tol: 1e-8 },
      quiet,
    );
    expect(result.value).toBeLessThan(1e-8);
  });
});
