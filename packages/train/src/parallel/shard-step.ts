import { gatherRows, type Matrix } from '@descent/datasets';
import { type CompiledModule, compile, type Module } from '@descent/layers';
import { compileLoss, getLoss, isLossName, type LossFn } from '@descent/losses';
import {
  argumentError,
  type NamedTensorMap,
  type Scalar,
  type Tensor,
  tf,
  type Variable,
} from '@descent/tensor';
import { compiledChainStep } from '../compiled-step';
import type { HostData } from '../data';
import type { OutputKind } from '../output';

/** What one replica needs to compute a shard's gradients: the same on the main thread and in a worker. */
export interface ShardModel {
  model: Module;
  /** Run the model compiled (`compile` in @descent/layers), as the Learner's `compile` option says. */
  compiled: boolean;
  /** The loss's name in the registry: crossEntropy lets a compiled Linear chain's step run whole. */
  lossName: string;
  lossFn: LossFn;
  outputKind: OutputKind;
  inputShape?: readonly number[];
  /** The variables to differentiate, in the order of the gradient layout. */
  variables: Variable[];
}

export interface ShardResult {
  /** The shard's mean loss. */
  value: Scalar;
  /** Keyed by variable name, as `tf.variableGrads` returns them. */
  grads: NamedTensorMap;
  output?: Tensor;
}

/**
 * The named loss as the Learner runs it: compiled (mse, bce and crossEntropy as one fused op on the
 * host) with the `compile` option, the plain function otherwise.
 */
export function shardLoss(name: string, compiled: boolean): LossFn {
  return compiled && isLossName(name) ? compileLoss(name) : getLoss(name);
}

// Each replica's model compiled once, on its first step: compile decides by class at each call.
const compiledModels = new WeakMap<Module, CompiledModule>();

function compiledOf(model: Module): CompiledModule {
  let compiled = compiledModels.get(model);
  if (!compiled) {
    compiled = compile(model);
    compiledModels.set(model, compiled);
  }
  return compiled;
}

/** The replica's forward as the Learner would run it: compiled, or `model.call`. */
function forward(shard: ShardModel, x: Tensor): Tensor {
  return shard.compiled ? compiledOf(shard.model).forward(x) : shard.model.call(x);
}

/**
 * The mean-loss gradients of one shard of a batch. The input and target tensors are built as
 * `Learner.fit` builds them (inputShape, class indices as int32), so a shard of the whole batch
 * gives the same numbers as the plain path would for those rows.
 */
export function shardStep(
  shard: ShardModel,
  data: HostData,
  indices: Int32Array,
  keepOutput: boolean,
): ShardResult {
  // As Learner.step: a compiled Linear chain under crossEntropy runs its step whole (compiled-step.ts).
  if (shard.compiled && shard.lossName === 'crossEntropy' && (shard.inputShape?.length ?? 1) === 1) {
    const whole = compiledChainStep(compiledOf(shard.model), data, indices, shard.variables, keepOutput);
    if (whole) {
      const { output: logits } = whole;
      const output = logits && tf.tensor2d(logits, [indices.length, logits.length / indices.length]);
      return { value: tf.scalar(whole.loss), grads: whole.grads, output };
    }
  }
  let output: Tensor | undefined;
  const { value, grads } = tf.tidy(() => {
    const x = inputTensor(shard.inputShape, gatherRows(data.X, indices).data, indices.length, data.X.cols);
    const y = targetTensor(shard.outputKind, data.y, indices);
    return tf.variableGrads(() => {
      const out = forward(shard, x);
      if (keepOutput) output = tf.keep(out);
      return shard.lossFn(out, y) as Scalar;
    }, shard.variables);
  });
  return { value, grads, output };
}

function inputTensor(shape: readonly number[] | undefined, values: Float32Array, rows: number, cols: number) {
  if (!shape) return tf.tensor2d(values, [rows, cols]);
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== cols)
    throw argumentError('X', `${size} columns per row (inputShape [${shape.join(', ')}])`, cols);
  return tf.tensor(values, [rows, ...shape]);
}

function targetTensor(kind: OutputKind, y: Matrix, indices: Int32Array): Tensor {
  const rows = gatherRows(y, indices).data;
  if (kind === 'classScores' && y.cols === 1) return tf.tensor1d(Int32Array.from(rows), 'int32');
  return tf.tensor2d(rows, [indices.length, y.cols]);
}
