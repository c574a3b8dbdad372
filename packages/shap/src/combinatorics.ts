/** Binomial coefficient C(n, k) as a float (exact up to 2^53). */
export function binom(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  const kk = Math.min(k, n - k);
  let r = 1;
  for (let i = 1; i <= kk; i++) r = (r * (n - kk + i)) / i;
  return Math.round(r);
}

/** The Shapley weight of a coalition of size s among M players: s!(M−s−1)!/M!. */
export function shapleyWeight(M: number, s: number): number {
  return 1 / (M * binom(M - 1, s));
}

/** Calls fn with each k-subset of 0..n-1 in lexicographic order (the same order as itertools.combinations). */
export function forEachCombination(n: number, k: number, fn: (subset: Int32Array) => void): void {
  const idx = Int32Array.from({ length: k }, (_, i) => i);
  if (k > n) return;
  for (;;) {
    fn(idx);
    let i = k - 1;
    while (i >= 0 && idx[i] === n - k + i) i--;
    if (i < 0) return;
    idx[i]++;
    for (let j = i + 1; j < k; j++) idx[j] = idx[j - 1] + 1;
  }
}
