// `pnpm bench`: runs every benchmark in this folder as its own child process, goes on past a
// failing one, and appends one dated section with the machine, the versions and every script's
// output to bench/RESULTS.md (earlier sections are kept as they are).
//
//   pnpm install && pnpm build && pnpm bench            (or: node bench/run-all.mjs)
//   node bench/run-all.mjs --only throughput,profile     run some of them
//   node bench/run-all.mjs --no-record                   print only; leave RESULTS.md alone
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unpinnedOpenBlas } from './torch-peer.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const args = process.argv.slice(2);
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? args[onlyIndex + 1].split(',') : [];
const record = !args.includes('--no-record');

/**
 * Each benchmark: a short name for --only, its script (relative to bench/), whether its stdout is
 * markdown (kept as it is) or plain text (kept in a code block), and whether it may be absent.
 */
// The throughput run's figures, which peak.mjs turns into GFLOP/s and fractions of the peak.
const throughputJson = join(os.tmpdir(), `descent-bench-throughput-${process.pid}.json`);
const benches = [
  {
    name: 'throughput',
    script: 'training-throughput.mjs',
    args: ['--json', throughputJson],
    markdown: true,
    title: 'Training throughput',
  },
  {
    name: 'peak',
    script: 'peak.mjs',
    args: ['--throughput', throughputJson],
    markdown: true,
    title: 'The limit: kernel GFLOP/s on one and two threads, and the fraction of it each runner reaches',
  },
  {
    name: 'intra-op',
    script: 'intra-op-probe.mjs',
    markdown: true,
    title: 'Intra-op threading: each big kernel split over two threads',
  },
  {
    name: 'data-parallel',
    script: 'throughput/data-parallel.mjs',
    args: ['--batch', '64,128,256', '--rounds', '2'],
    title: 'fitParallel against one thread, and the ceiling of two independent trainings',
  },
  {
    name: 'optimizer-step',
    script: 'optimizer-step.mjs',
    title: 'One Adam step: WASM SIMD, native, PyTorch',
  },
  {
    name: 'profile',
    script: 'step-profile.mjs',
    markdown: true,
    title: 'Per-op profile of one training step',
  },
  { name: 'fast-paths', script: 'fast-paths.mjs', markdown: true, title: 'What each fast path gains' },
  {
    name: 'matmul',
    script: 'matmul-layouts.mjs',
    markdown: true,
    title: 'WASM BatchMatMul by route (SIMD tiles, XNNPACK packing every call, XNNPACK packed once)',
  },
  {
    name: 'mnist-minute',
    script: 'mnist-minute.mjs',
    title: 'MNIST in a minute (the shipped 10k digits)',
    optional: true,
  },
  {
    name: 'mnist-official',
    script: 'mnist-official.mjs',
    markdown: true,
    title: 'The official MNIST and Fashion-MNIST splits against PyTorch',
    optional: true,
  },
  {
    name: 'small-nets',
    script: 'small-nets.mjs',
    markdown: true,
    title: "The course's small networks: ms per step against PyTorch",
  },
  {
    name: 'dosage-seeds',
    script: 'dosage-seeds.mjs',
    markdown: true,
    title: 'How often the dosage net fits',
  },
  { name: 'shap', script: 'shap/kernel.mjs', title: 'SHAP KernelExplainer' },
  { name: 'scalers', script: 'scalers-transform.mjs', title: 'Scalers transform' },
  { name: 'conv-kernels', script: 'conv-kernels.mjs', title: 'WASM training kernels' },
  { name: 'pool-kernels', script: 'pool-kernels.mjs', title: 'WASM pooling kernels', optional: true },
  {
    name: 'simd-grads',
    script: 'throughput/pool-conv-grad.mjs',
    title: 'WASM SIMD filter and max-pool gradients against the previous paths',
  },
  {
    name: 'channels-last',
    script: 'throughput/channels-last.mjs',
    title: 'CNN channels-last path against the per-layer NCHW path',
  },
  {
    name: 'cpu-kernels',
    script: 'throughput/cpu-kernels.mjs',
    markdown: true,
    title: "descent's cpu-backend kernels against tfjs's",
  },
  {
    name: 'wasm-flags',
    script: 'throughput/wasm-flags.mjs',
    markdown: true,
    title: 'WASM matrix-product tiles and shared Identity, on and off',
  },
].filter((b) => only.length === 0 || only.includes(b.name));

const needed = ['tensor', 'layers', 'losses', 'optim', 'datasets', 'cnn', 'train', 'scalers', 'shap'];
const unbuilt = needed.filter((p) => !existsSync(join(root, 'packages', p, 'dist')));
if (unbuilt.length) {
  console.warn(
    `bench: packages not built (${unbuilt.join(', ')}): run \`pnpm build\` first; the benchmarks that need them will fail.`,
  );
}

function version(pkg) {
  for (const base of [join(here, 'node_modules'), join(root, 'node_modules')]) {
    const file = join(base, pkg, 'package.json');
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')).version;
  }
  return 'not installed';
}

