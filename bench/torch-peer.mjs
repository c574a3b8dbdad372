// PyTorch as its users would configure it, at its best on this machine.
//
// Debian's torch 1.13 links OpenBLAS, whose own thread pool sits beside torch's OpenMP pool: with
// torch.set_num_threads(2) on two cores the two pools oversubscribe them (issue 22 measured an MLP
// at 11.6k samples/s so, against 40k on one thread). A fair peer is therefore the best of the
// configurations a user could pick, each in several fresh processes (the same configuration
// varies from process to process), and every table says which configuration won. Four of them
// also keep glibc's malloc from returning freed memory to the system, and two of those give
// OpenBLAS its AVX-512 kernels (both below).
import { spawnSync } from 'node:child_process';

// glibc's malloc gives each allocation above 128 KB its own mmap and unmaps it on free, so every
// activation and gradient tensor of every batch lands on fresh pages, and each page's first touch
// faults. On this VM a fault costs about 12 µs: in bench/torch_peak.py a 3×3 convolution of 64
// images, 14×14, 16 → 32 channels, took 11.4 ms as shipped and 0.76 ms with these two settings,
// which keep freed memory for reuse. PyTorch's CPU performance guide advises a caching allocator
// (jemalloc, tcmalloc) for the same reason; glibc's own thresholds need nothing installed.
export const KEEP_FREED_MEMORY = {
  MALLOC_MMAP_THRESHOLD_: String(64 << 20),
  MALLOC_TRIM_THRESHOLD_: String(256 << 20),
};

// This machine's environment pins OpenBLAS to its AVX2 kernels (OPENBLAS_CORETYPE=Haswell);
// unpinned it picks AVX-512 ones, about twice as fast in sgemm here. torch's products go through
// OpenBLAS (its convolutions through oneDNN), so a user who knew would lift the pin.
export const AVX512_OPENBLAS = { OPENBLAS_CORETYPE: 'SkylakeX' };

/**
 * `env` without that pin, so that OpenBLAS picks its kernels for the CPU, as on a machine whose
 * environment does not pin them. descent's processes run so (its native products take OpenBLAS
 * where OpenBLAS runs AVX-512 kernels, else oneDNN's sgemm), as PyTorch's AVX-512 configurations
 * do, and `pnpm bench` (run-all.mjs) runs every script so, PyTorch's configurations included.
 */
export function unpinnedOpenBlas(env = process.env) {
  const { OPENBLAS_CORETYPE: _pin, ...rest } = env;
  return rest;
}

export const TORCH_CONFIGS = [
  { id: '1t', text: '1 thread', threads: 1, env: {} },
  {
    id: '2t-blas1',
    text: '2 threads, OPENBLAS_NUM_THREADS=1',
    threads: 2,
    env: { OPENBLAS_NUM_THREADS: '1' },
  },
  { id: '2t', text: '2 threads as shipped', threads: 2, env: {} },
  { id: '1t-keep', text: '1 thread, malloc keeps freed memory', threads: 1, env: KEEP_FREED_MEMORY },
  {
    id: '2t-blas1-keep',
    text: '2 threads, OPENBLAS_NUM_THREADS=1, malloc keeps freed memory',
    threads: 2,
    env: { OPENBLAS_NUM_THREADS: '1', ...KEEP_FREED_MEMORY },
  },
  {
    id: '1t-keep-avx512',
    text: '1 thread, malloc keeps freed memory, AVX-512 OpenBLAS',
    threads: 1,
    env: { ...KEEP_FREED_MEMORY, ...AVX512_OPENBLAS },
  },
  {
    id: '2t-blas1-keep-avx512',
    text: '2 threads, OPENBLAS_NUM_THREADS=1, malloc keeps freed memory, AVX-512 OpenBLAS',
    threads: 2,
    env: { OPENBLAS_NUM_THREADS: '1', ...KEEP_FREED_MEMORY, ...AVX512_OPENBLAS },
  },
];

/** Where python with torch lives: $PYTHON, Debian's interpreter, then the first python3 on PATH. */
export function torchPython() {
  for (const exe of [process.env.PYTHON, '/usr/bin/python3', 'python3'].filter(Boolean)) {
    const r = spawnSync(exe, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
    if (r.status === 0) return { exe, version: r.stdout.trim() };
  }
  return undefined;
}

/**
 * Runs a torch script once under one configuration. The scripts read TORCH_THREADS (and leave
 * OPENBLAS_NUM_THREADS to the environment given here). Returns the JSON of its last stdout line,
 * or { error }.
 */
export function runTorch(python, args, config, input) {
  const r = spawnSync(python.exe, args, {
    encoding: 'utf8',
    input,
    maxBuffer: 1 << 24,
    env: { ...process.env, ...config.env, TORCH_THREADS: String(config.threads) },
  });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line);
  } catch {
    return { error: `exit ${r.status}: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ')}` };
  }
}

/**
 * The best of every configuration × `processes` runs. `score` maps a result to a number where
 * higher is better (samples/s, or minus the seconds). Returns the best result, its
 * configuration, and each configuration's scores for the record.
 */
export function fairTorch(
  runOnce,
  score,
  { processes = 3, configs = TORCH_CONFIGS, log = () => {}, beforeRound = () => {} } = {},
) {
  const tried = configs.map((config) => ({ config, results: [] }));
  // Interleaved, so that a slow spell of the machine does not fall on one configuration only;
  // `beforeRound(p)` runs the other side's process p, so that it shares the round's spell.
  for (let p = 0; p < processes; p++) {
    beforeRound(p);
    for (const t of tried) {
      const result = runOnce(t.config);
      t.results.push(result);
      log(t.config, result);
    }
  }
  let best;
  for (const t of tried) {
    for (const result of t.results) {
      if (result.error || result.skipped) continue;
      if (!best || score(result) > score(best.result)) best = { result, config: t.config };
    }
  }
  return { best: best?.result, config: best?.config, tried };
}

/** "1 thread: 40.1k, 39.8k; 2 threads, OPENBLAS_NUM_THREADS=1: …" for a results line. */
export function triedText(tried, show) {
  return tried
    .map((t) => `${t.config.text}: ${t.results.map((r) => (r.error ? 'failed' : show(r))).join(', ')}`)
    .join('; ');
}
