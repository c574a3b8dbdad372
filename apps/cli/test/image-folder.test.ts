import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { descent } from './run-cli';

const tmp = mkdtempSync(join(tmpdir(), 'descent-folder-'));

/** An RGB PNG, dark ink on a light page as photos of drawings are. */
function png(size: number, ink: (x: number, y: number) => boolean, jitter: number): Buffer {
  const image = new PNG({ width: size, height: size });
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const v = ink(x, y) ? 30 + jitter : 230 - jitter;
      image.data.set([v, v, v, 255], 4 * (y * size + x));
    }
  return PNG.sync.write(image);
}

/** root/<class>/*.png for three shapes drawn at a few positions: bars across, bars down, crosses. */
function writeShapes(root: string, perClass: number, size = 20): void {
  const shapes: Record<string, (o: number) => (x: number, y: number) => boolean> = {
    across: (o) => (_x, y) => Math.abs(y - o) <= 1,
    cross: (o) => (x, y) => Math.abs(x - o) <= 1 || Math.abs(y - o) <= 1,
    down: (o) => (x) => Math.abs(x - o) <= 1,
  };
  for (const [name, shape] of Object.entries(shapes)) {
    mkdirSync(join(root, name), { recursive: true });
    for (let i = 0; i < perClass; i++) {
      writeFileSync(
        join(root, name, `${i}.png`),
        png(size, shape(4 + ((i * 7) % (size - 8))), (i * 13) % 20),
      );
    }
  }
  writeFileSync(join(root, 'README.txt'), 'not an image\n');
}

describe('descent train --images', () => {
  const root = join(tmp, 'shapes');
  writeShapes(root, 30);

  it('trains on a folder of class folders, resized, and evaluate scores the same held-out images', () => {
    const bundle = join(tmp, 'shapes-model');
    const run = descent(
      'train',
      '--images',
      root,
      '--size',
      '16,16',
      '--test-size',
      '0.3',
      '--epochs',
      '8',
      '--seed',
      '4',
      '--out',
      bundle,
      '--quiet',
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(
      /3 classes \(across, cross, down\): 63 training images, 27 test images \(held out of .*shapes, stratified, seed 4; 1 other files skipped\), 16×16 grey/,
    );
    const accuracy = Number(/test set .*: accuracy ([\d.]+)%/.exec(run.stdout)?.[1]);
    expect(accuracy).toBeGreaterThan(60); // three shapes; chance is a third
    const again = descent('evaluate', '--model', bundle);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/27 test images \(held out of/);
    expect(Number(/accuracy ([\d.]+)%/.exec(again.stdout)?.[1])).toBe(accuracy);

    const fresh = join(tmp, 'fresh');
    writeShapes(fresh, 5, 32); // another size: resized to the model's 16×16
    const other = descent('evaluate', '--model', bundle, '--images', fresh);
    expect(other.stderr).toBe('');
    expect(other.status).toBe(0);
    expect(other.stdout).toMatch(/15 test images \(every image in .*fresh/);
  });

  it('refuses a missing folder, one class, and image flags without --images', () => {
    const missing = descent(
      'train',
      '--images',
      join(tmp, 'nope'),
      '--out',
      join(tmp, 'no-model'),
      '--quiet',
    );
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/nope/);
    expect(existsSync(join(tmp, 'no-model'))).toBe(false);
    const lonely = join(tmp, 'lonely');
    mkdirSync(join(lonely, 'only'), { recursive: true });
    writeFileSync(
      join(lonely, 'only', 'a.png'),
      png(8, () => true, 0),
    );
    const one = descent('train', '--images', lonely, '--quiet');
    expect(one.status).toBe(1);
    expect(one.stderr).toMatch(/lonely/);
    const size = descent('train', '--dataset', 'mnist-10k', '--size', '8,8');
    expect(size.status).toBe(2);
    expect(size.stderr).toMatch(/--size: only with --images DIR/);
    const both = descent('train', '--dataset', 'mnist-10k', '--images', root);
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/--images and --dataset: expected one of them, found both/);
  });
});
