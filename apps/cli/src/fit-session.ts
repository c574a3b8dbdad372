import { type ActivationName, type Module, mlp } from '@descent/layers';
import type { Optimizer } from '@descent/optim';
import { initBackend } from '@descent/tensor';
import {
  type BundleInfo,
  createOptimizer,
  type EpochLogs,
  type FitOptions,
  Learner,
  type OptimizerName,
  type Progress,
  type TaskHead,
  type TrainingData,
  TrainingDivergedError,
} from '@descent/train';
import { saveBundle } from '@descent/train/node';
import { type CheckpointPlan, saveDiverged, saveInterrupted } from './checkpoint';
import { Interrupt, LastEpoch } from './interrupt';
import { checkMlpSize } from './parse';
import { type PlateauRun, plateauHint } from './plateau-hint';
import { progressReporter } from './progress';
import { type CallbackFlags, trainingCallbacks } from './training-callbacks';

/** The flags an MLP recipe (toy, tabular) trains with: the network, its optimizer and the fit. */
export interface MlpFlags extends CallbackFlags {
  hidden: number[];
  activation: ActivationName;
  optimizer: OptimizerName;
  lr: number;
  epochs: number;
  batchSize: number;
  seed: number;
}

/** What a tracked fit gets to stop cleanly on Ctrl-C or SIGTERM: pass both to the Learner. */
export interface FitGuard {
  /** Aborted once the interrupted fit should stop before its next batch. */
  signal: AbortSignal;
  /** A callback keeping the last finished epoch's weights. */
  lastEpoch: LastEpoch;
}

/**
 * What every `descent train` recipe (toy, tabular, image) shares once it has built its data and
 * model: the backend, the Learner, the progress bar around the fit, the summary lines, the
 * plateau hint and the saved bundle. A recipe opens a session, builds, trains through it, and
 * reports through it.
 */
export class FitSession {
  private constructor(
    /** The tensor backend the run trains on ('wasm', 'cpu', ...). */
    readonly backend: string,
    private readonly out: NodeJS.WritableStream,
    private readonly quiet: boolean,
  ) {}

  /** Starts the backend; `quiet` turns the progress bar off. */
  static async open(out: NodeJS.WritableStream, quiet: boolean): Promise<FitSession> {
    const backend = await initBackend();
    return new FitSession(backend.name, out, quiet);
  }

  /** A Learner that trains `model` with the head's loss and metrics. */
  learner(model: Module, head: TaskHead, optimizer: Optimizer, inputShape?: number[]): Learner {
    return new Learner(model, { loss: head.loss, optimizer, metrics: head.metrics, inputShape });
  }

  /**
   * Runs `train` with a progress bar on stderr, then stops the bar and frees the optimizer's
   * state however training ended. `train` gets the bar's update (undefined when quiet) and a
   * guard to hand the Learner. With a checkpoint plan, a run that diverges saves its last good
   * weights at `--out`, and one interrupted by Ctrl-C or SIGTERM its last finished epoch beside
   * it; both then end in a StoppedRun saying where.
   */
  async track<T>(
    optimizer: Optimizer,
    train: (onProgress: ((p: Progress) => void) | undefined, guard: FitGuard) => Promise<T>,
    plan: CheckpointPlan,
  ): Promise<{ result: T; seconds: number }> {
    const progress = progressReporter();
    const started = performance.now();
    const interrupt = new Interrupt();
    const lastEpoch = new LastEpoch(plan.model, interrupt);
    const guard: FitGuard = { signal: interrupt.signal, lastEpoch };
    interrupt.install();
    try {
      const result = await train(this.quiet ? undefined : (p) => progress.update(p), guard);
      if (interrupt.requested) {
        progress.stop();
        await saveInterrupted(plan, interrupt, lastEpoch);
      }
      return { result, seconds: (performance.now() - started) / 1000 };
    } catch (err) {
      if (err instanceof TrainingDivergedError) {
        progress.stop();
        await saveDiverged(plan, err);
      }
      throw err;
    } finally {
      interrupt.uninstall();
      lastEpoch.dispose();
      progress.stop();
      optimizer.dispose();
    }
  }

