import { mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Linear, Sequential } from '@descent/layers';
import { tf } from '@descent/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BundleInfo } from './bundle';
import { loadBundle, recoverBundle, saveBundle } from './bundle-folder';
import { type BundleFs, nodeBundleFs } from './bundle-fs';

/** Thrown in place of a call when the test "kills" the process there. */
class Killed extends Error {}

/**
 * Node's calls, counted; call number `failAt` fails. A kill also fails every later call (a killed
 * process runs no clean-up) and leaves a write half done; an error fails that call alone.
 */
class FaultyFs implements BundleFs {
  calls: string[] = [];
  dead = false;
  constructor(
    readonly failAt = -1,
    readonly mode: 'kill' | 'error' = 'kill',
  ) {}

  private async step<T>(name: string, run: () => Promise<T>, torn?: () => Promise<unknown>): Promise<T> {
    if (this.dead) throw new Killed('already killed');
    const index = this.calls.push(name) - 1;
    if (index === this.failAt) {
      if (this.mode === 'kill') {
        this.dead = true;
        await torn?.();
        throw new Killed(`killed at call ${index} (${name})`);
      }
      throw Object.assign(new Error(`injected failure at ${name}`), { code: 'EIO' });
    }
    return run();
  }

  stat = (p: string) => this.step('stat', () => nodeBundleFs.stat(p));
  readdir = (p: string) => this.step('readdir', () => nodeBundleFs.readdir(p));
  readFile = (p: string) => this.step('readFile', () => nodeBundleFs.readFile(p));
  mkdir = (p: string, r?: boolean) => this.step('mkdir', () => nodeBundleFs.mkdir(p, r));
  open = (p: string, f: 'wx' | 'r') => this.step('open', () => nodeBundleFs.open(p, f));
  write = (fd: number, d: Uint8Array) =>
    this.step(
      'write',
      () => nodeBundleFs.write(fd, d),
      () => nodeBundleFs.write(fd, d.subarray(0, d.length >> 1)),
    );
  fsync = (fd: number) => this.step('fsync', () => nodeBundleFs.fsync(fd));
  // Closing a descriptor is the kernel's job when a process dies, so the real close always runs.
  close = (fd: number) =>
    this.step('close', () => nodeBundleFs.close(fd)).catch(async (err) => {
      await nodeBundleFs.close(fd).catch(() => undefined);
      throw err;
    });
  rename = (a: string, b: string) => this.step('rename', () => nodeBundleFs.rename(a, b));
  unlink = (p: string) => this.step('unlink', () => nodeBundleFs.unlink(p));
  rmdir = (p: string) => this.step('rmdir', () => nodeBundleFs.rmdir(p));
}

const oldInfo: BundleInfo = { loss: 'bce', outputKind: 'probability' };
const newInfo: BundleInfo = { loss: 'mse', outputKind: 'value' };
let oldModel: Sequential;
let newModel: Sequential;
let root: string;
let cases = 0;
const calls: Record<string, number> = {};

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'descent-crash-'));
  oldModel = new Sequential([new Linear(2, 3, { seed: 1 })]);
  newModel = new Sequential([new Linear(2, 1, { seed: 2 })]);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  oldModel.dispose();
  newModel.dispose();
  console.log(
    `bundle crash test: ${cases} crash points injected (file-system calls: ${Object.entries(calls)
      .map(([k, n]) => `${n} in ${k}`)
      .join(', ')})`,
  );
});

/** Which bundle `dir` holds now ('old', 'new', or 'none'), loading it with Node's calls. */
async function whichLoads(dir: string): Promise<'old' | 'new' | 'none'> {
  try {
    const { model, manifest } = await loadBundle(dir);
    model.dispose();
    return manifest.loss === 'bce' ? 'old' : 'new';
  } catch (err) {
    expect((err as Error).message).toMatch(/not a descent bundle/);
    return 'none';
  }
}

async function folderHas(parent: string): Promise<string[]> {
  return (await readdir(parent)).sort();
}

async function countCalls(withOld: boolean): Promise<number> {
  const parent = await mkdtemp(join(root, 'count-'));
  const dir = join(parent, 'm');
  if (withOld) await saveBundle(dir, oldModel, oldInfo);
  const files = new FaultyFs();
  await saveBundle(dir, newModel, newInfo, { fs: files });
  return files.calls.length;
}

