import { Linear, type Sequential } from '@descent/layers';
import { argumentError, tf } from '@descent/tensor';
import { Conv2d } from './conv2d';
import { checkSequential, inEvalMode, leafLayers } from './layer-walk';

/** One Conv2d or Linear layer in the parameter-sharing table: its shapes and parameter counts. */
export interface ParameterSharingRow {
  name: string;
  type: 'Conv2d' | 'Linear';
  /** One sample's shapes (no batch dimension). */
  inputShape: number[];
  outputShape: number[];
  /** What the layer really has. */
  parameters: number;
  /** What a fully connected layer from the same input to the same output would need. */
  denseParameters: number;
  /** denseParameters / parameters: how many times each weight is reused. */
  sharing: number;
}

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * Parameter sharing in numbers: for each Conv2d and Linear layer, its parameter count next to what
 * a dense layer between the same input and output sizes would need. A 3×3 conv from 1 to 8
 * channels on 28×28 has 80 parameters; the dense layer would have 784·6272 + 6272.
 */
export function parameterSharing(model: Sequential, inputShape: number[]): ParameterSharingRow[] {
  checkSequential('parameterSharing: model', model);
  if (!Array.isArray(inputShape) || !inputShape.every((d) => Number.isInteger(d) && d > 0)) {
    throw argumentError(
      'parameterSharing: inputShape',
      "one sample's shape (no batch dimension), positive integers",
      inputShape,
    );
  }
  const rows: ParameterSharingRow[] = [];
  inEvalMode(model, () =>
    tf.tidy(() => {
      let h = tf.zeros([1, ...inputShape]);
      for (const [name, layer] of leafLayers(model)) {
        const input = h.shape.slice(1);
        h = layer.call(h);
        if (!(layer instanceof Conv2d || layer instanceof Linear)) continue;
        const output = h.shape.slice(1);
        const parameters = layer.numParameters();
        const denseParameters = size(input) * size(output) + (layer.bias ? size(output) : 0);
        rows.push({
          name,
          type: layer instanceof Conv2d ? 'Conv2d' : 'Linear',
          inputShape: input,
          outputShape: output,
          parameters,
          denseParameters,
          sharing: denseParameters / parameters,
        });
      }
    }),
  );
  return rows;
}
