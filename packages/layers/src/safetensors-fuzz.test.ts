import { Generator, tf } from '@descent/tensor';
import { describe, expect, it } from 'vitest';
import { loadSafetensors } from './load-safetensors';
import { SafetensorsError } from './safetensors-format';
import { saveSafetensors } from './save-safetensors';

// CI runs a few hundred cases; `node bench/fuzz-loaders.mjs` runs ten thousand through the same test.
const CASES = Number(process.env['DESCENT_FUZZ_CASES'] ?? 300);
const LIMITS = { maxBytes: 1 << 20, maxHeaderBytes: 1 << 16, maxTensorElements: 1 << 16 };

/** Valid files to start from: float32 weights, converted dtypes, metadata, an empty tensor. */
async function seeds(): Promise<Uint8Array[]> {
  const files: Uint8Array[] = [];
  const w = tf.tensor([
    [0.5, -1, 2],
    [3, 4, -5],
  ]);
  const b = tf.tensor([1, 2, 3], [3], 'int32');
  const flag = tf.tensor([1, 0], [2], 'bool');
  const none = tf.zeros([0, 4]);
  files.push(await saveSafetensors({ 'layers.0.weight': w, 'layers.0.bias': b }, { format: 'pt' }));
  files.push(await saveSafetensors({ flag, none, w }));
  tf.dispose([w, b, flag, none]);
  // F64 and I64 by hand, as PyTorch writes them.
  const header = JSON.stringify({
    d: { dtype: 'F64', shape: [2], data_offsets: [0, 16] },
    l: { dtype: 'I64', shape: [1], data_offsets: [16, 24] },
  });
  const data = new Uint8Array(24);
  new Float64Array(data.buffer, 0, 2).set([1.5, -2]);
  new BigInt64Array(data.buffer, 16, 1).set([7n]);
  files.push(withHeader(header, data));
  return files;
}

function withHeader(text: string, data: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(text);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const HUGE = ['0', '1', '-1', '4294967296', '1e308', '9007199254740993', '1099511627776', '65537'];

/** One random damage: bit flips, a cut, a changed number in the header, a huge length, junk. */
function mutate(bytes: Uint8Array, g: Generator): { kind: string; bytes: Uint8Array } {
  const out = bytes.slice();
  const kind = ['flip', 'truncate', 'number', 'length', 'junk', 'dtype'][g.int(6)];
  if (kind === 'flip') {
    for (let n = 1 + g.int(8); n > 0; n--) out[g.int(out.length)] ^= 1 << g.int(8);
    return { kind, bytes: out };
  }
  if (kind === 'truncate') return { kind, bytes: out.subarray(0, g.int(out.length)) };
  if (kind === 'length') {
    const view = new DataView(out.buffer);
    view.setUint32(0, g.int(2) ? g.int(2 ** 32) : out.length - 8 + g.int(16) - 8, true);
    view.setUint32(4, g.int(4) === 0 ? g.int(2 ** 32) : 0, true);
    return { kind, bytes: out };
  }
  if (kind === 'junk') {
    const extra = new Uint8Array(g.int(64));
    for (let i = 0; i < extra.length; i++) extra[i] = g.int(256);
    const at = g.int(out.length + 1);
    const joined = new Uint8Array(out.length + extra.length);
    joined.set(out.subarray(0, at));
    joined.set(extra, at);
    joined.set(out.subarray(at), at + extra.length);
    return { kind, bytes: joined };
  }
  const length = new DataView(out.buffer).getUint32(0, true);
  const text = new TextDecoder().decode(out.subarray(8, 8 + length));
  const data = out.subarray(8 + length);
  if (kind === 'dtype') {
    const dtypes = ['F32', 'F64', 'F16', 'BF16', 'I64', 'U32', 'I8', 'BOOL', 'Q4', ''];
    const edited = text.replace(/"dtype":"[^"]*"/, `"dtype":"${dtypes[g.int(dtypes.length)]}"`);
    return { kind, bytes: withHeader(edited, data) };
  }
  const numbers = [...text.matchAll(/\d+/g)];
  if (numbers.length === 0) return { kind, bytes: out };
  const pick = numbers[g.int(numbers.length)];
  const at = pick.index ?? 0;
  const replaced = `${text.slice(0, at)}${HUGE[g.int(HUGE.length)]}${text.slice(at + pick[0].length)}`;
  return { kind, bytes: withHeader(replaced, data) };
}

describe('loadSafetensors under fuzzing', () => {
  it(`throws only SafetensorsError, quickly, within the limits, leaking nothing (${CASES} cases)`, async () => {
    const files = await seeds();
    const g = new Generator(20261206);
    const counts: Record<string, number> = {};
    const before = tf.memory().numTensors;
    let slowest = 0;
    for (let i = 0; i < CASES; i++) {
      const { kind, bytes } = mutate(files[i % files.length], g);
      const started = performance.now();
      let outcome = 'loaded';
      try {
        const { tensors } = loadSafetensors(bytes, { source: `case ${i}`, limits: LIMITS });
        for (const t of Object.values(tensors)) expect(t.size).toBeLessThanOrEqual(LIMITS.maxTensorElements);
        tf.dispose(Object.values(tensors));
      } catch (err) {
        if (!(err instanceof SafetensorsError)) throw new Error(`case ${i} (${kind}): ${String(err)}`);
        outcome = 'refused';
      }
      slowest = Math.max(slowest, performance.now() - started);
      expect(tf.memory().numTensors, `case ${i} (${kind})`).toBe(before);
      counts[`${kind} ${outcome}`] = (counts[`${kind} ${outcome}`] ?? 0) + 1;
    }
    expect(slowest).toBeLessThan(2000);
    console.log(
      `safetensors fuzz: ${CASES} cases, slowest ${slowest.toFixed(1)} ms; ${Object.entries(counts)
        .sort()
        .map(([k, n]) => `${k} ${n}`)
        .join(', ')}`,
    );
  });
});
