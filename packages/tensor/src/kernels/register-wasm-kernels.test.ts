import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tf } from '../index';
import { registerWasmTrainingKernels, wasmTrainingKernels } from './register-wasm-kernels';

const names = [
  'Conv2DBackpropFilter',
  'DepthwiseConv2dNativeBackpropFilter',
  'DepthwiseConv2dNativeBackpropInput',
  'UnsortedSegmentSum',
];
const packageRoot = fileURLToPath(new URL('../..', import.meta.url));
const dist = (file: string) => fileURLToPath(new URL(`../../dist/${file}`, import.meta.url));

/** Loads a build in a fresh Node process and lists which of the kernels the wasm backend then has. */
function registeredIn(script: string, type: 'module' | 'commonjs'): string[] {
  const out = execFileSync(process.execPath, [`--input-type=${type}`, '-e', script], {
    cwd: packageRoot,
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').at(-1) ?? '[]');
}

const check = `JSON.stringify(${JSON.stringify(names)}.filter((n) => m.getKernel(n, 'wasm') != null))`;

describe('registration of the WASM training kernels', () => {
  it('happens on importing @descent/tensor (source)', () => {
    for (const name of names) expect(tf.getKernel(name, 'wasm'), name).toBeDefined();
    expect(wasmTrainingKernels.map((k) => k.kernelName)).toEqual(names);
  });

  it('skips kernels the backend already has', () => {
    expect(registerWasmTrainingKernels()).toEqual([]);
  });

  it.skipIf(!existsSync(dist('index.js')))('happens on import of the ESM build', () => {
    const script = `const m = await import(${JSON.stringify(dist('index.js'))}); console.log(${check});`;
    expect(registeredIn(script, 'module')).toEqual(names);
  });

  it.skipIf(!existsSync(dist('index.cjs')))('happens on require of the CJS build', () => {
    const script = `const m = require(${JSON.stringify(dist('index.cjs'))}); console.log(${check});`;
    expect(registeredIn(script, 'commonjs')).toEqual(names);
  });
});
