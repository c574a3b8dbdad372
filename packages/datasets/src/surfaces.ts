import { Generator } from '@descent/random';
import type { Dataset } from './dataset';
import { argumentError } from './errors';
import { featureNames } from './toy';
import { checkInt, checkNonNegative, checkOptions, checkSeed } from './validate';

/** The two regression surfaces over the square [-1, 1]², as TensorFlow Playground has them. */
export const surfaceNames = ['plane', 'bumps'] as const;
/** The name of a regression surface: 'plane' or 'bumps'. */
export type SurfaceName = (typeof surfaceNames)[number];

/** Options of the regression surfaces: sample count, noise and seed. */
export interface SurfaceOptions {
  /** Samples, uniform over [-1, 1]². Default 200. */
  n?: number;
  /** Standard deviation of gaussian noise added to the target. Default 0. */
  noise?: number;
  /** Default 0. */
  seed?: number;
}

/** Two bumps of opposite sign: a hill at (-0.5, 0.5) and a pit at (0.5, -0.5), each of height 1. */
const BUMPS: readonly (readonly [number, number, number])[] = [
  [-0.5, 0.5, 1],
  [0.5, -0.5, -1],
];
const BUMP_WIDTH = 0.35;

/** The noiseless target of surface `name` at (x1, x2). */
export function surfaceAt(name: SurfaceName, x1: number, x2: number): number {
  if (name === 'plane') return (x1 + x2) / 2;
  if (name === 'bumps') {
    let y = 0;
    for (const [cx, cy, height] of BUMPS) {
      const d2 = (x1 - cx) ** 2 + (x2 - cy) ** 2;
      y += height * Math.exp(-d2 / (2 * BUMP_WIDTH ** 2));
    }
    return y;
  }
  throw argumentError('name', `one of ${surfaceNames.join(', ')}`, name);
}

/**
 * A 2-D regression set: points uniform over [-1, 1]² and the surface's height there plus noise.
 * 'plane' is (x1 + x2) / 2, which one Linear fits; 'bumps' is a hill and a pit, which needs a
 * hidden layer.
 */
export function surface(name: SurfaceName, options: SurfaceOptions = {}): Dataset {
  if (!surfaceNames.includes(name)) throw argumentError('name', `one of ${surfaceNames.join(', ')}`, name);
  checkOptions('options', options, '{ n: 200, noise: 0 }');
  const n = checkInt('n', options.n ?? 200, 1);
  const noise = checkNonNegative('noise', options.noise ?? 0);
  const rng = new Generator(checkSeed('seed', options.seed ?? 0));
  const data = new Float32Array(2 * n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const x1 = rng.uniform(-1, 1);
    const x2 = rng.uniform(-1, 1);
    data[2 * i] = x1;
    data[2 * i + 1] = x2;
    y[i] = surfaceAt(name, x1, x2) + (noise > 0 ? rng.normal(0, noise) : 0);
  }
  return {
    X: { data, rows: n, cols: 2 },
    y,
    featureNames: featureNames(2),
    targetName: 'y',
    task: 'regression',
  };
}
