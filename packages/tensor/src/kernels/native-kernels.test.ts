import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { normals, onBackend, printParityLog, relativeError, valuesOn, wasmVsCpu } from '../../test/parity';
import { Generator, tf } from '../index';
import {
  NATIVE_KERNELS_FLAG,
  type NativeAddon,
  nativeAddon,
  nativeHeap,
  nativeKernelInfo,
} from './native-kernels';

const built = existsSync(fileURLToPath(new URL('../../native/build/descent-native.node', import.meta.url)));
const distIndex = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
const native = built && nativeKernelInfo().active;

afterAll(() => printParityLog('native kernels'));
afterEach(() => tf.env().set(NATIVE_KERNELS_FLAG, true));

/** Counts the addon's calls by name while `fn` runs (the addon taken while the flag is on). */
const loadedAddon = nativeAddon() as (NativeAddon & Record<string, unknown>) | undefined;
function countCalls(fn: () => void): Record<string, number> {
  const addon = loadedAddon;
  if (addon == null) throw new Error('countCalls: expected the addon loaded, found none');
  const counts: Record<string, number> = {};
  const names = ['gemm', 'conv2d', 'conv2dBackpropInput', 'conv2dBackpropFilter'] as const;
  const originals = names.map((name) => addon[name]);
  names.forEach((name, i) => {
    addon[name] = (...args: Parameters<NativeAddon['gemm']>) => {
      counts[name] = (counts[name] ?? 0) + 1;
      return originals[i](...args);
    };
  });
  try {
    fn();
  } finally {
    names.forEach((name, i) => {
      addon[name] = originals[i];
    });
  }
  return counts;
}

const conv = (x: tf.Tensor, f: tf.Tensor, strides: number, pad: 'same' | 'valid' | number, dilation = 1) =>
  tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, strides, pad, 'NHWC', dilation);

