import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MinMaxScaler } from './min-max-scaler';
import { RobustScaler } from './robust-scaler';
import { StandardScaler } from './standard-scaler';
import { decode, maxRelativeError, sameValues } from './testing';

/*
 * Parity with scikit-learn 1.2, against fixtures written by fixtures/make-fixtures.py (the
 * versions are in the file's meta). Every attribute, transform and inverse transform must agree to
 * 1e-12 relative: |a - b| <= 1e-12 * |b| for an attribute (a 0 must be exactly 0), and for a
 * matrix entry 1e-12 times the larger of |b| and its column's largest |b| (NaN matches NaN only).
 * Beyond that, every case without unitVariance must agree exactly: those computations are +, -,
 * *, / and sqrt in scikit-learn's order, which IEEE 754 rounds the same way everywhere.
 * unitVariance also goes through Math.log, which may differ from C's log by an ulp.
 */

interface Fixture {
  meta: Record<string, string>;
  datasets: Record<string, { X: unknown; X2: unknown; Z: unknown }>;
  cases: Case[];
}

interface Case {
  name: string;
  scaler: 'StandardScaler' | 'MinMaxScaler' | 'RobustScaler';
  options: Record<string, unknown>;
  dataset: string;
  chunks?: number[];
  steps?: Record<string, unknown>[];
  attributes: Record<string, unknown>;
  transform: { X: unknown; X2: unknown };
  inverse: { Y2: unknown; Z: unknown };
}

const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/sklearn-fixtures.json', import.meta.url), 'utf8'),
) as Fixture;
const CLASSES = { StandardScaler, MinMaxScaler, RobustScaler };
const TOLERANCE = 1e-12;

type AnyScaler = StandardScaler | MinMaxScaler | RobustScaler;

/** Runs one case; returns every (what, ours, scikit-learn's) comparison it makes. */
function run(c: Case): [string, unknown, unknown][] {
  const data = fixture.datasets[c.dataset];
  const X = decode(data.X) as number[][];
  const scaler: AnyScaler = new CLASSES[c.scaler](c.options as never);
  const checks: [string, unknown, unknown][] = [];
  const attributes = (label: string, expected: Record<string, unknown>) => {
    for (const [key, value] of Object.entries(expected)) {
      checks.push([`${label}.${key}`, scaler[key as keyof AnyScaler], decode(value)]);
    }
  };
  if (c.chunks) {
    const bounds = c.chunks;
    const streaming = scaler as StandardScaler | MinMaxScaler;
    for (let k = 1; k < bounds.length; k++) {
      streaming.partialFit(X.slice(bounds[k - 1], bounds[k]));
      attributes(`after batch ${k}`, c.steps![k - 1]);
    }
  } else {
    scaler.fit(X);
  }
  attributes('fitted', c.attributes);
  checks.push(['transform(X)', scaler.transform(X), decode(c.transform.X)]);
  checks.push(['transform(X2)', scaler.transform(decode(data.X2) as number[][]), decode(c.transform.X2)]);
  const Y2 = decode(c.transform.X2) as number[][];
  checks.push(['inverseTransform(Y2)', scaler.inverseTransform(Y2), decode(c.inverse.Y2)]);
  checks.push([
    'inverseTransform(Z)',
    scaler.inverseTransform(decode(data.Z) as number[][]),
    decode(c.inverse.Z),
  ]);
  return checks;
}

describe('scikit-learn parity', () => {
  it('records where the fixtures came from', () => {
    expect(fixture.meta.sklearn).toMatch(/^1\.2\./);
    expect(fixture.meta.numpy).toMatch(/^\d+\.\d+/);
    expect(fixture.cases.length).toBeGreaterThan(100);
  });

  const kinds = ['StandardScaler', 'MinMaxScaler', 'RobustScaler'] as const;
  for (const kind of kinds) {
    it(`${kind}: every fixture case agrees to 1e-12 relative (exactly without unitVariance)`, () => {
      const cases = fixture.cases.filter((c) => c.scaler === kind);
      expect(cases.length).toBeGreaterThan(10);
      let compared = 0;
      for (const c of cases) {
        const exact = !c.options.unitVariance;
        for (const [what, ours, theirs] of run(c)) {
          compared++;
          const error = maxRelativeError(ours, theirs);
          if (!(error <= TOLERANCE)) {
            expect.fail(
              `${c.name}: ${what} differs by ${error} relative\nours:    ${ours}\nsklearn: ${theirs}`,
            );
          }
          if (exact && !sameValues(ours, theirs)) {
            expect.fail(`${c.name}: ${what} is within tolerance but not identical`);
          }
        }
      }
      expect(compared).toBeGreaterThan(cases.length * 4);
    });
  }
});
