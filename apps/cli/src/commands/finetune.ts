import { cutHead, registerCnnModules, replaceHead } from '@descent/cnn';
import { loadDigitBackbone } from '@descent/cnn/node';
import type { FloatImageDataset } from '@descent/datasets/images';
import { mnistSubset } from '@descent/datasets/node';
import { fromConfig, Linear, Sequential } from '@descent/layers';
import { Adam } from '@descent/optim';
import { initBackend, manualSeed } from '@descent/tensor';
import { type BundleInfo, fineTune, Learner, type Matrix, TrainingDivergedError } from '@descent/train';
import { loadBundle, saveBundle } from '@descent/train/node';
import { Command } from 'commander';
import { type CheckpointPlan, saveDiverged, saveInterrupted } from '../checkpoint';
import { DIGIT_SHAPE } from '../image-model';
import { Interrupt, LastEpoch } from '../interrupt';
import { loadBundleFlag, MAX_MODEL_MB_FLAG, MAX_MODEL_MB_HELP } from '../model-limit';
import { checkOutBundle } from '../output-path';
import { limits, parseNumber } from '../parse';
import { formatTable } from '../table';
import { UsageError } from '../usage-error';

/** The name that picks @descent/cnn's shipped backbone instead of a bundle folder. */
export const SHIPPED_BACKBONE = 'digits-0-4';

/** The inputs of `descent finetune`: the backbone bundle, the new data and the training settings. */
export interface FinetuneOptions {
  /** A bundle folder of an image model, or 'digits-0-4' for the shipped backbone. */
  model: string;
  /** `--max-model-mb` as typed. */
  maxModelMb?: string;
  /** Which digits make the new task, e.g. [5, 6, 7, 8, 9]; digit k of the list is class k. */
  digits: number[];
  /** Labelled training images per digit: the "little data" of transfer learning. */
  perClass: number;
  epochs: number;
  lr: number;
  batchSize: number;
  /** How many final layers of the backbone are its head, replaced by a new Linear. Default: the model's own. */
  headLayers?: number;
  seed: number;
  out?: string;
}

export interface FinetuneSide {
  trainAccuracy: number;
  testAccuracy: number;
  trainableParameters: number;
  seconds: number;
}

/** The outcome of `descent finetune`: the fine-tuned model beside one trained from scratch. */
export interface FinetuneResult {
  fineTuned: FinetuneSide;
  scratch: FinetuneSide;
  /** True when every frozen parameter came out bit for bit as it went in. */
  bodyUnchanged: boolean;
  trainImages: number;
  testImages: number;
}

/** `mnist-5-9` (a range) or `mnist-3,8` (a list) → the digits, in order. */
export function parseDigitTask(raw: string): number[] {
  const range = /^mnist-(\d)-(\d)$/.exec(raw);
  const list = /^mnist-(\d(?:,\d)+)$/.exec(raw);
  const digits = range
    ? Array.from({ length: Number(range[2]) - Number(range[1]) + 1 }, (_, i) => Number(range[1]) + i)
    : list
      ? list[1].split(',').map(Number)
      : [];
  if (digits.length < 2 || new Set(digits).size !== digits.length) {
    throw new UsageError(
      `--dataset: expected mnist-<from>-<to> (e.g. mnist-5-9) or mnist-<digit>,<digit>,... (e.g. mnist-3,8) naming at least 2 distinct digits, found "${raw}"`,
    );
  }
  return digits;
}

async function loadBackbone(
  name: string,
  maxModelMb?: string,
): Promise<{ model: Sequential; headLayers: number; label: string; inputShape: number[] }> {
  if (name === SHIPPED_BACKBONE) {
    const { model, info } = await loadDigitBackbone();
    const label = `${SHIPPED_BACKBONE} (shipped with @descent/cnn; trained on digits ${info.classes.join(', ')} only)`;
    return { model, headLayers: info.headLayers, label, inputShape: info.inputShape };
  }
  registerCnnModules();
  const { model, manifest } = await loadBundleFlag(name, maxModelMb);
  const shape = manifest.inputShape;
  if (!(model instanceof Sequential) || !shape || shape.join() !== DIGIT_SHAPE.join()) {
    model.dispose();
    throw new UsageError(
      `--model ${name}: expected a bundle of a Sequential image model with input shape [${DIGIT_SHAPE.join(', ')}], found ${
        shape ? `input shape [${shape.join(', ')}]` : 'a model of table rows'
      }`,
    );
  }
  const trained = manifest.labelNames ? `trained on ${manifest.labelNames.join(', ')}` : 'a bundle';
  return { model, headLayers: 1, label: `${name} (${trained})`, inputShape: shape };
}

/** What the fine-tuned model's bundle holds besides its weights and metrics. */
function bundleInfo(o: FinetuneOptions, headLayers: number): BundleInfo {
  return {
    loss: 'crossEntropy',
    outputKind: 'classScores',
    inputShape: [...DIGIT_SHAPE],
    targetName: 'digit',
    labelNames: o.digits.map(String),
    extra: {
      backbone: o.model,
      headLayers,
      perClass: o.perClass,
      epochs: o.epochs,
      lr: o.lr,
      seed: o.seed,
    },
  };
}

