import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetArgumentError, ImageFileError } from '../errors';
import { classCounts } from '../testing';
import { checkImageDataset } from './image-dataset';
import { greyPng, rawPng, rgbaPng, rgbJpeg } from './image-files-testing';
import { type ImageFolder, type ImageFolderProgress, loadImageFolder } from './image-folder';

const tmp = mkdtempSync(join(tmpdir(), 'descent-folder-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let folders = 0;
/** A fresh folder holding `files` (relative path → bytes or text). */
function folder(files: Record<string, Uint8Array | string>): string {
  const root = join(tmp, `set-${folders++}`);
  mkdirSync(root);
  for (const [name, bytes] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), bytes);
  }
  return root;
}

/** A 4 × 4 grey image whose pixel p (row-major) is base + p: the base tells the class apart. */
const tile = (base: number) => greyPng(4, 4, (x, y) => base + 4 * y + x);
const BASE: Record<string, number> = { Dogs: 20, cats: 100, zebra: 180 };

/**
 * Three classes that sort differently by code point and by locale ('Dogs' < 'cats' < 'zebra'),
 * 8 + 4 + 4 images, one JPEG, one in a nested folder, and things to skip.
 */
const mixed = folder({
  ...Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`cats/c${i}.png`, tile(BASE.cats)])),
  ...Object.fromEntries(Array.from({ length: 3 }, (_, i) => [`Dogs/d${i}.PNG`, tile(BASE.Dogs)])),
  'Dogs/more/d9.png': tile(BASE.Dogs),
  ...Object.fromEntries(Array.from({ length: 3 }, (_, i) => [`zebra/z${i}.png`, tile(BASE.zebra)])),
  'zebra/z9.jpeg': rgbJpeg(4, 4, () => [BASE.zebra, BASE.zebra, BASE.zebra]),
  'cats/.DS_Store': 'junk',
  'cats/notes.txt': 'not an image',
  '.git/HEAD': 'ref',
  'README.md': '# pets',
});

/** The class base of each image, read back from its top-left pixel. */
const baseOf = (d: ImageFolder['train'], i: number) =>
  Math.round(d.images[i * d.channels * d.height * d.width] * 255);

