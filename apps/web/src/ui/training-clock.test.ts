import { describe, expect, it } from 'vitest';
import { TrainingClock } from './training-clock';

describe('TrainingClock', () => {
  it('counts images per second of training, leaving pauses out', () => {
    let t = 0;
    const clock = new TrainingClock(() => t);
    clock.start();
    t = 500;
    clock.tick(100);
    t = 1000;
    clock.tick(100);
    expect(clock.seconds).toBe(1);
    expect(clock.imagesPerSecond).toBe(200);
    t = 60_000; // paused for a minute
    clock.resume();
    t = 61_000;
    clock.tick(200);
    expect(clock.seconds).toBe(2);
    expect(clock.imagesPerSecond).toBe(200);
  });

  it('reads zero before any training', () => {
    const clock = new TrainingClock(() => 5);
    clock.start();
    expect(clock.imagesPerSecond).toBe(0);
    expect(clock.seconds).toBe(0);
  });
});
