// Bad-input catalogue, category "bundles": broken or limit-breaking model bundles given to the
// commands that load one, and `--out` / `--model` paths that cannot hold or be a bundle. Each
// bundle is written into `{dir}` (a fresh temporary folder) from the files below.
import { createHash } from 'node:crypto';

export interface BadInputCase {
  category: string;
  name: string;
  args: string[];
  files?: Record<string, string | Uint8Array>;
  exitCode: 1 | 2;
  stderrIncludes: string[];
}

interface Tensor {
  dtype?: string;
  shape: number[];
  /** The raw little-endian bytes; float32 values by default. */
  data: Uint8Array;
}

const f32 = (values: number[]) => new Uint8Array(new Float32Array(values).buffer);

/** safetensors bytes: a u64 header length, the JSON header, the data back to back. */
function safetensors(tensors: Record<string, Tensor>, headerText?: string): Uint8Array {
  const header: Record<string, unknown> = Object.create(null);
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    header[name] = {
      dtype: t.dtype ?? 'F32',
      shape: t.shape,
      data_offsets: [offset, offset + t.data.length],
    };
    offset += t.data.length;
  }
  const json = new TextEncoder().encode(headerText ?? JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const t of Object.values(tensors)) {
    out.set(t.data, at);
    at += t.data.length;
  }
  return out;
}

const linearArchitecture = {
  type: 'Sequential',
  layers: [{ type: 'Linear', inFeatures: 2, outFeatures: 1, bias: true }, { type: 'Sigmoid' }],
};
const goodWeights: Record<string, Tensor> = {
  '0.weight': { shape: [1, 2], data: f32([0.5, -0.25]) },
  '0.bias': { shape: [1], data: f32([0.1]) },
};

/**
 * A bundle folder `m`: model.json's fields over a valid two-feature classifier, its weights file
 * (model.json's size and checksum made to match it unless `manifestText` replaces the whole text).
 */
function bundle(
  fields: Record<string, unknown> = {},
  weights: Uint8Array = safetensors(goodWeights),
  manifestText?: string,
): Record<string, string | Uint8Array> {
  const manifest = {
    format: 'descent-bundle',
    formatVersion: 1,
    architecture: linearArchitecture,
    loss: 'bce',
    outputKind: 'probability',
    featureNames: ['x1', 'x2'],
    labelNames: ['no', 'yes'],
    weights: {
      file: 'model.safetensors',
      bytes: weights.length,
      sha256: createHash('sha256').update(weights).digest('hex'),
    },
    createdAt: '2026-12-06T00:00:00.000Z',
    ...fields,
  };
  return {
    'm/model.json': manifestText ?? JSON.stringify(manifest, null, 2),
    'm/model.safetensors': weights,
  };
}

/** A bundle whose architecture nests Sequentials `depth` deep, written as text (JSON.stringify would overflow). */
function deepBundle(depth: number): Record<string, string | Uint8Array> {
  const files = bundle({ architecture: '@deep@' });
  const deep = `${'{"type":"Sequential","layers":['.repeat(depth)}{"type":"Sigmoid"}${']}'.repeat(depth)}`;
  return { ...files, 'm/model.json': (files['m/model.json'] as string).replace('"@deep@"', deep) };
}

const table = {
  type: 'TabularPreprocessor',
  version: 1,
  encoder: {
    type: 'TabularEncoder',
    version: 1,
    missing: 'error',
    handleUnknown: 'error',
    target: 'y',
    classes: ['no', 'yes'],
    features: [
      { name: 'a', kind: 'numeric', mean: 1 },
      { name: 'b', kind: 'numeric', mean: 2 },
    ],
  },
  scale: 'none',
  scaler: null,
};

const predict = ['predict', '--model', '{dir}/m', '--input', '0,1'];
const c = (
  name: string,
  args: string[],
  files: Record<string, string | Uint8Array> | undefined,
  exitCode: 1 | 2,
  stderrIncludes: string[],
): BadInputCase => ({ category: 'bundles', name, args, files, exitCode, stderrIncludes });

