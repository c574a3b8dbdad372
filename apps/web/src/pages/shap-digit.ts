import { explainImage, type ImageExplanation } from '@descent/shap';
import { Learner, probabilities } from '@descent/train';
import { loadDigitSplit } from '../lib/digits';
import type { Run } from '../ui/run';
import { loadBackbone } from './transfer-backbone';

export interface DigitExplainer {
  explainNext(step: number, run: Run): Promise<{ explanation: ImageExplanation; caption: string } | null>;
  dispose(): void;
}

/**
 * Explains the shipped digit classifier (the transfer page's backbone, which reads digits 0–4)
 * on held-out digits: 4×4 patches are the players, and a hidden patch is blacked out.
 */
export async function makeDigitExplainer(options: {
  seed: number;
  run: Run;
  report: (text: string) => void;
  /** Coalitions KernelSHAP samples per digit, read at each explanation ('auto': 2 × 49 + 2048). */
  nsamples: () => number | 'auto';
}): Promise<DigitExplainer> {
  const { test } = await loadDigitSplit({ seed: options.seed, digits: [0, 1, 2, 3, 4], testLimit: 200 });
  const backbone = await loadBackbone(options);
  const learner = new Learner(backbone.model, { loss: 'crossEntropy', inputShape: [1, 28, 28] });
  let index = -1;
  return {
    async explainNext(step, run) {
      index = (index + Math.max(1, step)) % test.X.rows;
      const image = test.X.data.subarray(index * 784, (index + 1) * 784);
      options.report(`Explaining test digit #${index + 1}…`);
      const model = async (X: { data: Float64Array | Float32Array; rows: number; cols: number }) => {
        await run.checkpoint();
        const out = await learner.predictAsync({
          data: Float32Array.from(X.data),
          rows: X.rows,
          cols: X.cols,
        });
        return probabilities(out, 'classScores').map((p) => Array.from(p));
      };
      const explanation = await explainImage(
        model,
        { data: image, height: 28, width: 28, channels: 1 },
        {
          patchSize: 4,
          baseline: 'zero',
          explainer: 'kernel',
          nsamples: options.nsamples(),
          seed: options.seed,
          outputNames: test.classes,
          signal: run.signal,
        },
      );
      if (run.aborted) return null;
      const truth = test.classes[test.y[index]];
      const said = test.classes[explanation.output];
      return {
        explanation,
        caption: `Test digit #${index + 1} is a ${truth}; the classifier (trained on digits 0–4) says ${said}. Each 4×4 patch is a player: red patches pushed the score for ${said} up, blue ones down; hidden patches are blacked out.`,
      };
    },
    dispose() {
      backbone.model.dispose();
    },
  };
}
