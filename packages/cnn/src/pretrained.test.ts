import { readFileSync } from 'node:fs';
import { mnistSubset } from '@descent/datasets/node';
import { fromConfig, Linear, loadSafetensors, Sequential } from '@descent/layers';
import { Adam } from '@descent/optim';
import { leakGuard, manualSeed, tf } from '@descent/tensor';
import { fineTune, Learner } from '@descent/train';
import { describe, expect, it } from 'vitest';
import { Conv2d } from './conv2d';
import { loadDigitBackbone, pretrainedDigitBackbone } from './node';
import type { DigitBackboneInfo } from './pretrained';
import * as browserSafe from './pretrained';
import { replaceHead } from './transfer';

const assets = new URL('../assets/', import.meta.url);
const info: DigitBackboneInfo = JSON.parse(readFileSync(new URL('digits-0-4-backbone.json', assets), 'utf8'));
const weightBytes = new Uint8Array(readFileSync(new URL('digits-0-4-backbone.safetensors', assets)));

const rows = (d: { images: Float32Array; labels: Float32Array; count: number }) => ({
  X: { data: d.images, rows: d.count, cols: 784 },
  y: d.labels,
});

/** Every parameter's values as raw bits, so that "unchanged" means bit for bit. */
const bits = (params: { variable: tf.Variable }[]) =>
  params.map((p) => Array.from(new Uint32Array((p.variable.dataSync() as Float32Array).slice().buffer)));

describe('the shipped digit backbone', () => {
  it('is small, and loads the architecture and weights its files describe', async () => {
    expect(weightBytes.length).toBeLessThan(100_000);
    expect(info.weights.bytes).toBe(weightBytes.length);
    const guard = leakGuard();
    const model = await pretrainedDigitBackbone();
    expect(model).toBeInstanceOf(Sequential);
    expect(model.layers[0]).toBeInstanceOf(Conv2d);
    // The asset predates dilation, groups and ceilMode: its config holds every other key, equal.
    expect(model.toJSON()).toMatchObject(info.architecture);
    const { tensors } = loadSafetensors(weightBytes);
    const state = model.stateDict();
    expect(Object.keys(state).sort()).toEqual(Object.keys(tensors).sort());
    for (const [name, t] of Object.entries(tensors)) {
      expect(Array.from(state[name].dataSync()), name).toEqual(Array.from(t.dataSync()));
    }
    tf.dispose([...Object.values(tensors), ...Object.values(state)]);
    model.dispose();
    guard.check('loading and disposing the backbone');
  });

  it('classifies held-out digits 0-4 as well as its training facts say', async () => {
    const t = info.training as { seed: number; testAccuracy: number };
    const { test } = await mnistSubset({ digits: [0, 1, 2, 3, 4], seed: t.seed, testSize: 0.2 });
    const model = await pretrainedDigitBackbone();
    const learner = new Learner(model, {
      loss: 'crossEntropy',
      metrics: ['accuracy'],
      inputShape: [1, 28, 28],
    });
    const { accuracy } = learner.evaluate(rows(test));
    expect(accuracy).toBeGreaterThan(0.95);
    expect(Math.abs(accuracy - t.testAccuracy)).toBeLessThan(0.005);
    model.dispose();
  });

  it('loads from given bytes or a folder URL, and refuses mismatched files', async () => {
    const fromBytes = await loadDigitBackbone({ config: info, weights: weightBytes });
    expect(fromBytes.info.classes).toEqual(['0', '1', '2', '3', '4']);
    fromBytes.model.dispose();
    const fromUrl = await loadDigitBackbone(assets);
    expect(fromUrl.model.numParameters()).toBe(fromBytes.model.numParameters());
    fromUrl.model.dispose();
    const tampered = weightBytes.slice();
    tampered[tampered.length - 1] ^= 1;
    await expect(loadDigitBackbone({ config: info, weights: tampered })).rejects.toThrow(
      /sha256 does not match/,
    );
    await expect(
      loadDigitBackbone({ config: info, weights: 'nope' as unknown as Uint8Array }),
    ).rejects.toThrow(/source\.weights: expected a Uint8Array or ArrayBuffer/);
  });

  it("from the browser-safe entry: takes the files' contents, and in Node names @descent/cnn/node for files", async () => {
    const fromBytes = await browserSafe.loadDigitBackbone({ config: info, weights: weightBytes });
    expect(fromBytes.info.classes).toEqual(['0', '1', '2', '3', '4']);
    fromBytes.model.dispose();
    const hint =
      /needs the file system: in Node, import \{ loadDigitBackbone, pretrainedDigitBackbone \} from '@descent\/cnn\/node'/;
    await expect(browserSafe.loadDigitBackbone()).rejects.toThrow(hint);
    await expect(browserSafe.pretrainedDigitBackbone(assets)).rejects.toThrow(hint);
    await expect(browserSafe.loadDigitBackbone('assets')).rejects.toThrow(hint);
  });
});

describe('transfer learning to digits 5-9', () => {
  const digits = [5, 6, 7, 8, 9];
  const settings = { epochs: 10, lr: 3e-3, batchSize: 16, seed: 1 };

  it('keeps the frozen body bit for bit, and beats the same network trained from scratch', async () => {
    const { train, test } = await mnistSubset({ digits, perClass: 10, seed: 1 });
    const backbone = await pretrainedDigitBackbone();
    const model = replaceHead(backbone, new Linear(info.features, 5, { seed: 1 }), { n: info.headLayers });
    const body = model.layers.slice(0, -1).flatMap((l) => l.parameters());
    const head = model.layers[model.length - 1].parameters();
    const bodyBefore = bits(body);
    const headBefore = bits(head);
    const tuned = new Learner(model, {
      loss: 'crossEntropy',
      metrics: ['accuracy'],
      inputShape: [1, 28, 28],
    });
    await fineTune(tuned, rows(train), { ...settings, freeze: 'backbone' });
    expect(bits(body)).toEqual(bodyBefore);
    expect(bits(head)).not.toEqual(headBefore);
    const fineTuned = tuned.evaluate(rows(test)).accuracy;

    // The same network with fresh (seeded) weights, every layer trained.
    manualSeed(settings.seed);
    const scratchModel = fromConfig(model.toJSON()) as Sequential;
    const optimizer = new Adam(scratchModel.trainableParameters(), { lr: settings.lr });
    const scratch = new Learner(scratchModel, {
      loss: 'crossEntropy',
      optimizer,
      metrics: ['accuracy'],
      inputShape: [1, 28, 28],
    });
    await scratch.fit(rows(train), {
      epochs: settings.epochs,
      batchSize: settings.batchSize,
      seed: settings.seed,
    });
    const fromScratch = scratch.evaluate(rows(test)).accuracy;
    // Seeded on one backend, so these are fixed numbers; the claim is the ordering.
    expect(fineTuned).toBeGreaterThan(fromScratch);
    expect(fineTuned).toBeGreaterThan(0.8);
    optimizer.dispose();
    model.dispose();
    scratchModel.dispose();
  });
});
