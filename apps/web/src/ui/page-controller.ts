import { Run, type RunState } from './run';

/** What a page's Start bar runs: the page says what; the trainer says when. */
export interface Work {
  /** What the run is doing, as an error notice names it ("training", "the animation"). */
  doing: string;
  /**
   * Before a fresh run (not a resume): rewind finished work, build the models. Returning false
   * means there is nothing to run (the page has said why).
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: most pages' prepare returns nothing
  prepare?(): void | boolean | Promise<void | boolean>;
  /** The run itself: `run.checkpoint()` between steps; returns when finished or aborted. */
  train(run: Run): Promise<void>;
  /** Back to the starting point, once any run has stopped. */
  reset?(): void | Promise<void>;
  /** What a failing reset was doing ("building the networks"); `doing` when not given. */
  resetting?: string;
}

/** What a trainer shows: the Start bar (run-controls.ts), or a stand-in in tests. */
export interface TrainerView {
  setState(state: RunState): void;
  /** Wires the view's buttons to the trainer. */
  bind?(actions: { start(): void; pause(): void; reset(): void }): void;
}

export type ErrorReport = (error: unknown, doing: string) => void;

/**
 * Start, pause, resume and reset of one page's run: Start resumes a paused run, does nothing
 * while one runs, and otherwise prepares and starts a new one; Reset stops the run before the
 * page rewinds. Errors go to the page's report instead of vanishing in a promise.
 */
export class Trainer {
  private current: Run | null = null;
  private starting = false;
  state: RunState = 'idle';

  constructor(
    private readonly work: Work,
    private readonly view: TrainerView,
    private readonly report: ErrorReport,
    private readonly isLeft: () => boolean,
  ) {
    view.bind?.({
      start: () => void this.start(),
      pause: () => this.pause(),
      reset: () => void this.reset(),
    });
    view.setState('idle');
  }

  /** The run in progress (or the last one), for pages that hand it to a helper. */
  get run(): Run | null {
    return this.current;
  }

  private show(state: RunState): void {
    this.state = state;
    this.view.setState(state);
  }

  async start(): Promise<void> {
    if (this.current?.isPaused) {
      this.resume();
      return;
    }
    if (this.current?.state === 'running' || this.starting || this.isLeft()) return;
    this.starting = true;
    try {
      if ((await this.work.prepare?.()) === false) return;
    } catch (error) {
      this.show('error');
      this.report(error, this.work.doing);
      return;
    } finally {
      this.starting = false;
    }
    // The page may have been left while it prepared: its tensors are already freed.
    if (this.isLeft()) return;
    this.current = new Run(
      (run) => this.work.train(run),
      (state, error) => {
        if (this.isLeft()) return;
        this.show(state);
        if (state === 'error') this.report(error, this.work.doing);
      },
    );
  }

  pause(): void {
    this.current?.pause();
  }

  resume(): void {
    this.current?.resume();
  }

  /** Stops the run (if any) and waits until it has returned. */
  async stop(): Promise<void> {
    await this.current?.stop();
  }

  /** Stops the run, then the page rewinds; a failing rewind is reported (the bar stays ready). */
  async reset(): Promise<void> {
    await this.stop();
    this.current = null;
    if (this.isLeft()) return;
    this.show('idle');
    try {
      await this.work.reset?.();
    } catch (error) {
      this.report(error, this.work.resetting ?? this.work.doing);
    }
  }
}

export interface LeaveReport {
  /** Live tensors when the page was entered. */
  before: number;
  /** Live tensors once its runs stopped and its teardowns ran. */
  after: number;
}

/**
 * One page's life, from entering to leaving: its trainers, what it frees when left, and the
 * tensor count that proves it freed everything. Created by the router as the page is entered
 * (so the count comes before the page makes a tensor).
 */
export class PageController {
  readonly tensorsAtEnter: number;
  private readonly trainers: Trainer[] = [];
  private readonly teardowns: (() => void | Promise<void>)[] = [];
  private left = false;

  constructor(
    private readonly options: {
      /** Where errors go (the app: an error notice). */
      report: ErrorReport;
      /** Live tensors now: tf.memory().numTensors in the app. */
      countTensors: () => number;
    },
  ) {
    this.tensorsAtEnter = options.countTensors();
  }

  /** A Start bar's trainer; the page calls `reset()` on it once its layout is built. */
  trainer(work: Work, view: TrainerView): Trainer {
    const trainer = new Trainer(work, view, this.options.report, () => this.left);
    this.trainers.push(trainer);
    return trainer;
  }

  /** Frees something when the page is left, after every run has stopped (last added, first run). */
  onLeave(free: () => void | Promise<void>): void {
    this.teardowns.push(free);
  }

  /**
   * Stops every run, waits for each to return, runs the teardowns, and counts the tensors left.
   * A teardown that throws is reported and the others still run.
   */
  async leave(): Promise<LeaveReport> {
    if (!this.left) {
      this.left = true;
      await Promise.all(this.trainers.map((t) => t.stop()));
      for (const free of this.teardowns.splice(0).reverse()) {
        try {
          await free();
        } catch (error) {
          this.options.report(error, 'leaving the page');
        }
      }
    }
    return { before: this.tensorsAtEnter, after: this.options.countTensors() };
  }
}
