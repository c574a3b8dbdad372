import { gzipSync } from 'node:zlib';
import { encodeIdx } from '@descent/datasets/images';
// The image writers of @descent/datasets' tests (test code, not part of the package's API).
import {
  bombJpeg,
  bombPng,
  greyPng,
  rgbJpeg,
} from '../../../../packages/datasets/src/images/image-files-testing';

// Bad input files for the bad-input catalogue: CSVs (missing, of the wrong kind, short, ragged,
// numbers past float64, text in numbers), images (decompression bombs, damaged, not images, of
// differing sizes) and IDX sets (wrong magic, truncated, huge declared sizes, bad labels). Each
// error must name the file, and the row and column or the figure and the limit.

/** One catalogue case (the runner's type, repeated here so this file stands alone). */
interface BadInputCase {
  category: string;
  name: string;
  args: string[];
  files?: Record<string, string | Uint8Array>;
  exitCode: 1 | 2;
  stderrIncludes: string[];
}

const csvCase = (
  name: string,
  args: string[],
  exitCode: 1 | 2,
  stderrIncludes: string[],
  files?: Record<string, string | Uint8Array>,
): BadInputCase => ({ category: 'input files: csv', name, args, exitCode, stderrIncludes, files });
const imageCase = (
  name: string,
  args: string[],
  exitCode: 1 | 2,
  stderrIncludes: string[],
  files?: Record<string, string | Uint8Array>,
): BadInputCase => ({ category: 'input files: images', name, args, exitCode, stderrIncludes, files });
const idxCase = (
  name: string,
  files: Record<string, string | Uint8Array>,
  stderrIncludes: string[],
): BadInputCase => ({
  category: 'input files: idx',
  name,
  args: ['train', '--dataset', 'mnist', '--data-dir', '{dir}', '--epochs', '1', '--quiet'],
  exitCode: 1,
  stderrIncludes,
  files,
});

const train = (file: string) => ['train', '--csv', `{dir}/${file}`, '--target', 'y', '--quiet'];

/** Twelve good rows of x, z and a two-class y, then `extra` lines. */
const table = (extra = '') =>
  `x,z,y\n${Array.from({ length: 12 }, (_, i) => `${i},${i % 3},${i % 2 ? 'a' : 'b'}`).join('\n')}\n${extra}`;

// The {table} fixture's columns (the built-in penguins, target sex).
const PENGUIN_HEADER = 'species,island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,sex';
const penguinRow = (bill = '39.1') => `Adelie,Torgersen,${bill},18.7,181,3750,male`;
const penguins = (...rows: string[]) => `${PENGUIN_HEADER}\n${rows.join('\n')}\n`;

