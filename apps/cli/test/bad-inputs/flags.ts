import type { BadInputCase } from './case';

// Bad values of every flag that takes one, bad choices, unknown and missing options, and flags
// that do not go together. All are usage errors (status 2) caught before any work starts.

const usage = (name: string, args: string[], stderrIncludes: string[]): BadInputCase => ({
  category: 'flags',
  name,
  args,
  exitCode: 2,
  stderrIncludes,
});

/** Values no positive integer flag takes (written --flag=value, so "-1" stays a value). */
const notPositiveIntegers = ['abc', '-1', '0', '1.5', 'NaN', 'Infinity', '1e400', '0x'];
const notPositiveNumbers = ['abc', '-1', '0', 'NaN', 'Infinity', '1e400'];
const notSeeds = ['abc', '-1', '1.5', 'NaN', 'Infinity', '1e300'];

/** Each command line before the flag under test, and its positive integer flags with their caps. */
const integerFlags: { command: string[]; flags: string[]; caps?: Record<string, string> }[] = [
  {
    command: ['train', '--dataset', 'dosage', '--quiet'],
    flags: ['--epochs', '--batch-size'],
    caps: { '--epochs': '1e12', '--batch-size': '1e9' },
  },
  {
    command: ['train', '--dataset', 'penguins', '--quiet'],
    flags: ['--epochs'],
    caps: { '--epochs': '2000000' },
  },
  {
    command: ['train', '--dataset', 'mnist-10k', '--quiet'],
    flags: ['--epochs', '--batch-size', '--limit', '--workers'],
    caps: { '--epochs': '1e7', '--batch-size': '100000', '--workers': '1000' },
  },
  {
    command: ['gd'],
    flags: ['--steps'],
    caps: { '--steps': '1e12' },
  },
  {
    command: ['finetune'],
    flags: ['--per-class', '--epochs', '--batch-size', '--head-layers'],
    caps: { '--epochs': '1e9', '--batch-size': '1e6' },
  },
  {
    command: ['explain', '--model', '{table}', '--csv', '{dir}/rows.csv', '--out', '{dir}/r.html'],
    flags: ['--background', '--patch-size'],
    caps: { '--background': '1e9' },
  },
];

const numberFlags: { command: string[]; flags: string[] }[] = [
  { command: ['train', '--dataset', 'dosage', '--quiet'], flags: ['--lr'] },
  { command: ['train', '--dataset', 'mnist-10k', '--quiet'], flags: ['--lr'] },
  { command: ['gd'], flags: ['--lr'] },
  { command: ['finetune'], flags: ['--lr'] },
];

const seedFlags: string[][] = [
  ['train', '--dataset', 'dosage', '--quiet'],
  ['train', '--dataset', 'mnist-10k', '--quiet'],
  ['finetune'],
  ['explain', '--model', '{table}', '--csv', '{dir}/rows.csv', '--out', '{dir}/r.html'],
];

const label = (command: string[]) => command.filter((a) => !a.startsWith('{') && !a.includes('/')).join(' ');

const generated: BadInputCase[] = [
  ...integerFlags.flatMap(({ command, flags, caps = {} }) =>
    flags.flatMap((flag) => [
      ...notPositiveIntegers.map((v) =>
        usage(`${label(command)} ${flag} ${v}`, [...command, `${flag}=${v}`], [flag, `"${v}"`]),
      ),
      ...(caps[flag]
        ? [
            usage(
              `${label(command)} ${flag} ${caps[flag]} (over the cap)`,
              [...command, flag, caps[flag]],
              [flag, 'at most', caps[flag]],
            ),
          ]
        : []),
    ]),
  ),
  ...numberFlags.flatMap(({ command, flags }) =>
    flags.flatMap((flag) =>
      notPositiveNumbers.map((v) =>
        usage(`${label(command)} ${flag} ${v}`, [...command, `${flag}=${v}`], [flag, `"${v}"`]),
      ),
    ),
  ),
  ...seedFlags.flatMap((command) =>
    notSeeds.map((v) =>
      usage(`${label(command)} --seed ${v}`, [...command, `--seed=${v}`], ['--seed', `"${v}"`]),
    ),
  ),
];

