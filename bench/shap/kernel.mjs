// KernelExplainer benchmark: one row, M = 30 features, nsamples 'auto', 100 background rows, a plain-JS MLP.
// Also checks agreement with an independent KernelSHAP solve of the same coalitions, tries python shap,
// and prints the Kernel-vs-Exact error curve for M = 10.
// Run after building the package:  (cd packages/shap && npx tsup) && node bench/shap/kernel.mjs
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { ExactExplainer, KernelExplainer, kernelCoalitions } from '../../packages/shap/dist/index.js';

const RUNS = 7;

function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    s ^= s >>> 12;
    return (s >>> 0) / 4294967296;
  };
}
function gauss(r) {
  const u = r() || 1e-12;
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
}
function rows(n, m, seed) {
  const r = rng(seed);
  return Array.from({ length: n }, () => Array.from({ length: m }, () => gauss(r)));
}
/** A fixed random MLP M → H → 1 with tanh hidden units and a sigmoid output. */
function mlp(M, H, seed) {
  const r = rng(seed);
  const W1 = Float64Array.from({ length: H * M }, () => gauss(r) / Math.sqrt(M));
  const b1 = Float64Array.from({ length: H }, () => gauss(r) * 0.1);
  const W2 = Float64Array.from({ length: H }, () => gauss(r));
  const f = (X) => {
    const out = new Float64Array(X.rows);
    const d = X.data;
    for (let i = 0; i < X.rows; i++) {
      let z = 0.1;
      const o = i * X.cols;
      for (let h = 0; h < H; h++) {
        let a = b1[h];
        const wo = h * M;
        for (let j = 0; j < M; j++) a += W1[wo + j] * d[o + j];
        z += W2[h] * Math.tanh(a);
      }
      out[i] = 1 / (1 + Math.exp(-z));
    }
    return out;
  };
  return { f, W1, b1, W2, M, H };
}
const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)];
};
const ms = (v) => `${v.toFixed(0)} ms`;

/** Reference KernelSHAP: same coalitions, own synthetic data, KKT normal equations by Gaussian elimination. */
function referenceKernel(model, bg, x, M, nsamples, seed) {
  const c = kernelCoalitions(M, nsamples, seed);
  const N = bg.length;
  const value = (mask) => {
    const data = new Float64Array(N * M);
    for (let b = 0; b < N; b++) for (let j = 0; j < M; j++) data[b * M + j] = mask[j] ? x[j] : bg[b][j];
    const out = model({ data, rows: N, cols: M });
    let s = 0;
    for (const v of out) s += v;
    return s / N;
  };
  const fnull = value(new Uint8Array(M));
  const fx = model({ data: Float64Array.from(x), rows: 1, cols: M })[0];
  const D = M + 1;
  const A = Array.from({ length: D }, () => new Float64Array(D + 1));
  for (let i = 0; i < c.count; i++) {
    const z = c.masks.subarray(i * M, (i + 1) * M);
    const y = value(z) - fnull;
    for (let a = 0; a < M; a++) {
      if (!z[a]) continue;
      A[a][D] += c.weights[i] * y;
      for (let b = 0; b < M; b++) if (z[b]) A[a][b] += c.weights[i];
    }
  }
  for (let a = 0; a < M; a++) A[a][M] = A[M][a] = 1;
  A[M][D] = fx - fnull;
  for (let col = 0; col < D; col++) {
    let p = col;
    for (let r = col + 1; r < D; r++) if (Math.abs(A[r][col]) > Math.abs(A[p][col])) p = r;
    [A[col], A[p]] = [A[p], A[col]];
    for (let r = 0; r < D; r++) {
      if (r === col) continue;
      const f = A[r][col] / A[col][col];
      for (let k = col; k <= D; k++) A[r][k] -= f * A[col][k];
    }
  }
  return Array.from({ length: M }, (_, a) => A[a][D] / A[a][a]);
}

function tryPythonShap(net, bg, x) {
  for (const py of ['python3', '/usr/bin/python3']) {
    try {
      execFileSync(py, ['-c', 'import shap'], { stdio: 'ignore' });
    } catch {
      continue;
    }
    const dir = mkdtempSync(join(os.tmpdir(), 'shap-bench-'));
    const file = join(dir, 'data.json');
    writeFileSync(
      file,
      JSON.stringify({ W1: [...net.W1], b1: [...net.b1], W2: [...net.W2], M: net.M, H: net.H, bg, x }),
    );
    const script = `
import json, time, numpy as np, shap
d = json.load(open(${JSON.stringify(file)}))
W1 = np.array(d['W1']).reshape(d['H'], d['M']); b1 = np.array(d['b1']); W2 = np.array(d['W2'])
f = lambda X: 1 / (1 + np.exp(-(0.1 + np.tanh(X @ W1.T + b1) @ W2)))
e = shap.KernelExplainer(f, np.array(d['bg']))
x = np.array(d['x'])
ts = []
for _ in range(5):
    t = time.perf_counter(); v = e.shap_values(x, nsamples='auto', silent=True); ts.append(time.perf_counter() - t)
print(json.dumps({'version': shap.__version__, 'median_ms': 1000 * sorted(ts)[2], 'phi': list(map(float, v))}))
`;
    return {
      py,
      ...JSON.parse(execFileSync(py, ['-c', script], { encoding: 'utf8' }).trim().split('\n').pop()),
    };
  }
  return null;
}

const cpus = os.cpus();
console.log('## machine');
console.log(
  `${cpus[0]?.model ?? 'unknown CPU'} × ${cpus.length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}, load average ${os
    .loadavg()
    .map((v) => v.toFixed(2))
    .join(' ')}`,
);

