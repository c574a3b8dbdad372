import type { ModuleConfig } from '@descent/layers';
import type { HostData } from '../data';
import type { OutputKind } from '../output';
import type { Layout, SharedBuffers } from './shared-layout';

/** One state-dict entry sent once at start (frozen parameters included). */
export interface StateEntry {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  values: Float32Array | Int32Array;
}

/** What a worker gets at start (`workerData`): everything to build its replica, once. */
export interface WorkerInit {
  /** This worker's replica number, 1.. (the main thread is replica 0). */
  replica: number;
  /** The tfjs backend the main thread runs on. */
  backend: string;
  /** Module URLs to import before building the model (they register layer types). */
  imports: string[];
  config: ModuleConfig;
  state: StateEntry[];
  loss: string;
  /** The Learner's `compile` option: run the model and the loss compiled. */
  compiled: boolean;
  outputKind: OutputKind;
  inputShape?: number[];
  /** Seeds the replica's global generator and its seeded Dropout layers (mixed with `replica`). */
  seed: number;
  /** The longest spin before sleeping while waiting for the next step (0: sleep at once). */
  spinMs: number;
  layout: Layout;
  shared: SharedBuffers;
  data: HostData;
}

/** Messages from a worker. Steps never post: they go through shared memory and Atomics. */
export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'error'; phase: 'start' | 'step'; message: string; stack?: string };
