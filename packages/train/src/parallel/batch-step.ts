import type { Optimizer } from '@descent/optim';
import type { HostData } from '../data';

/**
 * One batch's optimizer step inside `Learner.fit`: the batch loss, and the outputs when metrics
 * need them. `fitParallel` sets `learner.batchStep` to a data-parallel one for the length of a fit.
 */
export type BatchStep = (
  optimizer: Optimizer,
  data: HostData,
  indices: Int32Array,
  keepOutput: boolean,
) => Promise<{ loss: number; output?: Float32Array }>;
