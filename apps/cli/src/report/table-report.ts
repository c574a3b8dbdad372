import { barPlot, beeswarmPlot, Explanation, type LinkName, waterfallPlot } from '@descent/shap';
import type { BundleManifest } from '@descent/train';
import type { TableExplainResult } from '../explain/explain-table';
import { barCaption, beeswarmCaption, introCaption, waterfallCaption } from './captions';
import { escapeHtml, formatNumber } from './escape-html';
import { modelFactsSection } from './model-facts';
import { htmlPage } from './page';

export interface TableReportInput {
  modelDir: string;
  manifest: BundleManifest;
  csv: string;
  explained: TableExplainResult;
  link: LinkName;
  seed: number;
  /** Waterfalls drawn; the rows past it are in the table and the values file only. Default 10. */
  maxWaterfalls?: number;
  version: string;
  /** The --values file, mentioned where waterfalls are capped. */
  valuesFile?: string;
}

/** One row's explanation with each column named by its raw value (`species = Adelie`) for the waterfall. */
function rowExplanation(e: Explanation, row: number, text: string[]): Explanation {
  return new Explanation({
    values: [e.values[row]],
    baseValues: [e.baseValues[row]],
    featureNames: e.featureNames.map((name, j) => `${name} = ${text[j]}`),
    link: e.link,
  });
}

function predictionText(input: TableReportInput, i: number): string {
  const { explained, link } = input;
  const value = `${explained.outputName} = ${formatNumber(explained.outputs[i])}`;
  const logit = link === 'logit' ? ` (log-odds ${formatNumber(explained.predictions[i])})` : '';
  const label = explained.predictedLabels?.[i];
  return `${label !== undefined ? `predicted <strong>${escapeHtml(label)}</strong>, ` : ''}${escapeHtml(value)}${logit}`;
}

function rowsTable(input: TableReportInput): string {
  const { explained } = input;
  const { names } = explained.columns;
  const head = `<tr><th class="num">row</th>${names.map((n) => `<th>${escapeHtml(n)}</th>`).join('')}<th class="num">${escapeHtml(explained.outputName)}</th>${explained.predictedLabels ? '<th>predicted</th>' : ''}</tr>`;
  const body = explained.positions
    .map((position, i) => {
      const cells = explained.raw[i].text.map((t) => `<td>${escapeHtml(t)}</td>`).join('');
      const label = explained.predictedLabels ? `<td>${escapeHtml(explained.predictedLabels[i])}</td>` : '';
      return `<tr><td class="num">${position}</td>${cells}<td class="num">${formatNumber(explained.outputs[i])}</td>${label}</tr>`;
    })
    .join('');
  return `<div class="scroll"><table>${head}${body}</table></div>`;
}

/** The self-contained HTML report of a table explanation: facts, bar, beeswarm, rows, waterfalls. */
export function tableReport(input: TableReportInput): string {
  const { explained, manifest, csv } = input;
  const e = explained.explanation;
  const rows = e.rows;
  const maxWaterfalls = input.maxWaterfalls ?? 10;
  const base = e.baseValues[0];
  const categoryNotes = explained.columns.features
    .filter((f) => f.kind === 'categorical')
    .map(
      (f) =>
        `<strong>${escapeHtml(f.name)}</strong>: ${f.kind === 'categorical' ? f.categories.map(escapeHtml).join(' → ') : ''}`,
    );
  const positions = explained.positions;
  const rowsText =
    rows === 1 ? `row ${positions[0]}` : `${rows} rows (${positions[0]} to ${positions[rows - 1]})`;
  const title = `SHAP explanation of ${explained.outputName}`;
  const modelFacts: [string, string][] = [
    ['target', manifest.targetName ?? '?'],
    ['classes', (manifest.labelNames ?? []).join(', ') || '—'],
    ['input columns', explained.columns.names.join(', ')],
    [
      'model inputs',
      `${explained.columns.groups.reduce((s, g) => s + g.length, 0)} after one-hot encoding and scaling`,
    ],
  ];
  const settings: [string, string][] = [
    ['explained', `${explained.outputName}, ${rowsText} of ${csv}`],
    ['method', explained.methodDetail],
    ['background', explained.backgroundDetail],
    ['base value E[f(X)]', formatNumber(base)],
    ['link', input.link === 'logit' ? 'logit (values in log-odds)' : 'identity (values in probability)'],
    ['seed', String(input.seed)],
  ];
  if (manifest.outputKind === 'value') settings[4] = ['link', 'identity (values in the target’s units)'];
  const shown = Math.min(rows, maxWaterfalls);
  const waterfalls = Array.from({ length: shown }, (_, i) => {
    const svg = waterfallPlot(rowExplanation(e, i, explained.raw[i].text), 0, { width: 760, maxDisplay: 12 });
    return `<div class="waterfall"><h3>Row ${positions[i]}: ${predictionText(input, i)}</h3><div class="plot">${svg}</div></div>`;
  }).join('\n');
  const more =
    rows > shown
      ? `<p class="note">Waterfalls are drawn for the first ${shown} of the ${rows} explained rows; all ${rows} are in the bar and beeswarm plots above${input.valuesFile ? ` and in ${escapeHtml(input.valuesFile)}` : ' (add <code>--values shap.csv</code> for every value)'}.</p>`
      : '';
  const body = `<header>
<h1>${escapeHtml(title)}</h1>
<p class="subtitle">${escapeHtml(`${input.modelDir} · ${csv} · ${rowsText}`)}</p>
</header>
<section>${introCaption(explained.outputName, base, input.link, {
    player: 'input column',
    players: 'input columns',
    subject: 'row',
    baseMeaning: 'the model’s average output over the background rows',
  })}</section>
${modelFactsSection(input.modelDir, manifest, modelFacts, settings)}
<section>
<h2>Which columns matter most?</h2>
<div class="plot">${barPlot(e, { width: 760, maxDisplay: 15 })}</div>
${barCaption(rows)}
</section>
<section>
<h2>Which way does each column push?</h2>
<div class="plot">${beeswarmPlot(e, { width: 760, maxDisplay: 15, displayData: explained.raw.map((r) => r.text) })}</div>
${beeswarmCaption(categoryNotes)}
</section>
<section>
<h2>The explained rows</h2>
<p class="note">Row numbers count the data rows of ${escapeHtml(csv)} from 0, as <code>--rows</code> does.${explained.dropped ? ` ${explained.dropped} row(s) of the file were dropped for missing values.` : ''}</p>
${rowsTable(input)}
</section>
<section>
<h2>One prediction at a time</h2>
${waterfallCaption()}
${waterfalls}
${more}
</section>
<footer>Made by <code>descent explain</code> ${escapeHtml(input.version)} with @descent/shap. Self-contained: no scripts, no network.</footer>`;
  return htmlPage(title, body);
}
