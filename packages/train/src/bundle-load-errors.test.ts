import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCsv } from '@descent/datasets';
import { Linear, Sequential, saveSafetensors } from '@descent/layers';
import { tf } from '@descent/tensor';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BundleError, type BundleInfo, deserializeBundle, serializeBundle, sha256 } from './bundle';
import { loadBundle, saveBundle } from './bundle-folder';
import { DEFAULT_BUNDLE_LIMITS } from './bundle-limits';
import { TabularPreprocessor } from './tabular-preprocessor';

const info: BundleInfo = { loss: 'mse', outputKind: 'value' };

/** A valid bundle's two files, as a manifest object to edit and the weights bytes. */
async function bundle(
  model = new Sequential([new Linear(2, 3, { seed: 1 }), new Linear(3, 1, { seed: 2 })]),
) {
  const { json, weights } = await serializeBundle(model, info);
  model.dispose();
  return { manifest: JSON.parse(json), weights };
}

/** New weights bytes with model.json's size and checksum to match. */
async function withWeights(manifest: Record<string, unknown>, tensors: Record<string, tf.Tensor>) {
  const weights = await saveSafetensors(tensors);
  tf.dispose(Object.values(tensors));
  const edited = {
    ...manifest,
    weights: { file: 'model.safetensors', bytes: weights.length, sha256: await sha256(weights) },
  };
  return { json: JSON.stringify(edited), weights };
}

async function failure(json: string, weights: Uint8Array, limits?: object): Promise<string> {
  try {
    const { model } = await deserializeBundle(json, weights, 'b', { limits });
    model.dispose();
  } catch (err) {
    expect(err).toBeInstanceOf(BundleError);
    return (err as Error).message;
  }
  throw new Error('expected the bundle to be refused');
}

let before: number;
beforeEach(() => {
  before = tf.memory().numTensors;
});
afterEach(() => {
  expect(tf.memory().numTensors, 'tensors left behind').toBe(before);
});

