import * as fs from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * The file-system calls a bundle save, load or recovery makes, one method per system call, so
 * that a test can fail or "kill" the process at each one in turn (bundle-crash.test.ts). Folders
 * and files are created with the default modes (0o777 and 0o666), which the user's umask trims.
 */
export interface BundleFs {
  /** Describes a path: `isDirectory()` says whether it is a folder, `size` is its size in bytes. */
  stat(path: string): Promise<{ isDirectory(): boolean; size: number }>;
  /** The names of the entries in a folder. */
  readdir(path: string): Promise<string[]>;
  /** Reads a whole file. */
  readFile(path: string): Promise<Uint8Array>;
  /** `recursive` also creates missing parents and accepts a folder that exists. */
  mkdir(path: string, recursive?: boolean): Promise<void>;
  /** 'wx' creates a file that must not exist yet; 'r' opens a file or a folder to read or fsync. */
  open(path: string, flags: 'wx' | 'r'): Promise<number>;
  /** Writes from the start of `data`; returns how many bytes went out (maybe fewer than asked). */
  write(fd: number, data: Uint8Array): Promise<number>;
  /** Flushes the open file or folder to disk. */
  fsync(fd: number): Promise<void>;
  /** Closes the file descriptor. */
  close(fd: number): Promise<void>;
  /** Renames a file or folder, replacing the target. */
  rename(from: string, to: string): Promise<void>;
  /** Removes a file. */
  unlink(path: string): Promise<void>;
  /** Removes an empty folder. */
  rmdir(path: string): Promise<void>;
}

const write = promisify(fs.write);

/** The BundleFs backed by Node's `fs`. */
export const nodeBundleFs: BundleFs = {
  stat: (path) => fs.promises.stat(path),
  readdir: (path) => fs.promises.readdir(path),
  readFile: async (path) => {
    const b = await fs.promises.readFile(path);
    return new Uint8Array(b.buffer, b.byteOffset, b.length);
  },
  mkdir: async (path, recursive = false) => {
    await fs.promises.mkdir(path, { recursive });
  },
  open: promisify(fs.open) as (path: string, flags: string) => Promise<number>,
  write: async (fd, data) => (await write(fd, data, 0, data.length, null)).bytesWritten,
  fsync: promisify(fs.fsync),
  close: promisify(fs.close),
  rename: (from, to) => fs.promises.rename(from, to),
  unlink: (path) => fs.promises.unlink(path),
  rmdir: (path) => fs.promises.rmdir(path),
};

export const errorCode = (err: unknown): string | undefined => (err as NodeJS.ErrnoException)?.code;

/** A new file with all of `data`, flushed to the disk before this returns. */
export async function writeDurable(files: BundleFs, path: string, data: Uint8Array): Promise<void> {
  const fd = await files.open(path, 'wx');
  try {
    for (let done = 0; done < data.length; ) done += await files.write(fd, data.subarray(done));
    await files.fsync(fd);
  } finally {
    await files.close(fd);
  }
}

/**
 * Flushes a folder's entries (a rename or a new file in it) to the disk. Platforms that cannot
 * open a folder for this (Windows) say so with these codes, and have no such step to take.
 */
export async function syncFolder(files: BundleFs, path: string): Promise<void> {
  let fd: number;
  try {
    fd = await files.open(path, 'r');
  } catch (err) {
    if (['EISDIR', 'EPERM', 'EACCES'].includes(errorCode(err) ?? '')) return;
    throw err;
  }
  try {
    await files.fsync(fd).catch((err) => {
      if (!['EINVAL', 'EPERM', 'EBADF'].includes(errorCode(err) ?? '')) throw err;
    });
  } finally {
    await files.close(fd);
  }
}

/** Deletes a folder and what it holds (a bundle folder is flat, but a stray sub-folder goes too). */
export async function removeTree(files: BundleFs, path: string): Promise<void> {
  for (const name of await files.readdir(path)) {
    const child = join(path, name);
    if ((await files.stat(child)).isDirectory()) await removeTree(files, child);
    else await files.unlink(child);
  }
  await files.rmdir(path);
}

/** `stat`, or undefined where nothing is there. */
export async function statOrNothing(
  files: BundleFs,
  path: string,
): Promise<{ isDirectory(): boolean; size: number } | undefined> {
  try {
    return await files.stat(path);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return undefined;
    throw err;
  }
}