  /** One `learner.fit` over the data, tracked; its history and the seconds it took. */
  async fit(
    learner: Learner,
    data: TrainingData,
    options: Omit<FitOptions, 'onProgress'>,
    plan: CheckpointPlan,
  ): Promise<{ history: EpochLogs[]; seconds: number }> {
    if (!learner.optimizer) throw new Error('fit: the Learner has no optimizer');
    const { result, seconds } = await this.track(
      learner.optimizer,
      (onProgress, guard) =>
        learner.fit(data, {
          ...options,
          onProgress,
          signal: guard.signal,
          callbacks: [...(options.callbacks ?? []), guard.lastEpoch],
        }),
      plan,
    );
    return { history: result.history, seconds };
  }

  /**
   * An MLP from `inputs` features to the head's outputs, built and trained on `data` as the flags
   * say, tracked; the model and Learner stay the caller's. `checkpoint`: where and with what info
   * a run that stops early saves (see `track`), and what `--checkpoint`'s bundles record.
   */
  async fitMlp(
    o: MlpFlags,
    inputs: number,
    head: TaskHead,
    data: TrainingData,
    checkpoint: { out?: string; info: () => BundleInfo },
  ): Promise<{ model: Module; learner: Learner; history: EpochLogs[]; seconds: number }> {
    checkMlpSize('--hidden', [inputs, ...o.hidden, head.outputs]);
    const model = mlp({
      inputs,
      hidden: o.hidden,
      outputs: head.outputs,
      activation: o.activation,
      sigmoidOutput: head.sigmoidOutput,
      seed: o.seed,
    });
    const optimizer = createOptimizer(o.optimizer, model.trainableParameters(), { lr: o.lr });
    const learner = this.learner(model, head, optimizer);
    const callbacks = trainingCallbacks(o, checkpoint.info());
    const fitOptions = { epochs: o.epochs, batchSize: o.batchSize, seed: o.seed, callbacks };
    const plan = { ...checkpoint, model, epochs: o.epochs };
    try {
      const { history, seconds } = await this.fit(learner, data, fitOptions, plan);
      return { model, learner, history, seconds };
    } catch (err) {
      model.dispose();
      throw err;
    }
  }

  /** A line of the summary, its label in a column of its own; no label continues the last one. */
  fact(label: string, text: string): void {
    this.line(`${label.padEnd(10)} ${text}`);
  }

  line(text = ''): void {
    this.out.write(`${text}\n`);
  }

  /**
   * The command to run next on the bundle just saved, as a line to paste into a shell (on the
   * report stream, so never inside --json's document), and what else takes the bundle.
   */
  next(words: string[], then?: string): void {
    this.line(`next: ${words.map(shellWord).join(' ')}${then ? ` (${then})` : ''}`);
  }

  /** A warning on stderr: the run finished, but its result should not be trusted. */
  warn(text: string | undefined): void {
    if (text) process.stderr.write(`descent: ${text}\n`);
  }

  /** The plateau hint's lines, when the run is stuck predicting the mean of its targets. */
  hint(run: PlateauRun): void {
    plateauHint(run).forEach((line, i) => {
      this.fact(i === 0 ? 'hint' : '', line);
    });
  }

  /** Saves the model and what it needs to be read back as a bundle, and says where. */
  async save(dir: string, model: Module, info: BundleInfo): Promise<void> {
    await saveBundle(dir, model, info);
    this.line();
    this.fact('saved', `${dir}/model.json, ${dir}/model.safetensors`);
  }
}

/** One word of a shell command: as is when plain, else in single quotes. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

/** Metrics named for the bundle: { accuracy } as { testAccuracy }. */
export function testMetrics(values: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(values).map(([k, v]) => [`test${k[0].toUpperCase()}${k.slice(1)}`, v]),
  );
}
