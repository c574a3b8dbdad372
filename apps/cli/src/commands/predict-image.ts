import { registerCnnModules } from '@descent/cnn';
import { initBackend } from '@descent/tensor';
import { Learner, predictedClass, probabilities } from '@descent/train';
import { loadModel } from '../bundle-rows';
import { readDigitImage } from '../image-input';
import { formatTable } from '../table';
import { UsageError } from '../usage-error';

/** One image's prediction from a saved image model. */
export interface ImagePrediction {
  /** One probability per class, in the bundle's label order. */
  probabilities: number[];
  predicted: number;
  label: string;
  inverted: boolean;
}

/**
 * `descent predict --model runs/mnist --image digit.png` (PNG or JPEG): the picture as the model's input (grey,
 * light ink on black, resized; see image-input.ts), then each class's probability.
 */
export async function runPredictImage(
  options: { model: string; image: string; maxModelMb?: string; maxPixels?: number },
  out: NodeJS.WritableStream = process.stdout,
): Promise<ImagePrediction> {
  await initBackend();
  // Bundles of CNNs name Conv2d & co.; make sure fromConfig knows them.
  registerCnnModules();
  const loaded = await loadModel(options.model, options.maxModelMb);
  try {
    const { manifest } = loaded;
    const shape = manifest.inputShape ?? [];
    if (shape.length !== 3 || shape[0] !== 1 || shape[1] !== shape[2]) {
      throw new UsageError(
        `--image: expected a model of square grey images (input shape [1, size, size]), found ${
          manifest.inputShape ? `input shape [${shape.join(', ')}]` : 'a model of table rows'
        } in ${options.model}`,
      );
    }
    const digit = await readDigitImage(options.image, shape[1], { maxPixels: options.maxPixels });
    const learner = new Learner(loaded.model, {
      loss: manifest.loss,
      outputKind: manifest.outputKind,
      inputShape: shape,
    });
    const predictions = learner.predict({ data: digit.data, rows: 1, cols: digit.data.length });
    const probs = Array.from(probabilities(predictions, manifest.outputKind)[0]);
    const predicted = predictedClass(predictions, 0, manifest.outputKind);
    const labels = manifest.labelNames ?? probs.map((_, i) => String(i));
    const { width, height, depth, colour } = digit.source;
    const w = (line = '') => out.write(`${line}\n`);
    w(
      `image      ${options.image}: ${width}×${height} ${colour}, ${depth}-bit → grey${
        digit.inverted ? ', inverted (light background → light ink on black, as MNIST)' : ''
      }, resized to ${shape[1]}×${shape[2]}`,
    );
    w();
    const rows = probs.map((p, k) => [labels[k] ?? String(k), p.toFixed(4), '█'.repeat(Math.round(p * 30))]);
    w(formatTable(['class', 'probability', ''], rows));
    w();
    w(`predicted  ${labels[predicted] ?? predicted} (probability ${probs[predicted].toFixed(4)})`);
    return {
      probabilities: probs,
      predicted,
      label: labels[predicted] ?? String(predicted),
      inverted: digit.inverted,
    };
  } finally {
    loaded.model.dispose();
  }
}