const csvCases: BadInputCase[] = [
  // train --csv
  csvCase('train: a missing file', train('none.csv'), 1, ['none.csv', 'file not found']),
  csvCase('train: a directory', train('folder'), 1, ['folder', 'expected a file, found a directory'], {
    'folder/inside.txt': 'x\n',
  }),
  csvCase('train: an empty file', train('empty.csv'), 1, ['empty.csv', 'empty file'], { 'empty.csv': '' }),
  csvCase('train: a header-only file', train('header.csv'), 1, ['header.csv', 'found only the header'], {
    'header.csv': 'x,z,y\n',
  }),
  csvCase(
    'train: a row longer than the header',
    train('wide.csv'),
    1,
    ['wide.csv', 'row 13', 'expected 3 fields (one per header column), found 4'],
    { 'wide.csv': table('12,0,a,extra\n') },
  ),
  csvCase(
    'train: a row shorter than the header',
    train('short.csv'),
    1,
    ['short.csv', 'row 13', 'column "y"', 'expected 3 fields'],
    { 'short.csv': table('12,0\n') },
  ),
  csvCase(
    'train: 1e400 in a numeric column',
    train('huge.csv'),
    1,
    ['huge.csv', 'row 13', 'column "x"', 'expected a finite number', '"1e400"'],
    { 'huge.csv': table('1e400,1,a\n') },
  ),
  csvCase(
    'train: -1e999 in the first row',
    train('tiny.csv'),
    1,
    ['tiny.csv', 'row 1', 'column "z"', 'expected a finite number', '"-1e999"'],
    { 'tiny.csv': `x,z,y\n1,-1e999,a\n${table().split('\n').slice(1).join('\n')}` },
  ),
  csvCase(
    'train: the text Infinity after numbers',
    train('inf.csv'),
    1,
    ['inf.csv', 'row 13', 'column "x"', 'expected a number, found "Infinity"'],
    { 'inf.csv': table('Infinity,1,a\n') },
  ),
  csvCase(
    'train: a word in a numeric column',
    train('text.csv'),
    1,
    ['text.csv', 'row 13', 'column "z"', 'expected a number, found "three"'],
    { 'text.csv': table('12,three,a\n') },
  ),
  csvCase('train: an unclosed quote', train('quote.csv'), 1, ['quote.csv', 'row 13'], {
    'quote.csv': table('12,"1,a\n13,2,b\n'),
  }),
  csvCase(
    'train: a duplicate column name',
    train('dup.csv'),
    1,
    ['dup.csv', 'header', 'duplicate column name "x"'],
    { 'dup.csv': 'x,x,y\n1,2,a\n' },
  ),
  csvCase(
    'train: a target that is not a column',
    ['train', '--csv', '{dir}/t.csv', '--target', 'colour', '--quiet'],
    2,
    ['--target', '"colour"', 't.csv'],
    { 't.csv': table() },
  ),
  // predict --csv, evaluate --csv, explain --csv on the {table} bundle
  csvCase('predict: a missing file', ['predict', '--model', '{table}', '--csv', '{dir}/none.csv'], 1, [
    'none.csv',
    'file not found',
  ]),
  csvCase(
    'predict: a header-only file',
    ['predict', '--model', '{table}', '--csv', '{dir}/header.csv'],
    1,
    ['header.csv', 'found only the header'],
    { 'header.csv': `${PENGUIN_HEADER}\n` },
  ),
  csvCase(
    'predict: 1e400 in a feature',
    ['predict', '--model', '{table}', '--csv', '{dir}/huge.csv'],
    1,
    ['huge.csv', 'row 2', 'column "bill_length_mm"', 'expected a finite number', '"1e400"'],
    { 'huge.csv': penguins(penguinRow(), penguinRow('1e400')) },
  ),
  csvCase(
    'predict: a directory',
    ['predict', '--model', '{table}', '--csv', '{dir}/folder'],
    1,
    ['folder', 'expected a file, found a directory'],
    { 'folder/inside.txt': 'x\n' },
  ),
  csvCase(
    'evaluate: 1e400 in a feature',
    ['evaluate', '--model', '{table}', '--csv', '{dir}/huge.csv'],
    1,
    ['huge.csv', 'row 1', 'column "bill_length_mm"', '"1e400"'],
    { 'huge.csv': penguins(penguinRow('1e400'), penguinRow()) },
  ),
  csvCase(
    'evaluate: an empty file',
    ['evaluate', '--model', '{table}', '--csv', '{dir}/empty.csv'],
    1,
    ['empty.csv', 'empty file'],
    { 'empty.csv': '' },
  ),
  csvCase(
    'explain: a header-only file',
    ['explain', '--model', '{table}', '--csv', '{dir}/header.csv', '--out', '{dir}/r.html', '--quiet'],
    1,
    ['header.csv', 'found only the header'],
    { 'header.csv': `${PENGUIN_HEADER}\n` },
  ),
  csvCase(
    'explain: -1e400 in a feature',
    ['explain', '--model', '{table}', '--csv', '{dir}/huge.csv', '--out', '{dir}/r.html', '--quiet'],
    1,
    ['huge.csv', 'row 1', 'column "bill_length_mm"', '"-1e400"'],
    { 'huge.csv': penguins(penguinRow('-1e400')) },
  ),
];

const trainImages = ['train', '--images', '{dir}/imgs', '--epochs', '1', '--quiet'];
const small = greyPng(8, 8, (x, y) => 30 * x + y);
/** Two classes of good 8 × 8 pictures, plus `extra` files under imgs/. */
const folder = (extra: Record<string, string | Uint8Array>) => ({
  'imgs/a/1.png': small,
  'imgs/a/2.png': small,
  'imgs/b/1.png': small,
  ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [`imgs/${k}`, v])),
});
const truncated = Uint8Array.from(small).subarray(0, 40);

