import { type CompiledModule, compile, Linear, type Module, mlp, type Sequential } from '@descent/layers';
import { compileLoss, type LossFn, type PenaltyName, penalty } from '@descent/losses';
import { SGD } from '@descent/optim';
import { Generator, tf } from '@descent/tensor';
import { read } from '../lib/read';
import { type FeatureName, featureRows, type PlaneData } from './playground-data';

/**
 * The Playground page's recipe (no DOM): a network over the chosen features, trained by
 * mini-batch SGD on the loss plus an L1 or L2 penalty, and read back as heat maps. For classes
 * the network ends in a sigmoid and learns by BCE; for a surface it is linear and learns by MSE.
 * Both run compiled (`compile`, `compileLoss`): on WASM a step is then a few fused ops.
 */

export type PlaygroundActivation = 'relu' | 'tanh' | 'sigmoid' | 'none';

export interface NetSettings {
  features: FeatureName[];
  /** Hidden layer widths, e.g. [4, 2]; [] is a linear model. */
  hidden: number[];
  activation: PlaygroundActivation;
  lr: number;
  batchSize: number;
  regularization: PenaltyName;
  regRate: number;
  seed: number;
}

/** The page's limits on the network, as TensorFlow Playground's: up to 6 layers of 8 neurons. */
export const limits = { layers: 6, neurons: 8 };

/** What the page starts with: the circle, two features, 4 and 2 tanh neurons. */
export const defaultNet: NetSettings = {
  features: ['x1', 'x2'],
  hidden: [4, 2],
  activation: 'tanh',
  lr: 0.1,
  batchSize: 10,
  regularization: 'none',
  regRate: 0,
  seed: 1,
};

/**
 * "Memorizes patterns": few training points, much noise, a big network with every feature and no
 * regularization. The test loss turns up while the train loss keeps falling.
 */
export const memorizePreset = {
  data: { set: 'xor' as const, noise: 0.5, trainRatio: 0.1 },
  net: {
    features: ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2'] as FeatureName[],
    hidden: [8, 8, 8],
    activation: 'relu' as const,
    lr: 0.1,
    batchSize: 10,
    regularization: 'none' as const,
    regRate: 0,
  },
};

/** Each hidden neuron's output and the network's output over a grid, as host arrays. */
export interface GridOutputs {
  /** hidden[l][j]: layer l, neuron j, one value per grid point. */
  hidden: Float32Array[][];
  /** The prediction per grid point: a probability (classification) or the value (regression). */
  output: Float32Array;
}

/** A weight matrix as rows of its output neurons: weights[l][to][from]. */
export type Weights = number[][][];

export class PlaygroundNet {
  readonly model: Sequential;
  /** The model compiled (one fused op on WASM for a small batch): the same numbers, faster. */
  private readonly compiled: CompiledModule;
  private readonly loss: LossFn;
  readonly optimizer: SGD;
  readonly task: PlaneData['task'];
  private readonly trainX: tf.Tensor2D;
  private readonly trainY: tf.Tensor2D;
  private readonly testX: tf.Tensor2D;
  private readonly testY: tf.Tensor2D;
  private readonly rng: Generator;
  private order: Int32Array;
  private cursor = 0;
  /** Mini-batch steps taken. */
  steps = 0;

  constructor(
    data: PlaneData,
    readonly settings: NetSettings,
  ) {
    const { features, hidden, activation, seed } = settings;
    if (!(settings.batchSize >= 1))
      throw new Error(`batchSize: expected at least 1, found ${settings.batchSize}`);
    this.task = data.task;
    const sigmoidOutput = data.task === 'binary';
    this.model = mlp({ inputs: features.length, hidden, outputs: 1, activation, sigmoidOutput, seed });
    this.compiled = compile(this.model);
    this.loss = compileLoss(sigmoidOutput ? 'bce' : 'mse');
    this.optimizer = new SGD(this.model.trainableParameters(), { lr: settings.lr });
    const k = features.length;
    const tensorOf = (side: PlaneData['train']) => [
      tf.tensor2d(featureRows(side.points, features), [side.y.length, k]),
      tf.tensor2d(side.y, [side.y.length, 1]),
    ];
    [this.trainX, this.trainY] = tensorOf(data.train) as tf.Tensor2D[];
    [this.testX, this.testY] = tensorOf(data.test) as tf.Tensor2D[];
    this.rng = new Generator(seed);
    this.order = this.rng.permutation(data.train.y.length);
  }

  get trainSize(): number {
    return this.trainY.shape[0];
  }

  /** Passes over the training points so far. */
  get epochs(): number {
    return (this.steps * Math.min(this.settings.batchSize, this.trainSize)) / this.trainSize;
  }