const toy = ['train', '--dataset', 'dosage', '--quiet'];
const table = ['train', '--dataset', 'penguins', '--quiet'];
const images = ['train', '--dataset', 'mnist-10k', '--quiet'];
const explain = ['explain', '--model', '{table}', '--csv', '{dir}/rows.csv', '--out', '{dir}/r.html'];

/** What each command needs before commander looks at the rest. */
const required: Record<string, string[]> = {
  train: [],
  predict: ['--model', '{toy}'],
  evaluate: ['--model', '{toy}'],
  explain: ['--model', '{toy}', '--out', '{dir}/x.html'],
  finetune: [],
  gd: [],
  info: [],
};

const handWritten: BadInputCase[] = [
  // Layer widths and sizes.
  usage('--hidden 1e9 (wider than memory)', [...toy, '--hidden', '1e9'], ['--hidden', 'at most', '1e9']),
  usage(
    '--hidden 16000,16000 (too many parameters)',
    [...table, '--hidden', '16000,16000'],
    ['--hidden', 'parameters', '16000-16000'],
  ),
  usage('--hidden 0', [...toy, '--hidden', '0'], ['--hidden', '"0"']),
  usage('--hidden 2,,3', [...toy, '--hidden', '2,,3'], ['--hidden', '""']),
  usage('--hidden 1.5', [...toy, '--hidden', '1.5'], ['--hidden', '"1.5"']),
  usage(
    '--hidden of 65 layers',
    [...toy, '--hidden', Array(65).fill('2').join(',')],
    ['--hidden', 'at most 64 widths', 'found 65'],
  ),
  usage('--hidden abc', [...table, '--hidden', 'abc'], ['--hidden', '"abc"']),
  usage(
    '--channels 5000 (over the cap)',
    [...images, '--channels', '8,5000'],
    ['--channels', 'at most', '5000'],
  ),
  usage('--channels 0', [...images, '--channels', '0'], ['--channels', '"0"']),
  usage(
    '--channels with --model mlp',
    [...images, '--model', 'mlp', '--channels', '8'],
    ['--channels', '--model cnn'],
  ),
  usage(
    '--size 100000,100000',
    ['train', '--images', '{dir}', '--size', '100000,100000'],
    ['--size', 'at most', '100000'],
  ),
  usage('--size 28', ['train', '--images', '{dir}', '--size', '28'], ['--size', 'height,width', '"28"']),
  usage('--size 28,28,28', ['train', '--images', '{dir}', '--size', '28,28,28'], ['--size', 'height,width']),
  usage('--size 0,28', ['train', '--images', '{dir}', '--size', '0,28'], ['--size', '"0"']),
  usage('--size without --images', [...images, '--size', '28,28'], ['--size', '--images']),
  usage('--shift -1', [...images, '--shift=-1'], ['--shift', '"-1"']),
  usage('--shift 1.5', [...images, '--shift', '1.5'], ['--shift', '"1.5"']),
  usage('--test-size 0', [...table, '--test-size', '0'], ['--test-size', '"0"']),
  usage('--test-size 1', [...table, '--test-size', '1'], ['--test-size', 'between 0 and 1', '"1"']),
  usage('--test-size 1.5', [...table, '--test-size', '1.5'], ['--test-size', '"1.5"']),
  usage('--test-size abc', [...table, '--test-size', 'abc'], ['--test-size', '"abc"']),
  usage(
    '--test-size 1.5 for an image folder',
    ['train', '--images', '{dir}', '--test-size', '1.5'],
    ['--test-size', '"1.5"'],
  ),
  // Choices.
  usage('--dataset nope', ['train', '--dataset', 'nope', '--quiet'], ['--dataset', '"nope"']),
  usage('--activation nope', [...toy, '--activation', 'nope'], ['--activation', '"nope"']),
  usage('--optimizer nope', [...toy, '--optimizer', 'nope'], ['--optimizer', '"nope"']),
  usage('--loss nope', [...toy, '--loss', 'nope'], ['--loss', '"nope"']),
  usage('--task nope', [...table, '--task', 'nope'], ['--task', '"nope"']),
  usage('--scale nope', [...table, '--scale', 'nope'], ['--scale', '"nope"']),
  usage('--missing nope', [...table, '--missing', 'nope'], ['--missing', '"nope"']),
  usage('--model nope (images)', [...images, '--model', 'nope'], ['--model', '"nope"']),
  usage('gd --fn nope', ['gd', '--fn', 'nope'], ['--fn', '"nope"']),
  usage('gd --optimizer nope', ['gd', '--optimizer', 'nope'], ['--optimizer', '"nope"']),
  usage('gd --tol -1', ['gd', '--tol=-1'], ['--tol', '"-1"']),
  usage('gd --tol abc', ['gd', '--tol', 'abc'], ['--tol', '"abc"']),
  usage('gd --start abc', ['gd', '--start', 'abc'], ['--start', '"abc"']),
  usage('gd --start 1', ['gd', '--start', '1'], ['--start', 'expected 2 numbers']),
  usage('gd --start 1,2,3', ['gd', '--start', '1,2,3'], ['--start', 'expected 2 numbers']),
  usage('gd --start 1,,2', ['gd', '--start', '1,,2'], ['--start', 'item 2']),
  usage('gd --start 1,Infinity', ['gd', '--start', '1,Infinity'], ['--start', 'Infinity']),
  usage('finetune --dataset mnist-5-5', ['finetune', '--dataset', 'mnist-5-5'], ['--dataset', '"mnist-5-5"']),
  usage('finetune --dataset mnist-3,3', ['finetune', '--dataset', 'mnist-3,3'], ['--dataset', '"mnist-3,3"']),
  usage('finetune --dataset cifar', ['finetune', '--dataset', 'cifar'], ['--dataset', '"cifar"']),
  usage('finetune --dataset mnist-9-5', ['finetune', '--dataset', 'mnist-9-5'], ['--dataset', '"mnist-9-5"']),
  usage('explain --method nope', [...explain, '--method', 'nope'], ['--method', '"nope"']),
  usage('explain --link nope', [...explain, '--link', 'nope'], ['--link', '"nope"']),
  usage('explain --baseline nope', [...explain, '--baseline', 'nope'], ['--baseline', '"nope"']),
  usage(
    'explain --background-method nope',
    [...explain, '--background-method', 'nope'],
    ['--background-method', '"nope"'],
  ),
  usage('explain --nsamples 1', [...explain, '--nsamples', '1'], ['--nsamples', '"1"']),
  usage('explain --nsamples abc', [...explain, '--nsamples', 'abc'], ['--nsamples', '"abc"']),
  usage('explain --nsamples 1.5', [...explain, '--nsamples', '1.5'], ['--nsamples', '"1.5"']),
  usage(
    'explain --nsamples 1e9 (over the cap)',
    [...explain, '--nsamples', '1e9'],
    ['--nsamples', 'at most', '1e9'],
  ),
  usage('explain --rows abc', [...explain, '--rows', 'abc'], ['--rows', '"abc"']),
  usage('explain --rows -1:3', [...explain, '--rows=-1:3'], ['--rows', '"-1:3"']),
  usage('explain --rows 5:2', [...explain, '--rows', '5:2'], ['--rows', '5:2']),
  usage('explain --rows 1:2:3', [...explain, '--rows', '1:2:3'], ['--rows', '"1:2:3"']),
  // Unknown options, missing values, missing required options.
  ...Object.entries(required).map(([command, args]) =>
    usage(`${command} --bogus`, [command, ...args, '--bogus'], ["unknown option '--bogus'"]),
  ),
  usage('a command that does not exist', ['trian'], ["unknown command 'trian'"]),
  ...(['--epochs', '--lr', '--hidden', '--out', '--csv'] as const).map((flag) =>
    usage(`train ${flag} without its value`, ['train', flag], [flag, 'argument missing']),
  ),
  usage('predict without --model', ['predict', '--input', '1'], ['--model']),
  usage('evaluate without --model', ['evaluate', '--csv', 'x.csv'], ['--model']),
  usage('explain without --model', ['explain', '--out', 'x.html'], ['--model']),
  usage('explain without --out', ['explain', '--model', '{table}'], ['--out']),
  // Flags that do not go together.
  usage('--csv and --dataset', ['train', '--csv', 'x.csv', '--dataset', 'penguins'], ['--csv', '--dataset']),
  usage('--csv and --images', ['train', '--csv', 'x.csv', '--images', '{dir}'], ['--csv', '--images']),
  usage(
    '--images and --dataset',
    ['train', '--images', '{dir}', '--dataset', 'mnist'],
    ['--images', '--dataset'],
  ),
  ...(
    [
      '--model cnn',
      '--channels 8',
      '--shift 1',
      '--limit 5',
      '--workers 2',
      '--data-dir .',
      '--report r.html',
      '--size 4,4',
      '--rgb',
    ] as const
  ).map((flag) =>
    usage(`${flag} on a table`, [...table, ...flag.split(' ')], [flag.split(' ')[0], 'only for image']),
  ),
  usage('--loss on a table', [...table, '--loss', 'mse'], ['--loss', 'tables use']),
  ...(['--activation relu', '--optimizer adam', '--loss mse', '--categorical a', '--target y'] as const).map(
    (flag) =>
      usage(
        `${flag} on images`,
        [...images, ...flag.split(' ')],
        [flag.split(' ')[0], 'not used with image'],
      ),
  ),
  usage(
    '--target of a column a built-in table lacks',
    [...table, '--target', 'nope'],
    ['--target', '"nope"', '"sex"'],
  ),
  usage(
    'predict --input and --csv',
    ['predict', '--model', '{toy}', '--input', '1', '--csv', 'x.csv'],
    ['--input', '--csv'],
  ),
  usage('predict with neither --input nor --csv', ['predict', '--model', '{toy}'], ['--input', '--csv']),
  usage(
    'predict --image with --input',
    ['predict', '--model', '{toy}', '--image', 'x.png', '--input', '1'],
    ['--image'],
  ),
  usage(
    'predict --out without --csv',
    ['predict', '--model', '{toy}', '--input', '1', '--out', '{dir}/p.csv'],
    ['--out', '--csv'],
  ),
  usage('predict --input abc', ['predict', '--model', '{toy}', '--input', 'abc'], ['--input', '"abc"']),
  usage('predict --input 1,,2', ['predict', '--model', '{toy}', '--input', '1,,2'], ['--input', 'item 2']),
  usage(
    'predict --input with two features for a one-feature model',
    ['predict', '--model', '{toy}', '--input', '1,2;3,4'],
    ['--input row 1', 'expected 1 numbers'],
  ),
  usage(
    'predict --input on a table model',
    ['predict', '--model', '{table}', '--input', '1'],
    ['--input', 'use --csv'],
  ),
  usage('evaluate a table model without --csv', ['evaluate', '--model', '{table}'], ['--csv']),
  usage(
    'evaluate a table model with --report',
    ['evaluate', '--model', '{table}', '--csv', '{dir}/rows.csv', '--report', '{dir}/r.html'],
    ['--report', 'only for image models'],
  ),
];

export const cases: BadInputCase[] = [...generated, ...handWritten];
