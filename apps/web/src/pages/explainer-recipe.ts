import { Conv2d, type FeatureMap, parameterSharing } from '@descent/cnn';
import type { Sequential } from '@descent/layers';

/**
 * The digits page's look inside the network (a CNN Explainer for our own CNN): every layer's
 * output in order, one colour scale, a convolution or pooling window worked out on the real
 * weights, the softmax step, the architecture with its parameter counts, and a warning when the
 * input does not look like the digits it was trained on. No DOM here.
 */

/** One step of the network for one digit: what the layer is and what it output (no batch dimension). */
export interface Stage {
  /** The layer's path in the model ('0', '3'), or 'input' / 'softmax'. */
  name: string;
  type: string;
  shape: number[];
  values: Float32Array;
}

const stageWords: Record<string, string> = {
  input: 'input',
  Conv2d: 'convolution',
  ReLU: 'ReLU',
  MaxPool2d: 'max pool 2×2',
  Flatten: 'flatten',
  Linear: 'dense (logits)',
  softmax: 'softmax',
};

/** What a stage is called on the page: "convolution 8×28×28". */
export function stageTitle(stage: { type: string; shape: number[] }): string {
  return `${stageWords[stage.type] ?? stage.type} ${stage.shape.join('×')}`;
}

/** The input and each layer's output for sample 0, read from the feature maps, then softmax. */
export async function readStages(
  input: Float32Array,
  inputShape: number[],
  maps: FeatureMap[],
): Promise<Stage[]> {
  const stages: Stage[] = [{ name: 'input', type: 'input', shape: inputShape, values: input }];
  for (const map of maps) {
    const values = (await map.tensor.data()) as Float32Array;
    stages.push({
      name: map.name,
      type: map.type,
      shape: map.shape.slice(1),
      values: Float32Array.from(values),
    });
  }
  const logits = stages[stages.length - 1];
  const { probs } = softmaxSteps(Array.from(logits.values));
  stages.push({ name: 'softmax', type: 'softmax', shape: logits.shape, values: Float32Array.from(probs) });
  return stages;
}

/**
 * One colour scale for every image-shaped stage: symmetric around zero, as far as the largest
 * value seen, so equal colours mean equal numbers in every layer.
 */
export function colourRange(stages: Stage[]): number {
  let most = 0;
  for (const s of stages) {
    if (s.shape.length !== 3) continue;
    for (const v of s.values) most = Math.max(most, Math.abs(v));
  }
  return most > 0 ? most : 1;
}

const negative = [0, 114, 178];
const positive = [213, 94, 0];

/** A diverging colour: blue below zero, white at zero, vermillion above (Okabe & Ito's ends). */
export function diverging(value: number, range: number): [number, number, number] {
  const t = Math.max(-1, Math.min(1, value / range));
  const end = t < 0 ? negative : positive;
  const a = Math.abs(t);
  return [0, 1, 2].map((i) => Math.round(255 + (end[i] - 255) * a)) as [number, number, number];
}

/** Softmax worked out: shift by the largest logit (same result, no overflow), exponentiate, divide by the sum. */
export function softmaxSteps(logits: number[]) {
  const largest = Math.max(...logits);
  const exps = logits.map((z) => Math.exp(z - largest));
  const sum = exps.reduce((a, b) => a + b, 0);
  const probs = exps.map((e) => e / sum);
  return { largest, exps, sum, probs, total: probs.reduce((a, b) => a + b, 0) };
}

/** Shannon entropy in bits: 0 when certain, log2(10) ≈ 3.32 when every digit is equally likely. */
export function entropyBits(probs: number[]): number {
  const bits = -probs.reduce((acc, p) => (p > 0 ? acc + p * Math.log2(p) : acc), 0);
  return bits === 0 ? 0 : bits;
}

/**
 * How the ink of a 28×28 image sits: total ink, the bounding box of the pixels above 0.3 and the
 * share of that box that is inked. MNIST's digits (and the pad's drawings, prepared the same way)
 * are about 20 pixels tall, hold 40-190 units of ink and fill under three quarters of their box.
 */
export function inkShape(pixels: ArrayLike<number>) {
  let ink = 0;
  let [top, bottom, left, right, inked] = [28, -1, 28, -1, 0];
  for (let p = 0; p < 784; p++) {
    ink += pixels[p];
    if (pixels[p] <= 0.3) continue;
    const [y, x] = [Math.floor(p / 28), p % 28];
    [top, bottom, left, right] = [
      Math.min(top, y),
      Math.max(bottom, y),
      Math.min(left, x),
      Math.max(right, x),
    ];
    inked += 1;
  }
  const height = bottom < 0 ? 0 : bottom - top + 1;
  const width = right < 0 ? 0 : right - left + 1;
  return { ink, height, width, fill: height * width > 0 ? inked / (height * width) : 0 };
}

/**
 * Why this answer should not be trusted, if it should not: the network has no "not a digit"
 * output, so a dot or a stroke still gets a digit, often a confident one. Two kinds of reason:
 * the input is shaped unlike any training digit, or the network itself is unsure.
 */