  /** The data loss: BCE of the probabilities for classes, MSE for a surface. */
  private dataLoss(x: tf.Tensor, y: tf.Tensor): tf.Tensor {
    return this.loss(this.compiled.forward(x), y);
  }

  /** The weight matrices (not the biases): what the penalty pulls towards zero. */
  private weightMatrices(): tf.Tensor[] {
    return this.model.layers.filter((m): m is Linear => m instanceof Linear).map((l) => l.weight.value);
  }

  /** The loss training minimizes: data loss + L1 or L2 penalty on the weights. */
  objective(x: tf.Tensor, y: tf.Tensor): tf.Scalar {
    return tf.tidy(() => {
      const { regularization, regRate } = this.settings;
      return tf.add(
        this.dataLoss(x, y),
        penalty(regularization, this.weightMatrices(), regRate),
      ) as tf.Scalar;
    });
  }

  /** The next mini-batch's row indices, reshuffled after every pass. */
  private nextBatch(): Int32Array {
    const size = Math.min(this.settings.batchSize, this.trainSize);
    const out = new Int32Array(size);
    for (let i = 0; i < size; i++) {
      if (this.cursor === this.order.length) {
        this.order = this.rng.permutation(this.trainSize, this.order);
        this.cursor = 0;
      }
      out[i] = this.order[this.cursor++];
    }
    return out;
  }

  /** One step of SGD on one mini-batch. */
  step(): void {
    const rows = this.nextBatch();
    const vars = this.model.trainableParameters().map((p) => p.variable);
    const { value, grads } = tf.tidy(() => {
      const index = tf.tensor1d(rows, 'int32');
      const x = tf.gather(this.trainX, index);
      const y = tf.gather(this.trainY, index);
      return tf.variableGrads(() => this.objective(x, y), vars);
    });
    this.optimizer.step(grads);
    tf.dispose([value, ...Object.values(grads)]);
    this.steps += 1;
  }

  /**
   * The data losses (without the penalty) over all train and all test points, and for classes
   * the share of test points on their class's side (NaN for a surface), in one read.
   */
  async losses(): Promise<{ train: number; test: number; testAccuracy: number }> {
    const all = tf.tidy(() => {
      const testOut = this.compiled.forward(this.testX);
      const test = this.loss(testOut, this.testY);
      const right =
        this.task === 'binary'
          ? tf.mean(
              tf.cast(tf.equal(tf.cast(tf.greaterEqual(testOut, 0.5), 'float32'), this.testY), 'float32'),
            )
          : tf.scalar(Number.NaN);
      return tf.stack([this.dataLoss(this.trainX, this.trainY), test, right]);
    });
    const [train, test, testAccuracy] = await read(all);
    all.dispose();
    return { train, test, testAccuracy };
  }

  /** Feature rows (see featureRows) as a tensor the caller owns, e.g. the heat maps' grid. */
  inputs(rows: Float32Array): tf.Tensor2D {
    const k = this.settings.features.length;
    return tf.tensor2d(rows, [rows.length / k, k]);
  }

  /** Every hidden neuron's output (after its activation) and the prediction, at each row of `x`. */
  async gridOutputs(x: tf.Tensor2D): Promise<GridOutputs> {
    // One tensor holds every hidden layer's outputs side by side, then the prediction: one read.
    const all = tf.tidy(() => {
      const parts: tf.Tensor[] = [];
      let h: tf.Tensor = x;
      const layers = this.model.layers as Module[];
      for (let i = 0; i < layers.length; i++) {
        h = layers[i].forward(h);
        const next = layers[i + 1];
        const endsNeuron = layers[i] instanceof Linear ? !next || next instanceof Linear : true;
        if (endsNeuron && i < layers.length - 1) parts.push(h);
      }
      parts.push(h);
      return tf.concat(parts, 1);
    });
    const data = await read(all);
    const [rows, width] = all.shape;
    all.dispose();
    const column = (j: number) => {
      const col = new Float32Array(rows);
      for (let i = 0; i < rows; i++) col[i] = data[i * width + j];
      return col;
    };
    let j = 0;
    const hidden = this.settings.hidden.map((size) => Array.from({ length: size }, () => column(j++)));
    return { hidden, output: column(j) };
  }

  /** The weights as numbers, for drawing the edges: weights[l][to][from]. */
  async weights(): Promise<Weights> {
    const out: Weights = [];
    for (const w of this.weightMatrices()) {
      const [rows, cols] = w.shape;
      const data = await read(w);
      out.push(Array.from({ length: rows }, (_, r) => Array.from(data.subarray(r * cols, (r + 1) * cols))));
    }
    return out;
  }

  dispose(): void {
    this.optimizer.dispose();
    this.model.dispose();
    tf.dispose([this.trainX, this.trainY, this.testX, this.testY]);
  }
}
