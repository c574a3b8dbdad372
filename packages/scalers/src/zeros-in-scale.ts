/** numpy's `finfo(float64).eps`, 2^-52. */
const EPS = Number.EPSILON;

/**
 * scikit-learn's `_handle_zeros_in_scale`: a scale below 10·eps (zero, or zero but for rounding)
 * becomes 1, so that column is left unscaled instead of blown up. NaN stays NaN.
 */
export function handleZerosInScale(scale: number): number {
  return scale < 10 * EPS ? 1 : scale;
}

/**
 * scikit-learn's `_is_constant_feature`: whether a column's computed variance is within the
 * rounding-error bound of the corrected two-pass algorithm (Chan, Golub and LeVeque), that is,
 * indistinguishable from a constant column. Such a column gets scale 1. The expression keeps
 * scikit-learn's operation order: `n * eps * var + (n * mean * eps) ** 2`.
 */
export function isConstantFeature(variance: number, mean: number, count: number): boolean {
  const drift = count * mean * EPS;
  const upperBound = count * EPS * variance + drift * drift;
  return variance <= upperBound;
}
