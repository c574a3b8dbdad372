import { createRequire } from 'node:module';
import { barPlot, KernelExplainer } from '@descent/shap';

// A linear model: phi_i = w_i (x_i - mean_i) exactly.
const w = [2, -1, 0.5];
const model = (X) =>
  Float64Array.from({ length: X.rows }, (_, r) => w.reduce((s, wi, c) => s + wi * X.data[r * X.cols + c], 0));
const background = { data: Float64Array.from([0, 0, 0, 2, 2, 2]), rows: 2, cols: 3 };
const x = { data: Float64Array.from([3, 1, -1]), rows: 1, cols: 3 };
const e = await new KernelExplainer(model, background).explain(x);
const expected = [2 * 2, -1 * 0, 0.5 * -2];
e.values[0].forEach((v, i) => {
  if (Math.abs(v - expected[i]) > 1e-9) throw new Error(`phi ${i} = ${v}, expected ${expected[i]}`);
});
if (!barPlot(e).startsWith('<svg')) throw new Error('bar plot');
if (typeof createRequire(import.meta.url)('@descent/shap').ExactExplainer !== 'function')
  throw new Error('CJS');
console.log(`linear model phi = ${e.values[0].map((v) => v.toFixed(3))}; no tfjs installed`);