const imageCases: BadInputCase[] = [
  imageCase(
    'train --images: a PNG declaring 20000 × 20000 pixels (a decompression bomb)',
    trainImages,
    1,
    ['bomb.png', '20000 × 20000 = 400000000', 'at most 67108864 pixels', '--max-pixels'],
    folder({ 'b/bomb.png': bombPng(20000, 20000, 4) }),
  ),
  imageCase(
    'train --images: a JPEG declaring 60000 × 60000 pixels',
    trainImages,
    1,
    ['bomb.jpg', '60000 × 60000', 'JPEG header', '--max-pixels'],
    folder({ 'b/bomb.jpg': bombJpeg(60000, 60000) }),
  ),
  imageCase(
    'train --images: pictures over --max-pixels',
    [...trainImages, '--max-pixels', '50'],
    1,
    ['1.png', 'at most 50 pixels (--max-pixels)', '8 × 8 = 64'],
    folder({}),
  ),
  imageCase(
    'train --images: a truncated PNG',
    trainImages,
    1,
    ['cut.png', 'a damaged PNG file'],
    folder({ 'b/cut.png': truncated }),
  ),
  imageCase(
    'train --images: text named .png',
    trainImages,
    1,
    ['notes.png', 'not a PNG or JPEG file'],
    folder({ 'b/notes.png': 'my notes\n' }),
  ),
  imageCase(
    'train --images: an empty .jpg',
    trainImages,
    1,
    ['empty.jpg', 'an empty file'],
    folder({ 'b/empty.jpg': new Uint8Array(0) }),
  ),
  imageCase(
    'train --images: a JPEG with no frame header',
    trainImages,
    1,
    ['noframe.jpg', 'a damaged JPEG file (no frame header'],
    folder({ 'b/noframe.jpg': Uint8Array.from([0xff, 0xd8, 0xff, 0xd9]) }),
  ),
  imageCase(
    'train --images: pictures of two sizes without --size',
    trainImages,
    1,
    ['big.jpg', 'expected 8 × 8 pixels', 'found 12 × 16', '--size'],
    folder({ 'b/big.jpg': rgbJpeg(16, 12, () => [9, 9, 9]) }),
  ),
  imageCase(
    'train --images: --max-pixels 0',
    [...trainImages, '--max-pixels', '0'],
    2,
    ['--max-pixels', '"0"'],
    folder({}),
  ),
  imageCase(
    'train --images: --max-pixels of text',
    [...trainImages, '--max-pixels', 'lots'],
    2,
    ['--max-pixels', '"lots"'],
    folder({}),
  ),
  imageCase(
    'train --dataset with --max-pixels',
    ['train', '--dataset', 'mnist-10k', '--max-pixels', '100', '--quiet'],
    2,
    ['--max-pixels: only with --images'],
  ),
  imageCase(
    'predict --input with --max-pixels',
    ['predict', '--model', '{table}', '--input', '1', '--max-pixels', '100'],
    2,
    ['--max-pixels: only with --image'],
  ),
  imageCase(
    'explain --csv with --max-pixels',
    ['explain', '--model', '{table}', '--csv', '{dir}/t.csv', '--out', '{dir}/r.html', '--max-pixels', '9'],
    2,
    ['--max-pixels', 'only for --image'],
    { 't.csv': penguins(penguinRow()) },
  ),
];

const u8 = (shape: number[], fill = 0) =>
  encodeIdx({ type: 'uint8', shape, data: new Uint8Array(shape.reduce((a, b) => a * b, 1)).fill(fill) });
/** A valid tiny set: 4 training and 2 test images of 3 × 3, labels 0..3. */
const idxSet = (replace: Record<string, Uint8Array | string>) => ({
  'train-images-idx3-ubyte': u8([4, 3, 3]),
  'train-labels-idx1-ubyte': encodeIdx({ type: 'uint8', shape: [4], data: Uint8Array.from([0, 1, 2, 3]) }),
  't10k-images-idx3-ubyte': u8([2, 3, 3]),
  't10k-labels-idx1-ubyte': u8([2]),
  ...replace,
});
const hugeDims = u8([4, 3, 3]);
new DataView(hugeDims.buffer).setUint32(4, 0xffffffff, false);

const idxCases: BadInputCase[] = [
  idxCase('a wrong magic number', idxSet({ 'train-images-idx3-ubyte': 'P5 not idx at all\n' }), [
    'train-images-idx3-ubyte',
    'is not a valid IDX file',
    'magic number',
  ]),
  idxCase('a truncated images file', idxSet({ 'train-images-idx3-ubyte': u8([4, 3, 3]).subarray(0, 30) }), [
    'train-images-idx3-ubyte',
    'truncated',
  ]),
  idxCase('4294967295 images declared in a small file', idxSet({ 'train-images-idx3-ubyte': hugeDims }), [
    'train-images-idx3-ubyte',
    'shape [4294967295, 3, 3]',
    'truncated',
  ]),
  idxCase('fewer labels than images', idxSet({ 'train-labels-idx1-ubyte': u8([3]) }), [
    'train-labels-idx1-ubyte',
    'expected 4 labels',
    'found 3',
  ]),
  idxCase('a label past the classes', idxSet({ 'train-labels-idx1-ubyte': u8([4], 10) }), [
    'train-labels-idx1-ubyte',
    'label 0',
    'expected a class index in 0..9, found 10',
  ]),
  idxCase(
    'a damaged gzip',
    {
      ...idxSet({}),
      'train-images-idx3-ubyte': undefined as unknown as string,
      'train-images-idx3-ubyte.gz': gzipSync(u8([4, 3, 3])).subarray(0, 20),
    },
    ['train-images-idx3-ubyte.gz', 'corrupt or truncated gzip'],
  ),
  idxCase(
    'images stored as float32',
    idxSet({
      'train-images-idx3-ubyte': encodeIdx({ type: 'float32', shape: [4, 3, 3], data: new Float32Array(36) }),
    }),
    ['train-images-idx3-ubyte', 'expected images as uint8', 'found float32'],
  ),
  idxCase('test images of another size', idxSet({ 't10k-images-idx3-ubyte': u8([2, 4, 4]) }), [
    'expected test images the size of the training images (1×3×3), found 1×4×4',
  ]),
];

// A file list must not hold an undefined entry (the damaged-gzip case replaces the plain file).
for (const c of idxCases) {
  if (c.files) c.files = Object.fromEntries(Object.entries(c.files).filter(([, v]) => v !== undefined));
}

export const cases: BadInputCase[] = [...csvCases, ...imageCases, ...idxCases];
