import { argumentError } from './errors';

/** A seed is any safe integer (negative ones too); `name` is the argument named in the error. */
export function checkSeed(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw argumentError(name, 'an integer seed', value);
  }
  return value;
}

/** Murmur3's finaliser: spreads every input bit over the whole 32-bit word. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Combines integer seeds into one 32-bit seed, order-sensitive, so `mixSeed(seed, epoch)` gives
 * every epoch its own well-separated stream. Safe integers above 2^32 keep their high bits.
 */
export function mixSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  parts.forEach((part, i) => {
    checkSeed(`parts[${i}]`, part);
    const lo = part >>> 0;
    const hi = Math.floor(part / 4294967296) >>> 0;
    h = fmix32((h ^ lo) + 0x6d2b79f5);
    h = fmix32((h ^ hi) + 0x7f4a7c15);
  });
  return h;
}
