import { argumentError } from './errors.js';

/** Checks a user seed: any finite integer. */
export function checkSeed(seed: unknown, arg = 'seed'): number {
  if (typeof seed !== 'number' || !Number.isInteger(seed)) throw argumentError(arg, 'an integer', seed);
  return seed;
}

/**
 * Small seeded generator (sfc32, state expanded from the seed with splitmix32). Not cryptographic;
 * good statistical quality and identical streams in Node and browsers.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
    // Also fold in the high bits so seeds above 2^32 differ.
    s = (s ^ Math.trunc(seed / 4294967296)) >>> 0;
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Fills `out` with a uniformly random permutation of 0..n-1 (Fisher–Yates). */
  permutation(n: number, out: Int32Array = new Int32Array(n)): Int32Array {
    for (let i = 0; i < n; i++) out[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = out[i];
      out[i] = out[j];
      out[j] = t;
    }
    return out;
  }

  /** The first k items of a uniformly random permutation of 0..n-1 (a uniform k-subset, in random order). */
  sample(n: number, k: number, scratch: Int32Array = new Int32Array(n)): Int32Array {
    for (let i = 0; i < n; i++) scratch[i] = i;
    for (let i = 0; i < k; i++) {
      const j = i + this.int(n - i);
      const t = scratch[i];
      scratch[i] = scratch[j];
      scratch[j] = t;
    }
    return scratch.subarray(0, k);
  }

  /** An index drawn with probability proportional to `cumulative[i] - cumulative[i-1]` (cumulative sums, last = total). */
  choice(cumulative: ArrayLike<number>): number {
    const total = cumulative[cumulative.length - 1];
    const u = this.uniform() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.uniform());
  }
}
