import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MinMaxScaler } from './min-max-scaler';
import { RobustScaler } from './robust-scaler';
import { StandardScaler } from './standard-scaler';
import { column, toMatrix } from './testing';
import { isConstantFeature } from './zeros-in-scale';

// Seeded, so a failure reproduces; modest sizes keep the suite fast.
const RUNS = { numRuns: 80, seed: 20240601 };

const finite = (limit: number) =>
  fc.double({ min: -limit, max: limit, noNaN: true, noDefaultInfinity: true });
const valueOrNaN = (limit: number) =>
  fc.oneof({ weight: 9, arbitrary: finite(limit) }, { weight: 1, arbitrary: fc.constant(Number.NaN) });

/** A rows x cols matrix (rows >= minRows) of the given values. */
function matrix(value: fc.Arbitrary<number>, minRows = 1) {
  return fc
    .tuple(fc.integer({ min: minRows, max: 25 }), fc.integer({ min: 1, max: 4 }))
    .chain(([rows, cols]) =>
      fc.array(fc.array(value, { minLength: cols, maxLength: cols }), { minLength: rows, maxLength: rows }),
    );
}

/** Cut points 0 < c1 < ... < n splitting n rows into batches. */
function withChunks(X: fc.Arbitrary<number[][]>) {
  return X.chain((rows) =>
    fc
      .uniqueArray(fc.integer({ min: 1, max: Math.max(1, rows.length - 1) }), { maxLength: 6 })
      .map((cuts) => ({
        X: rows,
        bounds: [0, ...cuts.filter((c) => c < rows.length).sort((a, b) => a - b), rows.length],
      })),
  );
}

const largest = (values: number[]) => Math.max(0, ...values.filter((v) => !Number.isNaN(v)).map(Math.abs));

function expectNear(actual: number, expected: number, tolerance: number) {
  if (Number.isNaN(expected)) expect(actual).toBeNaN();
  else expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance);
}

const scalers = [
  { name: 'StandardScaler', make: () => new StandardScaler(), load: StandardScaler.fromJSON },
  {
    name: 'MinMaxScaler',
    make: () => new MinMaxScaler({ featureRange: [-2, 3] }),
    load: MinMaxScaler.fromJSON,
  },
  {
    name: 'RobustScaler',
    make: () => new RobustScaler({ quantileRange: [10, 80] }),
    load: RobustScaler.fromJSON,
  },
];

describe('properties', () => {
  for (const { name, make, load } of scalers) {
    it(`${name}: inverseTransform(transform(X)) gives X back`, () => {
      fc.assert(
        fc.property(matrix(valueOrNaN(1e6)), (X) => {
          const s = make().fit(X);
          const back = s.inverseTransform(s.transform(X));
          for (let j = 0; j < X[0].length; j++) {
            const tolerance = 1e-9 * Math.max(1, largest(column(X, j)));
            for (let i = 0; i < X.length; i++) expectNear(back[i][j], X[i][j], tolerance);
          }
        }),
        RUNS,
      );
    });

    it(`${name}: a dense matrix gives the same numbers as number[][]`, () => {
      fc.assert(
        fc.property(matrix(valueOrNaN(1e6)), (X) => {
          const s = make().fit(toMatrix(X));
          const out = s.transform(toMatrix(X) as { data: Float64Array; rows: number; cols: number });
          expect(Array.from(out.data)).toEqual(s.transform(X).flat());
          expect(load(JSON.parse(JSON.stringify(s))).transform(X)).toEqual(s.transform(X));
        }),
        RUNS,
      );
    });
  }

  it('StandardScaler: partialFit over any batching equals fit on the whole', () => {
    fc.assert(
      fc.property(withChunks(matrix(valueOrNaN(1e6))), ({ X, bounds }) => {
        const whole = new StandardScaler().fit(X);
        const streamed = new StandardScaler();
        for (let k = 1; k < bounds.length; k++) streamed.partialFit(X.slice(bounds[k - 1], bounds[k]));
        expect(streamed.nSamplesSeen).toEqual(whole.nSamplesSeen);
        whole.mean!.forEach((m, j) => {
          const size = largest(column(X, j));
          // relative 1e-9, with a floor at rounding level of the data's size for a mean near 0
          expectNear(streamed.mean![j], m, 1e-9 * Math.abs(m) + 1e-12 * size);
          // a (near-)constant column's variance is rounding noise of order eps * size²
          expectNear(streamed.var![j], whole.var![j], 1e-9 * whole.var![j] + 1e-12 * size * size);
        });
      }),
      RUNS,
    );
  });

  it('MinMaxScaler: partialFit over any batching equals fit on the whole, exactly', () => {
    fc.assert(
      fc.property(withChunks(matrix(valueOrNaN(1e6))), ({ X, bounds }) => {
        const whole = new MinMaxScaler().fit(X);
        const streamed = new MinMaxScaler();
        for (let k = 1; k < bounds.length; k++) streamed.partialFit(X.slice(bounds[k - 1], bounds[k]));
        expect(streamed.toJSON()).toEqual(whole.toJSON());
      }),
      RUNS,
    );
  });

  it('StandardScaler: each non-constant column comes out with mean 0 and standard deviation 1', () => {
    fc.assert(
      fc.property(matrix(finite(1e3), 2), (X) => {
        const s = new StandardScaler().fit(X);
        const Z = s.transform(X);
        for (let j = 0; j < X[0].length; j++) {
          if (isConstantFeature(s.var![j], s.mean![j], X.length)) continue; // scale 1 by design
          const z = column(Z, j);
          const mean = z.reduce((a, b) => a + b, 0) / z.length;
          const std = Math.sqrt(z.reduce((a, v) => a + (v - mean) ** 2, 0) / z.length);
          // rounding in x - mean is amplified by |mean| / scale
          const tolerance = 1e-9 * (1 + Math.abs(s.mean![j]) / s.scale![j]);
          expect(Math.abs(mean)).toBeLessThanOrEqual(tolerance);
          expect(Math.abs(std - 1)).toBeLessThanOrEqual(tolerance);
        }
      }),
      RUNS,
    );
  });

  it('MinMaxScaler: the fitted data lands inside featureRange', () => {
    const range = fc
      .tuple(finite(1e3), fc.double({ min: 1e-3, max: 1e3, noNaN: true }))
      .map(([low, width]) => [low, low + width] as [number, number])
      .filter(([low, high]) => low < high);
    fc.assert(
      fc.property(matrix(valueOrNaN(1e6)), range, (X, featureRange) => {
        const Y = new MinMaxScaler({ featureRange }).fitTransform(X);
        const slack = 1e-9 * Math.max(1, Math.abs(featureRange[0]), Math.abs(featureRange[1]));
        for (const row of Y) {
          for (const v of row) {
            if (Number.isNaN(v)) continue;
            expect(v).toBeGreaterThanOrEqual(featureRange[0] - slack);
            expect(v).toBeLessThanOrEqual(featureRange[1] + slack);
          }
        }
      }),
      RUNS,
    );
  });
});