describe('saveBundle under a kill or a failure at each file-system call', () => {
  it('replacing a bundle: the path then loads the old or the new one, and the next load or save cleans up', async () => {
    const before = tf.memory().numTensors;
    const steps = await countCalls(true);
    calls['a save over a bundle'] = steps;
    expect(steps).toBeGreaterThan(15);
    for (const mode of ['kill', 'error'] as const) {
      for (let k = 0; k < steps; k++) {
        for (const next of ['load', 'save'] as const) {
          const parent = await mkdtemp(join(root, `${mode}-${k}-${next}-`));
          const dir = join(parent, 'm');
          await saveBundle(dir, oldModel, oldInfo);
          const files = new FaultyFs(k, mode);
          // A killed process's result means nothing; a failed call may be one the save can do without.
          const saved = await saveBundle(dir, newModel, newInfo, { fs: files }).then(
            () => true,
            () => false,
          );
          expect(files.calls.length, `${mode} at ${k}`).toBeGreaterThan(k);
          if (saved && mode === 'error') expect(await whichLoads(dir)).toBe('new');
          cases++;
          if (next === 'load') {
            // Recovery happens inside the load itself: the path loads without any other step.
            expect(await whichLoads(dir), `${mode} at ${k} (${files.calls[k]})`).not.toBe('none');
          } else {
            await saveBundle(dir, newModel, newInfo);
            expect(await whichLoads(dir)).toBe('new');
          }
          expect(await folderHas(parent), `${mode} at ${k} then ${next}`).toEqual(['m']);
          expect((await folderHas(dir)).sort()).toEqual(['model.json', 'model.safetensors']);
        }
      }
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a first save: the path then loads the new bundle or holds nothing, and leaves no debris', async () => {
    const steps = await countCalls(false);
    calls['a first save'] = steps;
    for (let k = 0; k < steps; k++) {
      const parent = await mkdtemp(join(root, `first-${k}-`));
      const dir = join(parent, 'm');
      await saveBundle(dir, newModel, newInfo, { fs: new FaultyFs(k) }).catch(() => undefined);
      cases++;
      expect(['new', 'none']).toContain(await whichLoads(dir));
      expect(await folderHas(parent)).toEqual((await whichLoads(dir)) === 'new' ? ['m'] : []);
    }
  });

  it('a kill during the recovery itself still leaves a loadable path, settled by the next load', async () => {
    const steps = await countCalls(true);
    for (let k = 0; k < steps; k++) {
      const parent = await mkdtemp(join(root, `nested-${k}-`));
      const dir = join(parent, 'm');
      await saveBundle(dir, oldModel, oldInfo);
      await saveBundle(dir, newModel, newInfo, { fs: new FaultyFs(k) }).catch(() => undefined);
      // Count the recovery's calls on a copy of this state, then kill at each.
      const probe = new FaultyFs();
      const debris = (await folderHas(parent)).filter((n) => n !== 'm');
      if (debris.length === 0) continue;
      await recoverBundle(dir, { fs: probe }).catch(() => undefined);
      // The probe already recovered; rebuild the same state for each kill inside recovery.
      for (let j = 0; j < probe.calls.length; j++) {
        const again = await mkdtemp(join(root, `nested-${k}-${j}-`));
        const dir2 = join(again, 'm');
        await saveBundle(dir2, oldModel, oldInfo);
        await saveBundle(dir2, newModel, newInfo, { fs: new FaultyFs(k) }).catch(() => undefined);
        await recoverBundle(dir2, { fs: new FaultyFs(j) }).catch(() => undefined);
        cases++;
        expect(await whichLoads(dir2), `save killed at ${k}, recovery at ${j}`).not.toBe('none');
        expect(await folderHas(again)).toEqual(['m']);
      }
    }
  });
});

describe('the issue 18 reproduction and file modes', () => {
  it('a kill between the two renames leaves nothing at the path, and the next load renames the new bundle in', async () => {
    const count = new FaultyFs();
    const parent = await mkdtemp(join(root, 'between-'));
    const dir = join(parent, 'm');
    await saveBundle(dir, oldModel, oldInfo);
    await saveBundle(dir, oldModel, oldInfo, { fs: count });
    const secondRename = count.calls.lastIndexOf('rename');
    expect(count.calls.filter((c) => c === 'rename')).toHaveLength(2);
    await saveBundle(dir, newModel, newInfo, { fs: new FaultyFs(secondRename) }).catch(() => undefined);
    const debris = await folderHas(parent);
    expect(debris).toHaveLength(2);
    expect(debris.every((n) => n.startsWith('.m.tmp-'))).toBe(true);
    expect(await recoverBundle(dir)).toEqual([
      expect.stringMatching(/^recovered \.m\.tmp-\d+-[0-9a-f]{8}$/),
      expect.stringMatching(/^removed \.m\.tmp-\d+-[0-9a-f]{8}\.old$/),
    ]);
    expect(await whichLoads(dir)).toBe('new');
  });

  it("recovers the leftovers of the earlier format (mkdtemp's .m.tmp-XXXXXX and its .old)", async () => {
    const parent = await mkdtemp(join(root, 'legacy-'));
    const dir = join(parent, 'm');
    await saveBundle(dir, oldModel, oldInfo);
    await rename(dir, join(parent, '.m.tmp-Ab12Cd.old'));
    expect(await whichLoads(dir)).toBe('old');
    expect(await folderHas(parent)).toEqual(['m']);
  });

  it('creates folders and files with the umask applied (0755 and 0644 under 022)', async () => {
    const saved = process.umask(0o022);
    try {
      const dir = join(root, 'modes', 'nested', 'm');
      await saveBundle(dir, oldModel, oldInfo);
      expect((await stat(dir)).mode & 0o777).toBe(0o755);
      expect((await stat(join(root, 'modes', 'nested'))).mode & 0o777).toBe(0o755);
      expect((await stat(join(dir, 'model.json'))).mode & 0o777).toBe(0o644);
      expect((await stat(join(dir, 'model.safetensors'))).mode & 0o777).toBe(0o644);
      process.umask(0o027);
      await saveBundle(dir, newModel, newInfo);
      expect((await stat(dir)).mode & 0o777).toBe(0o750);
      expect((await stat(join(dir, 'model.json'))).mode & 0o777).toBe(0o640);
    } finally {
      process.umask(saved);
    }
  });
});
