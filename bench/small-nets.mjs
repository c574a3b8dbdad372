// The course's small networks, milliseconds per optimizer step: descent (Learner.fit, as
// `descent train` runs it) on WASM and on tfjs's cpu backend against PyTorch 1.13 at its best
// (each of bench/torch-peer.mjs's three thread configurations is a peer; the table keeps the
// fastest per network and names it), on the same rows and recipes (bench/small/cases.mjs): the 1-2-1 softplus dosage net
// (3,000 full-batch Adam steps), the penguin MLP 7-32-16-1 (50 epochs of batch 32) and a
// 2-16-16-1 moons MLP (100 epochs of batch 32).
//
//   pnpm build && node bench/small-nets.mjs [--rounds 5]
//   node bench/small-nets.mjs --crossover      where the host path (tensor's fusedMlp via layers' compile) stops paying
//
// Each round runs each peer once in its own process, in a rotating order; each process trains
// every case once as a warm-up and once timed. Figures are medians over the rounds.
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { smallCases } from './small/cases.mjs';
import { TORCH_CONFIGS, torchPython } from './torch-peer.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

if (args.includes('--crossover')) {
  const r = spawnSync(process.execPath, [join(here, 'small/crossover.mjs')], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const ROUNDS = Number(option('rounds', 5));
const cases = smallCases();
const torch = torchPython();

const peers = [
  { name: 'descent wasm', cmd: [process.execPath, join(here, 'small/run-descent.mjs'), '--backend', 'wasm'] },
  { name: 'descent cpu', cmd: [process.execPath, join(here, 'small/run-descent.mjs'), '--backend', 'cpu'] },
];
const torchPeers = torch
  ? TORCH_CONFIGS.map((config) => ({
      name: `PyTorch ${config.text}`,
      cmd: [torch.exe, join(here, 'small/torch_small.py')],
      env: { ...process.env, ...config.env, TORCH_THREADS: String(config.threads) },
      stdin: true,
    }))
  : [];
peers.push(...torchPeers);

const times = new Map(peers.map((p) => [p.name, cases.map(() => [])]));
const losses = new Map(peers.map((p) => [p.name, cases.map(() => [])]));
const loads = [];
for (let round = 0; round < ROUNDS; round++) {
  for (let k = 0; k < peers.length; k++) {
    const peer = peers[(round + k) % peers.length];
    const [exe, ...rest] = peer.cmd;
    const r = spawnSync(exe, rest, {
      encoding: 'utf8',
      input: peer.stdin ? JSON.stringify(cases) : undefined,
      env: peer.env ?? process.env,
      maxBuffer: 1 << 24,
    });
    if (r.status !== 0) throw new Error(`${peer.name} failed:\n${r.stderr}`);
    const line = r.stdout.trim().split('\n').pop();
    JSON.parse(line).results.forEach((res, i) => {
      times.get(peer.name)[i].push(res.msPerStep);
      losses.get(peer.name)[i].push(res.loss);
    });
  }
  loads.push(loadavg()[0]);
  process.stderr.write(`round ${round + 1}/${ROUNDS} done\n`);
}

const fmt = (v) => v.toFixed(3);
console.log(`Machine: ${cpus()[0]?.model.trim()}, ${cpus().length} cores; Node ${process.version}.`);
console.log(
  `${ROUNDS} rounds; 1-minute load average after each: ${loads.map((l) => l.toFixed(2)).join(', ')}.`,
);
console.log('');
const head = ['network', 'steps', ...peers.map((p) => `${p.name} ms/step (median)`)];
if (torch) head.push('PyTorch, fastest configuration', 'wasm / PyTorch', 'cpu / PyTorch');
console.log(`| ${head.join(' | ')} |`);
console.log(`| ${head.map(() => '---').join(' | ')} |`);
cases.forEach((c, i) => {
  const m = peers.map((p) => median(times.get(p.name)[i]));
  const row = [c.name, String(Math.ceil(c.rows / c.batch) * c.epochs), ...m.map(fmt)];
  if (torch) {
    // The fair peer: the fastest PyTorch configuration for this network.
    const k = m.slice(2).indexOf(Math.min(...m.slice(2))) + 2;
    row.push(
      peers[k].name.replace('PyTorch ', ''),
      `${(m[0] / m[k]).toFixed(2)}×`,
      `${(m[1] / m[k]).toFixed(2)}×`,
    );
  }
  console.log(`| ${row.join(' | ')} |`);
});
console.log('');
console.log('Final training loss (median over rounds; the same rows, different initial weights):');
cases.forEach((c, i) => {
  console.log(
    `- ${c.name}: ${peers.map((p) => `${p.name} ${median(losses.get(p.name)[i]).toPrecision(3)}`).join(', ')}`,
  );
});
