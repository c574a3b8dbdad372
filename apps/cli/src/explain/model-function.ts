import { compile, type Module } from '@descent/layers';
import { type Tensor, tf } from '@descent/tensor';
import type { OutputKind } from '@descent/train';

/** A dense row-major batch, as @descent/shap hands it to the model. */
export interface Batch {
  data: Float32Array | Float64Array;
  rows: number;
  cols: number;
}

export interface ModelFunctionOptions {
  outputKind: OutputKind;
  /** One sample's shape (e.g. [1, 28, 28], NCHW); rows are flat otherwise. */
  inputShape?: number[];
  /** A single sigmoid output becomes two columns [P(class 0), P(class 1)]. */
  bothBinaryClasses?: boolean;
}

/**
 * The model as @descent/shap wants it: a batch of model inputs in, probabilities out (sigmoid of a
 * logit, softmax of class scores; a probability or a regression value as it is). Each call runs in
 * tf.tidy and reads the result back to the host, so explaining leaves no tensors behind. shap
 * calls it for thousands of rows, so the model runs compiled (`compile` in @descent/layers).
 */
export function modelFunction(model: Module, options: ModelFunctionOptions): (X: Batch) => Batch {
  const { outputKind, inputShape, bothBinaryClasses = false } = options;
  model.eval();
  const compiled = compile(model);
  return (X) => {
    const out = tf.tidy(() => {
      const values = X.data instanceof Float32Array ? X.data : Float32Array.from(X.data);
      // Grey images: shap's height × width × 1 rows are already the model's 1 × height × width.
      const x: Tensor = inputShape
        ? tf.tensor(values, [X.rows, ...inputShape])
        : tf.tensor2d(values, [X.rows, X.cols]);
      let y = tf.reshape(compiled.forward(x), [X.rows, -1]);
      if (outputKind === 'logit') y = tf.sigmoid(y);
      else if (outputKind === 'classScores') y = tf.softmax(y);
      if (bothBinaryClasses && y.shape[1] === 1 && outputKind !== 'value') {
        y = tf.concat([tf.sub(1, y), y], 1);
      }
      return y;
    });
    const cols = out.shape[1] ?? 1;
    const data = out.dataSync() as Float32Array;
    out.dispose();
    return { data, rows: X.rows, cols };
  };
}
