import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { neutraliseFormula, toCsv } from './csv-output';

describe('toCsv', () => {
  it('quotes a field with a comma, a quote or a line break, so every row has the header width', () => {
    const text = toCsv(
      ['row', 'probability_Female, adult', 'predicted'],
      [
        [1, 0.25, 'Female, adult'],
        [2, 0.5, 'say "hi"\nthere'],
      ],
    );
    expect(text).toBe(
      'row,"probability_Female, adult",predicted\n1,0.25,"Female, adult"\n2,0.5,"say ""hi""\nthere"\n',
    );
    const back = parse(text) as string[][];
    expect(back.map((r) => r.length)).toEqual([3, 3, 3]);
    expect(back[1][2]).toBe('Female, adult');
  });

  it('neutralises formulas in text cells (OWASP) and leaves numbers as numbers', () => {
    const text = toCsv(
      ['label', 'value'],
      [
        ['=HYPERLINK("http://x","y")', -1.5],
        ['+1+2', 2],
        ['-cmd', 3],
        ['@SUM(A1)', 4],
        ['\tx', 5],
        ['-1.5', Number.NaN],
      ],
    );
    const back = parse(text) as string[][];
    expect(back.slice(1).map((r) => r[0])).toEqual([
      '\'=HYPERLINK("http://x","y")',
      "'+1+2",
      "'-cmd",
      "'@SUM(A1)",
      "'\tx",
      '-1.5',
    ]);
    expect(back.slice(1).map((r) => r[1])).toEqual(['-1.5', '2', '3', '4', '5', '']);
  });

  it('neutraliseFormula changes only cells a spreadsheet would run', () => {
    expect(neutraliseFormula('Adelie')).toBe('Adelie');
    expect(neutraliseFormula('1e-3')).toBe('1e-3');
    expect(neutraliseFormula('\rx')).toBe("'\rx");
    expect(neutraliseFormula('a=b')).toBe('a=b');
  });
});
