import { Dropout, Linear, ReLU, Sequential, Softplus } from '@descent/layers';
import { Generator, tf } from '@descent/tensor';
import { describe, expect, it } from 'vitest';
import { BundleError, deserializeBundle, serializeBundle, sha256 } from './bundle';

// CI runs a few hundred cases; `node bench/fuzz-loaders.mjs` runs ten thousand through the same test.
const CASES = Number(process.env['DESCENT_FUZZ_CASES'] ?? 300);
const LIMITS = {
  maxWeightsBytes: 1 << 20,
  maxManifestBytes: 1 << 16,
  maxTensorElements: 1 << 16,
  maxWidth: 4096,
};
const NUMBERS = ['0', '-1', '1e400', '4294967296', '100000', '65537', '2.5', '9007199254740993'];

function pick<T>(items: readonly T[], g: Generator): T {
  return items[g.int(items.length)];
}

/** One random damage to text: a changed number, a changed name, a cut, a flipped character, deep nesting. */
function mutateText(text: string, g: Generator): { kind: string; text: string } {
  const kind = pick(['number', 'string', 'cut', 'flip', 'nest', 'drop'] as const, g);
  if (kind === 'number' || kind === 'string') {
    const matches = [...text.matchAll(kind === 'number' ? /-?\d+(\.\d+)?/g : /"[A-Za-z0-9.]*"/g)];
    if (matches.length === 0) return { kind, text };
    const m = pick(matches, g);
    const value =
      kind === 'number'
        ? pick(NUMBERS, g)
        : pick(['"__proto__"', '"Conv9d"', '""', '"Linear"', '1', 'null', '[]'], g);
    const at = m.index ?? 0;
    return { kind, text: text.slice(0, at) + value + text.slice(at + m[0].length) };
  }
  if (kind === 'cut') return { kind, text: text.slice(0, g.int(text.length)) };
  if (kind === 'nest') {
    const at = text.indexOf('"layers":[') + 10;
    const depth = pick([10, 70, 5000], g);
    return { kind, text: `${text.slice(0, at)}${'['.repeat(depth)}${']'.repeat(depth)},${text.slice(at)}` };
  }
  if (kind === 'drop') {
    const keys = [...text.matchAll(/"(\w+)":/g)];
    const key = pick(keys, g)[1];
    const parsed = JSON.parse(text);
    delete parsed[key];
    return { kind, text: JSON.stringify(parsed) };
  }
  const chars = Array.from(text);
  const i = g.int(chars.length);
  chars[i] = String.fromCharCode(chars[i].charCodeAt(0) ^ (1 << g.int(7)));
  return { kind, text: chars.join('') };
}

function mutateBytes(bytes: Uint8Array, g: Generator): { kind: string; bytes: Uint8Array } {
  const out = bytes.slice();
  const kind = pick(['flip', 'cut', 'length', 'header'] as const, g);
  if (kind === 'flip') {
    for (let n = 1 + g.int(8); n > 0; n--) out[g.int(out.length)] ^= 1 << g.int(8);
    return { kind, bytes: out };
  }
  if (kind === 'cut') return { kind, bytes: out.subarray(0, g.int(out.length)) };
  const view = new DataView(out.buffer);
  if (kind === 'length') {
    view.setUint32(0, g.int(2 ** 32), true);
    view.setUint32(4, g.int(3) === 0 ? g.int(2 ** 32) : 0, true);
    return { kind, bytes: out };
  }
  const length = view.getUint32(0, true);
  const header = new TextDecoder().decode(out.subarray(8, 8 + length));
  const edited = new TextEncoder().encode(mutateText(header, g).text);
  const joined = new Uint8Array(8 + edited.length + out.length - 8 - length);
  new DataView(joined.buffer).setUint32(0, edited.length, true);
  joined.set(edited, 8);
  joined.set(out.subarray(8 + length), 8 + edited.length);
  return { kind, bytes: joined };
}

describe('deserializeBundle under fuzzing', () => {
  it(`throws only BundleError, quickly, within the limits, leaking nothing (${CASES} cases)`, async () => {
    const models = [
      new Sequential([new Linear(3, 4, { seed: 1 }), new ReLU(), new Linear(4, 2, { seed: 2 })]),
      new Sequential([
        new Sequential([new Linear(2, 3, { bias: false, seed: 3 }), new Softplus()]),
        new Dropout({ p: 0.5, seed: 5 }),
        new Linear(3, 2, { seed: 4 }),
      ]),
    ];
    const valid = await Promise.all(
      models.map((m) =>
        serializeBundle(m, { loss: 'crossEntropy', outputKind: 'classScores', labelNames: ['a', 'b'] }),
      ),
    );
    for (const m of models) m.dispose();
    const g = new Generator(18);
    const counts: Record<string, number> = {};
    const before = tf.memory().numTensors;
    let slowest = 0;
    for (let i = 0; i < CASES; i++) {
      const { json, weights } = valid[i % valid.length];
      // Half the cases keep model.json's size and checksum true to the weights, so that the damage
      // reaches the safetensors parser, the architecture and the state dict, not just the checksum.
      const part = g.int(2) === 0 ? 'json' : 'weights';
      const consistent = g.int(2) === 0;
      let text = json;
      let bytes = weights;
      let kind: string;
      if (part === 'json') ({ kind, text } = mutateText(json, g));
      else ({ kind, bytes } = mutateBytes(weights, g));
      if (consistent) {
        const checksum = await sha256(bytes);
        text = text
          .replace(/"bytes": \d+/, `"bytes": ${bytes.length}`)
          .replace(/"sha256": "[0-9a-f]*"/, `"sha256": "${checksum}"`);
      }
      const label = `${part} ${kind}`;
      const started = performance.now();
      let outcome = 'loaded';
      try {
        const { model } = await deserializeBundle(text, bytes, `case-${i}`, { limits: LIMITS });
        expect(model.numParameters()).toBeLessThanOrEqual(LIMITS.maxWeightsBytes);
        model.dispose();
      } catch (err) {
        if (!(err instanceof BundleError)) throw new Error(`case ${i} (${label}): ${String(err)}`);
        outcome = 'refused';
      }
      slowest = Math.max(slowest, performance.now() - started);
      expect(tf.memory().numTensors, `case ${i} (${label})`).toBe(before);
      counts[`${label} ${outcome}`] = (counts[`${label} ${outcome}`] ?? 0) + 1;
    }
    expect(slowest).toBeLessThan(2000);
    console.log(
      `bundle fuzz: ${CASES} cases, slowest ${slowest.toFixed(1)} ms; ${Object.entries(counts)
        .sort()
        .map(([k, n]) => `${k} ${n}`)
        .join(', ')}`,
    );
  });
});
