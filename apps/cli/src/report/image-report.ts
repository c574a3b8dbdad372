import { imagePlot, type LinkName } from '@descent/shap';
import type { BundleManifest } from '@descent/train';
import type { ImageExplainResult } from '../explain/explain-image';
import { imageCaption, introCaption } from './captions';
import { escapeHtml, formatNumber } from './escape-html';
import { imageSvg } from './image-svg';
import { modelFactsSection } from './model-facts';
import { htmlPage } from './page';
import { probabilityBars } from './probability-bars';

export interface ImageReportInput {
  modelDir: string;
  manifest: BundleManifest;
  image: string;
  explained: ImageExplainResult;
  baseline: string;
  link: LinkName;
  seed: number;
  version: string;
}

const baselineWords: Record<string, string> = {
  mean: 'mean (a flat image of the picture’s average brightness)',
  zero: 'zero (black)',
  blur: 'blur (a blurred copy of the picture)',
};

/** The self-contained HTML report of an image explanation: the image, the SHAP overlay, the probabilities. */
export function imageReport(input: ImageReportInput): string {
  const { explained, manifest } = input;
  const r = explained.result;
  const predicted = explained.classNames[r.output];
  const outputName = r.explanation.outputNames[r.output];
  const title = `SHAP explanation of ${input.image}: predicted ${predicted}`;
  const [c, h, w] = manifest.inputShape ?? [r.channels, r.height, r.width];
  const modelFacts: [string, string][] = [
    ['input', `${c}×${h}×${w} image (channels × height × width)`],
    ['classes', explained.classNames.join(', ')],
  ];
  const settings: [string, string][] = [
    ['explained', `${outputName}, the predicted class`],
    ['method', explained.methodDetail],
    ['patches', `${r.gridRows}×${r.gridCols} grid of ${r.patchSize}×${r.patchSize}-pixel patches`],
    ['baseline', baselineWords[input.baseline] ?? input.baseline],
    ['base value E[f]', `${formatNumber(r.baseValue)} (the output with every patch hidden)`],
    ['link', input.link === 'logit' ? 'logit (values in log-odds)' : 'identity (values in probability)'],
    ['seed', String(input.seed)],
  ];
  const inverted = explained.inverted
    ? '<p class="note">The picture has a light background, so it was inverted to light ink on black, as the training digits are.</p>'
    : '';
  const total = Array.from(r.values).reduce((s, v) => s + v, 0);
  const body = `<header>
<h1>${escapeHtml(title)}</h1>
<p class="subtitle">${escapeHtml(`${input.modelDir} · ${input.image}`)}</p>
</header>
<section>${introCaption(outputName, r.baseValue, input.link, {
    player: 'patch',
    players: 'patches',
    subject: 'image',
    baseMeaning: 'the model’s output when every patch is hidden behind the baseline',
  })}</section>
<section>
<h2>What the model saw, and where it looked</h2>
<div class="panels">
<div class="panel"><h3>The input</h3><div class="plot">${imageSvg(r.image, r.height, r.width, r.channels, { scale: 7 })}</div><p class="note">As the model sees it: ${r.height}×${r.width} grey pixels, from a ${explained.source.width}×${explained.source.height} ${escapeHtml(explained.source.colour)} picture.</p>${inverted}</div>
<div class="panel"><h3>SHAP values for ${escapeHtml(predicted)}</h3><div class="plot">${imagePlot(r, { scale: 7 })}</div></div>
<div class="panel"><h3>Class probabilities</h3><div class="plot">${probabilityBars(explained.classNames, explained.probabilities, { width: 260 })}</div>
<p class="note">The model predicts <strong>${escapeHtml(predicted)}</strong> with probability ${formatNumber(explained.probabilities[r.output], 3)}.
Base value ${formatNumber(r.baseValue)} + the patches' SHAP values (${formatNumber(total)}) = ${formatNumber(r.outputValue)}.</p></div>
</div>
${imageCaption(r.patchSize, input.baseline)}
</section>
${modelFactsSection(input.modelDir, manifest, modelFacts, settings)}
<footer>Made by <code>descent explain</code> ${escapeHtml(input.version)} with @descent/shap. Self-contained: no scripts, no network.</footer>`;
  return htmlPage(title, body);
}
