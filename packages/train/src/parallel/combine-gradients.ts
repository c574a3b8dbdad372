/** One shard's gradient of one parameter, with the shard's row count (its weight). */
export interface ShardGradient {
  /** Undefined when the shard produced no gradient for this parameter (or had no rows). */
  values: Float32Array | undefined;
  rows: number;
}

/**
 * The full batch's mean-loss gradient from per-shard mean-loss gradients: Σ (n_k / N) g_k. A mean
 * loss over N rows is the n_k / N weighted mean of the shard means, so this equals the gradient of
 * the whole batch up to float32 rounding. Returns undefined when no shard has a gradient (the
 * parameter then gets no update, as in the plain path); a shard without one counts as zeros.
 * `out` (length `size`) may be reused from step to step, sparing the collector 400 KB a step.
 */
export function combineGradients(
  parts: readonly ShardGradient[],
  size: number,
  out: Float32Array = new Float32Array(size),
): Float32Array | undefined {
  const total = parts.reduce((n, p) => n + p.rows, 0);
  const used = parts.filter((p) => p.values !== undefined && p.rows > 0);
  if (used.length === 0 || total === 0) return undefined;
  const w = used.map((p) => p.rows / total);
  const g = used.map((p) => p.values as Float32Array);
  // JS arithmetic is float64: each sum rounds to float32 once, on the store.
  if (used.length === 1) {
    for (let i = 0; i < size; i++) out[i] = w[0] * g[0][i];
  } else if (used.length === 2) {
    const [w0, w1] = w;
    const [g0, g1] = g;
    for (let i = 0; i < size; i++) out[i] = w0 * g0[i] + w1 * g1[i];
  } else {
    for (let i = 0; i < size; i++) {
      let s = 0;
      for (let k = 0; k < g.length; k++) s += w[k] * g[k][i];
      out[i] = s;
    }
  }
  return out;
}
