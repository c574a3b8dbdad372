import { defineTestFunction } from './test-function';

/**
 * The saddle x^2 - y^2: zero gradient at the origin, yet no minimum (unbounded below along y).
 * The start sits just off the x axis, so descent first heads for the saddle, stalls near it,
 * and then slides away along y.
 */
export const saddle = defineTestFunction({
  name: 'saddle',
  formula: 'x^2 - y^2',
  f: (x, y) => x * x - y * y,
  grad: (x, y) => [2 * x, -2 * y],
  minima: [],
  saddlePoints: [[0, 0]],
  domain: { x: [-2, 2], y: [-2, 2] },
  defaultStart: [1.5, 0.01],
});
