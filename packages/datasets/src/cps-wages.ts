import { parseCsv } from './csv';
import { missingCounts } from './table';
import { CPS_WAGES_CSV } from './tabular-data/cps-wages-csv';
import type { TabularDataset } from './tabular-task';

// The columns other than the target, in file order.
const FEATURES = [
  'education',
  'south',
  'gender',
  'experience',
  'wage',
  'age',
  'race',
  'occupation',
  'sector',
  'married',
];
const CATEGORICAL = ['gender', 'race', 'occupation', 'sector'];
const NUMERIC = FEATURES.filter((f) => !CATEGORICAL.includes(f));

/**
 * Berndt's 1985 Current Population Survey sample (534 workers; PDDL / CC0 via @stdlib), shipped with
 * the package. The task: predict the `union` flag ('0' / '1', read as categories) from education,
 * experience, wage and the other columns. The source has no missing values, so no row is dropped.
 * Note: in this copy `union` = 1 on 438 rows, which reads as "not a union member"; see taskInfo.
 */
export function cpsWages(): TabularDataset {
  const table = parseCsv(CPS_WAGES_CSV, {
    source: 'cps-wages-1985.csv',
    numeric: NUMERIC,
    categorical: [...CATEGORICAL, 'union'],
  });
  const missing = Object.values(missingCounts(table)).reduce((a, b) => a + b, 0);
  const policy =
    missing === 0
      ? `The source has no missing values; all ${table.rows} rows are kept.`
      : `${missing} values are missing; no row is dropped, so choose with TabularEncoder's missing option.`;
  table.notes.push(`cpsWages: ${policy}`);
  return {
    ...table,
    taskInfo: {
      name: 'cpsWages',
      description:
        'A random sample of 534 US workers from the May 1985 Current Population Survey (Berndt 1991): ' +
        'education, experience, hourly wage, demographics and job; predict the union-membership flag. ' +
        "Caution: @stdlib's copy documents union = 1 as a member, but 438 of 534 rows have 1 while US " +
        'union membership was about 18% in 1985 (96 members in the original sample), so the flag (and ' +
        '`married`) look reversed there; the values are kept as shipped.',
      task: 'binary',
      target: 'union',
      classes: ['0', '1'],
      features: [...FEATURES],
      numeric: [...NUMERIC],
      categorical: [...CATEGORICAL],
      optionalFeatures: [],
      rowsRaw: table.rows,
      rowsDropped: 0,
      missingPolicy: policy,
      source: '@stdlib/datasets-berndt-cps-wages-1985@0.2.3 data/data.csv',
      license: 'PDDL-1.0 (data files) and CC0-1.0 (contents)',
      citation: 'Berndt ER (1991). The Practice of Econometrics: Classic and Contemporary. Addison-Wesley.',
    },
  };
}
