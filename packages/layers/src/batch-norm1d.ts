import { argumentError, checkOptions, DescentArgumentError, tf } from '@descent/tensor';
import { Module, type ModuleConfig } from './module';
import { ModuleBuffer } from './module-buffer';
import { Parameter } from './parameter';

export interface BatchNorm1dOptions {
  eps?: number;
  /** Weight of the new batch in the running averages; null gives the cumulative average, as in PyTorch. */
  momentum?: number | null;
  /** Learnable per-feature scale (weight, ones) and shift (bias, zeros). */
  affine?: boolean;
  /** Keep running_mean/running_var for eval mode; without them every forward uses the batch's statistics. */
  trackRunningStats?: boolean;
}

/**
 * Normalises each feature over the batch, like PyTorch's nn.BatchNorm1d: input [N, C] (features)
 * or [N, C, L] (a sequence per channel), y = (x - mean) / √(var + eps) · weight + bias per channel.
 * Training mode uses the batch's mean and biased variance and moves the running estimates towards
 * them (the variance as the unbiased estimate, n/(n-1), n = N or N·L); eval mode uses the running
 * ones. The state dict holds PyTorch's keys: weight, bias, running_mean, running_var, num_batches_tracked.
 */
export class BatchNorm1d extends Module {
  readonly weight: Parameter | null;
  readonly bias: Parameter | null;
  readonly runningMean: ModuleBuffer | null;
  readonly runningVar: ModuleBuffer | null;
  readonly numBatchesTracked: ModuleBuffer | null;
  readonly eps: number;
  readonly momentum: number | null;
  private readonly label: string;

  constructor(
    readonly numFeatures: number,
    options: BatchNorm1dOptions = {},
  ) {
    super();
    this.label = `BatchNorm1d(${numFeatures})`;
    if (!Number.isInteger(numFeatures) || numFeatures <= 0)
      throw argumentError(`${this.label}: numFeatures`, 'a positive integer', numFeatures);
    const given = checkOptions<BatchNorm1dOptions>('BatchNorm1d', options, [
      'eps',
      'momentum',
      'affine',
      'trackRunningStats',
    ]);
    const { eps = 1e-5, momentum = 0.1, affine = true, trackRunningStats = true } = given;
    if (typeof eps !== 'number' || !(eps > 0) || !Number.isFinite(eps))
      throw argumentError(`${this.label}: eps`, 'a positive number', eps);
    if (momentum !== null && (typeof momentum !== 'number' || !(momentum >= 0 && momentum <= 1)))
      throw argumentError(`${this.label}: momentum`, 'a number in [0, 1] or null', momentum);
    if (typeof affine !== 'boolean') throw argumentError(`${this.label}: affine`, 'a boolean', affine);
    if (typeof trackRunningStats !== 'boolean')
      throw argumentError(`${this.label}: trackRunningStats`, 'a boolean', trackRunningStats);
    this.eps = eps;
    this.momentum = momentum;
    this.weight = affine ? new Parameter(tf.ones([numFeatures])) : null;
    this.bias = affine ? new Parameter(tf.zeros([numFeatures])) : null;
    const buffer = (initial: () => tf.Tensor, name: string) =>
      trackRunningStats ? new ModuleBuffer(initial(), { name }) : null;
    this.runningMean = buffer(() => tf.zeros([numFeatures]), 'running_mean');
    this.runningVar = buffer(() => tf.ones([numFeatures]), 'running_var');
    this.numBatchesTracked = buffer(() => tf.scalar(0, 'int32'), 'num_batches_tracked');
  }

  get affine(): boolean {
    return this.weight !== null;
  }

  get trackRunningStats(): boolean {
    return this.runningMean !== null;
  }

  forward(x: tf.Tensor): tf.Tensor {
    const where = `${this.label}: input`;
    if (!(x instanceof tf.Tensor)) throw argumentError(where, 'a tensor', x);
    if ((x.rank !== 2 && x.rank !== 3) || x.shape[1] !== this.numFeatures) {
      throw new DescentArgumentError(
        `${where}: expected shape [N, ${this.numFeatures}] or [N, ${this.numFeatures}, L], found [${x.shape.join(', ')}]`,
      );
    }
    if (x.dtype !== 'float32') throw argumentError(where, 'a float32 tensor', x);
    const axes = x.rank === 2 ? [0] : [0, 2];
    const count = x.size / this.numFeatures;
    if (this.training && count <= 1) {
      throw new DescentArgumentError(
        `${where}: expected more than 1 value per channel in training mode, found shape [${x.shape.join(', ')}]`,
      );
    }
    const perChannel = (t: tf.Tensor) => (x.rank === 2 ? t : tf.reshape(t, [1, this.numFeatures, 1]));
    return tf.tidy(() => {
      let mean: tf.Tensor;
      let variance: tf.Tensor;
      if (this.training || !this.runningMean || !this.runningVar) {
        mean = tf.mean(x, axes);
        variance = tf.mean(tf.square(tf.sub(x, perChannel(mean))), axes);
        if (this.training) this.updateRunningStats(mean, variance, count);
      } else {
        mean = this.runningMean.value;
        variance = this.runningVar.value;
      }
      const normalised = tf.div(tf.sub(x, perChannel(mean)), tf.sqrt(tf.add(perChannel(variance), this.eps)));
      if (!this.weight || !this.bias) return normalised;
      return tf.add(tf.mul(normalised, perChannel(this.weight.value)), perChannel(this.bias.value));
    });
  }

  /** Moves the running estimates towards a batch's `mean` and biased `variance` over `count` values per channel. */
  private updateRunningStats(mean: tf.Tensor, variance: tf.Tensor, count: number): void {
    const { runningMean, runningVar, numBatchesTracked } = this;
    if (!runningMean || !runningVar || !numBatchesTracked) return;
    numBatchesTracked.assign(tf.add(numBatchesTracked.value, tf.scalar(1, 'int32')));
    // momentum null: the cumulative average, 1/t for the t-th batch.
    const m = this.momentum ?? 1 / numBatchesTracked.value.dataSync()[0];
    const unbiased = tf.mul(variance, count / (count - 1));
    runningMean.assign(tf.add(tf.mul(runningMean.value, 1 - m), tf.mul(mean, m)));
    runningVar.assign(tf.add(tf.mul(runningVar.value, 1 - m), tf.mul(unbiased, m)));
  }

  override toJSON(): ModuleConfig {
    return {
      type: 'BatchNorm1d',
      numFeatures: this.numFeatures,
      eps: this.eps,
      momentum: this.momentum,
      affine: this.affine,
      trackRunningStats: this.trackRunningStats,
    };
  }
}
