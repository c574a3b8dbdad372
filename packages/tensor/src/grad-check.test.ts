import { describe, expect, it } from 'vitest';
import { customGrad, dispose, type GradSaveFunc, gradCheck, type Tensor, tensor } from './index';

describe('gradCheck', () => {
  it('agrees with the closed-form gradient of sum(x^3) = 3x^2', () => {
    const x = tensor([0.5, -1.2, 2.0]);
    const result = gradCheck((v) => v.pow(3).sum(), [x]);
    expect(result.ok).toBe(true);
    expect(Array.from(result.analytic[0])).toEqual([0.75, 3 * 1.44, 12].map((v) => expect.closeTo(v, 4)));
    dispose(x);
  });

  it('checks several inputs, e.g. sum(a * b)', () => {
    const a = tensor([1, 2]);
    const b = tensor([3, -4]);
    const result = gradCheck((p, q) => p.mul(q).sum(), [a, b]);
    expect(result.ok).toBe(true);
    expect(Array.from(result.numeric[0])).toEqual([expect.closeTo(3, 2), expect.closeTo(-4, 2)]);
    dispose([a, b]);
  });

  it('fails a function whose declared gradient is wrong', () => {
    // customGrad declares d(x^2)/dx = x, half the truth; the check must notice.
    const wrongSquare = customGrad((...args: (Tensor | GradSaveFunc)[]) => {
      const v = args[0] as Tensor;
      (args[1] as GradSaveFunc)([v]);
      return { value: v.square(), gradFunc: (dy: Tensor, saved: Tensor[]) => dy.mul(saved[0]) };
    });
    const x = tensor([1.5, -0.7]);
    const result = gradCheck((v) => (wrongSquare(v) as Tensor).sum(), [x]);
    expect(result.ok).toBe(false);
    expect(result.worst?.numeric).toBeCloseTo(3, 2);
    expect(result.worst?.analytic).toBeCloseTo(1.5, 4);
    dispose(x);
  });
});
