import { defineTestFunction } from './test-function';

/**
 * Himmelblau's function, (x^2 + y - 11)^2 + (x + y^2 - 7)^2: four global minima (value 0), so
 * the start decides where descent ends. It also has four saddle points and one local maximum,
 * near (-0.270845, -0.923039). The irrational points were refined by Newton's method to about
 * 1e-9.
 */
export const himmelblau = defineTestFunction({
  name: 'himmelblau',
  formula: '(x^2 + y - 11)^2 + (x + y^2 - 7)^2',
  f: (x, y) => (x * x + y - 11) ** 2 + (x + y * y - 7) ** 2,
  grad: (x, y) => {
    const a = x * x + y - 11;
    const b = x + y * y - 7;
    return [4 * x * a + 2 * b, 2 * a + 4 * y * b];
  },
  minima: [
    [3, 2],
    [-2.805118087, 3.131312518],
    [-3.779310253, -3.283185991],
    [3.58442834, -1.848126527],
  ],
  saddlePoints: [
    [0.086677505, 2.884254701],
    [-3.073025751, -0.081353044],
    [3.385154184, 0.07385188],
    [-0.127961347, -1.95371498],
  ],
  domain: { x: [-5, 5], y: [-5, 5] },
  defaultStart: [0, 0],
});