/** The new head: a Linear from the width the old head started with to the new classes. */
function newHead(model: Sequential, headLayers: number, classes: number, seed: number): Linear {
  const first = cutHead(model, headLayers).head.layers.find((l) => l instanceof Linear);
  if (!(first instanceof Linear)) {
    throw new UsageError(
      `--head-layers ${headLayers}: expected the last ${headLayers} layer(s) to hold a Linear, found none`,
    );
  }
  return new Linear(first.inFeatures, classes, { seed });
}

const rows = (d: FloatImageDataset) => ({
  X: { data: d.images, rows: d.count, cols: d.channels * d.height * d.width } as Matrix,
  y: d.labels,
});

/** Every frozen parameter's values, copied to the host. */
const snapshot = (model: Sequential) =>
  model
    .parameters()
    .filter((p) => !p.trainable)
    .map((p) => p.variable.dataSync().slice() as Float32Array);

const sameBits = (a: Float32Array[], b: Float32Array[]) =>
  a.length === b.length &&
  a.every((x, i) => {
    const u = new Uint32Array(x.buffer, x.byteOffset, x.length);
    const v = new Uint32Array(b[i].buffer, b[i].byteOffset, b[i].length);
    return u.length === v.length && u.every((bits, j) => bits === v[j]);
  });

/**
 * Transfer learning against training from scratch, on the same few labelled images: the
 * backbone's body frozen with a new head trained (fineTune), and the same architecture
 * freshly initialised with every layer trained, for the same epochs.
 */
export async function runFinetune(
  o: FinetuneOptions,
  out: NodeJS.WritableStream = process.stdout,
): Promise<FinetuneResult> {
  const backend = await initBackend();
  const { train, test } = await mnistSubset({ digits: o.digits, perClass: o.perClass, seed: o.seed }).catch(
    (err: Error) => {
      // The data set names its own option; the user typed the flag.
      throw /^perClass\b/.test(err.message)
        ? new UsageError(err.message.replace(/^perClass/, '--per-class'))
        : err;
    },
  );
  const backbone = await loadBackbone(o.model, o.maxModelMb);
  const headLayers = o.headLayers ?? backbone.headLayers;
  if (!Number.isInteger(headLayers) || headLayers < 1 || headLayers >= backbone.model.length) {
    backbone.model.dispose();
    throw new UsageError(
      `--head-layers: expected an integer in [1, ${backbone.model.length - 1}] (the model has ${backbone.model.length} layers), found ${headLayers}`,
    );
  }
  const classes = o.digits.length;
  const model = replaceHead(backbone.model, newHead(backbone.model, headLayers, classes, o.seed), {
    n: headLayers,
  });
  const fit = { batchSize: o.batchSize, seed: o.seed };

  // Fine-tuned: fineTune freezes every layer but the new head and trains the head alone.
  const tuned = new Learner(model, { loss: 'crossEntropy', metrics: ['accuracy'], inputShape: DIGIT_SHAPE });
  const frozenParams = model.numParameters() - model.layers[model.length - 1].numParameters();
  let started = performance.now();
  let before: Float32Array[] = [];
  // Ctrl-C or SIGTERM saves the fine-tuned model's last finished epoch beside --out; a diverged
  // fine-tuning its last good weights at --out (both then end the run).
  const interrupt = new Interrupt();
  const lastEpoch = new LastEpoch(model, interrupt);
  const plan: CheckpointPlan = {
    model,
    out: o.out,
    epochs: o.epochs,
    info: () => {
      model.unfreeze();
      return bundleInfo(o, headLayers);
    },
  };
  interrupt.install();
  const stopped = async (err: unknown): Promise<never> => {
    if (err instanceof TrainingDivergedError) await saveDiverged(plan, err);
    throw err;
  };
  const tunedFit = await fineTune(tuned, rows(train), {
    ...fit,
    epochs: o.epochs,
    lr: o.lr,
    freeze: 'backbone',
    headLayers: 1,
    signal: interrupt.signal,
    callbacks: [{ onTrainBegin: () => void (before = snapshot(model)) }, lastEpoch],
  }).catch(stopped);
  try {
    if (interrupt.requested) await saveInterrupted(plan, interrupt, lastEpoch);
  } finally {
    interrupt.uninstall();
    lastEpoch.dispose();
  }
  const fineTuned: FinetuneSide = {
    trainAccuracy: tunedFit.history[tunedFit.history.length - 1].accuracy,
    testAccuracy: tuned.evaluate(rows(test)).accuracy,
    trainableParameters: model.numParameters({ trainableOnly: true }),
    seconds: (performance.now() - started) / 1000,
  };
  const bodyUnchanged = before.length > 0 && sameBits(before, snapshot(model));

  // From scratch: the same architecture, fresh seeded weights, everything trained.
  manualSeed(o.seed);
  const scratchModel = fromConfig(model.toJSON()) as Sequential;
  const optimizer = new Adam(scratchModel.trainableParameters(), { lr: o.lr });
  const scratchLearner = new Learner(scratchModel, {
    loss: 'crossEntropy',
    optimizer,
    metrics: ['accuracy'],
    inputShape: DIGIT_SHAPE,
  });
  started = performance.now();
  const scratchFit = await scratchLearner.fit(rows(train), { ...fit, epochs: o.epochs });
  const scratch: FinetuneSide = {
    trainAccuracy: scratchFit.history[scratchFit.history.length - 1].accuracy,
    testAccuracy: scratchLearner.evaluate(rows(test)).accuracy,
    trainableParameters: scratchModel.numParameters({ trainableOnly: true }),
    seconds: (performance.now() - started) / 1000,
  };
  optimizer.dispose();
  scratchModel.dispose();

  const w = (line = '') => out.write(`${line}\n`);
  const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
  const n = (v: number) => v.toLocaleString('en-US');
  w();
  w(
    `data       digits ${o.digits.join(', ')}: ${o.perClass} labelled images per digit (${train.count}), ${test.count} held out (seed ${o.seed})`,
  );
  w(`backbone   ${backbone.label}`);
  w(
    `           body frozen (${n(frozenParams)} parameters), head replaced by Linear → ${classes} classes; ${o.epochs} epochs, adam lr ${o.lr}, batch ${o.batchSize}, backend ${backend.name}`,
  );
  w();
  w(
    formatTable(
      ['', 'fine-tuned (frozen body)', 'from scratch (same network)'],
      [
        ['trainable parameters', n(fineTuned.trainableParameters), n(scratch.trainableParameters)],
        ['train accuracy', pct(fineTuned.trainAccuracy), pct(scratch.trainAccuracy)],
        ['held-out accuracy', pct(fineTuned.testAccuracy), pct(scratch.testAccuracy)],
        ['time', `${fineTuned.seconds.toFixed(1)} s`, `${scratch.seconds.toFixed(1)} s`],
      ],
    ),
  );
  w();
  w(`frozen     body weights after fine-tuning: ${bodyUnchanged ? 'unchanged, bit for bit' : 'CHANGED'}`);
  if (o.out) {
    model.unfreeze();
    await saveBundle(o.out, model, {
      ...bundleInfo(o, headLayers),
      metrics: { testAccuracy: fineTuned.testAccuracy, scratchTestAccuracy: scratch.testAccuracy },
    });
    w();
    w(`saved      ${o.out}/model.json, ${o.out}/model.safetensors (the fine-tuned model)`);
  }
  model.dispose();
  return { fineTuned, scratch, bodyUnchanged, trainImages: train.count, testImages: test.count };
}

