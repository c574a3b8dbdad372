import { describe, expect, it } from 'vitest';
import { cpsWages } from './cps-wages';
import { getColumn, missingCounts, tableRow } from './table';
import { TabularEncoder } from './tabular-encoder';

function counts(t: ReturnType<typeof cpsWages>, name: string): Record<string, number> {
  const c = getColumn(t, name);
  const out: Record<string, number> = {};
  for (let i = 0; i < t.rows; i++) {
    const key =
      c.kind === 'numeric' ? String(c.values[i]) : c.codes[i] < 0 ? 'missing' : c.categories[c.codes[i]];
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

describe('cpsWages', () => {
  it('has 534 complete rows, the first row of the file and the union counts as shipped', () => {
    const c = cpsWages();
    expect(c.rows).toBe(534);
    expect(tableRow(c, 0)).toEqual({
      education: 8,
      south: 0,
      gender: 'female',
      experience: 21,
      union: '1',
      wage: 5.1,
      age: 35,
      race: 'hispanic',
      occupation: 'other',
      sector: 'manufacturing',
      married: 0,
    });
    expect(Object.values(missingCounts(c)).every((n) => n === 0)).toBe(true);
    expect(counts(c, 'union')).toEqual({ '0': 96, '1': 438 });
    expect(counts(c, 'gender')).toEqual({ female: 245, male: 289 });
    const enc = new TabularEncoder().fit(c, { target: 'union', features: c.taskInfo.features });
    expect(enc.classes).toEqual(c.taskInfo.classes);
    expect(enc.featureNames).toHaveLength(6 + 2 + 3 + 6 + 3);
    expect(c.taskInfo.missingPolicy).toBe('The source has no missing values; all 534 rows are kept.');
  });
});
