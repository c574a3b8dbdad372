import { Generator } from '@descent/random';
import { binom, forEachCombination } from './combinatorics.js';
import { argumentError, checkSeed } from './errors.js';

/** The coalitions KernelSHAP evaluates, with their regression weights. */
export interface KernelCoalitions {
  /** count × M entries of 0/1, row-major. */
  masks: Uint8Array;
  weights: Float64Array;
  count: number;
  /** The first `enumerated` coalitions come from fully enumerated subset sizes; the rest were sampled. */
  enumerated: number;
  /** How many subset sizes (s and M − s counted once) were enumerated completely. */
  fullSizes: number;
}

/**
 * Chooses KernelSHAP's coalitions as python shap's KernelExplainer does: the Shapley kernel's weight per
 * coalition size (sizes s and M − s paired); sizes are enumerated completely, smallest first, while the budget
 * covers every coalition of that size at its share of the weight; the rest of the budget is drawn at random
 * from the remaining sizes (each draw with its complement), repeats merged by adding weight, and the sampled
 * weights rescaled to the kernel weight those sizes carry. At most `nsamples` coalitions (never ∅ or all).
 */
export function kernelCoalitions(
  M: number,
  nsamples: number,
  rngOrSeed: Generator | number = 0,
): KernelCoalitions {
  if (!Number.isInteger(M) || M < 2) throw argumentError('M', 'an integer ≥ 2', M);
  if (!Number.isInteger(nsamples) || nsamples < 1)
    throw argumentError('nsamples', 'a positive integer', nsamples);
  const rng = typeof rngOrSeed === 'number' ? new Generator(checkSeed(rngOrSeed)) : rngOrSeed;
  const n = M <= 30 ? Math.min(nsamples, 2 ** M - 2) : nsamples;
  const masks = new Uint8Array(n * M);
  const weights = new Float64Array(n);
  let added = 0;
  const push = (mask: Uint8Array, w: number) => {
    masks.set(mask, added * M);
    weights[added++] = w;
  };

  const numSizes = Math.ceil((M - 1) / 2);
  const numPaired = Math.floor((M - 1) / 2);
  const weightVector = new Float64Array(numSizes);
  for (let i = 1; i <= numSizes; i++)
    weightVector[i - 1] = ((M - 1) / (i * (M - i))) * (i <= numPaired ? 2 : 1);
  const wsum = weightVector.reduce((a, b) => a + b, 0);
  for (let i = 0; i < numSizes; i++) weightVector[i] /= wsum;

  let fullSizes = 0;
  let left = n;
  const remaining = Float64Array.from(weightVector);
  const mask = new Uint8Array(M);
  for (let size = 1; size <= numSizes; size++) {
    const paired = size <= numPaired;
    const nsubsets = binom(M, size) * (paired ? 2 : 1);
    if ((left * remaining[size - 1]) / nsubsets < 1 - 1e-8) break;
    fullSizes++;
    left -= nsubsets;
    if (remaining[size - 1] < 1) {
      const scale = 1 - remaining[size - 1];
      for (let i = 0; i < numSizes; i++) remaining[i] /= scale;
    }
    const w = weightVector[size - 1] / binom(M, size) / (paired ? 2 : 1);
    forEachCombination(M, size, (subset) => {
      mask.fill(0);
      for (let i = 0; i < size; i++) mask[subset[i]] = 1;
      push(mask, w);
      if (paired) {
        for (let i = 0; i < M; i++) mask[i] ^= 1;
        push(mask, w);
      }
    });
  }
  const enumerated = added;

  let samplesLeft = n - added;
  if (fullSizes !== numSizes && samplesLeft > 0) {
    // Each paired draw brings its complement too, so paired sizes are drawn half as often.
    const cum = new Float64Array(numSizes - fullSizes);
    let acc = 0;
    for (let i = fullSizes; i < numSizes; i++)
      cum[i - fullSizes] = acc += weightVector[i] / (i < numPaired ? 2 : 1);
    const used = new Map<string, number>();
    const scratch = new Int32Array(M);
    const maxDraws = 4 * samplesLeft;
    for (let draw = 0; draw < maxDraws && samplesLeft > 0; draw++) {
      const size = rng.choice(cum) + fullSizes + 1;
      mask.fill(0);
      const picked = rng.sample(M, size, scratch);
      for (let i = 0; i < size; i++) mask[picked[i]] = 1;
      const key = mask.join('');
      let at = used.get(key);
      const fresh = at === undefined;
      if (at === undefined) {
        at = added;
        used.set(key, at);
        samplesLeft--;
        push(mask, 1);
      } else {
        weights[at] += 1;
      }
      if (samplesLeft > 0 && size <= numPaired) {
        if (fresh) {
          for (let i = 0; i < M; i++) mask[i] ^= 1;
          samplesLeft--;
          push(mask, 1);
        } else {
          weights[at + 1] += 1;
        }
      }
    }
    let sampled = 0;
    for (let i = enumerated; i < added; i++) sampled += weights[i];
    let weightLeft = 0;
    for (let i = fullSizes; i < numSizes; i++) weightLeft += weightVector[i];
    if (sampled > 0) for (let i = enumerated; i < added; i++) weights[i] *= weightLeft / sampled;
  }
  return {
    masks: masks.subarray(0, added * M),
    weights: weights.subarray(0, added),
    count: added,
    enumerated,
    fullSizes,
  };
}
