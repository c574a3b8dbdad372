import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Linear, ReLU, Sequential, Sigmoid } from '@descent/layers';
import { leakGuard, tf } from '@descent/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { BundleError } from './bundle';
import { Learner } from './learner';
import { loadBundle, saveBundle } from './node';

const info = {
  loss: 'bce',
  outputKind: 'probability' as const,
  featureNames: ['a', 'b'],
  labelNames: ['no', 'yes'],
};
const X = [
  [0.1, -2],
  [3, 0.5],
  [-1, 1],
];

function model() {
  return new Sequential([
    new Linear(2, 4, { seed: 1 }),
    new ReLU(),
    new Linear(4, 1, { seed: 2 }),
    new Sigmoid(),
  ]);
}

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'descent-bundle-'));
});

describe('model bundle', () => {
  it('round-trips to bit-identical predictions, with the manifest intact', async () => {
    const original = model();
    const dir = join(root, 'roundtrip');
    await saveBundle(dir, original, { ...info, metrics: { accuracy: 0.9 } });
    expect((await readdir(dir)).sort()).toEqual(['model.json', 'model.safetensors']);
    const guard = leakGuard();
    const { model: loaded, manifest } = await loadBundle(dir);
    const before = new Learner(original, { loss: 'bce' }).predict(X).data;
    const after = new Learner(loaded, { loss: 'bce' }).predict(X).data;
    expect(Array.from(after)).toEqual(Array.from(before));
    expect(manifest).toMatchObject({
      format: 'descent-bundle',
      loss: 'bce',
      labelNames: ['no', 'yes'],
      metrics: { accuracy: 0.9 },
    });
    expect(manifest.versions['@tensorflow/tfjs-core']).toBe(tf.version_core);
    loaded.dispose();
    guard.check('load and dispose');
    original.dispose();
  });

  it('replaces an existing bundle atomically and leaves no temporary folder', async () => {
    const dir = join(root, 'replace');
    const a = model();
    await saveBundle(dir, a, info);
    const b = new Sequential([new Linear(2, 1, { seed: 9 })]);
    await saveBundle(dir, b, { ...info, loss: 'mse', outputKind: 'value' });
    const { model: loaded, manifest } = await loadBundle(dir);
    expect(manifest.loss).toBe('mse');
    expect(loaded.numParameters()).toBe(3);
    expect((await readdir(root)).filter((f) => f.includes('.tmp-'))).toEqual([]);
    for (const m of [a, b, loaded]) m.dispose();
  });

  it('refuses to overwrite a folder that is not a bundle', async () => {
    const dir = join(root, 'precious');
    await mkdir(dir);
    await writeFile(join(dir, 'notes.txt'), 'keep me');
    const m = model();
    await expect(saveBundle(dir, m, info)).rejects.toThrow(/exists and is not a descent bundle/);
    expect(await readFile(join(dir, 'notes.txt'), 'utf8')).toBe('keep me');
    m.dispose();
  });

  it('refuses a truncated, a corrupted and a missing weights file, and bad JSON', async () => {
    const dir = join(root, 'damaged');
    const m = model();
    await saveBundle(dir, m, info);
    m.dispose();
    const weightsPath = join(dir, 'model.safetensors');
    const good = await readFile(weightsPath);

    await writeFile(weightsPath, good.subarray(0, good.length - 10));
    await expect(loadBundle(dir)).rejects.toThrow(
      /model.safetensors: expected \d+ bytes, found \d+ \(truncated/,
    );

    const flipped = Buffer.from(good);
    flipped[flipped.length - 3] ^= 0xff;
    await writeFile(weightsPath, flipped);
    await expect(loadBundle(dir)).rejects.toThrow(/sha256 .* does not match .*\(corrupted\)/);

    const manifestPath = join(dir, 'model.json');
    const json = await readFile(manifestPath, 'utf8');
    await writeFile(manifestPath, json.slice(0, 40));
    await expect(loadBundle(dir)).rejects.toThrow(BundleError);
    await expect(loadBundle(dir)).rejects.toThrow(/model.json: not valid JSON/);

    await expect(loadBundle(join(root, 'nowhere'))).rejects.toThrow(/not a descent bundle \(no model.json\)/);
  });
});