describe('bundle load errors free every tensor and name the file', () => {
  it('an architecture that fails to build after the weights are read', async () => {
    const { manifest, weights } = await bundle();
    const bad = structuredClone(manifest);
    bad.architecture.layers[1].type = 'Conv9d';
    expect(await failure(JSON.stringify(bad), weights)).toMatch(
      /^b\/model.json: architecture: fromConfig: config.type: expected a registered module type .*found "Conv9d"$/,
    );
    bad.architecture.layers[1] = { type: 'Linear', inFeatures: 3, outFeatures: -1 };
    expect(await failure(JSON.stringify(bad), weights)).toMatch(
      /^b\/model.json: architecture: Linear: outFeatures/,
    );
  });

  it('weights that do not fit the architecture, a __proto__ weight among them', async () => {
    const { manifest } = await bundle();
    const tensors = Object.create(null);
    tensors['0.weight'] = tf.zeros([3, 2]);
    // biome-ignore lint/suspicious/noProto: a tensor of that name is what this test is about
    tensors['__proto__'] = tf.zeros([1]);
    const { json, weights } = await withWeights(manifest, tensors);
    const message = await failure(json, weights);
    expect(message).toMatch(
      /^b\/model.safetensors: loadStateDict: missing keys: 0.bias, 1.weight, 1.bias; unexpected keys: __proto__$/,
    );
  });

  it('a huge layer is refused from model.json, before anything is allocated', async () => {
    const { manifest, weights } = await bundle();
    const huge = structuredClone(manifest);
    huge.architecture.layers[0].outFeatures = 100000;
    huge.architecture.layers[0].inFeatures = 100000;
    expect(await failure(JSON.stringify(huge), weights)).toBe(
      'b/model.json: architecture.layers[0]: a "Linear" of 100000 × 100000 = 10000000000 weights, more than the 13 the weights file holds',
    );
    huge.architecture.layers[0].outFeatures = 2 ** 21;
    expect(await failure(JSON.stringify(huge), weights)).toBe(
      'b/model.json: architecture.layers[0].outFeatures: expected at most 1048576 (limits.maxWidth), found 2097152',
    );
  });

  it('an architecture nested 5,000 deep is refused without a stack overflow', async () => {
    const { manifest, weights } = await bundle();
    // Written as text: JSON.stringify itself would overflow the stack on such an object.
    const leaf = '{"type":"Linear","inFeatures":2,"outFeatures":1}';
    const deep = `${'{"type":"Sequential","layers":['.repeat(5000)}${leaf}${']}'.repeat(5000)}`;
    const json = JSON.stringify({ ...manifest, architecture: 0 }).replace(
      '"architecture":0',
      `"architecture":${deep}`,
    );
    expect(await failure(json, weights)).toBe(
      'b/model.json: expected arrays and objects nested at most 64 deep (limits.maxDepth), found 10002',
    );
  });

  it('sizes above the limits, and the limits raised', async () => {
    const { manifest, weights } = await bundle();
    const json = JSON.stringify(manifest);
    expect(await failure(json, weights, { maxWeightsBytes: 100 })).toBe(
      `b/model.safetensors: expected at most 100 bytes (limits.maxWeightsBytes), found ${weights.length}`,
    );
    expect(await failure(json, weights, { maxManifestBytes: 100 })).toBe(
      `b/model.json: expected at most 100 bytes (limits.maxManifestBytes), found ${json.length}`,
    );
    expect(await failure(json, weights, { maxTensorElements: 5 })).toMatch(
      /^b\/model.safetensors: tensor "0.weight": shape \[3, 2\] holds 6 elements, above the limit of 5/,
    );
    await expect(deserializeBundle(json, weights, 'b', { limits: { maxWidth: -1 } })).rejects.toThrow(
      'deserializeBundle: limits.maxWidth: expected a non-negative number, found -1',
    );
    await expect(deserializeBundle(json, weights, 'b', { limits: { maxWidht: 1 } as never })).rejects.toThrow(
      /unknown option "maxWidht"/,
    );
    const { model } = await deserializeBundle(json, weights, 'b', {
      limits: { maxWeightsBytes: weights.length },
    });
    model.dispose();
    expect(DEFAULT_BUNDLE_LIMITS.maxWeightsBytes).toBe(2 ** 30);
  });

  it('float64 weights outside float32 range name the tensor and the file', async () => {
    const { manifest } = await bundle(new Sequential([new Linear(1, 1, { bias: false })]));
    const header = JSON.stringify({
      'layers.0.weight': { dtype: 'F64', shape: [1, 1], data_offsets: [0, 8] },
    });
    const weights = new Uint8Array(8 + header.length + 8);
    new DataView(weights.buffer).setUint32(0, header.length, true);
    weights.set(new TextEncoder().encode(header), 8);
    new DataView(weights.buffer).setFloat64(8 + header.length, 1e200, true);
    const json = JSON.stringify({
      ...manifest,
      weights: { file: 'model.safetensors', bytes: weights.length, sha256: await sha256(weights) },
    });
    expect(await failure(json, weights)).toMatch(
      /^b\/model.safetensors: tensor "layers.0.weight" element 0: value 1e\+200 is outside float32's range/,
    );
  });

  it("featureNames that disagree with the preprocessing's columns, and other bad fields", async () => {
    const { manifest, weights } = await bundle();
    const table = parseCsv('a,b,y\n1,3,p\n2,1,q\n3,2,p\n', { source: 't.csv' });
    const pre = TabularPreprocessor.create().fit(table, { target: 'y' });
    const good = { ...manifest, preprocessing: pre.toJSON(), featureNames: ['a', 'b'] };
    expect(await failure(JSON.stringify({ ...good, featureNames: ['a', 'c'] }), weights)).toBe(
      'b/model.json: featureNames: expected the preprocessing\'s input columns ["a", "b"], found ["a", "c"]',
    );
    expect(await failure(JSON.stringify({ ...good, outputKind: 'maybe' }), weights)).toBe(
      'b/model.json: outputKind: expected one of value, probability, logit, classScores, found "maybe"',
    );
    expect(await failure(JSON.stringify({ ...good, labelNames: [1] }), weights)).toBe(
      'b/model.json: labelNames: expected an array of strings, found [1]',
    );
    expect(
      await failure(JSON.stringify({ ...good, preprocessing: { type: 'TabularPreprocessor' } }), weights),
    ).toMatch(/^b\/model.json: preprocessing: /);
  });
});

describe('loadBundle checks file sizes before reading', () => {
  it('names the file, its size and the limit', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'descent-limits-')), 'm');
    const model = new Sequential([new Linear(2, 1, { seed: 1 })]);
    await saveBundle(dir, model, info);
    model.dispose();
    await expect(loadBundle(dir, { limits: { maxWeightsBytes: 10 } })).rejects.toThrow(
      new RegExp(
        `^${dir}/model.safetensors: expected at most 10 bytes \\(limits.maxWeightsBytes\\), found \\d+$`,
      ),
    );
    await writeFile(join(dir, 'model.json'), ' '.repeat(2000));
    await expect(loadBundle(dir, { limits: { maxManifestBytes: 1000 } })).rejects.toThrow(
      `${dir}/model.json: expected at most 1000 bytes (limits.maxManifestBytes), found 2000`,
    );
    await expect(loadBundle(join(dir, 'model.json'))).rejects.toThrow(
      `${dir}/model.json: expected a bundle folder, found a file`,
    );
  });
});
