import { batches, type Matrix, type MatrixLike } from '@descent/datasets';
import { type CompiledModule, compile, type Module } from '@descent/layers';
import { compileLoss, getLoss, type LossFn, lossNameOf } from '@descent/losses';
import type { Optimizer } from '@descent/optim';
import { mixSeed } from '@descent/random';
import {
  argumentError,
  gatherRowsTensor,
  onHostBackend,
  type Scalar,
  type Tensor,
  tf,
  type Variable,
} from '@descent/tensor';
import type { BatchLogs, Callback, EpochLogs, TrainingControl } from './callbacks';
import { compiledChainStep } from './compiled-step';
import { type HostData, type TrainingData, toHostData, toHostMatrix } from './data';
import { joinOutputs, joinRows } from './join-rows';
import { type LrFindOptions, type LrFindResult, lrFind } from './lr-find';
import { getMetric, type MetricName } from './metrics';
import type { OutputKind } from './output';
import type { BatchStep } from './parallel/batch-step';
import { restoreAndThrow } from './training-diverged-error';
import { WeightSnapshot } from './weight-snapshot';
import { yieldToEventLoop } from './yield';

/** Options of a Learner: the loss, the optimizer, the metrics and how outputs and inputs are read. */
export interface LearnerOptions {
  /** A loss name from @descent/losses ('mse', 'bce', 'crossEntropy', ...) or a loss function. */
  loss: string | LossFn;
  /** Needed by `fit`; a Learner that only predicts or evaluates can do without. */
  optimizer?: Optimizer;
  metrics?: MetricName[];
  /** How outputs are read for metrics and predictions; inferred from a named loss. */
  outputKind?: OutputKind;
  /**
   * The shape of one sample, e.g. [1, 28, 28] for a grey digit (NCHW). Rows of X hold samples
   * flattened in that order; the model gets [batch, ...inputShape]. Default: [cols].
   */
  inputShape?: number[];
  /**
   * Run the model and a named loss compiled for speed (`compile` in @descent/layers, `compileLoss`
   * in @descent/losses), like torch.compile: same numbers up to float rounding, a small MLP's
   * step in a handful of kernels on wasm and cpu, and a chain of Linear layers under crossEntropy
   * as one compiled step in Node (compiled-step.ts). Default true; false runs `model.call` and the
   * loss's own function, the code of the concept files exactly.
   */
  compile?: boolean;
}

/** Progress of a fit, reported after each batch: position, running loss, speed and time left. */
export interface Progress {
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  /** Mean loss of the epoch so far. */
  loss: number;
  samplesPerSecond: number;
  elapsedMs: number;
  etaMs: number;
}

/** Options of `Learner.fit`: epochs, batch size, shuffling, validation data, callbacks and cancellation. */
export interface FitOptions {
  epochs: number;
  batchSize?: number;
  shuffle?: boolean;
  /** Seeds the shuffles: the same seed gives the same batches. */
  seed?: number;
  validation?: TrainingData;
  callbacks?: Callback[];
  signal?: AbortSignal;
  /** Called after each batch with the fit's progress. */
  onProgress?: (progress: Progress) => void;
}

/** What `Learner.fit` returns: every epoch's logs, and why and whether training ended early. */
export interface FitResult {
  history: EpochLogs[];
  /** Why training ended before the last epoch, if it did. */
  stopReason?: string;
  cancelled: boolean;
}

const outputKinds: Record<string, OutputKind> = {
  bce: 'probability',
  bceWithLogits: 'logit',
  crossEntropy: 'classScores',
};

/** Trains a Module with a loss and an optimizer, batch by batch, on data held on the host. */
export class Learner {
  readonly model: Module;
  readonly optimizer?: Optimizer;
  readonly lossName: string;
  /** The loss as given: a name or a function. */
  readonly loss: string | LossFn;
  readonly outputKind: OutputKind;
  readonly metricNames: MetricName[];
  readonly inputShape?: number[];
  /** Whether the steps run the model and a named loss compiled (the `compile` option). */
  readonly compiled: boolean;
  history: EpochLogs[] = [];
  /** @internal Replaces the plain step while `fitParallel` runs. */
  batchStep?: BatchStep;
  private readonly lossFn: LossFn;
  /** The model's forward as the steps run it: compiled, or `model.call`. */
  private readonly run: Pick<CompiledModule, 'forward'>;
  /** The model compiled, where the whole step may be too (crossEntropy; compiled-step.ts). */
  private readonly wholeStep?: CompiledModule;
  /** The trainable variables of the epoch under way. */
  private variables?: Variable[];

