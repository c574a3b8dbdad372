import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { dosage, getTestFunction, moons, trainTestSplit } from '@descent/datasets';
import { loadImageFolder, loadMnist } from '@descent/datasets/node';

const d = dosage();
if (Array.from(d.y).join() !== '0,1,0') throw new Error(`dosage targets ${Array.from(d.y)}`);
const { train, test } = trainTestSplit(moons({ n: 100, seed: 1 }), { testSize: 0.2, seed: 1 });
const rosen = getTestFunction('rosenbrock');
if (rosen.f(1, 1) !== 0) throw new Error('rosenbrock minimum');
const cjs = createRequire(import.meta.url)('@descent/datasets');
if (cjs.dosage().X.rows !== 3) throw new Error('CommonJS build');

// A 2 × 2 grey PNG written by hand, so the folder loader's declared decoders (pngjs) are what runs.
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes) => {
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), 8 + data.length);
  return out;
};
const png = (value) => {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(2, 0);
  header.writeUInt32BE(2, 4);
  header.set([8, 0, 0, 0, 0], 8);
  const raw = Buffer.from([0, value, value, 0, value, value]);
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    sig,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
};
const root = mkdtempSync(join(tmpdir(), 'smoke-folder-'));
for (const [name, value] of [
  ['dark', 0],
  ['light', 255],
]) {
  mkdirSync(join(root, name));
  for (let i = 0; i < 3; i++) writeFileSync(join(root, name, `${i}.png`), png(value));
}
const folder = await loadImageFolder(root, { size: [1, 1], testSize: 2, seed: 1 });
const lightIndex = folder.classes.indexOf('light');
for (let i = 0; i < folder.train.count; i++) {
  if (folder.train.images[i] !== (folder.train.labels[i] === lightIndex ? 1 : 0))
    throw new Error('image folder pixels');
}
// The ./node entry reads the digits shipped in the packed data/ folder.
const digits = await loadMnist();
if (digits.count !== 10000) throw new Error(`shipped digits: ${digits.count}`);
console.log(
  `dosage 3 rows, moons split ${train.X.rows}/${test.X.rows}, image folder ${folder.train.count}/${folder.test.count}, ${digits.count} shipped digits, no tfjs installed`,
);