describe('the native kernels (oneDNN or OpenBLAS on the WASM heap)', () => {
  it.runIf(built && process.platform === 'linux')(
    'load where pnpm build compiled them, and name their library',
    () => {
      const info = nativeKernelInfo();
      expect(info.reason).toBeUndefined();
      expect(info).toMatchObject({ active: true, threads: expect.any(Number) });
      expect(info.library).toMatch(/^(oneDNN|OpenBLAS) \d/);
    },
  );

  it('report themselves off when the flag is off, and the products still run', async () => {
    tf.env().set(NATIVE_KERNELS_FLAG, false);
    expect(nativeKernelInfo()).toEqual({ active: false, reason: `off (${NATIVE_KERNELS_FLAG} is false)` });
    const error = await wasmVsCpu('flag off: 9x4 @ 4x6', () => [
      tf.matMul(tf.tensor(normals([9, 4], 1), [9, 4]), tf.tensor(normals([4, 6], 2), [4, 6])),
    ]);
    expect(error).toBeLessThan(1e-6);
  });

  it.runIf(native)(
    'run matMul, conv2d and both of its gradients, and nothing when the flag is off',
    async () => {
      await onBackend('wasm', () => {
        const x = tf.tensor(normals([2, 6, 6, 8], 3), [2, 6, 6, 8]);
        const f = tf.tensor(normals([3, 3, 8, 4], 4), [3, 3, 8, 4]);
        const step = () =>
          tf.tidy(() => {
            tf.matMul(tf.reshape(x, [12, 48]), tf.reshape(f, [48, 6]));
            tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(conv(a, b, 1, 'same')))([x, f]);
          });
        expect(countCalls(step)).toEqual({
          gemm: 1,
          conv2d: 1,
          conv2dBackpropInput: 1,
          conv2dBackpropFilter: 1,
        });
        tf.env().set(NATIVE_KERNELS_FLAG, false);
        expect(countCalls(step)).toEqual({});
        tf.dispose([x, f]);
      });
    },
  );

  type Shape4 = [number, number, number, number];
  const geometries: [string, Shape4, Shape4, number, 'same' | 'valid' | number, number][] = [
    ['3x3 same, 8→16', [4, 14, 14, 8], [3, 3, 8, 16], 1, 'same', 1],
    ['5x5 valid, stride 2, 3→5', [3, 11, 13, 3], [5, 5, 3, 5], 2, 'valid', 1],
    ['3x3, pad 2, dilation 2, 1→7', [2, 9, 8, 1], [3, 3, 1, 7], 1, 2, 2],
    ['1x1, stride 3, 6→2', [5, 7, 7, 6], [1, 1, 6, 2], 3, 'valid', 1],
    // The stride leaves the last row and column unread: oneDNN is given no right padding.
    ['5x5 valid, stride 2, last row unread, 2→3', [2, 12, 12, 2], [5, 5, 2, 3], 2, 'valid', 1],
  ];
  for (const [label, xShape, fShape, stride, pad, dilation] of geometries) {
    it(`conv2d, bias and ReLU, and both gradients match the cpu backend: ${label}`, async () => {
      const xs = normals(xShape, 10);
      const fs = normals(fShape, 11);
      const bs = normals([fShape[3]], 12);
      const forward = await wasmVsCpu(`fused conv2d ${label}`, () => [
        tf.fused.conv2d({
          x: tf.tensor(xs, xShape) as tf.Tensor4D,
          filter: tf.tensor(fs, fShape) as tf.Tensor4D,
          strides: stride,
          pad,
          dilations: dilation,
          bias: tf.tensor(bs, [fShape[3]]),
          activation: 'relu',
        }),
      ]);
      expect(forward).toBeLessThan(1e-5);
      // tfjs's conv2d gradient supports dilation 1 only.
      if (dilation !== 1) return;
      const backward = await wasmVsCpu(`conv2d gradients ${label}`, () =>
        tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.mul(conv(a, b, stride, pad), conv(a, b, stride, pad))),
        )([tf.tensor(xs, xShape), tf.tensor(fs, fShape)]),
      );
      expect(backward).toBeLessThan(1e-5);
    });
  }

  it('matMul with batches, broadcasts and each transpose matches the cpu backend', async () => {
    for (const [ta, tb] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      const a = normals([3, 17, 9], 20);
      const b = normals([1, 9, 5], 21);
      const error = await wasmVsCpu(`[3,17,9] @ [1,9,5] tA ${ta} tB ${tb}`, () => {
        const left = tf.tensor(a, ta ? [3, 9, 17] : [3, 17, 9]);
        const right = tf.tensor(b, tb ? [1, 5, 9] : [1, 9, 5]);
        return [tf.matMul(left, right, ta, tb)];
      });
      expect(error).toBeLessThan(1e-6);
    }
  });

  it.runIf(native)('refuse offsets outside the heap with a RangeError, writing nothing', async () => {
    await onBackend('wasm', () => {
      const heap = nativeHeap(tf.backend());
      expect(heap).toBeDefined();
      if (heap == null) return;
      const bytes = heap.buffer().byteLength;
      expect(() => heap.addon.gemm(heap.buffer(), 0, 0, 4, 4, 4, 0, 0, bytes - 32)).toThrow(RangeError);
      expect(() => heap.addon.gemm(heap.buffer(), 0, 0, 4, 4, 4, 2, 0, 0)).toThrow(/outside the heap/);
      expect(() => heap.addon.gemm(heap.buffer(), 0, 0, 4, 4)).toThrow(/argument count/);
      // 2^62 · 4 floats wraps to 0 in 64-bit arithmetic; the size must be refused, not wrapped.
      expect(() => heap.addon.gemm(heap.buffer(), 0, 0, 2 ** 62, 4, 4, 0, 0, 0)).toThrow(RangeError);
      const huge = [2 ** 31, 2 ** 31, 2 ** 31, 2 ** 31, 1, 1, 4, 3, 3, 1, 1, 1, 1, 0, 0];
      expect(() => heap.addon.conv2dBackpropFilter(heap.buffer(), 0, 0, 0, ...huge)).toThrow(RangeError);
      expect(() => heap.addon.gemm(heap.buffer(), 0, 0, -4, 4, 4, 0, 0, 0)).toThrow(/non-negative/);
    });
  });

  it('leave no tensor or heap block behind', async () => {
    await onBackend('wasm', () => {
      const backend = tf.backend() as unknown as { numDataIds(): number };
      const run = () =>
        tf.tidy(() => {
          const x = tf.tensor(normals([2, 8, 8, 2], 30), [2, 8, 8, 2]);
          const f = tf.tensor(normals([3, 3, 2, 4], 31), [3, 3, 2, 4]);
          tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(conv(a, b, 2, 'same')))([x, f]);
          tf.matMul(tf.reshape(x, [16, 16]), tf.reshape(x, [16, 16]), true, false);
        });
      run();
      const tensors = tf.memory().numTensors;
      const blocks = backend.numDataIds();
      for (let i = 0; i < 3; i++) run();
      expect(tf.memory().numTensors).toBe(tensors);
      expect(backend.numDataIds()).toBe(blocks);
    });
  });

  // The library is chosen once per process, so the other one is checked in a child process.
  it.runIf(native && existsSync(distIndex))(
    'give the same numbers through each library and convolution route (in child processes)',
    async () => {
      const script = `
      const t = await import(${JSON.stringify(distIndex)});
      await t.initBackend({ backend: 'wasm' });
      const { tf } = t;
      const normal = (n, seed) => { const g = new t.Generator(seed); return Array.from({ length: n }, () => g.normal()); };
      const x = tf.tensor(normal(2 * 9 * 9 * 8, 40), [2, 9, 9, 8]);
      const f = tf.tensor(normal(3 * 3 * 8 * 5, 41), [3, 3, 8, 5]);
      const [dx, df] = tf.grads((a, b) => tf.sum(tf.square(tf.conv2d(a, b, 2, 'same'))))([x, f]);
      const p = tf.matMul(tf.reshape(x, [18, 72]), tf.reshape(x, [18, 72]), false, true);
      console.log(JSON.stringify({ library: t.nativeKernelInfo().library, values: [dx, df, p].map((v) => Array.from(v.dataSync())) }));`;
      const run = (library: string, conv = '', more: Record<string, string> = {}) =>
        JSON.parse(
          execFileSync(process.execPath, ['--input-type=module', '-e', script], {
            encoding: 'utf8',
            env: { ...process.env, DESCENT_NATIVE_BLAS: library, DESCENT_NATIVE_CONV: conv, ...more },
          })
            .trim()
            .split('\n')
            .at(-1) ?? '{}',
        ) as { library: string; values: number[][] };
      const openblas = run('openblas');
      const onednn = run('onednn');
      // oneDNN's sgemm with patch matrices, the route for geometries its primitives refuse.
      const patches = run('onednn', 'gemm');
      // Both libraries, OpenBLAS on its AVX-512 kernels (where the CPU has them): OpenBLAS takes
      // the products, oneDNN the convolutions.
      const avx512 =
        existsSync('/proc/cpuinfo') && readFileSync('/proc/cpuinfo', 'utf8').includes(' avx512f');
      const both = avx512 ? run('', '', { OPENBLAS_CORETYPE: 'SkylakeX' }) : undefined;
      if (both)
        expect(both.library).toMatch(
          /^OpenBLAS .*SkylakeX.*; convolutions: (oneDNN primitives|patches \+ sgemm)$/,
        );
      expect(openblas.library).toMatch(/^OpenBLAS .*; convolutions: patches \+ sgemm$/);
      expect(patches.library).toMatch(/^oneDNN .*; convolutions: patches \+ sgemm$/);
      // CI installs oneDNN's headers (libdnnl-dev), so there the primitives must be built in.
      if (process.env.DESCENT_REQUIRE_NATIVE === '1')
        expect(onednn.library).toMatch(/^oneDNN .*; convolutions: oneDNN primitives$/);
      else expect(onednn.library).toMatch(/^oneDNN/);
      const reference = await valuesOn('cpu', () => {
        const normal = (n: number, seed: number) => {
          const g = new Generator(seed);
          return Array.from({ length: n }, () => g.normal());
        };
        const x = tf.tensor(normal(2 * 9 * 9 * 8, 40), [2, 9, 9, 8]);
        const f = tf.tensor(normal(3 * 3 * 8 * 5, 41), [3, 3, 8, 5]);
        const [dx, df] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(conv(a, b, 2, 'same'))))([
          x,
          f,
        ]);
        return [dx, df, tf.matMul(tf.reshape(x, [18, 72]), tf.reshape(x, [18, 72]), false, true)];
      });
      for (const { values } of [openblas, onednn, patches, ...(both ? [both] : [])])
        for (const [i, v] of values.entries()) expect(relativeError(v, reference[i])).toBeLessThan(1e-5);
    },
  );
  // oneDNN's AVX2 and AVX-512 sgemm corrupts the heap when a signal comes mid-call (oneDNN issue
  // #4845; gemm.c): under node --cpu-prof, whose sampler signals the thread constantly, a few
  // hundred products aborted the process every time. The addon holds signals back during each
  // call into oneDNN.
  it.runIf(native && existsSync(distIndex))(
    "survive a sampling profiler's signals during products and convolutions (node --cpu-prof)",
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'descent-cpu-prof-'));
      const script = `
      const t = await import(${JSON.stringify(distIndex)});
      await t.initBackend({ backend: 'wasm' });
      const { tf } = t;
      const g = new t.Generator(5);
      const x = t.randn([64, 784], g), w = t.randn([784, 128], g);
      const images = t.randn([16, 14, 14, 8], g), filter = t.randn([3, 3, 8, 16], g);
      for (let i = 0; i < 400; i++)
        tf.tidy(() => {
          tf.grads((a, b) => tf.sum(tf.matMul(a, b)))([x, w]);
          tf.grads((a, b) => tf.sum(tf.conv2d(a, b, 1, 'same')))([images, filter]);
        });
      console.log(JSON.stringify(t.nativeKernelInfo()));`;
      try {
        const out = execFileSync(
          process.execPath,
          ['--cpu-prof', '--cpu-prof-dir', dir, '--input-type=module', '-e', script],
          { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
        );
        expect(JSON.parse(out.trim().split('\n').at(-1) ?? '{}')).toMatchObject({ active: true });
        expect(readdirSync(dir).some((f) => f.endsWith('.cpuprofile'))).toBe(true);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    60_000,
  );
  // Each thread keeps its oneDNN primitives and its patch matrix between calls; a Node-API cleanup
  // hook frees them when its environment shuts down, as fitParallel's workers do after each fit.
  // A pthread key's destructor did it first, and crashed the process: Node unloads a worker's
  // addon before the thread ends, here where the main thread never loaded it.
  it.runIf(native && existsSync(distIndex))(
    "free a worker thread's primitives and patch matrix when it exits, and keep working",
    () => {
      const worker = `
      const t = await import(${JSON.stringify(distIndex)});
      await t.initBackend({ backend: 'wasm' });
      const g = new t.Generator(3);
      const { tf } = t;
      const y = tf.grads((a, b) => tf.sum(tf.conv2d(a, b, 1, 'same')))([t.randn([4, 9, 9, 8], g), t.randn([3, 3, 8, 5], g)]);
      process.exitCode = y.every((v) => v.dataSync().every(Number.isFinite)) ? 0 : 3;`;
      const script = `
      const { Worker } = await import('node:worker_threads');
      for (let i = 0; i < 4; i++) {
        const code = await new Promise((done, fail) => {
          const w = new Worker(${JSON.stringify(worker)}, { eval: true, type: 'module' });
          w.on('error', fail);
          w.on('exit', done);
        });
        if (code !== 0) throw new Error('worker exited with ' + code);
      }
      console.log('ok');`;
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
      expect(out.trim().split('\n').at(-1)).toBe('ok');
    },
    60_000,
  );
});
