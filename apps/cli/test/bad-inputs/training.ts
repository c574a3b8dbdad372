import type { BadInputCase } from './case';

// Data that cannot train or be scored as asked: too few rows, a target that is not there or of the
// wrong kind, a loss that does not fit the task, a run that diverges. Data errors exit 1; a choice
// of flags that cannot fit the data exits 2.

const c = (
  name: string,
  args: string[],
  exitCode: 1 | 2,
  stderrIncludes: string[],
  files?: Record<string, string>,
): BadInputCase => ({ category: 'training', name, args, exitCode, stderrIncludes, files });

const table = (header: string, rows: number, row: (i: number) => string) =>
  `${header}\n${Array.from({ length: rows }, (_, i) => row(i)).join('\n')}\n`;
const three = table('a,b,kind', 30, (i) => `${i},${i % 7},${['x', 'y', 'z'][i % 3]}`);
const five = table('a,b,y', 5, (i) => `${i},${i * 2},${i % 2 ? 'yes' : 'no'}`);
const nine = table('a,b,y', 9, (i) => `${i},${i * 2},${i % 2 ? 'yes' : 'no'}`);
const oneClass = table('a,b,y', 30, (i) => `${i},${i * 2},yes`);
const csv = (name: string, text: string) => ({ [name]: text });
const train = ['train', '--quiet', '--epochs', '1'];

export const cases: BadInputCase[] = [
  c(
    'a CSV of 5 rows',
    [...train, '--csv', '{dir}/t.csv', '--target', 'y'],
    1,
    ['t.csv', 'at least 10 rows', 'found 5'],
    csv('t.csv', five),
  ),
  c(
    'a CSV of 9 rows',
    [...train, '--csv', '{dir}/t.csv', '--target', 'y'],
    1,
    ['t.csv', 'at least 10 rows', 'found 9'],
    csv('t.csv', nine),
  ),
  c(
    'a header-only CSV',
    [...train, '--csv', '{dir}/t.csv', '--target', 'y'],
    1,
    ['t.csv'],
    csv('t.csv', 'a,b,y\n'),
  ),
  c(
    'a CSV with one row',
    [...train, '--csv', '{dir}/t.csv', '--target', 'y'],
    1,
    ['t.csv'],
    csv('t.csv', 'a,b,y\n1,2,yes\n'),
  ),
  c('--csv without --target', [...train, '--csv', '{dir}/t.csv'], 2, ['--target'], csv('t.csv', three)),
  c(
    '--target of a column that is not there',
    [...train, '--csv', '{dir}/t.csv', '--target', 'nope'],
    2,
    ['--target', '"nope"', '"kind"'],
    csv('t.csv', three),
  ),
  c(
    '--task binary on three classes',
    [...train, '--csv', '{dir}/t.csv', '--target', 'kind'],
    2,
    ['--task binary', '3 classes', '--task multiclass'],
    csv('t.csv', three),
  ),
  c(
    'a target of one class',
    [...train, '--csv', '{dir}/t.csv', '--target', 'y'],
    1,
    ['"y"', 'at least 2 classes', '"yes"'],
    csv('t.csv', oneClass),
  ),
  c(
    '--loss cross-entropy on a regression set',
    ['train', '--quiet', '--dataset', 'dosage', '--loss', 'cross-entropy'],
    2,
    ['--loss cross-entropy', 'regression'],
  ),
  c('--loss bce on a multiclass set', ['train', '--quiet', '--dataset', 'blobs', '--loss', 'bce'], 2, [
    '--loss bce',
    'classes',
  ]),
  c('a diverging run without --out', ['train', '--quiet', '--dataset', 'dosage', '--lr', '1e6'], 1, [
    'training diverged',
    'epoch',
    'not saved (no --out)',
    '--lr',
  ]),
  c(
    'a diverging table run without --out',
    ['train', '--quiet', '--dataset', 'penguins', '--optimizer', 'sgd', '--lr', '1e6'],
    1,
    ['training diverged', 'epoch 1 of 50', '--lr'],
  ),
  c('gd diverging', ['gd', '--lr', '10', '--fn', 'quadratic'], 1, ['diverged', '--lr']),
  c(
    'evaluate a table model on a CSV without its target',
    ['evaluate', '--model', '{table}', '--csv', '{dir}/t.csv'],
    1,
    ['t.csv', 'sex'],
    csv('t.csv', three),
  ),
  c(
    'predict a table model on a CSV without its columns',
    ['predict', '--model', '{table}', '--csv', '{dir}/t.csv'],
    1,
    ['t.csv'],
    csv('t.csv', three),
  ),
  c(
    'predict a table model on a header-only CSV',
    ['predict', '--model', '{table}', '--csv', '{dir}/t.csv'],
    1,
    ['t.csv'],
    csv('t.csv', 'species,island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g\n'),
  ),
  c('finetune --head-layers beyond the model', ['finetune', '--head-layers', '99', '--epochs', '1'], 2, [
    '--head-layers',
    '99',
  ]),
];
