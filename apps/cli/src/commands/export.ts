import { chmod, cp, mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModuleConfig } from '@descent/layers';
import { initBackend } from '@descent/tensor';
import { loadBundle } from '@descent/train/node';
import { Command } from 'commander';
import { UsageError } from '../usage-error';

/** The layer types `descent_torch.py` maps to torch.nn (the guide's table: docs/pytorch.md). */
export const TORCH_LAYERS = [
  'Sequential',
  'Linear',
  'Conv2d',
  'MaxPool2d',
  'AvgPool2d',
  'BatchNorm1d',
  'BatchNorm2d',
  'LayerNorm',
  'Embedding',
  'Flatten',
  'GlobalAvgPool2d',
  'ReLU',
  'Sigmoid',
  'Tanh',
  'Identity',
  'Softplus',
  'LeakyReLU',
  'Softmax',
  'Dropout',
  'GELU',
  'SiLU',
] as const;

/** The Python files an export writes beside the bundle; they ship in the CLI package's python/. */
const PYTHON_FILES = ['descent_torch.py', 'model.py', 'train.py'];

function pythonDir(): string {
  // Built, this code runs from dist/ (one level down); under vitest, from src/commands/ (two).
  const here = dirname(fileURLToPath(import.meta.url));
  return basename(here) === 'commands' ? resolve(here, '../../python') : resolve(here, '../python');
}

function unsupportedLayers(config: ModuleConfig, found = new Set<string>()): Set<string> {
  if (!(TORCH_LAYERS as readonly string[]).includes(config.type)) found.add(config.type);
  for (const child of (config['layers'] as ModuleConfig[] | undefined) ?? []) unsupportedLayers(child, found);
  return found;
}

/**
 * Writes a bundle as a PyTorch project: the bundle's two files, `descent_torch.py` (model.json →
 * torch.nn, safetensors, the table preprocessing), `model.py` (prints what `descent predict`
 * prints) and `train.py` (continues training under torchrun and writes a descent bundle back).
 */
export async function runExport(
  options: { model: string; to: string; out: string },
  log: NodeJS.WritableStream = process.stdout,
): Promise<void> {
  if (options.to !== 'pytorch') throw new UsageError(`--to: expected "pytorch", found "${options.to}"`);
  await initBackend();
  // Loading checks the checksum and that descent can build the architecture.
  const { model, manifest } = await loadBundle(options.model);
  model.dispose();
  const missing = [...unsupportedLayers(manifest.architecture)];
  if (missing.length > 0) {
    throw new Error(
      `${options.model}/model.json: layer types ${missing.join(', ')} have no torch.nn counterpart in the export (it maps ${TORCH_LAYERS.join(', ')})`,
    );
  }
  const target = resolve(options.out);
  const existing = await readdir(target).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    if (err.code === 'ENOTDIR')
      throw new UsageError(`--out: expected a folder, found a file: ${options.out}`);
    throw err;
  });
  if (existing.length > 0) {
    throw new UsageError(
      `--out: expected a new or empty folder, found ${existing.length} entries in ${options.out}`,
    );
  }
  await mkdir(dirname(target), { recursive: true });
  const staging = await mkdtemp(join(dirname(target), `.${basename(target)}.tmp-`));
  try {
    // mkdtemp makes a private (0700) folder; the export is the user's, so their umask decides.
    await chmod(staging, 0o777 & ~process.umask());
    for (const file of ['model.json', manifest.weights.file])
      await cp(join(options.model, file), join(staging, file));
    for (const file of PYTHON_FILES) await cp(join(pythonDir(), file), join(staging, file));
    if (await stat(target).catch(() => null)) await rm(target, { recursive: true });
    await rename(staging, target);
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    throw err;
  }
  log.write(
    `wrote ${options.out}/: model.json, ${manifest.weights.file}, ${PYTHON_FILES.join(', ')}\n` +
      `next: python3 ${options.out}/model.py --csv rows.csv` +
      ` or torchrun --nproc_per_node 2 ${options.out}/train.py --csv rows.csv --out continued\n`,
  );
}

export function exportCommand(): Command {
  return new Command('export')
    .description(
      'write a bundle as a PyTorch project: model.py (predict), train.py (torchrun), descent_torch.py',
    )
    .requiredOption('--model <dir>', 'a bundle folder written by `descent train --out`')
    .requiredOption('--to <format>', 'the framework to export to: pytorch')
    .requiredOption('--out <dir>', 'a new or empty folder for the export')
    .action((raw) => runExport(raw));
}
