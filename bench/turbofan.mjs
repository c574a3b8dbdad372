// Kernel timings that must see TurboFan's code. V8 compiles WebAssembly first with its baseline
// compiler (Liftoff) and moves a function up to TurboFan once it has run enough ("dynamic
// tiering"). A kernel timed for a few dozen calls can stay in baseline code the whole time:
// XNNPACK's 3×3 convolution of 64 images, 14×14, 16 → 32 channels, ran at 13-15 GFLOP/s so in
// peak.mjs's worker and at 33-35 GFLOP/s with TurboFan, and a one-line change to the timing
// function moved it from one to the other. A whole training run is not affected: its hot kernels
// tier up early (throughput/run-case.mjs gave the same samples/s with the flag and without).
import { spawnSync } from 'node:child_process';

const FLAG = '--no-wasm-dynamic-tiering';

/**
 * Runs this script again in a node with dynamic tiering off (all WebAssembly compiled by TurboFan
 * up front) and exits with its status, unless this node already runs so. V8's flags are per
 * process, so worker threads started later get them too. Call it on the main thread, first.
 */
export function rerunWithTurboFan() {
  if (process.execArgv.includes(FLAG)) return;
  const args = [FLAG, ...process.execArgv, process.argv[1], ...process.argv.slice(2)];
  const run = spawnSync(process.execPath, args, { stdio: 'inherit' });
  process.exit(run.status ?? 1);
}
