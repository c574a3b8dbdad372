// Node-only: finds the images of a root/<class>/<image> folder, without reading them.
import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { imageFileError } from '../errors';

/** The extensions read as images, compared without case (torchvision's check is the same). */
export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg'] as const;

/** The images found under a folder of class sub-folders, and the class names. */
export interface ImageFolderFiles {
  /** The sub-folder names, sorted by code point as Python's sorted() and torchvision do. */
  classes: string[];
  /** Every image, relative to root, class by class and sorted within each. */
  files: string[];
  /** labels[i] is the class index of files[i]. */
  labels: Int32Array;
  /** What was left out, relative to root: hidden entries (a leading dot), other extensions, loose files. */
  skipped: string[];
}

const isHidden = (name: string) => name.startsWith('.');
const isImageName = (name: string) =>
  (IMAGE_EXTENSIONS as readonly string[]).includes(extname(name).toLowerCase());

/** Code-point order, the same on every machine (no locale). */
const byName = (a: Dirent, b: Dirent) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Whether an entry is a folder, following a symbolic link as torchvision's followlinks=True does. */
async function isFolder(path: string, entry: Dirent): Promise<boolean> {
  if (entry.isDirectory()) return true;
  if (!entry.isSymbolicLink()) return false;
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

async function entries(path: string): Promise<Dirent[]> {
  try {
    return (await readdir(path, { withFileTypes: true })).sort(byName);
  } catch (err) {
    throw imageFileError(path, `cannot read the folder: ${(err as Error).message}`);
  }
}

/**
 * The images under one class folder, its sub-folders included (as torchvision's os.walk and
 * fast.ai's recursive get_image_files): the folder's own files first, then each sub-folder's.
 * `seen` holds the real paths already walked, so a link back up cannot loop forever.
 */
async function walkClass(root: string, relative: string, seen: Set<string>, out: ImageFolderFiles) {
  const path = join(root, relative);
  const real = await realpath(path);
  if (seen.has(real)) return;
  seen.add(real);
  const folders: string[] = [];
  for (const entry of await entries(path)) {
    const rel = join(relative, entry.name);
    if (isHidden(entry.name)) out.skipped.push(rel);
    else if (await isFolder(join(root, rel), entry)) folders.push(rel);
    else if (isImageName(entry.name)) out.files.push(rel);
    else out.skipped.push(rel);
  }
  for (const folder of folders) await walkClass(root, folder, seen, out);
}

/** Checks that root is a folder, then lists its class folders and their images. */
export async function listImageFolder(root: string): Promise<ImageFolderFiles> {
  const where = `(resolved to ${resolve(root)})`;
  const info = await stat(root).catch((err: NodeJS.ErrnoException) => {
    const why = err.code === 'ENOENT' ? 'no such folder' : `cannot read it: ${err.message}`;
    throw imageFileError(root, `expected a folder of class sub-folders, found ${why} ${where}`);
  });
  if (!info.isDirectory()) {
    throw imageFileError(root, `expected a folder of class sub-folders, found a file ${where}`);
  }
  const out: ImageFolderFiles = { classes: [], files: [], labels: new Int32Array(0), skipped: [] };
  let looseImages = 0;
  for (const entry of await entries(root)) {
    if (isHidden(entry.name)) out.skipped.push(entry.name);
    else if (await isFolder(join(root, entry.name), entry)) out.classes.push(entry.name);
    else {
      if (isImageName(entry.name)) looseImages++;
      out.skipped.push(entry.name);
    }
  }
  if (out.classes.length === 0) {
    const hint =
      looseImages > 0
        ? `; its ${looseImages} image(s) lie directly in it. Put each class's images in a sub-folder named after the class`
        : '';
    throw imageFileError(
      root,
      `expected one sub-folder per class (root/<class>/<image>.png), found no sub-folders${hint}`,
    );
  }
  // A classifier needs two classes; one usually means root is one level too high (data/ holding
  // train/), which an error says at once and a training run would not.
  if (out.classes.length === 1) {
    throw imageFileError(
      root,
      `expected at least 2 class sub-folders, found 1 (${JSON.stringify(out.classes[0])}); if it holds the class folders, pass ${join(root, out.classes[0])} as root`,
    );
  }
  const labels: number[] = [];
  const seen = new Set<string>();
  for (let k = 0; k < out.classes.length; k++) {
    const before = out.files.length;
    const skippedBefore = out.skipped.length;
    await walkClass(root, out.classes[k], seen, out);
    const found = out.files.length - before;
    if (found === 0) {
      const others = out.skipped.length - skippedBefore;
      throw imageFileError(
        join(root, out.classes[k]),
        `expected at least one ${IMAGE_EXTENSIONS.join(', ')} image in class folder ${JSON.stringify(out.classes[k])}, found none (${others} other entries skipped)`,
      );
    }
    for (let i = 0; i < found; i++) labels.push(k);
  }
  out.labels = Int32Array.from(labels);
  return out;
}
