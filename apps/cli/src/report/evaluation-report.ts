import type { FloatImageDataset } from '@descent/datasets/images';
import type { ImageEvaluation } from '../image-evaluation';
import { escapeHtml, formatNumber } from './escape-html';
import { imageSvg } from './image-svg';
import { htmlPage } from './page';

export interface EvaluationReportInput {
  /** E.g. "mnist, the official test set". */
  dataName: string;
  modelDir?: string;
  test: FloatImageDataset;
  evaluation: ImageEvaluation;
  facts: [string, string][];
  command: string;
}

/** The pixels of image i as HWC values in [0, 1], which imageSvg draws. */
function imagePixels(d: FloatImageDataset, i: number): Float32Array {
  const plane = d.height * d.width;
  const from = i * d.channels * plane;
  const chw = d.images.subarray(from, from + d.channels * plane);
  const max = chw.reduce((m, v) => Math.max(m, v), 0);
  // Sets read with normalise: false keep 0..255.
  const scale = max > 1 ? 1 / 255 : 1;
  const hwc = new Float32Array(chw.length);
  for (let c = 0; c < d.channels; c++)
    for (let p = 0; p < plane; p++) hwc[p * d.channels + c] = chw[c * plane + p] * scale;
  return hwc;
}

/** Counts coloured by their share of the true class's row: the diagonal blue, mistakes red. */
function confusionTable(matrix: number[][], classes: string[]): string {
  const head = classes.map((c) => `<th class="num">${escapeHtml(c)}</th>`).join('');
  const rows = matrix
    .map((row, i) => {
      const total = row.reduce((a, b) => a + b, 0) || 1;
      const cells = row
        .map((n, j) => {
          const share = n / total;
          const colour =
            i === j
              ? `rgba(0, 139, 251, ${(0.15 + 0.6 * share).toFixed(3)})`
              : `rgba(255, 0, 81, ${n === 0 ? 0 : (0.12 + 0.88 * Math.min(1, share * 10)).toFixed(3)})`;
          return `<td class="num" style="background:${colour}" title="true ${escapeHtml(classes[i])}, predicted ${escapeHtml(classes[j])}: ${n}">${n}</td>`;
        })
        .join('');
      return `<tr><th>${escapeHtml(classes[i])}</th>${cells}</tr>`;
    })
    .join('\n');
  return `<div class="scroll"><table class="confusion"><tr><th>true ↓ / predicted →</th>${head}</tr>\n${rows}</table></div>`;
}

function worstCards(input: EvaluationReportInput): string {
  const { test, evaluation } = input;
  if (evaluation.worst.length === 0) return '<p>Every test image was classified correctly.</p>';
  return `<div class="gallery">${evaluation.worst
    .map((m) => {
      const top = Math.max(...m.probabilities);
      const picture = imageSvg(imagePixels(test, m.index), test.height, test.width, test.channels, {
        scale: Math.max(2, Math.round(84 / test.width)),
        title: `test image ${m.index}`,
      });
      return `<figure>${picture}<figcaption><strong>${escapeHtml(test.classes[m.label])}</strong> seen as <strong class="up">${escapeHtml(test.classes[m.predicted])}</strong> (${formatNumber(top * 100, 3)} %)<br><span class="note">#${m.index} · P(true) ${formatNumber(m.trueProbability, 2)}</span></figcaption></figure>`;
    })
    .join('')}</div>`;
}

/** Each class's error rate as a bar, scaled to the worst class so that differences show. */
function errorBars(matrix: number[][], classes: string[], width = 520): string {
  const rowH = 22;
  const labelW = Math.max(40, ...classes.map((n) => n.length * 7.5 + 12));
  const textW = 150;
  const plotW = width - labelW - textW;
  const rates = matrix.map((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    return { wrong: total - row[i], total, rate: total ? (total - row[i]) / total : 0 };
  });
  const worst = Math.max(...rates.map((r) => r.rate)) || 1;
  const height = rowH * classes.length + 6;
  let svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="13" role="img"><title>error rate per class</title>`;
  rates.forEach((r, k) => {
    const y = 3 + k * rowH;
    svg += `<text x="${labelW - 8}" y="${y + 15}" text-anchor="end" fill="#111">${escapeHtml(classes[k])}</text>`;
    svg += `<rect x="${labelW}" y="${y + 3}" width="${((r.rate / worst) * plotW).toFixed(2)}" height="${rowH - 6}" fill="#ff0051" fill-opacity="0.75"/>`;
    svg += `<text x="${labelW + plotW + 6}" y="${y + 15}" fill="#111">${formatNumber(r.rate * 100, 2)} % (${r.wrong} of ${r.total})</text>`;
  });
  return `${svg}</svg>`;
}

/** A self-contained HTML report of a classifier on a labelled image set. */
export function evaluationReport(input: EvaluationReportInput): string {
  const { test, evaluation } = input;
  const accuracy = evaluation.metrics.accuracy;
  const title = `${input.dataName}: ${formatNumber(accuracy * 100, 4)} % accuracy`;
  const matrix = evaluation.confusion;
  const errors = test.count - Math.round(accuracy * test.count);
  const facts = input.facts
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
    .join('');
  const body = `<style>
.gallery { display: grid; grid-template-columns: repeat(auto-fill, minmax(120px, 1fr)); gap: 12px; }
.gallery figure { margin: 0; text-align: center; font-size: 13px; }
.gallery svg { width: 84px; height: auto; }
table.confusion td { min-width: 44px; text-align: center; }
</style>
<header>
<h1>${escapeHtml(title)}</h1>
<p class="subtitle">${escapeHtml(`${test.count.toLocaleString('en-US')} test images, ${errors.toLocaleString('en-US')} wrong${input.modelDir ? ` · ${input.modelDir}` : ''}`)}</p>
</header>
<section><table>${facts}</table></section>
<section>
<h2>Confusion matrix</h2>
${confusionTable(matrix, test.classes)}
<div class="how"><strong>How to read it:</strong> each row is a true class, each column what the model said.
The blue diagonal counts the right answers; a red cell counts one kind of mistake, redder the more of its row it takes.</div>
</section>
<section>
<h2>Errors per class</h2>
<div class="plot">${errorBars(matrix, test.classes)}</div>
<p class="note">The share of each class's test images the model got wrong (1 − its recall); the longest bar is the hardest class.</p>
</section>
<section>
<h2>The worst-classified test images</h2>
<p class="note">The mistakes the model was surest of: lowest probability for the true class first.</p>
${worstCards(input)}
</section>
<footer>Made by <code>${escapeHtml(input.command)}</code>. Self-contained: no scripts, no network.</footer>`;
  return htmlPage(title, body);
}