export function digitDoubts(pixels: ArrayLike<number>, probs: number[]): string[] {
  const reasons: string[] = [];
  const shape = inkShape(pixels);
  if (shape.height > 0 && shape.height < 12)
    reasons.push(`the ink is ${shape.height} pixels tall; the training digits are about 20`);
  if (shape.ink > 240) reasons.push('there is more ink than in any training digit (a blob?)');
  else if (shape.fill > 0.7 && shape.width > 8)
    reasons.push('the ink fills its box like a blob, not a stroke');
  const top = Math.max(...probs);
  const bits = entropyBits(probs);
  if (top < 0.7) reasons.push(`the top probability is only ${(top * 100).toFixed(1)} %`);
  if (bits > 1) reasons.push(`the entropy is ${bits.toFixed(2)} bits (0 = sure, 3.32 = a guess)`);
  return reasons;
}

/** The image moved by (dx, dy) pixels, zeros where it came from: translation for the invariance demo. */
export function shiftImage(pixels: ArrayLike<number>, dx: number, dy: number, size = 28): Float32Array {
  const out = new Float32Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const [sx, sy] = [x - dx, y - dy];
      if (sx >= 0 && sy >= 0 && sx < size && sy < size) out[y * size + x] = pixels[sy * size + sx];
    }
  }
  return out;
}

/** A Conv2d's numbers as plain arrays: weight [out][in][k][k], bias [out]. */
export interface Kernel {
  weight: Float32Array;
  bias: Float32Array | null;
  inChannels: number;
  size: number;
  padding: number;
}

/** Reads a trained Conv2d's weights (stride 1; 'same' padding means (k - 1) / 2 zeros a side). */
export async function kernelOf(conv: Conv2d): Promise<Kernel> {
  if (!(conv instanceof Conv2d)) throw new Error('kernelOf: expected a Conv2d');
  const [k] = conv.kernelSize;
  const padding = conv.padding === 'same' ? (k - 1) / 2 : conv.padding[0];
  return {
    weight: Float32Array.from(await conv.weight.variable.data()),
    bias: conv.bias ? Float32Array.from(await conv.bias.variable.data()) : null,
    inChannels: conv.inChannels,
    size: k,
    padding,
  };
}

/**
 * Output (channel o, row r, column c) of a stride-1 convolution worked out by hand: for each input
 * channel the k×k window (zeros outside the image), the k×k kernel and their dot product; then
 * the bias, and the total, which is the layer's own output there.
 */
export function convWindow(input: Stage, kernel: Kernel, o: number, r: number, c: number) {
  const [channels, height, width] = input.shape;
  const { size: k, padding } = kernel;
  const at = (ch: number, y: number, x: number) =>
    y < 0 || x < 0 || y >= height || x >= width ? 0 : input.values[(ch * height + y) * width + x];
  const terms = Array.from({ length: channels }, (_, ch) => {
    const window = Array.from({ length: k }, (_, a) =>
      Array.from({ length: k }, (_, b) => at(ch, r - padding + a, c - padding + b)),
    );
    const weights = Array.from({ length: k }, (_, a) =>
      Array.from({ length: k }, (_, b) => kernel.weight[((o * kernel.inChannels + ch) * k + a) * k + b]),
    );
    let dot = 0;
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) dot += window[a][b] * weights[a][b];
    return { channel: ch, window, weights, dot };
  });
  const bias = kernel.bias ? kernel.bias[o] : 0;
  return {
    terms,
    bias,
    total: terms.reduce((acc, t) => acc + t.dot, bias),
    top: r - padding,
    left: c - padding,
  };
}

/** Pooled cell (r, c) of channel ch: its size×size window and its largest value. */
export function poolWindowAt(input: Stage, ch: number, r: number, c: number, size = 2) {
  const [, height, width] = input.shape;
  const window: number[][] = [];
  let max = -Infinity;
  for (let a = 0; a < size; a++) {
    const row: number[] = [];
    for (let b = 0; b < size; b++) {
      const [y, x] = [r * size + a, c * size + b];
      const v = y < height && x < width ? input.values[(ch * height + y) * width + x] : -Infinity;
      row.push(v);
      max = Math.max(max, v);
    }
    window.push(row);
  }
  return { window, max, top: r * size, left: c * size };
}

/** One box of the architecture drawing: a layer, its output shape and its parameters. */
export interface ArchitectureRow {
  name: string;
  type: string;
  shape: number[];
  parameters: number;
  /** For Conv2d and Linear: what a dense layer between the same sizes would need. */
  denseParameters?: number;
}

/** The network as the course draws "a typical CNN": each layer's output shape and parameter count. */
export function architecture(model: Sequential, stages: Stage[], inputShape: number[]): ArchitectureRow[] {
  const sharing = new Map(parameterSharing(model, inputShape).map((row) => [row.name, row]));
  return stages.map((s) => {
    const row = sharing.get(s.name);
    return {
      name: s.name,
      type: s.type,
      shape: s.shape,
      parameters: row?.parameters ?? 0,
      ...(row ? { denseParameters: row.denseParameters } : {}),
    };
  });
}
