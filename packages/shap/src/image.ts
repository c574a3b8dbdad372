import { argumentError } from './errors.js';
import { ExactExplainer } from './exact.js';
import type { Explainer, ExplainOptions } from './explainer.js';
import type { Explanation } from './explanation.js';
import { KernelExplainer } from './kernel.js';
import type { LReg } from './kernel-solve.js';
import type { LinkName } from './link.js';
import type { Model } from './model.js';
import { PermutationExplainer } from './permutation.js';

/** An image as height × width × channels values, row-major (HWC), e.g. a 28×28 digit with channels 1. */
export interface ImageInput {
  data: ArrayLike<number>;
  height: number;
  width: number;
  /** Default 1. */
  channels?: number;
}

export interface ExplainImageOptions extends ExplainOptions {
  /** Side of the square patches (the players); edge patches may be smaller. Default ceil(min(H, W) / 7). */
  patchSize?: number;
  /** What a hidden patch shows: the image's per-channel 'mean' (default), a 'blur' of it, 'zero', or a number. */
  baseline?: 'mean' | 'blur' | 'zero' | number;
  /** Box-blur radius in pixels for baseline 'blur'. Default patchSize. */
  blurRadius?: number;
  /** Default 'kernel'. 'exact' needs at most 16 patches. */
  explainer?: 'kernel' | 'permutation' | 'exact';
  nsamples?: number | 'auto';
  npermutations?: number;
  lReg?: LReg;
  batchSize?: number;
  dtype?: 'float64' | 'float32';
  link?: LinkName;
  /** Which model output the maps show. Default: the largest output for this image (the predicted class). */
  output?: number;
  outputNames?: string[];
}

/** An image's explanation for one output: a SHAP value per patch of the image. */
export interface ImageExplanation {
  /** The model output the maps describe. */
  output: number;
  /** One SHAP value per patch, gridRows × gridCols row-major. */
  values: Float64Array;
  /** Each pixel carries its patch's value: height × width. */
  pixelValues: Float64Array;
  gridRows: number;
  gridCols: number;
  patchSize: number;
  height: number;
  width: number;
  channels: number;
  baseValue: number;
  /** baseValue + Σ values = link(f(image)). */
  outputValue: number;
  /** The explained image (HWC). */
  image: Float64Array;
  /** The image a fully hidden input shows (HWC). */
  baseline: Float64Array;
  /** The full result: one row, one feature per patch, every model output. */
  explanation: Explanation;
}

function boxBlur(src: Float64Array, H: number, W: number, C: number, radius: number): Float64Array {
  const tmp = new Float64Array(src.length);
  const out = new Float64Array(src.length);
  for (let c = 0; c < C; c++) {
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        let s = 0;
        let n = 0;
        for (let k = Math.max(0, x - radius); k <= Math.min(W - 1, x + radius); k++, n++)
          s += src[(y * W + k) * C + c];
        tmp[(y * W + x) * C + c] = s / n;
      }
    }
    for (let x = 0; x < W; x++) {
      for (let y = 0; y < H; y++) {
        let s = 0;
        let n = 0;
        for (let k = Math.max(0, y - radius); k <= Math.min(H - 1, y + radius); k++, n++)
          s += tmp[(k * W + x) * C + c];
        out[(y * W + x) * C + c] = s / n;
      }
    }
  }
  return out;
}

export function imageBaseline(
  image: Float64Array,
  H: number,
  W: number,
  C: number,
  baseline: ExplainImageOptions['baseline'],
  radius: number,
): Float64Array {
  if (typeof baseline === 'number') {
    if (!Number.isFinite(baseline)) throw argumentError('baseline', 'a finite number', baseline);
    return new Float64Array(image.length).fill(baseline);
  }
  if (baseline === 'zero') return new Float64Array(image.length);
  if (baseline === 'blur') return boxBlur(image, H, W, C, radius);
  if (baseline === undefined || baseline === 'mean') {
    const out = new Float64Array(image.length);
    for (let c = 0; c < C; c++) {
      let s = 0;
      for (let i = c; i < image.length; i += C) s += image[i];
      for (let i = c; i < image.length; i += C) out[i] = s / (H * W);
    }
    return out;
  }
  throw argumentError('baseline', "'mean', 'blur', 'zero' or a number", baseline);
}