  constructor(model: Module, options: LearnerOptions) {
    this.model = model;
    this.optimizer = options.optimizer;
    this.loss = options.loss;
    const compiled = options.compile ?? true;
    if (typeof compiled !== 'boolean') throw argumentError('compile', 'a boolean', compiled);
    this.compiled = compiled;
    const compiledModel = compiled ? compile(model) : undefined;
    this.run = compiledModel ?? { forward: (x) => model.call(x) };
    // A name may be PyTorch's ('cross_entropy'); the Learner goes by the registry's.
    const known = lossNameOf(options.loss);
    if (known === 'crossEntropy') this.wholeStep = compiledModel;
    const named = typeof options.loss === 'string' ? getLoss(options.loss) : options.loss;
    this.lossFn = compiled && known ? compileLoss(known) : named;
    this.lossName =
      known ?? (typeof options.loss === 'string' ? options.loss : options.loss.name || 'custom');
    this.outputKind = options.outputKind ?? outputKinds[this.lossName] ?? 'value';
    this.metricNames = options.metrics ?? [];
    for (const m of this.metricNames) getMetric(m);
    if (options.inputShape) {
      const ok = options.inputShape.every((d) => Number.isInteger(d) && d > 0);
      if (!ok) throw argumentError('inputShape', 'positive integer dimensions', options.inputShape);
      this.inputShape = [...options.inputShape];
    }
  }

  /** The shape of a batch of `rows` flattened rows `cols` wide as the model's input. */
  private inputShapeOf(rows: number, cols: number): number[] {
    if (!this.inputShape) return [rows, cols];
    const size = this.inputShape.reduce((a, b) => a * b, 1);
    if (size !== cols) {
      throw argumentError('X', `${size} columns per row (inputShape [${this.inputShape.join(', ')}])`, cols);
    }
    return [rows, ...this.inputShape];
  }

  /** A batch of flattened rows as the model's input tensor. */
  private inputTensor(values: Float32Array, rows: number, cols: number): Tensor {
    return tf.tensor(values, this.inputShapeOf(rows, cols));
  }

