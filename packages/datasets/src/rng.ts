import { argumentError } from './errors';
import { checkSeed } from './validate';

/** Murmur3's finaliser: spreads every input bit over the whole 32-bit word. */
function fmix32(h: number): number {
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

/**
 * A small seeded generator (mulberry32 over a hashed seed). Host-side only: it drives noise,
 * shuffles and splits, never a tensor op, so the same seed gives the same data on every backend.
 */
export class Rng {
  private state: number;
  private spare: number | undefined;

  constructor(seed = 0) {
    this.state = mixSeed(checkSeed('seed', seed));
  }

  /** Uniform in [low, high); 32 bits of resolution. */
  uniform(low = 0, high = 1): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return low + (high - low) * u;
  }

  /** Gaussian by Box-Muller; the second value of each pair is kept for the next call. */
  normal(mean = 0, std = 1): number {
    let z: number;
    if (this.spare !== undefined) {
      z = this.spare;
      this.spare = undefined;
    } else {
      const r = Math.sqrt(-2 * Math.log(1 - this.uniform()));
      const theta = 2 * Math.PI * this.uniform();
      z = r * Math.cos(theta);
      this.spare = r * Math.sin(theta);
    }
    return mean + std * z;
  }

  /** An integer in [0, low) with one argument, in [low, high) with two. */
  int(low: number, high?: number): number {
    const [a, b] = high === undefined ? [0, low] : [low, high];
    if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || b <= a) {
      throw argumentError('int', 'integer bounds with low < high', [a, b]);
    }
    return a + Math.floor(this.uniform() * (b - a));
  }

  /** Fisher-Yates, in place; returns the same array. */
  shuffle<T extends { length: number; [i: number]: unknown }>(array: T): T {
    for (let i = array.length - 1; i > 0; i--) {
      const j = Math.floor(this.uniform() * (i + 1));
      const tmp = array[i];
      array[i] = array[j];
      array[j] = tmp;
    }
    return array;
  }

  /** A shuffled 0..n-1, like `torch.randperm`. */
  permutation(n: number): Int32Array {
    if (!Number.isSafeInteger(n) || n < 0 || n > 0x7fffffff) {
      throw argumentError('n', 'a non-negative integer', n);
    }
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    return this.shuffle(out);
  }
}
