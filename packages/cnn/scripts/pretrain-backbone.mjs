// Trains the digit backbone that @descent/cnn ships (assets/digits-0-4-backbone.*): a small CNN on
// MNIST digits 0-4 only, seeded, so that transfer learning has a body that never saw 5-9.
//   pnpm --filter @descent/cnn build && node packages/cnn/scripts/pretrain-backbone.mjs
// The same seed on the same backend writes the same weights. Needs the workspace's built
// @descent/datasets, @descent/optim and @descent/train (dev dependencies of this package).
import { createHash } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { mnistSubset } from '@descent/datasets/node';
import { saveSafetensors } from '@descent/layers';
import { Adam, OneCycleLR } from '@descent/optim';
import { initBackend, tf } from '@descent/tensor';
import { Learner } from '@descent/train';
import { simpleCnn } from '../dist/index.js';

const settings = {
  seed: 7,
  digits: [0, 1, 2, 3, 4],
  testSize: 0.2,
  epochs: 4,
  batchSize: 32,
  lr: 4e-3,
  channels: [16, 32],
};

const backend = await initBackend();
const { train, test } = await mnistSubset({
  digits: settings.digits,
  seed: settings.seed,
  testSize: settings.testSize,
});
const model = simpleCnn({
  inputShape: [1, 28, 28],
  classes: settings.digits.length,
  channels: settings.channels,
  seed: settings.seed,
});
const optimizer = new Adam(model.trainableParameters(), { lr: settings.lr });
const steps = settings.epochs * Math.ceil(train.count / settings.batchSize);
const schedule = new OneCycleLR(optimizer, { maxLr: settings.lr, totalSteps: steps });
const learner = new Learner(model, {
  loss: 'crossEntropy',
  optimizer,
  metrics: ['accuracy'],
  inputShape: [1, 28, 28],
});
const rows = (d) => ({ X: { data: d.images, rows: d.count, cols: 784 }, y: d.labels });
const started = performance.now();
const { history } = await learner.fit(rows(train), {
  epochs: settings.epochs,
  batchSize: settings.batchSize,
  seed: settings.seed,
  callbacks: [{ onBatchEnd: () => schedule.step() }],
});
const seconds = (performance.now() - started) / 1000;
const { accuracy } = learner.evaluate(rows(test));
for (const h of history)
  console.log(`epoch ${h.epoch}: loss ${h.loss.toFixed(4)}, train accuracy ${h.accuracy.toFixed(4)}`);
console.log(
  `held-out digits 0-4: accuracy ${accuracy.toFixed(4)} (${test.count} images), ${seconds.toFixed(1)} s on ${backend.name}`,
);

const state = model.stateDict();
const weights = await saveSafetensors(state, { format: 'pt', source: 'descent digits-0-4 backbone' });
tf.dispose(Object.values(state));
const info = {
  name: 'digits-0-4-backbone',
  description:
    'A small CNN trained on MNIST digits 0-4 only, for transfer learning to digits it never saw. ' +
    'Its last layer is the 0-4 head; replace it and freeze the rest.',
  inputShape: [1, 28, 28],
  classes: settings.digits.map(String),
  architecture: model.toJSON(),
  headLayers: 1,
  // Flatten's width: the last block's channels × 7 × 7 after two 2×2 pools of 28 × 28.
  features: settings.channels.at(-1) * 7 * 7,
  training: {
    script: 'packages/cnn/scripts/pretrain-backbone.mjs',
    data: `mnistSubset({ digits: [${settings.digits}], seed: ${settings.seed}, testSize: ${settings.testSize} }) from @descent/datasets/images`,
    seed: settings.seed,
    epochs: settings.epochs,
    batchSize: settings.batchSize,
    optimizer: `Adam, OneCycleLR to ${settings.lr}, stepped per batch`,
    trainImages: train.count,
    testImages: test.count,
    trainLoss: Number(history.at(-1).loss.toFixed(4)),
    testAccuracy: Number(accuracy.toFixed(4)),
    backend: backend.name,
    tfjsCore: tf.version_core,
  },
  weights: {
    file: 'digits-0-4-backbone.safetensors',
    bytes: weights.length,
    sha256: createHash('sha256').update(weights).digest('hex'),
  },
};
model.dispose();
optimizer.dispose();

// Written to temporary names and renamed, so a failed run leaves the committed files intact.
const assets = new URL('../assets/', import.meta.url);
await mkdir(assets, { recursive: true });
const put = async (name, contents) => {
  const tmp = new URL(`.${name}.tmp`, assets);
  await writeFile(tmp, contents);
  await rename(tmp, new URL(name, assets));
};
await put(info.weights.file, weights);
await put('digits-0-4-backbone.json', `${JSON.stringify(info, null, 2)}\n`);
console.log(
  `wrote assets/${info.weights.file} (${weights.length} bytes) and assets/digits-0-4-backbone.json`,
);
