import { argumentError, checkOptions, DescentArgumentError, tf } from '@descent/tensor';
import { Module, type ModuleConfig } from './module';
import { ModuleBuffer } from './module-buffer';
import { Parameter } from './parameter';

/** Options of the batch normalisation layers: eps, momentum, affine and running statistics. */
export interface BatchNormOptions {
  eps?: number;
  /** Weight of the new batch in the running averages; null gives the cumulative average, as in PyTorch. */
  momentum?: number | null;
  /** Learnable per-channel scale (weight, ones) and shift (bias, zeros). */
  affine?: boolean;
  /** Keep running_mean/running_var for eval mode; without them every forward uses the batch's statistics. */
  trackRunningStats?: boolean;
}

/**
 * Batch normalisation, the part BatchNorm1d and BatchNorm2d share (PyTorch's _BatchNorm):
 * y = (x - mean) / √(var + eps) · weight + bias per channel (axis 1). Training mode uses the
 * batch's mean and biased variance and moves the running estimates towards them (the variance as
 * the unbiased estimate, n/(n-1)); eval mode uses the running ones. The running statistics are
 * buffers saved under PyTorch's names (running_mean, running_var, num_batches_tracked), never
 * trained, and still updated when frozen (call eval() on a frozen backbone to keep them fixed).
 * A subclass checks its input's shape and says which axes hold one channel's values.
 */
export abstract class BatchNorm extends Module {
  readonly weight: Parameter | null;
  readonly bias: Parameter | null;
  readonly runningMean: ModuleBuffer | null;
  readonly runningVar: ModuleBuffer | null;
  readonly numBatchesTracked: ModuleBuffer | null;
  readonly eps: number;
  readonly momentum: number | null;
  protected readonly label: string;

  constructor(
    private readonly kind: 'BatchNorm1d' | 'BatchNorm2d',
    readonly numFeatures: number,
    options: BatchNormOptions = {},
  ) {
    super();
    this.label = `${kind}(${numFeatures})`;
    if (!Number.isInteger(numFeatures) || numFeatures <= 0)
      throw argumentError(`${this.label}: numFeatures`, 'a positive integer', numFeatures);
    const given = checkOptions<BatchNormOptions>(kind, options, [
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
    // PyTorch's names in the state dict, so that a torch state_dict() loads as it is.
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

  /** The formula over `axes` (every axis but the channels'), for an input already checked. */
  protected normalise(x: tf.Tensor, axes: number[]): tf.Tensor {
    const count = x.size / this.numFeatures;
    if (this.training && count <= 1) {
      throw new DescentArgumentError(
        `${this.label}: input: expected more than 1 value per channel in training mode, found shape [${x.shape.join(', ')}]`,
      );
    }
    const shape = x.shape.map((d, i) => (i === 1 ? d : 1));
    const perChannel = (t: tf.Tensor) => tf.reshape(t, shape);
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

  /**
   * Moves the running estimates towards a training batch's per-channel `mean` and biased
   * `variance` over `count` values per channel (forward's bookkeeping, also run by compiled
   * paths); nothing without trackRunningStats.
   */
  updateRunningStats(mean: tf.Tensor, variance: tf.Tensor, count: number): void {
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
      type: this.kind,
      numFeatures: this.numFeatures,
      eps: this.eps,
      momentum: this.momentum,
      affine: this.affine,
      trackRunningStats: this.trackRunningStats,
    };
  }
}
