import mnistUrl from '@descent/datasets/data/mnist-10k.u8.gz?url';

/**
 * The digits and their code load only on the pages that use them: the images entry of
 * @descent/datasets by dynamic import, and the 1.6 MB digits file as a static asset, fetched
 * when first asked for.
 */
export async function digitsApi() {
  return import('@descent/datasets/images');
}

export function mnistSource(): URL {
  return new URL(mnistUrl, document.baseURI);
}

export interface DigitSet {
  /** Pixels in [0, 1], one 28×28 image per row (NCHW flattened). */
  X: { data: Float32Array; rows: number; cols: number };
  y: Float32Array;
  classes: string[];
}

/** Training and test digits as Learner-ready matrices; `limit` keeps a seeded, stratified few. */
export async function loadDigitSplit(options: {
  seed: number;
  trainLimit?: number;
  testLimit?: number;
  digits?: number[];
  perClass?: number;
}): Promise<{ train: DigitSet; test: DigitSet }> {
  const api = await digitsApi();
  const source = mnistSource();
  const split = options.digits
    ? await api.mnistSubset({
        digits: options.digits,
        perClass: options.perClass,
        seed: options.seed,
        source,
      })
    : await api.mnistDigits({ seed: options.seed, testSize: 2000, source });
  const asSet = (d: typeof split.train, limit?: number): DigitSet => {
    const n = Math.min(d.count, limit ?? d.count);
    const x = api.toNCHW(d);
    // The task functions shuffle with the seed, so the first n rows are a seeded sample.
    return {
      X: { data: x.data.subarray(0, n * 784), rows: n, cols: 784 },
      y: d.labels.subarray(0, n),
      classes: d.classes,
    };
  };
  return { train: asSet(split.train, options.trainLimit), test: asSet(split.test, options.testLimit) };
}
