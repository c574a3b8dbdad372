import { type Conv2d, disposeFeatureMaps, featureMaps, simpleCnn } from '@descent/cnn';
import { toNCHW } from '@descent/datasets/images';
import { mnistDigits } from '@descent/datasets/node';
import { initBackend, tf } from '@descent/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  architecture,
  colourRange,
  convWindow,
  digitDoubts,
  diverging,
  entropyBits,
  kernelOf,
  poolWindowAt,
  readStages,
  type Stage,
  shiftImage,
  softmaxSteps,
  stageTitle,
} from './explainer-recipe';

beforeAll(async () => {
  await initBackend();
});

/** A seeded digits CNN's stages for one MNIST digit (untrained: the arithmetic is what is tested). */
async function stagesOf(pixels: Float32Array) {
  const model = simpleCnn({ inputShape: [1, 28, 28], classes: 10, channels: [8, 16], seed: 3 });
  const x = tf.tensor4d(pixels, [1, 1, 28, 28]);
  const maps = featureMaps(model, x);
  x.dispose();
  try {
    return { model, stages: await readStages(pixels, [1, 28, 28], maps) };
  } finally {
    disposeFeatureMaps(maps);
  }
}

let digits: { data: Float32Array; count: number; labels: Float32Array };
beforeAll(async () => {
  const split = await mnistDigits({ seed: 1, testSize: 2000 });
  digits = { data: toNCHW(split.test).data, count: split.test.count, labels: split.test.labels };
});
const digit = (i: number) => digits.data.slice(i * 784, (i + 1) * 784);

describe('the look inside the digits CNN', () => {
  it('lists every layer in order with its shape, ends in softmax summing to 1, and leaks nothing', async () => {
    const before = tf.memory().numTensors;
    const { model, stages } = await stagesOf(digit(0));
    expect(stages.map((s) => s.type)).toEqual([
      'input',
      'Conv2d',
      'ReLU',
      'MaxPool2d',
      'Conv2d',
      'ReLU',
      'MaxPool2d',
      'Flatten',
      'Linear',
      'softmax',
    ]);
    expect(stages.map(stageTitle)).toEqual([
      'input 1×28×28',
      'convolution 8×28×28',
      'ReLU 8×28×28',
      'max pool 2×2 8×14×14',
      'convolution 16×14×14',
      'ReLU 16×14×14',
      'max pool 2×2 16×7×7',
      'flatten 784',
      'dense (logits) 10',
      'softmax 10',
    ]);
    const probs = Array.from(stages[9].values);
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    for (const p of probs) expect(p).toBeGreaterThan(0);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a window worked out by hand on the real weights is the layer output, at the border too', async () => {
    const { model, stages } = await stagesOf(digit(1));
    const convs = [model.at(0) as Conv2d, model.at(3) as Conv2d];
    for (const [k, [inputAt, outputAt]] of [
      [0, [0, 1]],
      [1, [3, 4]],
    ] as const) {
      const kernel = await kernelOf(convs[k]);
      const [channels, height, width] = stages[outputAt].shape;
      for (const [o, r, c] of [
        [0, 0, 0],
        [channels - 1, height - 1, width - 1],
        [2, 7, 5],
        [5, height - 1, 0],
      ]) {
        const hand = convWindow(stages[inputAt], kernel, o, r, c);
        expect(hand.terms).toHaveLength(stages[inputAt].shape[0]);
        expect(hand.total).toBeCloseTo(stages[outputAt].values[(o * height + r) * width + c], 4);
      }
    }
    // ReLU keeps the positive part; pooling keeps each 2×2 window's largest value.
    const relu = stages[2];
    stages[1].values.forEach((v, i) => {
      expect(relu.values[i]).toBeCloseTo(Math.max(0, v), 6);
    });
    const pooled = poolWindowAt(relu, 3, 4, 6);
    expect(pooled.max).toBeCloseTo(stages[3].values[(3 * 14 + 4) * 14 + 6], 6);
    expect(pooled.window.flat()).toHaveLength(4);
    model.dispose();
  });

  it("the architecture counts each layer's parameters and what a dense layer would need instead", async () => {
    const { model, stages } = await stagesOf(digit(2));
    const rows = architecture(model, stages, [1, 28, 28]);
    const conv1 = rows[1];
    expect(conv1.parameters).toBe(8 * 9 + 8);
    expect(conv1.denseParameters).toBe(784 * 6272 + 6272);
    expect(rows[4].parameters).toBe(16 * 8 * 9 + 16);
    expect(rows[8].parameters).toBe(784 * 10 + 10);
    expect(rows[2].parameters).toBe(0);
    expect(rows.reduce((a, r) => a + r.parameters, 0)).toBe(model.numParameters());
    model.dispose();
  });

  it('softmax: shifted exponentials over their sum; entropy from 0 (sure) to log2 10', () => {
    const steps = softmaxSteps([2, 1, 0.1]);
    expect(steps.largest).toBe(2);
    expect(steps.exps[0]).toBe(1);
    expect(steps.total).toBeCloseTo(1, 12);
    expect(steps.probs[0]).toBeCloseTo(Math.exp(2) / (Math.exp(2) + Math.exp(1) + Math.exp(0.1)), 12);
    expect(softmaxSteps([1000, 0]).probs[0]).toBe(1);
    expect(entropyBits([1, 0, 0])).toBe(0);
    expect(entropyBits(new Array(10).fill(0.1))).toBeCloseTo(Math.log2(10), 12);
  });

  it('one colour scale: symmetric, white at zero, the image stages only', () => {
    const stages: Stage[] = [
      { name: 'a', type: 'Conv2d', shape: [1, 1, 2], values: Float32Array.from([-3, 2]) },
      { name: 'b', type: 'Linear', shape: [2], values: Float32Array.from([50, 1]) },
    ];
    expect(colourRange(stages)).toBe(3);
    expect(diverging(0, 3)).toEqual([255, 255, 255]);
    expect(diverging(3, 3)).toEqual([213, 94, 0]);
    expect(diverging(-9, 3)).toEqual([0, 114, 178]);
  });

  it('doubts: a dot or a flat stroke is flagged whatever the network says; real digits almost never', () => {
    const sure = [0.99, ...new Array(9).fill(0.01 / 9)];
    const disc = new Float32Array(784);
    const bar = new Float32Array(784);
    for (let p = 0; p < 784; p++) {
      const [y, x] = [Math.floor(p / 28), p % 28];
      if ((y - 13.5) ** 2 + (x - 13.5) ** 2 < 100) disc[p] = 1;
      if (y >= 12 && y < 16 && x >= 4 && x < 24) bar[p] = 1;
    }
    expect(digitDoubts(disc, sure).length).toBeGreaterThan(0);
    expect(digitDoubts(bar, sure).join(' ')).toMatch(/4 pixels tall/);
    let flagged = 0;
    for (let i = 0; i < digits.count; i++) if (digitDoubts(digit(i), sure).length > 0) flagged += 1;
    expect(flagged / digits.count).toBeLessThan(0.01);
    // The network's own doubt: a flat answer.
    expect(digitDoubts(digit(0), new Array(10).fill(0.1)).join(' ')).toMatch(/only 10.0 %.*entropy/);
  });

  it('shifting moves the ink and keeps its amount while it stays inside', () => {
    const image = digit(3);
    const moved = shiftImage(image, 2, -1);
    expect(moved[(10 - 1) * 28 + 12]).toBe(image[10 * 28 + 10]);
    const sum = (a: Float32Array) => a.reduce((x, y) => x + y, 0);
    expect(sum(moved)).toBeCloseTo(sum(image), 3);
  });
});
