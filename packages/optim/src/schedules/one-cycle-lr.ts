import { argumentError, checkOptions } from '@descent/tensor';
import type { Optimizer } from '../optimizer';
import { above, bool, fraction, positiveInt } from '../validate';
import { LRScheduler } from './lr-scheduler';

/** How OneCycleLR anneals between rates: cosine or linear. */
export type AnnealStrategy = 'cos' | 'linear';

/** Options of OneCycleLR, as in PyTorch: the peak rate, the cycle length and the shape of the cycle. */
export interface OneCycleLROptions {
  maxLr: number;
  /** Steps in the whole cycle; or give `epochs` and `stepsPerEpoch`. */
  totalSteps?: number;
  epochs?: number;
  stepsPerEpoch?: number;
  pctStart?: number;
  annealStrategy?: AnnealStrategy;
  divFactor?: number;
  finalDivFactor?: number;
  threePhase?: boolean;
  /** Cycle momentum (SGD, RMSprop) or beta1 (Adam, AdamW) inversely to the rate; PyTorch's default. */
  cycleMomentum?: boolean;
  baseMomentum?: number;
  maxMomentum?: number;
}

interface Phase {
  endStep: number;
  startLr: number;
  endLr: number;
  startMomentum: number;
  endMomentum: number;
}

const KEYS = [
  'maxLr',
  'totalSteps',
  'epochs',
  'stepsPerEpoch',
  'pctStart',
  'annealStrategy',
  'divFactor',
  'finalDivFactor',
  'threePhase',
  'cycleMomentum',
  'baseMomentum',
  'maxMomentum',
] as const;

const anneals: Record<AnnealStrategy, (start: number, end: number, pct: number) => number> = {
  cos: (start, end, pct) => end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1),
  linear: (start, end, pct) => (end - start) * pct + start,
};

type MomentumHolder = { betas?: [number, number]; momentum?: number };

/**
 * The 1cycle policy with PyTorch's phases: the rate rises from maxLr / divFactor to maxLr by step
 * pctStart * totalSteps - 1, then anneals to (maxLr / divFactor) / finalDivFactor at step
 * totalSteps - 1. With `threePhase` it comes back down to the initial rate symmetrically first
 * and only the last phase goes to the minimum. Call `step()` once per batch; stepping past
 * `totalSteps` is an error, as in PyTorch. Momentum (SGD, RMSprop) or beta1 (Adam, AdamW) cycles
 * the other way, between `maxMomentum` and `baseMomentum`, unless `cycleMomentum` is false.
 */
export class OneCycleLR extends LRScheduler {
  readonly maxLr: number;
  readonly totalSteps: number;
  readonly initialLr: number;
  readonly minLr: number;
  readonly annealStrategy: AnnealStrategy;
  readonly cycleMomentum: boolean;
  private readonly phases: Phase[];

  constructor(optimizer: Optimizer, options: OneCycleLROptions) {
    checkOptions('OneCycleLR', options, KEYS);
    super(optimizer);
    const o = options ?? ({} as OneCycleLROptions);
    this.maxLr = above('options.maxLr', o.maxLr, 0);
    if (o.totalSteps !== undefined) {
      this.totalSteps = positiveInt('options.totalSteps', o.totalSteps);
    } else if (o.epochs !== undefined || o.stepsPerEpoch !== undefined) {
      this.totalSteps =
        positiveInt('options.epochs', o.epochs) * positiveInt('options.stepsPerEpoch', o.stepsPerEpoch);
    } else {
      throw argumentError(
        'options.totalSteps',
        'a positive integer (or epochs and stepsPerEpoch)',
        undefined,
      );
    }
    const pctStart = fraction('options.pctStart', o.pctStart ?? 0.3);
    const strategy = o.annealStrategy ?? 'cos';
    if (strategy !== 'cos' && strategy !== 'linear')
      throw argumentError('options.annealStrategy', '"cos" or "linear"', strategy);
    this.annealStrategy = strategy;
    this.initialLr = this.maxLr / above('options.divFactor', o.divFactor ?? 25, 0);
    this.minLr = this.initialLr / above('options.finalDivFactor', o.finalDivFactor ?? 1e4, 0);
    this.cycleMomentum = bool('options.cycleMomentum', o.cycleMomentum ?? true);
    const baseM = fraction('options.baseMomentum', o.baseMomentum ?? 0.85);
    const maxM = fraction('options.maxMomentum', o.maxMomentum ?? 0.95);
    if (this.cycleMomentum) {
      const holder = optimizer as unknown as MomentumHolder;
      if (!('betas' in holder) && !('momentum' in holder)) {
        throw argumentError(
          'optimizer',
          'one with momentum or betas when cycleMomentum is true',
          optimizer.kind,
        );
      }
    }
    const total = this.totalSteps;
    const up = pctStart * total - 1;
    const { initialLr: init, maxLr: max, minLr: min } = this;
    const threePhase = bool('options.threePhase', o.threePhase ?? false);
    this.phases = threePhase
      ? [
          { endStep: up, startLr: init, endLr: max, startMomentum: maxM, endMomentum: baseM },
          {
            endStep: 2 * pctStart * total - 2,
            startLr: max,
            endLr: init,
            startMomentum: baseM,
            endMomentum: maxM,
          },
          { endStep: total - 1, startLr: init, endLr: min, startMomentum: maxM, endMomentum: maxM },
        ]
      : [
          { endStep: up, startLr: init, endLr: max, startMomentum: maxM, endMomentum: baseM },
          { endStep: total - 1, startLr: max, endLr: min, startMomentum: baseM, endMomentum: maxM },
        ];
    this.base = this.initialLr;
    this.bases = this.bases.map(() => this.initialLr);
    this.start();
  }

  /** The same in every group: one `maxLr` for all (PyTorch's scalar max_lr). */
  lrAt(epoch: number): number {
    return this.at(epoch).lr;
  }

  /** The momentum (or beta1) at step `epoch` when cycling. */
  momentumAt(epoch: number): number {
    return this.at(epoch).momentum;
  }

  private at(epoch: number): { lr: number; momentum: number } {
    if (epoch > this.totalSteps) {
      throw new Error(`OneCycleLR: stepped ${epoch} times, more than totalSteps (${this.totalSteps})`);
    }
    const anneal = anneals[this.annealStrategy];
    let startStep = 0;
    for (let i = 0; i < this.phases.length; i++) {
      const phase = this.phases[i];
      if (epoch <= phase.endStep || i === this.phases.length - 1) {
        // A zero-length phase (pctStart 0 or 1) is already at its end. PyTorch lets the final
        // step() (to totalSteps, after the last batch) extrapolate the last phase, which with
        // linear annealing makes the rate negative; the rate stays at the minimum instead.
        const span = phase.endStep - startStep;
        const pct = span === 0 ? 1 : Math.min(1, (epoch - startStep) / span);
        return {
          lr: anneal(phase.startLr, phase.endLr, pct),
          momentum: anneal(phase.startMomentum, phase.endMomentum, pct),
        };
      }
      startStep = phase.endStep;
    }
    throw new Error('OneCycleLR: no phase');
  }

  protected override onStep(epoch: number): void {
    if (!this.cycleMomentum) return;
    const m = this.momentumAt(epoch);
    const holder = this.optimizer as unknown as MomentumHolder;
    if ('betas' in holder && holder.betas) holder.betas = [m, holder.betas[1]];
    else holder.momentum = m;
  }
}
