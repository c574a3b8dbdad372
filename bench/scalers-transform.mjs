#!/usr/bin/env node
// Transform throughput of @descent/scalers' StandardScaler and MinMaxScaler on a dense
// 1,000,000 x 30 matrix (Float64 and Float32), against the same maths written as a naive
// number[][] map, and against scikit-learn (run through `python3 -c`) when it is installed.
//
//   pnpm --filter @descent/scalers build && node bench/scalers-transform.mjs [--rows N] [--runs N] [--record]
//
// Each measurement: one warm-up call, then the median of --runs (default 5, at least 5) timed
// calls; every call allocates its output, as a user's call would (except the copy: false row).
// Wall-clock and process CPU time are both reported: CPU time is the fairer figure on a machine
// that other work is also using. --record writes the "## scalers transform" section of
// bench/RESULTS.md, leaving other sections as they are.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '../packages/scalers/dist/index.js');
if (!existsSync(dist)) {
  console.error('packages/scalers/dist is missing: build it first (pnpm --filter @descent/scalers build)');
  process.exit(1);
}
const { MinMaxScaler, StandardScaler } = await import(dist);

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const ROWS = option('rows', 1_000_000);
const COLS = 30;
const RUNS = Math.max(5, option('runs', 5));
const VALUES = ROWS * COLS;

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Median wall-clock and median process CPU time (user + system), in ms. */
function time(fn) {
  fn(); // warm-up: JIT and first touch of the code paths
  const wall = [];
  const cpu = [];
  for (let r = 0; r < RUNS; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const out = fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1e3);
    if (out === undefined) throw new Error('benchmark body returned nothing');
  }
  return { ms: median(wall), cpuMs: median(cpu) };
}

// Seeded data: column j is uniform around j * 10 with width j + 1, so the columns differ.
function makeData() {
  let state = 12345;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const data = new Float64Array(VALUES);
  for (let i = 0; i < ROWS; i++) {
    for (let j = 0; j < COLS; j++) data[i * COLS + j] = j * 10 + (j + 1) * (next() - 0.5);
  }
  return data;
}

const f64 = { data: makeData(), rows: ROWS, cols: COLS };
const f32 = { data: Float32Array.from(f64.data), rows: ROWS, cols: COLS };
const nested = Array.from({ length: ROWS }, (_, i) =>
  Array.from(f64.data.subarray(i * COLS, (i + 1) * COLS)),
);

const results = [];
function record(scaler, input, { ms, cpuMs }) {
  results.push({ scaler, input, ms, cpuMs, mvps: VALUES / ms / 1e3 });
  const cells = [
    ms.toFixed(1).padStart(8),
    cpuMs.toFixed(1).padStart(8),
    (VALUES / ms / 1e3).toFixed(1).padStart(7),
  ];
  console.log(
    `${scaler.padEnd(15)} ${input.padEnd(30)} ${cells[0]} ms ${cells[1]} ms CPU ${cells[2]} Mvalues/s`,
  );
}

console.log(
  `transform of ${ROWS} x ${COLS} (${VALUES / 1e6} M values), median of ${RUNS} runs after a warm-up\n`,
);
for (const [name, Scaler] of [
  ['StandardScaler', StandardScaler],
  ['MinMaxScaler', MinMaxScaler],
]) {
  const scaler = new Scaler().fit(f64);
  record(
    name,
    'descent Float64 matrix',
    time(() => scaler.transform(f64)),
  );
  record(
    name,
    'descent Float32 matrix',
    time(() => scaler.transform(f32)),
  );
  const inPlace = new Scaler({ copy: false }).fit(f64);
  const scratch = { data: Float64Array.from(f64.data), rows: ROWS, cols: COLS };
  record(
    name,
    'descent Float64, copy: false',
    time(() => inPlace.transform(scratch)),
  );
  record(
    name,
    'descent number[][]',
    time(() => scaler.transform(nested)),
  );
  // The same maths by hand as a plain map over number[][] (no input checks), for comparison.
  if (Scaler === StandardScaler) {
    const { mean, scale } = scaler;
    record(
      name,
      'naive number[][] map',
      time(() => nested.map((row) => row.map((v, j) => (v - mean[j]) / scale[j]))),
    );
  } else {
    const { scale, min } = scaler;
    record(
      name,
      'naive number[][] map',
      time(() => nested.map((row) => row.map((v, j) => v * scale[j] + min[j]))),
    );
  }
}

