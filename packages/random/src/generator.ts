import { argumentError } from './errors';
import { checkSeed, fmix32 } from './seed';

const TWO_32 = 4294967296;

/**
 * The one seeded generator of descent (mulberry32: 32 bits of state, one add and a hash per draw).
 * Weight initialisation, dropout, data sets, shuffles, splits and SHAP sampling all draw from it,
 * so a seed means the same stream in every package, in Node and in browsers. Not cryptographic.
 */
export class Generator {
  private state: number;

  constructor(seed = 0) {
    checkSeed('seed', seed);
    // A seed that fits in 32 bits (signed or unsigned) is the state itself: the stream descent's
    // weight initialisation has always drawn. Wider seeds fold in their high word, so 2^32 ≠ 0.
    const fits = seed >= -2147483648 && seed < TWO_32;
    this.state = fits ? seed >>> 0 : ((seed >>> 0) ^ fmix32(Math.floor(seed / TWO_32) >>> 0)) >>> 0;
  }

  /** Uniform in [low, high); 32 bits of resolution. */
  uniform(low = 0, high = 1): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const u = ((t ^ (t >>> 14)) >>> 0) / TWO_32;
    return low + (high - low) * u;
  }

  /** Gaussian by Box-Muller (two uniforms per draw; 1 - u keeps the logarithm finite). */
  normal(mean = 0, std = 1): number {
    const u = 1 - this.uniform();
    const v = this.uniform();
    return mean + std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** An integer in [0, low) with one argument, in [low, high) with two, like `torch.randint`. */
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

  /** A shuffled 0..n-1, like `torch.randperm`; written into `out` when given (length ≥ n). */
  permutation(n: number, out?: Int32Array): Int32Array {
    checkCount('n', n);
    const perm = out === undefined ? new Int32Array(n) : checkBuffer('out', out, n).subarray(0, n);
    for (let i = 0; i < n; i++) perm[i] = i;
    return this.shuffle(perm);
  }

  /**
   * `k` distinct integers from 0..n-1, in random order (the first k of a random permutation,
   * found by a partial Fisher-Yates). `scratch` (length ≥ n) saves the allocation in a loop.
   */
  sample(n: number, k: number, scratch?: Int32Array): Int32Array {
    checkCount('n', n);
    if (!Number.isSafeInteger(k) || k < 0 || k > n) throw argumentError('k', `an integer in [0, ${n}]`, k);
    const pool = scratch === undefined ? new Int32Array(n) : checkBuffer('scratch', scratch, n);
    for (let i = 0; i < n; i++) pool[i] = i;
    for (let i = 0; i < k; i++) {
      const j = i + Math.floor(this.uniform() * (n - i));
      const tmp = pool[i];
      pool[i] = pool[j];
      pool[j] = tmp;
    }
    return pool.subarray(0, k);
  }

  /**
   * An index i drawn with probability proportional to its weight, given the running sums of the
   * weights (`cumulative[i]` = w[0] + … + w[i], so the last entry is the total), like
   * `torch.multinomial(w, 1)`. Binary search: O(log n) per draw.
   */
  choice(cumulative: ArrayLike<number>): number {
    const total = cumulative[cumulative.length - 1];
    if (!(total > 0)) throw argumentError('cumulative', 'running sums ending in a positive total', total);
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

  /** A fresh integer seed in [0, 2^31 - 1) for a seeded tfjs op (`tf.randomNormal(..., seed)`). */
  nextSeed(): number {
    return Math.floor(this.uniform() * 2147483647);
  }
}

function checkCount(name: string, n: number): void {
  if (!Number.isSafeInteger(n) || n < 0 || n > 0x7fffffff)
    throw argumentError(name, 'a non-negative integer', n);
}

function checkBuffer(name: string, buffer: Int32Array, n: number): Int32Array {
  if (!(buffer instanceof Int32Array) || buffer.length < n) {
    throw argumentError(name, `an Int32Array of length ≥ ${n}`, buffer);
  }
  return buffer;
}

let globalGenerator = new Generator(0);

/** Like `torch.manual_seed`: replaces the generator that calls without a seed draw from. */
export function manualSeed(seed: number): Generator {
  globalGenerator = new Generator(seed);
  return globalGenerator;
}

/** The generator that calls without a seed draw from (seed 0 until `manualSeed`). */
export function defaultGenerator(): Generator {
  return globalGenerator;
}

/** A seed (number), an explicit generator, or `undefined` for the default one. */
export type RandomSource = number | Generator | undefined;

/** The Generator a random source stands for: a seed makes a new one, undefined gives the global one. */
export function toGenerator(source: RandomSource): Generator {
  if (source instanceof Generator) return source;
  if (typeof source === 'number') return new Generator(source);
  if (source === undefined) return globalGenerator;
  throw argumentError('seed', 'a seed, a Generator or undefined', source);
}
