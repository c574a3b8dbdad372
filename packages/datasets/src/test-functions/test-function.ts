import { argumentError } from '../errors';

/**
 * A two-variable function for watching optimisers move: its value, its analytic gradient, the
 * points worth marking on a contour plot, and a window and start that make a good picture.
 */
export interface TestFunction {
  name: string;
  /** The formula in plain text, for labels. */
  formula: string;
  /** The function's value at (x, y). */
  f(x: number, y: number): number;
  /** The analytic gradient [∂f/∂x, ∂f/∂y] at (x, y). */
  grad(x: number, y: number): [number, number];
  /** Known global minima; empty when the function is unbounded below. */
  minima: [number, number][];
  /** Known saddle points (zero gradient, neither minimum nor maximum). */
  saddlePoints: [number, number][];
  /** A plotting window that shows the interesting features. */
  domain: { x: [number, number]; y: [number, number] };
  defaultStart: [number, number];
}

/**
 * Wraps f and grad with a type check (cheap enough for contour grids; NaN and infinities pass
 * through so a diverging run can still be plotted) and freezes the description.
 */
export function defineTestFunction(spec: TestFunction): TestFunction {
  const check = (x: unknown, y: unknown) => {
    if (typeof x !== 'number') throw argumentError('x', 'a number', x);
    if (typeof y !== 'number') throw argumentError('y', 'a number', y);
  };
  const { f, grad } = spec;
  return Object.freeze({
    ...spec,
    f: (x: number, y: number) => {
      check(x, y);
      return f(x, y);
    },
    grad: (x: number, y: number) => {
      check(x, y);
      return grad(x, y);
    },
    minima: Object.freeze(spec.minima.map((p) => Object.freeze(p))) as [number, number][],
    saddlePoints: Object.freeze(spec.saddlePoints.map((p) => Object.freeze(p))) as [number, number][],
    domain: Object.freeze({
      x: Object.freeze(spec.domain.x),
      y: Object.freeze(spec.domain.y),
    }) as TestFunction['domain'],
    defaultStart: Object.freeze(spec.defaultStart) as [number, number],
  });
}
