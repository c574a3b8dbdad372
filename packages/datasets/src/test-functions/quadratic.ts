import { defineTestFunction } from './test-function';

/**
 * An elongated bowl, x^2 + 10 y^2. The curvature differs tenfold between the axes, which is
 * mild enough to converge quickly but enough to make plain gradient descent zig-zag across
 * the valley, so momentum and Adam show their point.
 */
export const quadratic = defineTestFunction({
  name: 'quadratic',
  formula: 'x^2 + 10 y^2',
  f: (x, y) => x * x + 10 * y * y,
  grad: (x, y) => [2 * x, 20 * y],
  minima: [[0, 0]],
  saddlePoints: [],
  domain: { x: [-3, 3], y: [-3, 3] },
  defaultStart: [-2.5, 2],
});
