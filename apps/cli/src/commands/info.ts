import { availableParallelism, cpus } from 'node:os';
import { initBackend, runtimeInfo } from '@descent/tensor';
import { Command } from 'commander';
import { version } from '../../package.json';

export async function runInfo(out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const started = await initBackend();
  const info = runtimeInfo();
  const w = (k: string, v: string) => out.write(`${k.padEnd(12)}${v}\n`);
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
  w('cpu', cpus()[0]?.model ?? 'unknown');
}

export function infoCommand(): Command {
  return new Command('info')
    .description('print the backend, versions and thread count')
    .action(() => runInfo());
}