function torchVersion() {
  for (const exe of [process.env.PYTHON, '/usr/bin/python3', 'python3'].filter(Boolean)) {
    const r = spawnSync(exe, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
    if (r.status === 0) return `${r.stdout.trim()} (${exe})`;
  }
  return 'not importable';
}

function gitCommit() {
  const r = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) return 'unknown';
  const dirty = spawnSync('git', ['status', '--porcelain'], { cwd: root, encoding: 'utf8' }).stdout.trim();
  return `${r.stdout.trim()}${dirty ? ' + uncommitted changes' : ''}`;
}

/** Runs one script, echoing its output live, and resolves with what it printed and how it ended. */
function runBench(bench) {
  return new Promise((resolve) => {
    const started = performance.now();
    const loadBefore = os.loadavg()[0];
    const child = spawn(process.execPath, [join(here, bench.script), ...(bench.args ?? [])], {
      cwd: root,
      env: unpinnedOpenBlas(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
      process.stdout.write(d);
    });
    child.stderr.on('data', (d) => {
      stderr += d;
      process.stderr.write(d);
    });
    child.on('error', (error) => {
      stderr += String(error);
    });
    child.on('close', (code, signal) => {
      resolve({
        ...bench,
        code,
        signal,
        stdout,
        stderr,
        seconds: (performance.now() - started) / 1000,
        loadBefore,
        loadAfter: os.loadavg()[0],
      });
    });
  });
}

const cpus = os.cpus();
const machine = {
  date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  cores: cpus.length,
  cpu: cpus[0]?.model ?? 'unknown',
  memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
  os: `${os.type()} ${os.release()} ${os.arch()}`,
  node: process.versions.node,
  tfjs: ['tfjs-core', 'tfjs-backend-wasm', 'tfjs-backend-cpu', 'tfjs-layers']
    .map((p) => `${p} ${version(`@tensorflow/${p}`)}`)
    .join(', '),
  torch: torchVersion(),
  commit: gitCommit(),
  load: os.loadavg(),
};
console.log(
  `bench: ${machine.cores} × ${machine.cpu}, Node ${machine.node}; ${machine.tfjs}; torch ${machine.torch}`,
);

const results = [];
for (const bench of benches) {
  if (!existsSync(join(here, bench.script))) {
    results.push({ ...bench, missing: true });
    if (!bench.optional) console.error(`bench: ${bench.script} is missing`);
    continue;
  }
  console.log(`\n=== ${bench.title} (bench/${bench.script}) ===`);
  results.push(await runBench(bench));
}

const status = (r) =>
  r.missing
    ? 'not present'
    : r.code === 0
      ? `ok, ${r.seconds.toFixed(0)} s`
      : `**failed** (${r.signal ?? `exit ${r.code}`}) after ${r.seconds.toFixed(0)} s`;
const loadEnd = os.loadavg();
const lines = [
  '',
  `## \`pnpm bench\`, ${machine.date}`,
  '',
  `- Machine: ${machine.cores} cores, ${machine.cpu}, ${machine.memory}, ${machine.os}`,
  `- Node ${machine.node}; ${machine.tfjs}; PyTorch ${machine.torch}; descent at ${machine.commit}`,
  ...(process.env.OPENBLAS_CORETYPE
    ? [
        `- The environment's OPENBLAS_CORETYPE=${process.env.OPENBLAS_CORETYPE} was lifted for every script, so OpenBLAS picked its kernels for the CPU (PyTorch's AVX-512 configurations set their own).`,
      ]
    : []),
  `- Load average (1/5/15 min) ${machine.load.map((l) => l.toFixed(1)).join(' / ')} at the start, ` +
    `${loadEnd.map((l) => l.toFixed(1)).join(' / ')} at the end` +
    (Math.max(machine.load[0], loadEnd[0]) > machine.cores / 2
      ? ': other jobs shared the machine, so wall times are inflated; CPU-time figures are the steadier ones.'
      : '.'),
  '',
  '| benchmark | script | result |',
  '| --- | --- | --- |',
  ...results.map((r) => `| ${r.title} | \`bench/${r.script}\` | ${status(r)} |`),
];
for (const r of results) {
  if (r.missing) continue;
  lines.push('', `### ${r.title}`, '');
  if (r.code !== 0) {
    const tail = r.stderr.trim().split('\n').slice(-15).join('\n');
    lines.push(
      `Failed (${r.signal ?? `exit ${r.code}`}). Last lines of its error output:`,
      '',
      '```text',
      tail || '(none)',
      '```',
    );
  }
  const out = r.stdout.trim();
  if (!out) continue;
  if (r.markdown) lines.push(out);
  else lines.push('```text', out, '```');
}
const section = `${lines.join('\n')}\n`;
if (record) {
  appendFileSync(join(here, 'RESULTS.md'), section);
  console.log(
    `\nbench: appended a section to bench/RESULTS.md (${results.filter((r) => !r.missing && r.code !== 0).length} failed)`,
  );
} else {
  console.log(section);
}
process.exitCode = results.some((r) => !r.missing && r.code !== 0) ? 1 : 0;