export function finetuneCommand(): Command {
  return new Command('finetune')
    .description(
      'transfer learning: a pretrained body frozen, a new head trained on a few labelled digits, against the same network from scratch',
    )
    .option(
      '--model <dir>',
      `a bundle folder of an image model, or ${SHIPPED_BACKBONE} for the shipped backbone`,
      SHIPPED_BACKBONE,
    )
    .option(MAX_MODEL_MB_FLAG, MAX_MODEL_MB_HELP)
    .option('--dataset <task>', 'the new task: mnist-<from>-<to> or mnist-<digit>,<digit>,...', 'mnist-5-9')
    .option('--per-class <n>', 'labelled training images per digit', '20')
    .option('--epochs <n>', 'epochs for each of the two networks', '10')
    .option('--lr <number>', "Adam's learning rate for both", '0.003')
    .option('--batch-size <n>', 'images per gradient step', '16')
    .option(
      '--head-layers <n>',
      "how many final layers form the head to replace (default: the backbone's own)",
    )
    .option('--seed <n>', 'seed for the data draw, the new head and the scratch network', '1')
    .option('--out <dir>', 'write the fine-tuned model bundle here')
    .action(async (raw) => {
      if (raw.out !== undefined) await checkOutBundle('--out', raw.out);
      await runFinetune({
        model: raw.model,
        maxModelMb: raw.maxModelMb,
        digits: parseDigitTask(raw.dataset),
        perClass: parseNumber('--per-class', raw.perClass, { integer: true, positive: true }),
        epochs: parseNumber('--epochs', raw.epochs, { integer: true, positive: true, max: limits.epochs }),
        lr: parseNumber('--lr', raw.lr, { positive: true }),
        batchSize: parseNumber('--batch-size', raw.batchSize, {
          integer: true,
          positive: true,
          max: limits.batchSize,
        }),
        headLayers:
          raw.headLayers === undefined
            ? undefined
            : parseNumber('--head-layers', raw.headLayers, { integer: true, positive: true }),
        seed: parseNumber('--seed', raw.seed, { integer: true, min: 0, max: limits.seed }),
        out: raw.out,
      });
    });
}