// scikit-learn on the same shape, timed inside Python so process start-up is not counted.
const PY = `
import json, sys, time
import numpy as np, sklearn
from sklearn.preprocessing import StandardScaler, MinMaxScaler
rows, cols, runs = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
rng = np.random.RandomState(0)
X64 = np.arange(cols) * 10.0 + (np.arange(cols) + 1.0) * (rng.random_sample((rows, cols)) - 0.5)
X32 = X64.astype(np.float32)
out = {"sklearn": sklearn.__version__, "numpy": np.__version__, "results": []}
for name, cls in [("StandardScaler", StandardScaler), ("MinMaxScaler", MinMaxScaler)]:
    s = cls().fit(X64)
    for label, X in [("scikit-learn float64 ndarray", X64), ("scikit-learn float32 ndarray", X32)]:
        s.transform(X)
        wall, cpu = [], []
        for _ in range(runs):
            c0, t0 = time.process_time(), time.perf_counter()
            s.transform(X)
            wall.append((time.perf_counter() - t0) * 1e3)
            cpu.append((time.process_time() - c0) * 1e3)
        out["results"].append({"scaler": name, "input": label,
                               "ms": float(np.median(wall)), "cpuMs": float(np.median(cpu))})
print(json.dumps(out))
`;

function findPython() {
  for (const py of ['python3', '/usr/bin/python3']) {
    try {
      execFileSync(py, ['-c', 'import sklearn'], { stdio: 'ignore' });
      return py;
    } catch {}
  }
  return null;
}

let sklearnInfo = null;
const python = findPython();
if (python) {
  try {
    const text = execFileSync(python, ['-c', PY, String(ROWS), String(COLS), String(RUNS)], {
      encoding: 'utf8',
    });
    sklearnInfo = JSON.parse(text);
    for (const r of sklearnInfo.results) record(r.scaler, r.input, r);
  } catch (error) {
    console.log(`\nscikit-learn run failed, skipped: ${String(error.message).split('\n')[0]}`);
  }
} else {
  console.log('\nscikit-learn not found (tried python3, /usr/bin/python3): skipped');
}

const find = (scaler, input) => results.find((r) => r.scaler === scaler && r.input === input);
const ratios = [];
function ratio(scaler, ours, other) {
  const a = find(scaler, ours);
  const b = find(scaler, other);
  if (!a || !b) return;
  const wall = (b.ms / a.ms).toFixed(2);
  const cpu = (b.cpuMs / a.cpuMs).toFixed(2);
  ratios.push(`${scaler}: ${ours} runs at ${wall}x the speed of ${other} (wall clock; ${cpu}x by CPU time)`);
}
for (const scaler of ['StandardScaler', 'MinMaxScaler']) {
  ratio(scaler, 'descent Float64 matrix', 'naive number[][] map');
  ratio(scaler, 'descent number[][]', 'naive number[][] map');
  ratio(scaler, 'descent Float64 matrix', 'scikit-learn float64 ndarray');
  ratio(scaler, 'descent Float32 matrix', 'scikit-learn float32 ndarray');
}
console.log(`\n${ratios.join('\n')}`);

function cpuModel() {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) return line.split(':')[1].trim();
  } catch {}
  return os.cpus()[0]?.model ?? 'unknown CPU';
}

if (args.includes('--record')) {
  const date = new Date().toISOString().slice(0, 10);
  const machine = `${cpuModel()}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${os.platform()} ${os.release()}`;
  const load = os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');
  const rows = results.map(
    (r) => `| ${r.scaler} | ${r.input} | ${r.ms.toFixed(1)} | ${r.cpuMs.toFixed(1)} | ${r.mvps.toFixed(1)} |`,
  );
  const section = [
    '## scalers transform',
    '',
    `\`node bench/scalers-transform.mjs --record\`, ${date}: transform of ${ROWS.toLocaleString('en')} x ${COLS} values; one warm-up, then the median of ${RUNS} runs; output allocated on every call except for copy: false.`,
    '',
    `Machine: ${machine}. Load average (1 / 5 / 15 min) when it finished: ${load}.`,
    sklearnInfo
      ? `scikit-learn ${sklearnInfo.sklearn}, numpy ${sklearnInfo.numpy}.`
      : 'scikit-learn: not available, skipped.',
    'Wall time is what a caller waits, inflated when other jobs share the machine; CPU time counts all of the',
    "process's threads (V8's background threads too, so it can exceed wall time). Compare rows of one run.",
    '',
    '| scaler | input | ms (wall) | ms (CPU) | Mvalues/s (wall) |',
    '| --- | --- | ---: | ---: | ---: |',
    ...rows,
    '',
    ...ratios.map((r) => `- ${r}`),
    '',
  ].join('\n');
  const file = join(here, 'RESULTS.md');
  const current = existsSync(file)
    ? readFileSync(file, 'utf8')
    : '# Benchmark results\n\nEach section is written by the benchmark it names (bench/*.mjs).\n';
  const start = current.indexOf('\n## scalers transform');
  let next;
  if (start >= 0) {
    const after = current.indexOf('\n## ', start + 1);
    next = current.slice(0, start + 1) + section + (after >= 0 ? `\n${current.slice(after + 1)}` : '');
  } else {
    next = `${current.trimEnd()}\n\n${section}`;
  }
  writeFileSync(file, next);
  console.log(`\nrecorded in ${file}`);
}