export const cases: BadInputCase[] = [
  c('--model folder that does not exist', predict, {}, 1, ['m: not a descent bundle (no model.json)']),
  c('--model names a file', ['predict', '--model', '{dir}/f', '--input', '0,1'], { f: 'text' }, 1, [
    'f: expected a bundle folder, found a file',
  ]),
  c('model.json is a folder', predict, { 'm/model.json/x': '', 'm/model.safetensors': '' }, 1, [
    'm/model.json: expected a file, found a folder',
  ]),
  c('model.json is not JSON', predict, bundle({}, undefined, '{"format": "descent-bundle",'), 1, [
    'm/model.json: not valid JSON',
  ]),
  c('model.json of another format', predict, bundle({ format: 'keras' }), 1, [
    'm/model.json: format: expected "descent-bundle", found "keras"',
  ]),
  c('model.json of a newer format version', predict, bundle({ formatVersion: 2 }), 1, [
    'm/model.json: formatVersion: expected 1, found 2',
  ]),
  c('model.json without an architecture', predict, bundle({ architecture: null }), 1, [
    'm/model.json: architecture: expected a value, found nothing',
  ]),
  c('model.json with an unknown output kind', predict, bundle({ outputKind: 'vibes' }), 1, [
    'm/model.json: outputKind: expected one of value, probability, logit, classScores, found "vibes"',
  ]),
  c('model.json with a bad input shape', predict, bundle({ inputShape: [1, -28, 28] }), 1, [
    'm/model.json: inputShape: expected an array of positive integers, found [1, -28, 28]',
  ]),
  c('model.json with labelNames that are not strings', predict, bundle({ labelNames: [0, 1] }), 1, [
    'm/model.json: labelNames: expected an array of strings, found [0, 1]',
  ]),
  c(
    'featureNames that disagree with the preprocessing',
    ['predict', '--model', '{dir}/m', '--csv', '{dir}/rows.csv'],
    {
      ...bundle({ preprocessing: table, featureNames: ['a', 'c'], targetName: 'y' }),
      'rows.csv': 'a,b\n1,2\n',
    },
    1,
    ['m/model.json: featureNames: expected the preprocessing\'s input columns ["a", "b"], found ["a", "c"]'],
  ),
  c(
    'preprocessing that is not a fitted preprocessor',
    predict,
    bundle({ preprocessing: { type: 'TabularPreprocessor' } }),
    1,
    ['m/model.json: preprocessing:'],
  ),
  c(
    'an unknown layer type',
    predict,
    bundle({ architecture: { type: 'Sequential', layers: [{ type: 'Conv9d' }] } }),
    1,
    [
      'm/model.json: architecture: fromConfig: config.type: expected a registered module type',
      'found "Conv9d"',
    ],
  ),
  c('an architecture nested 5,000 deep', predict, deepBundle(5000), 1, [
    'm/model.json: expected arrays and objects nested at most 64 deep (limits.maxDepth), found 10002',
  ]),
  c(
    'a layer of 100000 × 100000 weights',
    predict,
    bundle({
      architecture: {
        type: 'Sequential',
        layers: [{ type: 'Linear', inFeatures: 100000, outFeatures: 100000 }],
      },
    }),
    1,
    [
      'm/model.json: architecture.layers[0]: a "Linear" of 100000 × 100000 = 10000000000 weights, more than the 3 the weights file holds',
    ],
  ),
  c(
    'a layer wider than the limit',
    predict,
    bundle({
      architecture: { type: 'Sequential', layers: [{ type: 'Linear', inFeatures: 2, outFeatures: 5000000 }] },
    }),
    1,
    [
      'm/model.json: architecture.layers[0].outFeatures: expected at most 1048576 (limits.maxWidth), found 5000000',
    ],
  ),
  c('the weights file is missing', predict, { 'm/model.json': bundle()['m/model.json'] }, 1, [
    'm/model.safetensors: missing',
  ]),
  c(
    'truncated weights',
    predict,
    { ...bundle(), 'm/model.safetensors': safetensors(goodWeights).subarray(0, 40) },
    1,
    ['m/model.safetensors: expected', 'bytes, found 40 (truncated or replaced)'],
  ),
  c(
    'corrupted weights (a flipped byte)',
    predict,
    (() => {
      const files = bundle();
      const flipped = (files['m/model.safetensors'] as Uint8Array).slice();
      flipped[flipped.length - 1] ^= 0x40;
      return { ...files, 'm/model.safetensors': flipped };
    })(),
    1,
    ['m/model.safetensors: sha256', '(corrupted)'],
  ),
  c(
    'weights of the wrong shape',
    predict,
    bundle({}, safetensors({ ...goodWeights, '0.weight': { shape: [2, 1], data: f32([1, 2]) } })),
    1,
    ['m/model.safetensors: loadStateDict: 0.weight: expected shape [1, 2], found [2, 1]'],
  ),
  c(
    'a weight named __proto__',
    predict,
    bundle({}, safetensors({ ...goodWeights, ['__proto__']: { shape: [1], data: f32([1]) } })),
    1,
    ['m/model.safetensors: loadStateDict: unexpected keys: __proto__'],
  ),
  c(
    'a float64 weight beyond float32',
    predict,
    bundle(
      {},
      safetensors({
        '0.weight': {
          dtype: 'F64',
          shape: [1, 2],
          data: new Uint8Array(new Float64Array([1, 1e300]).buffer),
        },
        '0.bias': goodWeights['0.bias'],
      }),
    ),
    1,
    ['m/model.safetensors: tensor "0.weight" element 1: value 1e+300 is outside float32\'s range'],
  ),
  c(
    'a safetensors header length beyond the file',
    predict,
    bundle(
      {},
      (() => {
        const bytes = safetensors(goodWeights);
        new DataView(bytes.buffer).setUint32(4, 1, true);
        return bytes;
      })(),
    ),
    1,
    ['m/model.safetensors: truncated file: the header length is'],
  ),
  c(
    'a safetensors header that is not JSON',
    predict,
    bundle({}, safetensors({}, '{"0.weight": {"dtype"')),
    1,
    ['m/model.safetensors: header is not valid UTF-8 JSON'],
  ),
  c(
    'a safetensors tensor of an unknown dtype',
    predict,
    bundle({}, safetensors({ '0.weight': { dtype: 'Q4', shape: [1, 2], data: f32([1, 2]) } })),
    1,
    ['m/model.safetensors: tensor "0.weight": dtype: expected one of F32'],
  ),
  c(
    'a safetensors tensor declaring 2^52 elements',
    predict,
    bundle(
      {},
      safetensors({
        e: { shape: [0, 2 ** 40, 2 ** 12], data: new Uint8Array(0) },
      }),
    ),
    1,
    [
      'm/model.safetensors: tensor "e": shape [0, 1099511627776, 4096] holds 4503599627370496 elements, above the limit of 268435456',
    ],
  ),
  c('weights above --max-model-mb', [...predict, '--max-model-mb', '0.0001'], bundle(), 1, [
    'm/model.safetensors: expected at most 104 bytes (limits.maxWeightsBytes), found',
    '--max-model-mb raises it',
  ]),
  c('--max-model-mb of zero', [...predict, '--max-model-mb', '0'], bundle(), 2, [
    '--max-model-mb: expected a number of MiB above 0 and at most 2047',
    'found "0"',
  ]),
  c('--max-model-mb beyond what Node can read', [...predict, '--max-model-mb', '4096'], bundle(), 2, [
    '--max-model-mb: expected',
    'found "4096"',
  ]),
  c(
    'evaluate on a corrupted bundle',
    ['evaluate', '--model', '{dir}/m', '--csv', '{dir}/rows.csv'],
    {
      ...bundle({ format: 'descent-bundle', formatVersion: 9 }),
      'rows.csv': 'x1,x2,y\n1,2,yes\n',
    },
    1,
    ['m/model.json: formatVersion: expected 1, found 9'],
  ),
  c(
    'explain on a bundle with a huge layer',
    ['explain', '--model', '{dir}/m', '--csv', '{dir}/rows.csv', '--out', '{dir}/r.html'],
    {
      ...bundle({
        architecture: {
          type: 'Sequential',
          layers: [{ type: 'Linear', inFeatures: 60000, outFeatures: 60000 }],
        },
      }),
      'rows.csv': 'x1,x2\n1,2\n',
    },
    1,
    ['m/model.json: architecture.layers[0]: a "Linear" of 60000 × 60000'],
  ),
  c(
    'train --out names a file',
    ['train', '--dataset', 'xor', '--epochs', '1', '--out', '{dir}/f.txt'],
    { 'f.txt': 'keep' },
    2,
    ['--out', 'f.txt', 'found a file'],
  ),
  c(
    'train --out names a folder that is not a bundle',
    ['train', '--dataset', 'xor', '--epochs', '1', '--out', '{dir}/notes'],
    {
      'notes/todo.txt': 'keep me',
    },
    2,
    ['--out', 'notes', 'found a folder without model.json'],
  ),
  c(
    'train --out below a file',
    ['train', '--dataset', 'xor', '--epochs', '1', '--out', '{dir}/f.txt/m'],
    { 'f.txt': 'keep' },
    2,
    ['--out', 'f.txt/m', 'a file, on the way'],
  ),
];