describe('loadImageFolder', () => {
  it('finds the classes sorted by code point, labels each image right and lists what it skipped', async () => {
    const data = await loadImageFolder(mixed, { testSize: 0 });
    expect(data.classes).toEqual(['Dogs', 'cats', 'zebra']);
    expect(data.train.classes).toEqual(data.classes);
    expect(data.skipped).toEqual(['.git', 'README.md', 'cats/.DS_Store', 'cats/notes.txt']);
    expect([data.train.count, data.test.count, data.train.channels, data.train.height]).toEqual([
      16, 0, 1, 4,
    ]);
    checkImageDataset('train', data.train);
    expect(data.files.train.slice().sort()).toContain(join('Dogs', 'more', 'd9.png'));
    for (let i = 0; i < data.train.count; i++) {
      const name = data.classes[data.train.labels[i]];
      expect(data.files.train[i].startsWith(name)).toBe(true);
      // The JPEG's flat grey survives its round trip within a level or two.
      expect(Math.abs(baseOf(data.train, i) - BASE[name])).toBeLessThanOrEqual(2);
    }
    // testSize 0 still shuffles train (a seeded order), so its first images are not all one class.
    expect(new Set(Array.from(data.train.labels.subarray(0, 6))).size).toBeGreaterThan(1);
  });

  it('resizes 4 × 4 to 2 × 2 by area averaging, scaled to [0, 1]', async () => {
    const { train } = await loadImageFolder(mixed, { size: [2, 2], testSize: 0 });
    expect([train.height, train.width, train.images.length]).toEqual([2, 2, 16 * 4]);
    const i = Array.from(train.labels).indexOf(1); // a cat: pixels 100 + 0..15
    const blockMeans = [2.5, 4.5, 10.5, 12.5].map((m) => (BASE.cats + m) / 255);
    expect(Array.from(train.images.subarray(4 * i, 4 * i + 4))).toEqual(blockMeans.map(Math.fround));
  });

  it('keeps R, G and B as three planes (NCHW), alpha over white', async () => {
    const root = folder({
      'red/a.png': rgbaPng(2, 2, () => [255, 0, 0, 255]),
      'red/b.png': rgbaPng(2, 2, () => [255, 0, 0, 255]),
      'clear/a.png': rgbaPng(2, 2, () => [0, 0, 255, 0]),
      'clear/b.png': rgbaPng(2, 2, () => [0, 0, 255, 0]),
    });
    const data = await loadImageFolder(root, { grey: false, testSize: 0.5, seed: 3 });
    expect(data.classes).toEqual(['clear', 'red']);
    expect([data.train.count, data.train.channels, data.train.height, data.train.width]).toEqual([
      2, 3, 2, 2,
    ]);
    expect(data.train.images.length).toBe(2 * 3 * 4);
    for (const side of [data.train, data.test]) {
      for (let i = 0; i < side.count; i++) {
        const image = Array.from(side.images.subarray(i * 12, (i + 1) * 12));
        const expected = side.labels[i] === 1 ? [1, 0, 0] : [1, 1, 1]; // red, or transparent → white
        expect(image).toEqual(expected.flatMap((v) => [v, v, v, v]));
      }
    }
    const grey = await loadImageFolder(root, { testSize: 0 });
    expect(grey.train.channels).toBe(1);
  });

  it('splits stratified by class, the same for the same seed, as a fraction or a count', async () => {
    const a = await loadImageFolder(mixed, { testSize: 0.25, seed: 7 });
    expect(Object.fromEntries(classCounts(a.test.labels))).toEqual({ 0: 1, 1: 2, 2: 1 });
    expect(Object.fromEntries(classCounts(a.train.labels))).toEqual({ 0: 3, 1: 6, 2: 3 });
    const again = await loadImageFolder(mixed, { testSize: 0.25, seed: 7 });
    expect(again.files).toEqual(a.files);
    expect(Array.from(again.train.images)).toEqual(Array.from(a.train.images));
    const other = await loadImageFolder(mixed, { testSize: 0.25, seed: 8 });
    expect(other.files.test).not.toEqual(a.files.test);
    const byCount = await loadImageFolder(mixed, { testSize: 4, seed: 7 });
    expect(byCount.files).toEqual(a.files);
    // Train and test together hold every image once.
    const everything = (await loadImageFolder(mixed, { testSize: 0 })).files.train;
    expect([...a.files.train, ...a.files.test].sort()).toEqual([...everything].sort());
    expect(everything.length).toBe(16);
    for (let i = 0; i < a.test.count; i++) {
      expect(a.files.test[i].startsWith(a.classes[a.test.labels[i]])).toBe(true);
    }
  });

  it('inverts every image, or by its border with invert: auto', async () => {
    const root = folder({
      'ink/a.png': greyPng(3, 3, (x, y) => (x === 1 && y === 1 ? 0 : 255)), // dark ink on paper
      'ink/b.png': greyPng(3, 3, (x, y) => (x === 1 && y === 1 ? 0 : 255)),
      'light/a.png': greyPng(3, 3, (x, y) => (x === 1 && y === 1 ? 255 : 0)), // MNIST-like already
      'light/b.png': greyPng(3, 3, (x, y) => (x === 1 && y === 1 ? 255 : 0)),
    });
    const mnistLike = [0, 0, 0, 0, 1, 0, 0, 0, 0];
    const auto = await loadImageFolder(root, { invert: 'auto', testSize: 0 });
    expect(auto.inverted).toBe(2);
    for (let i = 0; i < 4; i++)
      expect(Array.from(auto.train.images.subarray(9 * i, 9 * i + 9))).toEqual(mnistLike);
    const all = await loadImageFolder(root, { invert: true, testSize: 0 });
    expect(all.inverted).toBe(4);
    const none = await loadImageFolder(root, { testSize: 0 });
    expect(none.inverted).toBe(0);
    for (let i = 0; i < 4; i++) {
      const expected = none.train.labels[i] === 0 ? mnistLike.map((v) => 1 - v) : mnistLike;
      expect(Array.from(none.train.images.subarray(9 * i, 9 * i + 9))).toEqual(expected);
    }
  });

  it('reports progress, follows a linked class folder and stops when aborted', async () => {
    const seen: ImageFolderProgress[] = [];
    await loadImageFolder(mixed, { onProgress: (p) => seen.push(p), concurrency: 3 });
    expect(seen.map((p) => p.done)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    expect(seen.every((p) => p.total === 16)).toBe(true);
    const linked = folder({ 'a/1.png': tile(0), 'a/2.png': tile(0) });
    symlinkSync(join(mixed, 'zebra'), join(linked, 'b'));
    expect((await loadImageFolder(linked, { testSize: 0 })).classes).toEqual(['a', 'b']);
    const controller = new AbortController();
    const reason = new Error('stop');
    const stopped = loadImageFolder(mixed, {
      onProgress: (p) => {
        if (p.done === 2) controller.abort(reason);
      },
      signal: controller.signal,
    });
    await expect(stopped).rejects.toBe(reason);
  });
});

describe('loadImageFolder errors', () => {
  const rejection = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('expected a rejection');
      },
      (err: Error) => err,
    );

  it('names a missing root, a file as root, no class folders and a single class', async () => {
    const missing = join(tmp, 'nowhere');
    const err = await rejection(loadImageFolder(missing));
    expect(err).toBeInstanceOf(ImageFileError);
    expect((err as ImageFileError).path).toBe(missing);
    expect(err.message).toBe(
      `${missing}: expected a folder of class sub-folders, found no such folder (resolved to ${missing})`,
    );
    const file = join(mixed, 'README.md');
    expect((await rejection(loadImageFolder(file))).message).toMatch(
      /README\.md: expected a folder of class sub-folders, found a file/,
    );
    const flat = folder({ 'a.png': tile(0), 'b.png': tile(0), 'notes.txt': '' });
    expect((await rejection(loadImageFolder(flat))).message).toBe(
      `${flat}: expected one sub-folder per class (root/<class>/<image>.png), found no sub-folders; its 2 image(s) lie directly in it. Put each class's images in a sub-folder named after the class`,
    );
    const one = folder({ 'train/cats/a.png': tile(0) });
    expect((await rejection(loadImageFolder(one))).message).toBe(
      `${one}: expected at least 2 class sub-folders, found 1 ("train"); if it holds the class folders, pass ${join(one, 'train')} as root`,
    );
  });

  it('names a class folder without images', async () => {
    const root = folder({ 'a/1.png': tile(0), 'b/readme.txt': 'x', 'b/.hidden.png': tile(0) });
    const err = await rejection(loadImageFolder(root));
    expect(err).toBeInstanceOf(ImageFileError);
    expect(err.message).toBe(
      `${join(root, 'b')}: expected at least one .png, .jpg, .jpeg image in class folder "b", found none (2 other entries skipped)`,
    );
  });

  it('names a file that fails to decode, with the decoder message, and a bad depth', async () => {
    const root = folder({ 'a/1.png': tile(0), 'a/2.png': tile(0), 'b/1.png': tile(0), 'b/bad.png': 'hello' });
    const err = await rejection(loadImageFolder(root));
    expect(err).toBeInstanceOf(ImageFileError);
    expect((err as ImageFileError).path).toBe(join(root, 'b', 'bad.png'));
    expect(err.message).toMatch(/b[/\\]bad\.png: not a PNG or JPEG file \(.*found 68 65 6c 6c 6f\)$/);
    const cut = folder({
      'a/1.png': tile(0),
      'b/cut.jpg': rgbJpeg(16, 16, (x) => [x * 9, 0, 0]).subarray(0, 150),
    });
    expect((await rejection(loadImageFolder(cut, { testSize: 0 }))).message).toMatch(
      /b[/\\]cut\.jpg: a damaged JPEG file \(.+\)$/,
    );
    const deep = folder({ 'a/1.png': tile(0), 'b/3bit.png': rawPng(4, 1, 3, 0, [[0]]) });
    expect((await rejection(loadImageFolder(deep, { testSize: 0 }))).message).toMatch(
      /b[/\\]3bit\.png: a damaged PNG file \(bit depth 3 with grey; the format allows 1, 2, 4, 8, 16\)$/,
    );
  });

  it('names an image whose size differs from the first one when no size is given', async () => {
    const root = folder({ 'a/1.png': tile(0), 'a/2.png': tile(0), 'b/1.png': greyPng(5, 3, () => 0) });
    const err = await rejection(loadImageFolder(root));
    expect(err.message).toBe(
      `${join(root, 'b', '1.png')}: expected 4 × 4 pixels (height × width, the size of the first image, ${join(root, 'a', '1.png')}), found 3 × 5; pass size: [height, width] to resize every image`,
    );
    expect((await loadImageFolder(root, { size: [4, 4], testSize: 0 })).train.count).toBe(3);
  });

  it('rejects bad options by name', async () => {
    const bad = async (options: object) =>
      (await rejection(loadImageFolder(mixed, options as never))).message;
    expect(await bad({ size: [28] })).toBe(
      'size: expected [height, width], two positive integers, found [28]',
    );
    expect(await bad({ testSize: 16 })).toBe(
      'testSize: expected 0, a fraction in (0, 1) or a count in 1..15, found 16',
    );
    expect(await bad({ invert: 'yes' })).toBe('invert: expected true, false or \'auto\', found "yes"');
    expect(await bad({ resize: 'cubic' })).toMatch(/^resize: expected one of 'auto', 'area', 'bilinear'/);
    expect(await bad({ grey: 1 })).toBe('grey: expected true or false, found 1');
    expect(await rejection(loadImageFolder(''))).toBeInstanceOf(DatasetArgumentError);
    const singles = folder({ 'a/1.png': tile(0), 'b/1.png': tile(0) });
    expect((await rejection(loadImageFolder(singles))).message).toBe(
      'testSize: expected 0 (every class has a single image, so none can be held out), found 0.2',
    );
    expect((await loadImageFolder(singles, { testSize: 0 })).train.count).toBe(2);
  });
});

describe('loadImageFolder limits', () => {
  it('refuses an image over maxPixels from its header, and a size over it', async () => {
    const root = folder({ 'a/1.png': greyPng(4, 4, () => 0), 'b/1.png': greyPng(5, 5, () => 0) });
    await expect(loadImageFolder(root, { maxPixels: 20, size: [4, 4], testSize: 0 })).rejects.toThrow(
      `${join(root, 'b/1.png')}: expected an image of at most 20 pixels (maxPixels), found 5 × 5 = 25 pixels declared in its PNG header`,
    );
    await expect(loadImageFolder(root, { size: [100000, 100000] })).rejects.toThrow(
      'size: expected at most 67108864 pixels (maxPixels), height × width, found 100000 × 100000 = 10000000000',
    );
    await expect(loadImageFolder(root, { maxPixels: 1.5 })).rejects.toThrow(DatasetArgumentError);
    const ok = await loadImageFolder(root, { maxPixels: 25, size: [4, 4], testSize: 0 });
    expect(ok.train.count).toBe(2);
  });
});
