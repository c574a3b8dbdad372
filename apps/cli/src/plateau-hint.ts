import { adaptiveOptimizers, type OptimizerName } from '@descent/train';

/** The run's settings and losses that decide which advice can help. */
export interface PlateauRun {
  optimizer: OptimizerName;
  hidden: number[];
  /** Training loss per epoch. */
  losses: number[];
  /** The targets, to tell a prediction stuck at their mean. */
  y: Float32Array;
}

/**
 * The classic plateau: a constant prediction at the mean of the targets scores exactly their
 * variance. Returns the hint's lines, or [] when the run is not stuck there. Each suggestion fits
 * the run: an adaptive optimizer only if another was used, more units only for a narrow net,
 * more epochs only if the loss was still falling over the last tenth of them. The advice is
 * measured by bench/dosage-seeds.mjs (results in bench/RESULTS.md): over seeds 0-29 the dosage
 * net fits far more often with Adam than with SGD, and more often still with four hidden units.
 */
export function plateauHint(run: PlateauRun): string[] {
  const { y, losses } = run;
  const mean = y.reduce((a, b) => a + b, 0) / y.length;
  const variance = y.reduce((a, b) => a + (b - mean) ** 2, 0) / y.length;
  const last = losses[losses.length - 1];
  if (!(variance > 0) || !(Math.abs(last - variance) < 0.05 * variance)) return [];
  const tail = losses[Math.max(0, Math.floor(losses.length * 0.9) - 1)];
  const falling = tail - last > 0.01 * variance;
  const tries: string[] = [];
  if (!adaptiveOptimizers.includes(run.optimizer)) tries.push('--optimizer adam --lr 0.05');
  if (Math.max(...run.hidden, 0) < 4)
    tries.push(`--hidden ${run.hidden.map((w) => Math.max(w, 4)).join(',') || 4}`);
  if (falling) tries.push('more --epochs');
  tries.push('another --seed');
  const list = tries.length > 1 ? `${tries.slice(0, -1).join(', ')} or ${tries[tries.length - 1]}` : tries[0];
  return [
    'the network predicts the mean of the targets (loss ≈ their variance): its hidden units',
    `are not bending the curve${falling ? '' : ', and the loss has stopped falling'}.`,
    `Try ${list}.`,
  ];
}
