import { blobs, circles, type Dataset, spiral, surface, trainTestSplit, xor } from '@descent/datasets';

/**
 * The Playground page's data (no tensors, no DOM): four classification sets and two regression
 * surfaces from @descent/datasets, stretched over the square [-DOMAIN, DOMAIN]², the
 * train/test split, and the input features with their crosses.
 */

/** Every set fills [-3, 3]², wide enough that sin x₁ bends (sin is nearly a line near 0). */
export const DOMAIN = 3;

export const classificationSets = ['circle', 'xor', 'gaussian', 'spiral'] as const;
export const regressionSets = ['plane', 'bumps'] as const;
export const setNames = [...classificationSets, ...regressionSets] as const;
export type SetName = (typeof setNames)[number];

export function isClassification(name: SetName): boolean {
  return (classificationSets as readonly string[]).includes(name);
}

/** The input features a learner can switch on: the two coordinates and their crosses. */
export const featureNames = ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2'] as const;
export type FeatureName = (typeof featureNames)[number];

export const featureLabels: Record<FeatureName, string> = {
  x1: 'x₁',
  x2: 'x₂',
  x1sq: 'x₁²',
  x2sq: 'x₂²',
  x1x2: 'x₁x₂',
  sinx1: 'sin x₁',
  sinx2: 'sin x₂',
};

const featureOf: Record<FeatureName, (x1: number, x2: number) => number> = {
  x1: (x1) => x1,
  x2: (_, x2) => x2,
  x1sq: (x1) => x1 * x1,
  x2sq: (_, x2) => x2 * x2,
  x1x2: (x1, x2) => x1 * x2,
  sinx1: (x1) => Math.sin(x1),
  sinx2: (_, x2) => Math.sin(x2),
};

/** One feature's value at a point. */
export function featureAt(name: FeatureName, x1: number, x2: number): number {
  return featureOf[name](x1, x2);
}

/**
 * Points (x₁, x₂ pairs, row-major) turned into the network's input rows: one column per chosen
 * feature, in the order given. The network only ever sees these columns.
 */
export function featureRows(points: Float32Array, features: readonly FeatureName[]): Float32Array {
  if (features.length === 0) throw new Error('features: expected at least one feature, found none');
  const n = points.length / 2;
  const out = new Float32Array(n * features.length);
  const fns = features.map((f) => {
    const fn = featureOf[f];
    if (!fn) throw new Error(`features: expected one of ${featureNames.join(', ')}, found "${f}"`);
    return fn;
  });
  for (let i = 0; i < n; i++) {
    const [x1, x2] = [points[2 * i], points[2 * i + 1]];
    for (let j = 0; j < fns.length; j++) out[i * fns.length + j] = fns[j](x1, x2);
  }
  return out;
}

/** The grid the heat maps are drawn from: `size` × `size` cell centres over the square, row 0 at the top. */
export function gridPoints(size: number): Float32Array {
  const out = new Float32Array(2 * size * size);
  const at = (i: number) => -DOMAIN + ((i + 0.5) * 2 * DOMAIN) / size;
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      out[2 * (row * size + col)] = at(col);
      out[2 * (row * size + col) + 1] = -at(row);
    }
  }
  return out;
}

export interface DataSettings {
  set: SetName;
  /** 0 to 0.5: how far points stray from the clean pattern (each set reads it in its own units). */
  noise: number;
  /** Share of the points the network trains on, in (0, 1); the rest are the test points. */
  trainRatio: number;
  /** Total points before the split. Default 300. */
  n?: number;
  seed: number;
}

export interface PlaneData {
  /** Coordinates, row-major pairs, and targets (class 0/1, or the surface's height). */
  train: { points: Float32Array; y: Float32Array };
  test: { points: Float32Array; y: Float32Array };
  task: 'binary' | 'regression';
}

/** A set made by its @descent/datasets generator, noise in that generator's units, then stretched. */
function makeSet(settings: DataSettings): { data: Dataset; stretch: number } {
  const { noise, seed } = settings;
  const n = settings.n ?? 300;
  switch (settings.set) {
    case 'circle':
      return { data: circles({ n, noise: noise * 0.4, factor: 0.5, seed }), stretch: 2.4 };
    case 'xor':
      return { data: xor({ n, noise: 0.15 + noise * 1.2, seed }), stretch: 1.5 };
    case 'gaussian':
      return {
        data: blobs({
          n,
          centers: [
            [-1, -1],
            [1, 1],
          ],
          std: 0.35 + noise * 2,
          seed,
        }),
        stretch: 1.2,
      };
    case 'spiral':
      return { data: spiral({ n, classes: 2, noise: noise * 1.2, seed }), stretch: 2.8 };
    case 'plane':
    case 'bumps': {
      const data = surface(settings.set, { n, noise: noise * 0.5, seed });
      return { data, stretch: DOMAIN };
    }
  }
  throw new Error(`set: expected one of ${setNames.join(', ')}, found "${settings.set}"`);
}

/** The set made and split by the seed; coordinates stretched over the square, targets unchanged. */
export function makePlaneData(settings: DataSettings): PlaneData {
  if (!(settings.trainRatio > 0 && settings.trainRatio < 1)) {
    throw new Error(`trainRatio: expected a fraction in (0, 1), found ${settings.trainRatio}`);
  }
  const { data, stretch } = makeSet(settings);
  const split = trainTestSplit(data, { testSize: 1 - settings.trainRatio, seed: settings.seed });
  const side = (d: Dataset) => ({ points: d.X.data.map((v) => v * stretch), y: d.y.slice() });
  return {
    train: side(split.train),
    test: side(split.test!),
    task: data.task === 'regression' ? 'regression' : 'binary',
  };
}
