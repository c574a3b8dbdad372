import { Generator } from '@descent/random';
import { describe, expect, it } from 'vitest';
import { getTestFunction, himmelblau, quadratic, rosenbrock, saddle, testFunctions } from './index';
import type { TestFunction } from './test-function';

const all = Object.values(testFunctions) as TestFunction[];

/** Central differences of f, step h. */
function numericGrad(fn: TestFunction, x: number, y: number, h = 1e-5): [number, number] {
  return [(fn.f(x + h, y) - fn.f(x - h, y)) / (2 * h), (fn.f(x, y + h) - fn.f(x, y - h)) / (2 * h)];
}

/** Determinant of the Hessian, by central differences of the analytic gradient. */
function hessianDet(fn: TestFunction, x: number, y: number, h = 1e-5): number {
  const gx = [fn.grad(x + h, y), fn.grad(x - h, y)];
  const gy = [fn.grad(x, y + h), fn.grad(x, y - h)];
  const fxx = (gx[0][0] - gx[1][0]) / (2 * h);
  const fxy = (gy[0][0] - gy[1][0]) / (2 * h);
  const fyy = (gy[0][1] - gy[1][1]) / (2 * h);
  return fxx * fyy - fxy * fxy;
}

const isIrrational = ([x, y]: [number, number]) => !Number.isInteger(x) || !Number.isInteger(y);

describe.each(all.map((fn) => [fn.name, fn] as const))('%s', (_name, fn) => {
  it('has an analytic gradient matching central differences across its domain', () => {
    const rng = new Generator(11);
    const points: [number, number][] = [];
    for (let i = 0; i <= 12; i++) {
      for (let j = 0; j <= 12; j++) {
        points.push([
          fn.domain.x[0] + ((fn.domain.x[1] - fn.domain.x[0]) * i) / 12,
          fn.domain.y[0] + ((fn.domain.y[1] - fn.domain.y[0]) * j) / 12,
        ]);
      }
    }
    for (let i = 0; i < 100; i++) points.push([rng.uniform(...fn.domain.x), rng.uniform(...fn.domain.y)]);
    for (const [x, y] of points) {
      const g = fn.grad(x, y);
      const n = numericGrad(fn, x, y);
      for (let k = 0; k < 2; k++)
        expect(Math.abs(g[k] - n[k])).toBeLessThan(1e-5 * Math.max(1, Math.abs(g[k])));
    }
  });

  it('is zero with zero gradient at its minima, and larger nearby', () => {
    for (const m of fn.minima) {
      const tol = isIrrational(m) ? 1e-6 : 1e-10;
      expect(Math.abs(fn.f(...m))).toBeLessThan(tol);
      const [gx, gy] = fn.grad(...m);
      expect(Math.hypot(gx, gy)).toBeLessThan(isIrrational(m) ? 1e-5 : 1e-10);
      for (const [dx, dy] of [
        [1e-3, 0],
        [-1e-3, 0],
        [0, 1e-3],
        [0, -1e-3],
        [7e-4, 7e-4],
        [-7e-4, 7e-4],
      ]) {
        expect(fn.f(m[0] + dx, m[1] + dy)).toBeGreaterThan(fn.f(...m));
      }
    }
  });

  it('has zero gradient and a negative Hessian determinant at its saddle points', () => {
    for (const s of fn.saddlePoints) {
      const [gx, gy] = fn.grad(...s);
      expect(Math.hypot(gx, gy)).toBeLessThan(1e-5);
      expect(hessianDet(fn, ...s)).toBeLessThan(0);
    }
  });

  it('keeps its start and marked points inside the plotting window', () => {
    const inside = ([x, y]: [number, number]) =>
      x >= fn.domain.x[0] && x <= fn.domain.x[1] && y >= fn.domain.y[0] && y <= fn.domain.y[1];
    for (const p of [fn.defaultStart, ...fn.minima, ...fn.saddlePoints]) expect(inside(p)).toBe(true);
    expect(Math.hypot(...fn.grad(...fn.defaultStart))).toBeGreaterThan(0);
  });
});

describe('the four functions', () => {
  it('have the closed forms they name', () => {
    expect(quadratic.f(2, -1)).toBe(4 + 10);
    expect(rosenbrock.f(0, 0)).toBe(1);
    expect(rosenbrock.f(-1, 1)).toBe(4);
    expect(saddle.f(3, 2)).toBe(5);
    expect(himmelblau.f(0, 0)).toBe(121 + 49);
    expect(quadratic.minima).toEqual([[0, 0]]);
    expect(rosenbrock.minima).toEqual([[1, 1]]);
    expect(saddle.minima).toEqual([]);
    expect(saddle.saddlePoints).toEqual([[0, 0]]);
    expect(himmelblau.minima).toHaveLength(4);
    expect(himmelblau.saddlePoints).toHaveLength(4);
  });

  it('lead gradient descent to a minimum (quadratic) and away from the saddle', () => {
    let [x, y] = quadratic.defaultStart;
    for (let i = 0; i < 200; i++) {
      const [gx, gy] = quadratic.grad(x, y);
      x -= 0.04 * gx;
      y -= 0.04 * gy;
    }
    expect(Math.hypot(x, y)).toBeLessThan(1e-6);
    [x, y] = saddle.defaultStart;
    for (let i = 0; i < 100; i++) {
      const [gx, gy] = saddle.grad(x, y);
      x -= 0.05 * gx;
      y -= 0.05 * gy;
    }
    expect(Math.abs(x)).toBeLessThan(1e-3);
    expect(Math.abs(y)).toBeGreaterThan(1);
  });

  it('is looked up by name, and an unknown name lists the valid ones', () => {
    expect(getTestFunction('rosenbrock')).toBe(rosenbrock);
    expect(Object.keys(testFunctions)).toEqual(['quadratic', 'rosenbrock', 'saddle', 'himmelblau']);
    expect(() => getTestFunction('beale')).toThrow(
      /name: expected one of quadratic, rosenbrock, saddle, himmelblau, found "beale"/,
    );
    expect(() => getTestFunction('toString')).toThrow(/name: expected one of/);
  });

  it('is frozen and type-checks its arguments', () => {
    expect(() => {
      (himmelblau.minima as [number, number][]).push([0, 0]);
    }).toThrow(TypeError);
    expect(() => quadratic.f('1' as unknown as number, 0)).toThrow(/x: expected a number, found "1"/);
    expect(() => quadratic.grad(0, undefined as unknown as number)).toThrow(
      /y: expected a number, found undefined/,
    );
    expect(Number.isNaN(saddle.f(Number.NaN, 0))).toBe(true);
  });
});