// --- 1. speed: M = 30, nsamples 'auto', 100 background rows ---------------------------------------------
const M = 30;
const N = 100;
const net = mlp(M, 16, 7);
const bg = rows(N, M, 11);
const x = rows(1, M, 12)[0];
const nsamples = 2 * M + 2048;
console.log(
  `\n## KernelExplainer, M = ${M}, N = ${N} background rows, nsamples 'auto' (${nsamples}), MLP ${M}→16→1, ${RUNS} runs`,
);
const results = {};
// Wall time is what a user waits; CPU time (process.cpuUsage) is steadier when the machine is shared.
for (const lReg of ['auto', false]) {
  const times = [];
  const cpu = [];
  let last;
  for (let r = 0; r <= RUNS; r++) {
    const t = performance.now();
    const c = process.cpuUsage();
    last = await new KernelExplainer(net.f, bg, { lReg }).explain([x]);
    const used = process.cpuUsage(c);
    if (r > 0) {
      // the first run warms the JIT
      times.push(performance.now() - t);
      cpu.push((used.user + used.system) / 1000);
    }
  }
  results[String(lReg)] = { median: median(times), min: Math.min(...times), values: last.values[0] };
  console.log(
    `lReg ${JSON.stringify(lReg).padEnd(6)}: wall median ${ms(median(times))} (min ${ms(Math.min(...times))}, max ${ms(Math.max(...times))}); CPU median ${ms(median(cpu))}`,
  );
}
{
  // The model alone on the same number of rows, to separate model time from explainer overhead.
  const batch = {
    data: new Float64Array(1024 * M).map((_, i) => bg[((i / M) | 0) % N][i % M]),
    rows: 1024,
    cols: M,
  };
  const times = [];
  const cpu = [];
  for (let r = 0; r <= RUNS; r++) {
    const t = performance.now();
    const c = process.cpuUsage();
    for (let done = 0; done < nsamples * N; done += 1024) net.f(batch);
    const used = process.cpuUsage(c);
    if (r > 0) {
      times.push(performance.now() - t);
      cpu.push((used.user + used.system) / 1000);
    }
  }
  results.modelOnly = median(times);
  console.log(
    `model alone on ${nsamples * N} rows: wall median ${ms(median(times))}; CPU median ${ms(median(cpu))}`,
  );
}

// --- 2. agreement with an independent solve of the same coalitions ---------------------------------------
{
  const ref = referenceKernel(net.f, bg, x, M, nsamples, 0);
  const lib = results.false.values;
  const diff = Math.max(...ref.map((v, j) => Math.abs(v - lib[j])));
  const scale = Math.max(...ref.map(Math.abs));
  results.agreement = diff;
  console.log(
    `\n## agreement with reference KernelSHAP (same coalitions, KKT normal equations + Gaussian elimination)`,
  );
  console.log(`max |φ_ref − φ_lib| = ${diff.toExponential(2)} (max |φ| = ${scale.toFixed(4)}), lReg false`);
  const aicDiff = Math.max(...results.auto.values.map((v, j) => Math.abs(v - lib[j])));
  const zeroed = results.auto.values.filter((v) => v === 0).length;
  console.log(
    `lReg 'auto' (AIC here, as shap) vs no selection: max diff ${aicDiff.toExponential(2)}, ${zeroed} of ${M} features set to 0`,
  );
}

// --- 3. python shap, if it is installed -----------------------------------------------------------------
{
  let py = null;
  try {
    py = tryPythonShap(net, bg, x);
  } catch (e) {
    console.log(`\npython shap: failed (${e.message.split('\n')[0]})`);
  }
  if (py) {
    const diff = Math.max(...py.phi.map((v, j) => Math.abs(v - results.auto.values[j])));
    console.log(
      `\n## python shap ${py.version} (${py.py}): median ${ms(py.median_ms)}; max |φ_py − φ_js| = ${diff.toExponential(2)} (different random coalitions)`,
    );
  } else {
    console.log('\npython shap: not installed here (python3 -c "import shap" fails), skipped');
  }
}

// --- 4. Kernel vs Exact error curve, M = 10 ---------------------------------------------------------------
{
  const M10 = 10;
  const net10 = mlp(M10, 8, 21);
  const bg10 = rows(20, M10, 22);
  const X10 = rows(5, M10, 23);
  const exact = (await new ExactExplainer(net10.f, bg10).explain(X10)).values;
  const scale = exact.flat().reduce((s, v) => s + Math.abs(v), 0) / exact.flat().length;
  console.log(
    `\n## Kernel vs Exact, M = 10, 20 background rows, 5 rows × 10 seeds; mean |φ_exact| = ${scale.toFixed(4)}`,
  );
  console.log(
    'nsamples | mean abs error (lReg false) | max abs error (lReg false) | mean abs error (lReg auto)',
  );
  for (const ns of [64, 128, 256, 512, 1022]) {
    const stats = {};
    for (const lReg of [false, 'auto']) {
      let sum = 0;
      let max = 0;
      let count = 0;
      for (let seed = 0; seed < 10; seed++) {
        const k = (await new KernelExplainer(net10.f, bg10, { nsamples: ns, seed, lReg }).explain(X10))
          .values;
        for (let i = 0; i < k.length; i++) {
          for (let j = 0; j < k[i].length; j++) {
            const e = Math.abs(k[i][j] - exact[i][j]);
            sum += e;
            max = Math.max(max, e);
            count++;
          }
        }
      }
      stats[String(lReg)] = { mean: sum / count, max };
    }
    console.log(
      `${String(ns).padStart(8)} | ${stats.false.mean.toExponential(3).padStart(27)} | ${stats.false.max.toExponential(3).padStart(26)} | ${stats.auto.mean.toExponential(3).padStart(26)}`,
    );
  }
}
