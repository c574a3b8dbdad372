import type { BundleManifest } from '@descent/train';
import { escapeHtml, formatNumber } from './escape-html';

interface LayerConfig {
  type?: string;
  layers?: LayerConfig[];
  [key: string]: unknown;
}

const shapeKeys = ['inFeatures', 'outFeatures', 'inChannels', 'outChannels', 'kernelSize'];

/** `Linear(7, 32) → ReLU → …` from model.json's architecture, nested containers opened up. */
export function describeArchitecture(config: unknown): string {
  const parts: string[] = [];
  const walk = (c: LayerConfig) => {
    if (Array.isArray(c.layers)) {
      c.layers.forEach(walk);
      return;
    }
    const args = shapeKeys
      .filter((k) => c[k] !== undefined)
      .map((k) => (Array.isArray(c[k]) ? (c[k] as unknown[]).join('×') : String(c[k])));
    parts.push(`${c.type ?? '?'}${args.length ? `(${args.join(', ')})` : ''}`);
  };
  if (config && typeof config === 'object') walk(config as LayerConfig);
  return parts.join(' → ');
}

const metricNames: Record<string, string> = {
  accuracy: 'accuracy',
  precision: 'precision',
  recall: 'recall',
  f1: 'F1',
  rocAuc: 'ROC AUC',
  logLoss: 'log loss',
  loss: 'loss',
  meanSquaredError: 'mean squared error',
  meanAbsoluteError: 'mean absolute error',
};

/** The held-out test metrics the bundle recorded when it was trained (`testAccuracy`, …). */
export function testMetrics(manifest: BundleManifest): [string, string][] {
  return Object.entries(manifest.metrics ?? {})
    .filter(([k]) => k.startsWith('test'))
    .map(([k, v]) => {
      const name = k.slice(4, 5).toLowerCase() + k.slice(5);
      return [metricNames[name] ?? name, formatNumber(v)];
    });
}

export function factsTable(rows: [string, string][], htmlValues = false): string {
  const body = rows
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${htmlValues ? v : escapeHtml(v)}</td></tr>`)
    .join('');
  return `<table>${body}</table>`;
}

/** The model's facts from its manifest, plus rows the caller adds (what was explained, and how). */
export function modelFactsSection(
  modelDir: string,
  manifest: BundleManifest,
  model: [string, string][],
  settings: [string, string][],
): string {
  const metrics = testMetrics(manifest);
  const facts: [string, string][] = [
    ['bundle', modelDir],
    ...model,
    ['layers', describeArchitecture(manifest.architecture)],
    ['loss', manifest.loss],
  ];
  const trained = manifest.extra as Record<string, unknown> | undefined;
  if (trained?.epochs !== undefined)
    facts.push(['training', `${trained.epochs} epochs, seed ${trained.seed ?? '?'}`]);
  return `<section>
<h2>The model and the explanation</h2>
<div class="facts">
<div><h3>Model</h3>${factsTable(facts)}</div>
<div><h3>Held-out test metrics</h3>${
    metrics.length ? factsTable(metrics) : '<p class="note">The bundle records no test metrics.</p>'
  }
<h3>Explanation settings</h3>${factsTable(settings)}</div>
</div>
</section>`;
}
