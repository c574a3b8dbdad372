import { explainImage, type ImageExplanation, type LinkName } from '@descent/shap';
import type { LoadedModel } from '../bundle-rows';
import { readDigitImage } from '../image-input';
import { UsageError } from '../usage-error';
import { EXACT_MAX_FEATURES, type MethodName } from './explainer-factory';
import { modelFunction } from './model-function';

export const imageBaselines = ['mean', 'zero', 'blur'] as const;
export type ImageBaseline = (typeof imageBaselines)[number];

export interface ImageExplainSettings {
  image: string;
  method: MethodName;
  nsamples: number | 'auto';
  /** Side of the square patches hidden together; default ceil(min(H, W) / 7), 4 for 28×28. */
  patchSize?: number;
  baseline: ImageBaseline;
  seed: number;
  link: LinkName;
  quiet?: boolean;
  /** The most pixels the image may declare (`--max-pixels`). */
  maxPixels?: number;
}

export interface ImageExplainResult {
  result: ImageExplanation;
  /** The picture as the model got it: grey, light ink on black, resized (see image-input.ts). */
  source: { width: number; height: number; depth: number; colour: string };
  /** The model's class probabilities for the image. */
  probabilities: number[];
  classNames: string[];
  inverted: boolean;
  methodDetail: string;
}

/** SHAP for an image model: square patches of the picture (PNG or JPEG) hidden behind a baseline, one value per patch. */
export async function explainImageFile(
  loaded: LoadedModel,
  settings: ImageExplainSettings,
  log: (line: string) => void,
): Promise<ImageExplainResult> {
  const { manifest } = loaded;
  const shape = manifest.inputShape;
  if (shape?.length !== 3 || shape[0] !== 1 || shape[1] !== shape[2]) {
    throw new UsageError(
      `--image: expected a model of square grey images (inputShape [1, size, size] in model.json), found ${shape ? `inputShape [${shape.join(', ')}]` : 'a model of table rows or numbers'}; use --csv for tables`,
    );
  }
  if (manifest.outputKind === 'value') {
    throw new UsageError('--image: expected an image classifier, found a regression model');
  }
  const [channels, height, width] = shape;
  const png = await readDigitImage(settings.image, height, { maxPixels: settings.maxPixels });
  if (png.inverted)
    log(`${settings.image}: light background, inverted to light ink on black (as the training digits)`);
  const model = modelFunction(loaded.model, {
    outputKind: manifest.outputKind,
    inputShape: shape,
    bothBinaryClasses: true,
  });
  const probs = model({ data: png.data, rows: 1, cols: png.data.length });
  const classNames = Array.from({ length: probs.cols }, (_, k) => manifest.labelNames?.[k] ?? String(k));
  const target = manifest.targetName ?? 'class';
  const patch = settings.patchSize ?? Math.max(1, Math.ceil(Math.min(height, width) / 7));
  const patches = Math.ceil(height / patch) * Math.ceil(width / patch);
  if (settings.method === 'exact' && patches > EXACT_MAX_FEATURES) {
    throw new UsageError(
      `--method exact: expected at most ${EXACT_MAX_FEATURES} patches (it evaluates all 2^M coalitions), found M = ${patches} patches of ${patch}×${patch} pixels; use --patch-size ${Math.ceil(Math.max(height, width) / 4)} or --method kernel`,
    );
  }
  if (settings.method === 'exact' && settings.nsamples !== 'auto') {
    throw new UsageError('--nsamples: not used by --method exact (it evaluates every coalition)');
  }
  const npermutations =
    settings.method === 'permutation'
      ? Math.max(1, Math.floor((settings.nsamples === 'auto' ? 500 : settings.nsamples) / (2 * patches + 1)))
      : undefined;
  if (!settings.quiet) log(`explaining ${patches} patches of ${patch}×${patch} pixels (${settings.method})`);
  const result = await explainImage(
    model,
    { data: png.data, height, width, channels },
    {
      patchSize: patch,
      baseline: settings.baseline,
      explainer: settings.method,
      nsamples: settings.method === 'kernel' ? settings.nsamples : undefined,
      npermutations,
      link: settings.link,
      seed: settings.seed,
      dtype: 'float32',
      batchSize: 256,
      outputNames: classNames.map((c) => `P(${target} = ${c})`),
    },
  );
  const methodDetail =
    settings.method === 'exact'
      ? `exact Shapley values over all 2^${patches} patch coalitions`
      : settings.method === 'kernel'
        ? `KernelSHAP with up to ${Math.min(settings.nsamples === 'auto' ? 2 * patches + 2048 : settings.nsamples, patches <= 30 ? 2 ** patches - 2 : Number.POSITIVE_INFINITY)} patch coalitions`
        : `permutation SHAP with ${npermutations} antithetic permutation${npermutations === 1 ? '' : 's'} of the patches`;
  return {
    result,
    source: png.source,
    probabilities: Array.from(probs.data),
    classNames,
    inverted: png.inverted,
    methodDetail,
  };
}
