/**
 * The longest a thread that waits for the other side spins before it sleeps. Waking a sleeping
 * thread cost the waker about 1 ms of CPU on the 2-vCPU virtual machine this was measured on
 * (Atomics.notify with the sleeper on the other, idle vCPU: a quarter of an MLP step), and a
 * thread that is still spinning is seen at once and costs nothing to wake. But when other
 * processes hold the cores, a spinner only takes CPU time from the thread it waits for; hence
 * the adaptive budget below.
 */
export const MAX_SPIN_MS = 1;

/**
 * Spin-then-sleep waiting with an adaptive budget, like an adaptive mutex: a spin that ends
 * because the value changed grows the budget (up to `maxMs`); one that runs out halves it, so a
 * loaded machine, where waits outlast any spin, soon sleeps at once. `maxMs` 0 never spins.
 */
export class SpinWaiter {
  private budget: number;

  constructor(private readonly maxMs = MAX_SPIN_MS) {
    this.budget = maxMs;
  }

  /** The current spin budget in milliseconds. */
  get budgetMs(): number {
    return this.budget;
  }

  /** Spins while `array[index] === value`, for at most the budget; true when the value changed. */
  spin(array: Int32Array, index: number, value: number): boolean {
    if (Atomics.load(array, index) !== value) return true;
    if (this.budget < 0.01) {
      // Nearly off: try a full spin now and then, in case the machine has become idle.
      this.budget = Math.random() < 0.02 ? this.maxMs : 0;
      if (this.budget === 0) return false;
    }
    const end = performance.now() + this.budget;
    for (;;) {
      for (let i = 0; i < 500; i++) {
        if (Atomics.load(array, index) !== value) {
          this.budget = Math.min(this.maxMs, this.budget * 1.5);
          return true;
        }
      }
      if (performance.now() > end) {
        this.budget /= 2;
        return false;
      }
    }
  }
}
