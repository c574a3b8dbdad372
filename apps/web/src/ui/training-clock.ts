import { readout } from './controls';
import { h } from './dom';

/**
 * Elapsed training time and images per second, for the readouts. Time spent paused does not
 * count: the page calls `tick` when a batch ends and `resume` once its checkpoint lets it go on.
 */
export class TrainingClock {
  private activeMs = 0;
  private last: number | null = null;
  images = 0;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Starts (or restarts) the clock at zero. */
  start(): void {
    this.activeMs = 0;
    this.images = 0;
    this.last = this.now();
  }

  /** `images` more were trained on since the last tick. */
  tick(images: number): void {
    const t = this.now();
    if (this.last !== null) this.activeMs += t - this.last;
    this.last = t;
    this.images += images;
  }

  /** Back from a pause: the time since the last tick was not training. */
  resume(): void {
    this.last = this.now();
  }

  get seconds(): number {
    return this.activeMs / 1000;
  }

  get imagesPerSecond(): number {
    return this.activeMs > 0 ? this.images / this.seconds : 0;
  }
}

/** The two readouts ("Elapsed", "Images/s") a training page shows, fed from a clock. */
export function clockReadouts(clock: TrainingClock) {
  const elapsed = readout('Elapsed', 'elapsed');
  const rate = readout('Images/s', 'images-per-second');
  return {
    els: [elapsed.el, rate.el] as HTMLElement[],
    show(): void {
      elapsed.set(`${clock.seconds.toFixed(1)} s`);
      elapsed.el.querySelector('output')!.dataset.value = String(clock.seconds);
      rate.set(Math.round(clock.imagesPerSecond).toLocaleString('en-US'));
      rate.el.querySelector('output')!.dataset.value = String(clock.imagesPerSecond);
    },
    clear(): void {
      elapsed.set('–');
      rate.set('–');
    },
    container: () => h('div', { class: 'readouts' }, elapsed.el, rate.el),
  };
}
