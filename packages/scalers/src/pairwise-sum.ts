/**
 * numpy's float64 `sum` along a contiguous axis, bit for bit: pairwise summation (8 running
 * partial sums below 128 values, halving above), applied per block of 8192 values (numpy's
 * iterator buffer size) and added into a total that starts at 0. numpy sums a one-column
 * array's column this way; wider arrays it sums row by row. `values` must hold no NaN (nansum
 * puts 0 in their place first, which is what callers do, so the tree keeps its shape).
 */
export function numpySum(values: Float64Array): number {
  let total = 0;
  for (let start = 0; start < values.length; start += BUFFER_SIZE) {
    total += pairwise(values, start, Math.min(BUFFER_SIZE, values.length - start));
  }
  return total;
}

const BUFFER_SIZE = 8192;
const BLOCK = 128;

function pairwise(a: Float64Array, start: number, n: number): number {
  if (n < 8) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += a[start + i];
    return sum;
  }
  if (n <= BLOCK) {
    let r0 = a[start];
    let r1 = a[start + 1];
    let r2 = a[start + 2];
    let r3 = a[start + 3];
    let r4 = a[start + 4];
    let r5 = a[start + 5];
    let r6 = a[start + 6];
    let r7 = a[start + 7];
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      r0 += a[start + i];
      r1 += a[start + i + 1];
      r2 += a[start + i + 2];
      r3 += a[start + i + 3];
      r4 += a[start + i + 4];
      r5 += a[start + i + 5];
      r6 += a[start + i + 6];
      r7 += a[start + i + 7];
    }
    let sum = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (; i < n; i++) sum += a[start + i];
    return sum;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return pairwise(a, start, half) + pairwise(a, start + half, n - half);
}
