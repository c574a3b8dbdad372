import { defineTestFunction } from './test-function';

/**
 * Rosenbrock's banana, (1 - x)^2 + 100 (y - x^2)^2: finding the curved valley is easy,
 * following it to the minimum at (1, 1) is slow. Starts at the classic (-1.2, 1).
 */
export const rosenbrock = defineTestFunction({
  name: 'rosenbrock',
  formula: '(1 - x)^2 + 100 (y - x^2)^2',
  f: (x, y) => (1 - x) ** 2 + 100 * (y - x * x) ** 2,
  grad: (x, y) => [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)],
  minima: [[1, 1]],
  saddlePoints: [],
  domain: { x: [-2, 2], y: [-1, 3] },
  defaultStart: [-1.2, 1],
});