  /** Trains the model on `data` for `options.epochs` epochs of mini-batches, running the callbacks. */
  async fit(data: TrainingData, options: FitOptions): Promise<FitResult> {
    const { epochs, shuffle = true, seed = 0, callbacks = [], signal, onProgress } = options;
    const optimizer = this.optimizer;
    if (!optimizer) throw argumentError('Learner: optimizer', 'an optimizer (needed to fit)', undefined);
    if (!Number.isInteger(epochs) || epochs < 1) throw argumentError('epochs', 'a positive integer', epochs);
    const train = toHostData(data, 'data');
    const validation = options.validation ? toHostData(options.validation, 'validation') : undefined;
    const batchSize = Math.min(options.batchSize ?? 32, train.X.rows);
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw argumentError('batchSize', 'a positive integer', options.batchSize);
    }
    const perEpoch = Math.ceil(train.X.rows / batchSize);
    let stopReason: string | undefined;
    let epoch = 0;
    const control: TrainingControl = {
      model: this.model,
      optimizer,
      get epoch() {
        return epoch;
      },
      stop: (reason = 'stopped by a callback') => {
        stopReason ??= reason;
      },
    };
    const started = performance.now();
    let seen = 0;
    const snapshot = new WeightSnapshot(this.model);
    this.model.train();
    for (const cb of callbacks) await cb.onTrainBegin?.(control);
    try {
      for (epoch = 1; epoch <= epochs && stopReason === undefined; epoch++) {
        for (const cb of callbacks) await cb.onEpochBegin?.(epoch, control);
        snapshot.maybeTake(epoch);
        // Only callbacks can freeze or unfreeze layers during a fit, and only between epochs.
        if (epoch === 1 || callbacks.length > 0) {
          this.variables = this.model.trainableParameters().map((p) => p.variable);
        }
        let lossSum = 0;
        const outputs: Float32Array[] = [];
        const order: Int32Array[] = [];
        let batch = 0;
        for (const indices of batches(train.X.rows, batchSize, { shuffle, seed: mixSeed(seed, epoch) })) {
          if (signal?.aborted) {
            stopReason = 'cancelled';
            break;
          }
          batch++;
          for (const cb of callbacks) await cb.onBatchBegin?.(batch, epoch, control);
          const step = this.batchStep ?? this.step.bind(this);
          const { loss, output } = await step(optimizer, train, indices, this.metricNames.length > 0);
          if (!Number.isFinite(loss)) await restoreAndThrow(this.model, loss, epoch, batch, snapshot);
          if (output) {
            outputs.push(output);
            order.push(indices);
          }
          lossSum += loss * indices.length;
          seen += indices.length;
          const logs: BatchLogs = { epoch, batch, batches: perEpoch, loss, size: indices.length };
          for (const cb of callbacks) await cb.onBatchEnd?.(logs, control);
          if (onProgress) {
            const elapsedMs = performance.now() - started;
            const rate = seen / (elapsedMs / 1000);
            const remaining = (epochs - epoch) * train.X.rows + (train.X.rows - batch * batchSize);
            onProgress({
              epoch,
              epochs,
              batch,
              batches: perEpoch,
              loss: lossSum / Math.min(batch * batchSize, train.X.rows),
              samplesPerSecond: rate,
              elapsedMs,
              etaMs: (Math.max(0, remaining) / rate) * 1000,
            });
          }
        }
        if (stopReason === 'cancelled') break;
        const logs = { epoch, loss: lossSum / train.X.rows } as EpochLogs;
        for (const name of this.metricNames) {
          logs[name] = getMetric(name)(joinOutputs(outputs, order, train.X.rows), train.y, this.outputKind);
        }
        if (validation) {
          for (const [key, value] of Object.entries(await this.evaluateAsync(validation))) {
            logs[`val${key[0].toUpperCase()}${key.slice(1)}`] = value;
          }
        }
        this.history.push(logs);
        for (const cb of callbacks) await cb.onEpochEnd?.(logs, control);
        await yieldToEventLoop();
      }
    } finally {
      snapshot.dispose();
      this.variables = undefined;
      this.model.train();
    }
    for (const cb of callbacks) await cb.onTrainEnd?.(this.history, control);
    return { history: this.history, stopReason, cancelled: stopReason === 'cancelled' };
  }

  /**
   * The learning-rate range test (fast.ai's `lr_find`, in lr-find.ts): the rate rises
   * exponentially batch by batch while the smoothed loss is recorded, until it diverges; then the
   * weights and the optimizer's state are put back as they were.
   */
  lrFind(data: TrainingData, options: LrFindOptions = {}): Promise<LrFindResult> {
    return lrFind(this, data, options);
  }

  /**
   * @internal One optimizer step on the given rows; returns the batch loss (and outputs for
   * metrics). The reads are async on GPU backends (WebGPU cannot read back synchronously), sync
   * on WASM/CPU. `fit` and `lrFind` call it.
   */
  async step(
    optimizer: Optimizer,
    data: HostData,
    indices: Int32Array,
    keepOutput: boolean,
  ): Promise<{ loss: number; output?: Float32Array }> {
    const variables = this.variables ?? this.model.trainableParameters().map((p) => p.variable);
    const whole =
      this.wholeStep && this.inputShapeOf(1, data.X.cols).length === 2
        ? compiledChainStep(this.wholeStep, data, indices, variables, keepOutput)
        : undefined;
    if (whole) {
      try {
        if (Number.isFinite(whole.loss)) optimizer.step(whole.grads);
      } finally {
        tf.dispose(Object.values(whole.grads));
      }
      return { loss: whole.loss, output: whole.output };
    }
    let output: Tensor | undefined;
    const { value, grads } = tf.tidy(() => {
      // Gathered straight into the backend's memory where it can (WASM, cpu): no array between.
      const { X } = data;
      const x = gatherRowsTensor(X.data, X.cols, indices, this.inputShapeOf(indices.length, X.cols));
      const y = this.targetTensor(data.y, indices);
      return tf.variableGrads(() => {
        const out = this.run.forward(x);
        if (keepOutput) output = tf.keep(out);
        return this.lossFn(out, y) as Scalar;
      }, variables);
    });
    // On wasm and cpu a read is a copy; awaiting one would only add a microtask per step.
    const sync = onHostBackend();
    const loss = sync ? value.dataSync()[0] : (await value.data())[0];
    if (Number.isFinite(loss)) optimizer.step(grads);
    tf.dispose([value, ...Object.values(grads)]);
    const host = output ? ((sync ? output.dataSync() : await output.data()) as Float32Array) : undefined;
    output?.dispose();
    return { loss, output: host };
  }

  private targetTensor(y: Matrix, indices: Int32Array): Tensor {
    // Class indices go to crossEntropy as a flat int vector; everything else keeps its columns.
    if (this.outputKind === 'classScores' && y.cols === 1) {
      const labels = new Int32Array(indices.length);
      for (let i = 0; i < indices.length; i++) labels[i] = y.data[indices[i]];
      return tf.tensor1d(labels, 'int32');
    }
    return gatherRowsTensor(y.data, y.cols, indices);
  }

  /** The model's outputs in eval mode, one tensor per batch of rows (the caller reads and frees them). */
  private evalOutputs(m: Matrix, batchSize: number): Tensor[] {
    const wasTraining = this.model.training;
    this.model.eval();
    try {
      const outputs: Tensor[] = [];
      for (let start = 0; start < m.rows; start += batchSize) {
        const n = Math.min(batchSize, m.rows - start);
        outputs.push(
          tf.tidy(() => {
            const x = this.inputTensor(m.data.subarray(start * m.cols, (start + n) * m.cols), n, m.cols);
            const y = this.run.forward(x);
            return y.rank === 1 ? tf.reshape(y, [n, 1]) : y;
          }),
        );
      }
      return outputs;
    } finally {
      this.model.train(wasTraining);
    }
  }

  /** Runs the model in eval mode over rows of X, in batches; returns one output row per input row. */
  predict(X: MatrixLike | number[][], { batchSize = 1024 } = {}): Matrix {
    const m = toHostMatrix(X, 'X');
    const outputs = this.evalOutputs(m, batchSize);
    return joinRows(
      outputs.map((t) => t.dataSync() as Float32Array),
      outputs,
      m.rows,
    );
  }

  /** `predict` with asynchronous reads, for backends that cannot read synchronously (WebGPU). */
  async predictAsync(X: MatrixLike | number[][], { batchSize = 1024 } = {}): Promise<Matrix> {
    const m = toHostMatrix(X, 'X');
    const outputs = this.evalOutputs(m, batchSize);
    const chunks = await Promise.all(outputs.map((t) => t.data() as Promise<Float32Array>));
    return joinRows(chunks, outputs, m.rows);
  }

  /** The loss and each metric over a whole data set, in eval mode. */
  evaluate(data: TrainingData): Record<string, number> {
    const host = toHostData(data, 'data');
    const predictions = this.predict(host.X);
    const loss = this.lossTensor(predictions, host.y);
    const result = this.scores(loss.dataSync()[0], predictions, host.y);
    loss.dispose();
    return result;
  }

  /** `evaluate` with asynchronous reads (WebGPU). */
  async evaluateAsync(data: TrainingData): Promise<Record<string, number>> {
    const host = toHostData(data, 'data');
    const predictions = await this.predictAsync(host.X);
    const loss = this.lossTensor(predictions, host.y);
    const result = this.scores((await loss.data())[0], predictions, host.y);
    loss.dispose();
    return result;
  }

  private lossTensor(predictions: Matrix, y: Matrix): Tensor {
    return tf.tidy(() => {
      const all = Int32Array.from({ length: predictions.rows }, (_, i) => i);
      const out = tf.tensor2d(predictions.data, [predictions.rows, predictions.cols]);
      return this.lossFn(out, this.targetTensor(y, all));
    });
  }

  private scores(loss: number, predictions: Matrix, y: Matrix): Record<string, number> {
    const result: Record<string, number> = { loss };
    for (const name of this.metricNames) result[name] = getMetric(name)(predictions, y, this.outputKind);
    return result;
  }
}
