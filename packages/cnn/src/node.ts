// Node-only entry (@descent/cnn/node): the digit backbone read from the file system, by default
// from the files shipped in this package's assets/ folder.
import { access, readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Sequential } from '@descent/layers';
import {
  type BackboneReader,
  DIGIT_BACKBONE_FILES,
  type DigitBackboneInfo,
  type DigitBackboneSource,
  fetchBytes,
  loadDigitBackboneWith,
} from './pretrained';

/** This module's URL; tsup's CommonJS build has no import.meta, so fall back to __filename. */
function moduleUrl(): string {
  const url = (import.meta as { url?: string }).url;
  if (typeof url === 'string') return url;
  if (typeof __filename === 'string') return pathToFileURL(__filename).href;
  throw new Error('pretrainedDigitBackbone: cannot locate this module to find its assets; pass `source`');
}

/** Paths and file: URLs are read from disk; other URLs are fetched. */
const fileReader: BackboneReader = {
  // The assets folder: next to dist/ when built, next to src/ in the workspace (the same place).
  async shippedFolder() {
    const folder = new URL('../assets/', moduleUrl());
    const path = fileURLToPath(new URL(DIGIT_BACKBONE_FILES.weights, folder));
    try {
      await access(path);
    } catch {
      throw new Error(`pretrainedDigitBackbone: cannot find the shipped weights at ${path}; pass \`source\``);
    }
    return folder;
  },
  base: () => pathToFileURL(`${process.cwd()}/`).href,
  async read(url) {
    if (url.protocol !== 'file:') return fetchBytes(url);
    const file = await readFile(fileURLToPath(url));
    // A plain view: a Node Buffer's slice() shares memory, which safetensors readers do not expect.
    return new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
  },
};

/**
 * The shipped digit backbone and its facts (see @descent/cnn's loadDigitBackbone), read from this
 * package's files; `source` may also be a folder path or URL holding both files, or their contents.
 */
export function loadDigitBackbone(
  source?: DigitBackboneSource,
): Promise<{ model: Sequential; info: DigitBackboneInfo }> {
  return loadDigitBackboneWith(fileReader, source);
}

/** The shipped backbone as a Sequential, read from this package's files (see loadDigitBackbone). */
export async function pretrainedDigitBackbone(source?: DigitBackboneSource): Promise<Sequential> {
  return (await loadDigitBackbone(source)).model;
}
