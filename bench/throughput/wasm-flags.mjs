// What the WASM matrix product's SIMD tiles and the shared Identity gain in descent's training
// step: `Learner.fit` on the MLP and the CNN of training-throughput.mjs, each setting in its own
// process (run-case.mjs with DESCENT_TF_FLAGS), settings interleaved round by round so that load
// on the machine falls on all of them alike.
//
//   pnpm build && node bench/throughput/wasm-flags.mjs [--rounds 3] [--samples 8192]
//
// Each run: median samples/s over 5 epochs after a warm-up; each cell: the median over rounds.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const ROUNDS = Number(option('rounds', 3));
const SAMPLES = option('samples', '8192');

const settings = [
  ['neither', { DESCENT_WASM_SIMD_MATMUL: false, DESCENT_WASM_SHARED_IDENTITY: false }],
  ['tiles only', { DESCENT_WASM_SHARED_IDENTITY: false }],
  ['shared Identity only', { DESCENT_WASM_SIMD_MATMUL: false }],
  ['both (the default)', {}],
];
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function run(model, flags) {
  const child = spawnSync(
    process.execPath,
    [join(here, 'run-case.mjs'), 'descent', 'wasm', model, SAMPLES, '6'],
    { encoding: 'utf8', env: { ...process.env, DESCENT_TF_FLAGS: JSON.stringify(flags) } },
  );
  const r = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}');
  if (r.error || !r.wall) throw new Error(`${model} ${JSON.stringify(flags)}: ${r.error ?? child.stderr}`);
  return { wall: r.samples / median(r.wall.slice(1)), cpu: r.samples / median(r.cpu.slice(1)) };
}

const lines = [
  `descent \`Learner.fit\`, wasm, batch 64, Adam, ${SAMPLES} MNIST samples per epoch; samples/s (wall, and by CPU time), median over ${ROUNDS} rounds of one process per setting.`,
  '',
  `| model | ${settings.map(([label]) => label).join(' | ')} | both / neither |`,
  `| --- | ${settings.map(() => '---').join(' | ')} | --- |`,
];
for (const model of ['mlp', 'cnn']) {
  const results = settings.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    settings.forEach(([label, flags], i) => {
      process.stderr.write(`wasm-flags: ${model} ${label} round ${round + 1} ... `);
      results[i].push(run(model, flags));
      process.stderr.write(`${Math.round(results[i].at(-1).wall)} samples/s\n`);
    });
  }
  const cells = results.map((rs) => ({
    wall: median(rs.map((r) => r.wall)),
    cpu: median(rs.map((r) => r.cpu)),
  }));
  const fmt = (x) => Math.round(x).toLocaleString('en');
  lines.push(
    `| ${model.toUpperCase()} | ${cells.map((c) => `${fmt(c.wall)} (CPU ${fmt(c.cpu)})`).join(' | ')} | ${(cells[3].wall / cells[0].wall).toFixed(2)}× (CPU ${(cells[3].cpu / cells[0].cpu).toFixed(2)}×) |`,
  );
}
console.log(lines.join('\n'));
