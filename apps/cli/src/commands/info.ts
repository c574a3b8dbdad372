import { availableParallelism, cpus } from 'node:os';
import { initBackend, nativeKernelInfo, runtimeInfo } from '@descent/tensor';
import { Command } from 'commander';
import { version } from '../../package.json';
import { writeJson } from '../json-output';

/** Prints the runtime facts, one per line, and returns them (what `info --json` writes). */
export async function runInfo(
  out: NodeJS.WritableStream | null = process.stdout,
): Promise<Record<string, string>> {
  const started = await initBackend();
  const info = runtimeInfo();
  const facts: Record<string, string> = {};
  const w = (k: string, v: string) => {
    facts[k] = v;
    out?.write(`${k.padEnd(12)}${v}\n`);
  };
  w('descent', version);
  w(
    'backend',
    `${info.backend}${
      started.fellBack
        ? ` (fell back: ${started.attempts
            .filter((a) => !a.ok)
            .map((a) => `${a.name}: ${a.error}`)
            .join('; ')})`
        : ''
    }`,
  );
  w('tfjs-core', info.tfjsCore);
  w('node', info.node ?? '-');
  w('platform', info.platform);
  w('threads', `${info.wasmThreads ?? 1} used by the backend, ${availableParallelism()} available`);
  if (info.backend === 'wasm') {
    const native = nativeKernelInfo();
    // Products and convolutions: oneDNN or OpenBLAS where @descent/tensor's native kernels load, else WASM.
    w(
      'kernels',
      native.active
        ? `native: ${native.library} (${native.threads} thread${native.threads === 1 ? '' : 's'}) for matrix products and convolutions`
        : `WebAssembly SIMD (native kernels: ${native.reason})`,
    );
  }
  w('cpu', cpus()[0]?.model ?? 'unknown');
  return facts;
}

export function infoCommand(): Command {
  return new Command('info')
    .description('print the backend, versions and thread count')
    .option('--json', 'print the facts as one JSON object')
    .action(async (raw) => {
      if (raw.json) writeJson(await runInfo(null));
      else await runInfo();
    });
}
