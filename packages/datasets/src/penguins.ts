import { parseCsv } from './csv';
import { getColumn, isMissing, selectRows } from './table';
import { PENGUINS_CSV } from './tabular-data/penguins-csv';
import type { TabularDataset } from './tabular-task';
import { checkBoolean, checkOptions } from './validate';

/** Options of the penguins table. */
export interface PenguinsOptions {
  /** Drop the rows whose sex is unknown. Default true. */
  dropUnlabelled?: boolean;
}

const MEASUREMENTS = ['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g'];

/**
 * Palmer penguins (Gorman et al. 2014; palmerpenguins, CC0), 344 birds, shipped with the package.
 * The task: predict `sex` ('FEMALE' / 'MALE') from the four measurements and the species. Rows
 * without a sex are dropped by default, which leaves 333 rows with no missing value at all.
 */
export function penguins(options: PenguinsOptions = {}): TabularDataset {
  checkOptions('options', options, '{ dropUnlabelled: true }');
  const dropUnlabelled = checkBoolean('dropUnlabelled', options.dropUnlabelled ?? true);
  // One bird's sex is '.' in the source, a data-entry mark for "unknown": read as missing, not a class.
  const raw = parseCsv(PENGUINS_CSV, {
    source: 'penguins.csv',
    missingValues: ['NA', '', '.'],
    numeric: MEASUREMENTS,
  });
  const all = [...Array(raw.rows).keys()];
  const sex = getColumn(raw, 'sex');
  const unlabelled = all.filter((i) => isMissing(sex, i));
  const unmeasured = all.filter((i) => MEASUREMENTS.some((m) => isMissing(getColumn(raw, m), i)));
  const table = dropUnlabelled
    ? selectRows(
        raw,
        all.filter((i) => !isMissing(sex, i)),
      )
    : raw;
  const leftUnmeasured = dropUnlabelled
    ? unmeasured.filter((i) => !isMissing(sex, i)).length
    : unmeasured.length;
  const policy = dropUnlabelled
    ? `${unlabelled.length} of ${raw.rows} rows have no sex (NA or '.') and are dropped; the ` +
      `${unmeasured.length} rows with missing measurements are among them, so ${leftUnmeasured} rows ` +
      'left miss a measurement.'
    : `No row dropped: ${unlabelled.length} rows have no sex (NA or '.', both read as missing) and ` +
      `${unmeasured.length} miss measurements; choose with TabularEncoder's missing option or dropMissing.`;
  table.notes.push(`penguins: ${policy}`);
  return {
    ...table,
    taskInfo: {
      name: 'penguins',
      description:
        'Palmer Archipelago (Antarctica) penguins: bill, flipper and body-mass measurements of 344 adult ' +
        'Adelie, Chinstrap and Gentoo penguins, 2007-2009; predict the sex of a bird.',
      task: 'binary',
      target: 'sex',
      classes: ['FEMALE', 'MALE'],
      features: ['species', ...MEASUREMENTS],
      numeric: [...MEASUREMENTS],
      categorical: ['species'],
      optionalFeatures: [
        {
          name: 'island',
          why: 'where the bird was measured; it mostly repeats species (Gentoo only on Biscoe, Chinstrap only on Dream)',
        },
      ],
      rowsRaw: raw.rows,
      rowsDropped: raw.rows - table.rows,
      missingPolicy: policy,
      source: 'vega-datasets@3.2.1 data/penguins.json, from palmerpenguins (Horst, Hill & Gorman 2020)',
      license: 'CC0-1.0',
      citation:
        'Gorman KB, Williams TD, Fraser WR (2014). Ecological sexual dimorphism and environmental variability ' +
        'within a community of Antarctic penguins (genus Pygoscelis). PLoS ONE 9(3): e90081.',
    },
  };
}
