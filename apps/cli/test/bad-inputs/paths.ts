import type { BadInputCase } from './case';

// Files and folders that are missing, of the wrong kind, or cannot be written: each refused naming
// the option and the path, never a temporary file or a raw ENOENT/EISDIR.

const c = (
  name: string,
  args: string[],
  exitCode: 1 | 2,
  stderrIncludes: string[],
  files?: Record<string, string>,
): BadInputCase => ({ category: 'paths', name, args, exitCode, stderrIncludes, files });

const rows =
  'species,island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,sex\nAdelie,Torgersen,39.1,18.7,181,3750,male\n';
const someFiles = { 'file.txt': 'not a folder\n', 'folder/inside.txt': 'x\n', 'rows.csv': rows };

const modelCommands: [string, string[]][] = [
  ['predict', ['predict', '--input', '1']],
  ['evaluate', ['evaluate', '--csv', '{dir}/rows.csv']],
  ['explain', ['explain', '--csv', '{dir}/rows.csv', '--out', '{dir}/r.html']],
  ['finetune', ['finetune', '--epochs', '1']],
];

export const cases: BadInputCase[] = [
  // --model: not there, a file, a folder that is no bundle.
  ...modelCommands.flatMap(([command, args]) => [
    c(
      `${command} --model of a folder that does not exist`,
      [...args, '--model', '{dir}/none'],
      1,
      ['none'],
      someFiles,
    ),
    c(`${command} --model of a file`, [...args, '--model', '{dir}/file.txt'], 1, ['file.txt'], someFiles),
    c(
      `${command} --model of a folder without model.json`,
      [...args, '--model', '{dir}/folder'],
      1,
      ['folder', 'model.json'],
      someFiles,
    ),
  ]),
  // Input files: not there, or a folder.
  c('train --csv of a missing file', ['train', '--csv', '{dir}/none.csv', '--target', 'y', '--quiet'], 1, [
    'none.csv',
  ]),
  c(
    'train --csv of a folder',
    ['train', '--csv', '{dir}/folder', '--target', 'y', '--quiet'],
    1,
    ['folder'],
    someFiles,
  ),
  c('predict --csv of a missing file', ['predict', '--model', '{table}', '--csv', '{dir}/none.csv'], 1, [
    'none.csv',
  ]),
  c(
    'predict --csv of a folder',
    ['predict', '--model', '{table}', '--csv', '{dir}/folder'],
    1,
    ['folder'],
    someFiles,
  ),
  c('evaluate --csv of a missing file', ['evaluate', '--model', '{table}', '--csv', '{dir}/none.csv'], 1, [
    'none.csv',
  ]),
  c(
    'explain --csv of a missing file',
    ['explain', '--model', '{table}', '--csv', '{dir}/none.csv', '--out', '{dir}/r.html'],
    1,
    ['none.csv'],
  ),
  c('train --images of a missing folder', ['train', '--images', '{dir}/none', '--quiet'], 1, ['none']),
  c(
    'train --images of a file',
    ['train', '--images', '{dir}/file.txt', '--quiet'],
    1,
    ['file.txt'],
    someFiles,
  ),
  c(
    'train --images of a folder without class folders',
    ['train', '--images', '{dir}/folder', '--quiet'],
    1,
    ['folder'],
    someFiles,
  ),
  c('predict --image with a table model', ['predict', '--model', '{toy}', '--image', '{dir}/none.png'], 2, [
    '--image',
    'table rows',
  ]),
  // --out of a bundle: a file, a path through a file, a folder of other things.
  c(
    'train --out of a file',
    ['train', '--dataset', 'dosage', '--epochs', '1', '--quiet', '--out', '{dir}/file.txt'],
    2,
    ['--out', 'file.txt', 'found a file'],
    someFiles,
  ),
  c(
    'train --out through a file',
    ['train', '--dataset', 'dosage', '--epochs', '1', '--quiet', '--out', '{dir}/file.txt/model'],
    2,
    ['--out', 'file.txt', 'a file, on the way'],
    someFiles,
  ),
  c(
    'train --out of a folder that is no bundle',
    ['train', '--dataset', 'dosage', '--epochs', '1', '--quiet', '--out', '{dir}/folder'],
    2,
    ['--out', 'folder', 'without model.json'],
    someFiles,
  ),
  c('train --out ""', ['train', '--dataset', 'dosage', '--epochs', '1', '--quiet', '--out', ''], 2, [
    '--out',
    'expected a folder name',
  ]),
  c(
    'train (table) --out of a file',
    ['train', '--dataset', 'penguins', '--epochs', '1', '--quiet', '--out', '{dir}/file.txt'],
    2,
    ['--out', 'file.txt'],
    someFiles,
  ),
  c(
    'train (images) --out of a file',
    ['train', '--dataset', 'mnist-10k', '--epochs', '1', '--quiet', '--out', '{dir}/file.txt'],
    2,
    ['--out', 'file.txt'],
    someFiles,
  ),
  c(
    'train (images) --report in a missing folder',
    ['train', '--dataset', 'mnist-10k', '--epochs', '1', '--quiet', '--report', '{dir}/none/r.html'],
    2,
    ['--report', 'none'],
    someFiles,
  ),
  c(
    'train (images) --report of a folder',
    ['train', '--dataset', 'mnist-10k', '--epochs', '1', '--quiet', '--report', '{dir}/folder'],
    2,
    ['--report', 'found a folder'],
    someFiles,
  ),
  c('finetune --out of a file', ['finetune', '--out', '{dir}/file.txt'], 2, ['--out', 'file.txt'], someFiles),
  c(
    'finetune --out through a file',
    ['finetune', '--out', '{dir}/file.txt/m'],
    2,
    ['--out', 'file.txt'],
    someFiles,
  ),
  // --out of a file: a missing folder, a folder, a path through a file.
  c('gd --out in a missing folder', ['gd', '--out', '{dir}/none/t.csv'], 2, ['--out', 'none'], someFiles),
  c('gd --out of a folder', ['gd', '--out', '{dir}/folder'], 2, ['--out', 'found a folder'], someFiles),
  c('gd --out through a file', ['gd', '--out', '{dir}/file.txt/t.csv'], 2, ['--out', 'file.txt'], someFiles),
  c('gd --out ""', ['gd', '--out', ''], 2, ['--out', 'expected a file name']),
  c(
    'predict --out in a missing folder',
    ['predict', '--model', '{table}', '--csv', '{dir}/rows.csv', '--out', '{dir}/none/p.csv'],
    2,
    ['--out', 'none'],
    someFiles,
  ),
  c(
    'predict --out of a folder',
    ['predict', '--model', '{table}', '--csv', '{dir}/rows.csv', '--out', '{dir}/folder'],
    2,
    ['--out', 'found a folder'],
    someFiles,
  ),
  c(
    'predict --out through a file',
    ['predict', '--model', '{table}', '--csv', '{dir}/rows.csv', '--out', '{dir}/file.txt/p.csv'],
    2,
    ['--out', 'file.txt'],
    someFiles,
  ),
  c(
    'evaluate --report in a missing folder',
    ['evaluate', '--model', '{table}', '--csv', '{dir}/rows.csv', '--report', '{dir}/none/r.html'],
    2,
    ['--report', 'none'],
    someFiles,
  ),
  c(
    'evaluate --report of a folder',
    ['evaluate', '--model', '{table}', '--csv', '{dir}/rows.csv', '--report', '{dir}/folder'],
    2,
    ['--report', 'found a folder'],
    someFiles,
  ),
  c(
    'explain --out in a missing folder',
    ['explain', '--model', '{table}', '--csv', '{dir}/rows.csv', '--out', '{dir}/none/r.html'],
    2,
    ['--out', 'none'],
    someFiles,
  ),
  c(
    'explain --out of a folder',
    ['explain', '--model', '{table}', '--csv', '{dir}/rows.csv', '--out', '{dir}/folder'],
    2,
    ['--out', 'found a folder'],
    someFiles,
  ),
  c(
    'explain --values in a missing folder',
    [
      'explain',
      '--model',
      '{table}',
      '--csv',
      '{dir}/rows.csv',
      '--out',
      '{dir}/r.html',
      '--values',
      '{dir}/none/v.csv',
    ],
    2,
    ['--values', 'none'],
    someFiles,
  ),
  c(
    'explain --values of a folder',
    [
      'explain',
      '--model',
      '{table}',
      '--csv',
      '{dir}/rows.csv',
      '--out',
      '{dir}/r.html',
      '--values',
      '{dir}/folder',
    ],
    2,
    ['--values', 'found a folder'],
    someFiles,
  ),
];