function positiveInt(value: unknown, arg: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
    throw argumentError(arg, 'a positive integer', value);
  return value;
}

/**
 * Explains an image model by hiding square patches (a p × p grid; no superpixel segmentation) behind a baseline.
 * The model receives rows of height·width·channels values (HWC), one image per row.
 */
export async function explainImage(
  model: Model,
  image: ImageInput,
  options: ExplainImageOptions = {},
): Promise<ImageExplanation> {
  if (!image || typeof image !== 'object')
    throw argumentError('image', '{ data, height, width, channels }', image);
  const H = positiveInt(image.height, 'image.height');
  const W = positiveInt(image.width, 'image.width');
  const C = positiveInt(image.channels ?? 1, 'image.channels');
  if (!image.data || image.data.length !== H * W * C) {
    throw argumentError('image.data', `height × width × channels = ${H * W * C} values`, image.data?.length);
  }
  const pixels = Float64Array.from(image.data);
  const p = positiveInt(options.patchSize ?? Math.max(1, Math.ceil(Math.min(H, W) / 7)), 'patchSize');
  const radius = options.blurRadius ?? p;
  if (!Number.isInteger(radius) || radius < 0)
    throw argumentError('blurRadius', 'a non-negative integer', radius);
  const baseline = imageBaseline(pixels, H, W, C, options.baseline, radius);
  const gridRows = Math.ceil(H / p);
  const gridCols = Math.ceil(W / p);
  const groups: number[][] = [];
  const names: string[] = [];
  for (let gr = 0; gr < gridRows; gr++) {
    for (let gc = 0; gc < gridCols; gc++) {
      const cols: number[] = [];
      for (let y = gr * p; y < Math.min(H, (gr + 1) * p); y++) {
        for (let x = gc * p; x < Math.min(W, (gc + 1) * p); x++)
          for (let c = 0; c < C; c++) cols.push((y * W + x) * C + c);
      }
      groups.push(cols);
      names.push(`patch (${gr}, ${gc})`);
    }
  }
  const common = {
    groups,
    featureNames: names,
    outputNames: options.outputNames,
    batchSize: options.batchSize,
    dtype: options.dtype,
    link: options.link,
    seed: options.seed,
  };
  const bg = { data: baseline, rows: 1, cols: H * W * C };
  const kind = options.explainer ?? 'kernel';
  let explainer: Explainer;
  if (kind === 'kernel')
    explainer = new KernelExplainer(model, bg, { ...common, nsamples: options.nsamples, lReg: options.lReg });
  else if (kind === 'permutation')
    explainer = new PermutationExplainer(model, bg, { ...common, npermutations: options.npermutations });
  else if (kind === 'exact') explainer = new ExactExplainer(model, bg, common);
  else throw argumentError('explainer', "'kernel', 'permutation' or 'exact'", kind);
  const explanation = await explainer.explain(
    { data: pixels, rows: 1, cols: H * W * C },
    { onProgress: options.onProgress, signal: options.signal },
  );
  const outputs = explanation.outputs;
  let output = options.output;
  const outValues = explanation.byOutput().map((e) => e.outputValues()[0]);
  if (output === undefined) output = outValues.indexOf(Math.max(...outValues));
  if (!Number.isInteger(output) || output < 0 || output >= outputs) {
    throw argumentError('output', `an integer in [0, ${outputs})`, output);
  }
  const chosen = explanation.output(output);
  const values = Float64Array.from(chosen.values[0]);
  const pixelValues = new Float64Array(H * W);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++)
      pixelValues[y * W + x] = values[Math.floor(y / p) * gridCols + Math.floor(x / p)];
  }
  return {
    output,
    values,
    pixelValues,
    gridRows,
    gridCols,
    patchSize: p,
    height: H,
    width: W,
    channels: C,
    baseValue: chosen.baseValues[0],
    outputValue: outValues[output],
    image: pixels,
    baseline,
    explanation,
  };
}
