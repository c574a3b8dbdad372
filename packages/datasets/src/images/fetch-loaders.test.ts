import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import * as browser from './fetch-loaders';
import * as files from './file-loaders';
import { encodeIdx } from './idx-format';

const labels = encodeIdx({ type: 'uint8', shape: [4], data: Uint8Array.from([3, 1, 4, 1]) });
const dir = mkdtempSync(join(tmpdir(), 'fetch-loaders-'));
const path = join(dir, 'labels-idx1-ubyte.gz');
writeFileSync(path, gzipSync(labels));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.unstubAllGlobals());

// The browser-safe loaders (@descent/datasets/images) never reach for the file system: in Node a
// path says which entry reads files, instead of failing inside fetch.
describe('the browser-safe image loaders', () => {
  it('refuse paths and file: URLs in Node, naming @descent/datasets/node', async () => {
    const hint =
      /readIdx: reading .* needs the file system: in Node, import \{ readIdx \} from '@descent\/datasets\/node'/;
    await expect(browser.readIdx(path)).rejects.toThrow(hint);
    await expect(browser.readIdx(pathToFileURL(path))).rejects.toThrow(hint);
    await expect(browser.loadMnist()).rejects.toThrow(
      /loadMnist: reading the shipped mnist-10k\.u8\.gz needs the file system: in Node, import \{ loadMnist \} from '@descent\/datasets\/node'/,
    );
    await expect(browser.mnistDigits({ source: path })).rejects.toThrow(/from '@descent\/datasets\/node'/);
  });

  it('fetch URLs and gunzip with DecompressionStream, to what the Node loaders read from the file', async () => {
    const fetched: string[] = [];
    vi.stubGlobal('fetch', async (url: URL) => {
      fetched.push(url.href);
      return new Response(gzipSync(labels));
    });
    const viaFetch = await browser.readIdx(new URL('https://example.org/labels-idx1-ubyte.gz'));
    expect(fetched).toEqual(['https://example.org/labels-idx1-ubyte.gz']);
    const viaFile = await files.readIdx(path);
    expect(viaFetch).toEqual(viaFile);
    expect(Array.from(viaFetch.data)).toEqual([3, 1, 4, 1]);
  });

  it('take bytes', async () => {
    const read = await browser.readIdx(gzipSync(labels), 'labels.gz');
    expect(read.shape).toEqual([4]);
  });
});
