import { nextFrame } from './dom';

export type RunState = 'idle' | 'running' | 'paused' | 'done' | 'error';

/**
 * One training run that can pause and stop. The task calls `checkpoint()` between steps: it
 * hands the page a frame every ~30 ms (so training never freezes the UI) and waits while
 * paused. `stop()` aborts the task and resolves when it has really finished, so the caller
 * can dispose the tensors the task was using.
 */
export class Run {
  private readonly controller = new AbortController();
  private paused = false;
  private resumeWaiters: (() => void)[] = [];
  private lastYield = performance.now();
  readonly finished: Promise<void>;
  state: RunState = 'running';
  /** How many times the run was paused: a clock that leaves pauses out compares it across a checkpoint. */
  pauses = 0;

  constructor(
    task: (run: Run) => Promise<void>,
    private readonly onState: (state: RunState, error?: unknown) => void = () => {},
  ) {
    onState('running');
    this.finished = (async () => {
      // Let the caller finish wiring up before the task starts.
      await Promise.resolve();
      try {
        await task(this);
        this.setState('done');
      } catch (error) {
        if (this.aborted) this.setState('done');
        else this.setState('error', error);
      }
    })();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get aborted(): boolean {
    return this.controller.signal.aborted;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  private setState(state: RunState, error?: unknown): void {
    this.state = state;
    this.onState(state, error);
  }

  pause(): void {
    if (this.state !== 'running') return;
    this.paused = true;
    this.pauses += 1;
    this.setState('paused');
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.setState('running');
    for (const wake of this.resumeWaiters.splice(0)) wake();
  }

  /** Aborts and waits for the task to return. */
  async stop(): Promise<void> {
    this.controller.abort();
    this.resume();
    await this.finished;
  }

  /** Between steps: yield a frame when due, wait while paused. False once the run is aborted. */
  async checkpoint(force = false): Promise<boolean> {
    if (force || performance.now() - this.lastYield > 30) {
      await nextFrame();
      this.lastYield = performance.now();
    }
    while (this.paused && !this.aborted) {
      await new Promise<void>((resolve) => this.resumeWaiters.push(resolve));
    }
    return !this.aborted;
  }
}
