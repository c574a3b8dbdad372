import { describe, expect, it } from 'vitest';
import { penguins } from './penguins';
import { getColumn, missingCounts, tableRow } from './table';
import { TabularEncoder } from './tabular-encoder';

function counts(t: ReturnType<typeof penguins>, name: string): Record<string, number> {
  const c = getColumn(t, name);
  const out: Record<string, number> = {};
  for (let i = 0; i < t.rows; i++) {
    const key =
      c.kind === 'numeric' ? String(c.values[i]) : c.codes[i] < 0 ? 'missing' : c.categories[c.codes[i]];
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

describe('penguins', () => {
  it('has 344 rows raw, 333 with a known sex, and the published first row', () => {
    const raw = penguins({ dropUnlabelled: false });
    expect(raw.rows).toBe(344);
    expect(tableRow(raw, 0)).toEqual({
      species: 'Adelie',
      island: 'Torgersen',
      bill_length_mm: 39.1,
      bill_depth_mm: 18.7,
      flipper_length_mm: 181,
      body_mass_g: 3750,
      sex: 'MALE',
    });
    // palmerpenguins: 152 Adelie, 68 Chinstrap, 124 Gentoo; 11 unknown sex, 2 birds unmeasured.
    expect(counts(raw, 'species')).toEqual({ Adelie: 152, Chinstrap: 68, Gentoo: 124 });
    expect(missingCounts(raw)).toEqual({
      species: 0,
      island: 0,
      bill_length_mm: 2,
      bill_depth_mm: 2,
      flipper_length_mm: 2,
      body_mass_g: 2,
      sex: 11,
    });
    const p = penguins();
    expect(p.rows).toBe(333);
    expect(counts(p, 'sex')).toEqual({ FEMALE: 165, MALE: 168 });
    expect(Object.values(missingCounts(p)).every((n) => n === 0)).toBe(true);
    expect([p.taskInfo.rowsRaw, p.taskInfo.rowsDropped]).toEqual([344, 11]);
    expect(p.taskInfo.missingPolicy).toContain('11 of 344 rows have no sex');
    expect(p.notes.at(-1)).toBe(`penguins: ${p.taskInfo.missingPolicy}`);
  });

  it('task info matches what an encoder fitted on it finds', () => {
    const p = penguins();
    const enc = new TabularEncoder().fit(p, { target: p.taskInfo.target, features: p.taskInfo.features });
    expect(enc.classes).toEqual(p.taskInfo.classes);
    expect(enc.featureNames).toEqual([
      'species_Adelie',
      'species_Chinstrap',
      'species_Gentoo',
      'bill_length_mm',
      'bill_depth_mm',
      'flipper_length_mm',
      'body_mass_g',
    ]);
    for (const name of p.taskInfo.numeric) expect(getColumn(p, name).kind).toBe('numeric');
    for (const name of p.taskInfo.categorical) expect(getColumn(p, name).kind).toBe('categorical');
    // The last bird in the file: Gentoo, Biscoe, 49.9 / 16.1 / 213 / 5400, MALE.
    expect(tableRow(p, p.rows - 1)).toMatchObject({
      species: 'Gentoo',
      bill_length_mm: 49.9,
      body_mass_g: 5400,
      sex: 'MALE',
    });
  });
});
