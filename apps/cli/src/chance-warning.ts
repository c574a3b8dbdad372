import type { Module } from '@descent/layers';
import { tf } from '@descent/tensor';

/**
 * Weights this large in an MLP on scaled inputs mean the steps overshot: trained nets of the
 * course's sets stay within about ±5 (penguins ±1.3, moons ±3; --lr 10 with sgd reaches 125).
 */
export const EXPLODED_WEIGHT = 100;

/** The largest |weight| of the model. */
export function largestWeight(model: Module): number {
  let largest = 0;
  for (const p of model.parameters()) {
    const m = tf.tidy(() => tf.max(tf.abs(p.variable)));
    largest = Math.max(largest, m.dataSync()[0]);
    m.dispose();
  }
  return largest;
}

/** The share of the most common class among class indices: what always guessing it scores. */
export function majorityShare(labels: ArrayLike<number>): number {
  const counts = new Map<number, number>();
  for (let i = 0; i < labels.length; i++) counts.set(labels[i], (counts.get(labels[i]) ?? 0) + 1);
  return labels.length === 0 ? 0 : Math.max(...counts.values()) / labels.length;
}

/**
 * The warning for a classifier that trained without diverging yet ended no better than chance on
 * held-out rows, with exploding weights: the run finished, but its model is useless. Undefined
 * when either sign is missing.
 */
export function chanceWarning(
  model: Module,
  accuracy: number,
  heldOutLabels: ArrayLike<number>,
  lr: number,
): string | undefined {
  const chance = majorityShare(heldOutLabels);
  if (!(accuracy <= chance + 0.02)) return undefined;
  const largest = largestWeight(model);
  if (!(largest > EXPLODED_WEIGHT)) return undefined;
  const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
  return (
    `warning: held-out accuracy ${pct(accuracy)} is at chance level (always guessing the most common class scores ${pct(chance)}) ` +
    `and the weights reach ${largest.toPrecision(2)} (trained nets stay within ±${EXPLODED_WEIGHT}): ` +
    `the steps overshot; this model is useless. Try a smaller --lr than ${lr}.`
  );
}
