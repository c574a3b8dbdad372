import { beforeAll, describe, expect, it } from 'vitest';
import { Run, type RunState } from './run';

beforeAll(() => {
  // Node has no frames; a macrotask stands in for one.
  globalThis.requestAnimationFrame ??= ((cb: FrameRequestCallback) =>
    setTimeout(() => cb(performance.now()), 1) as unknown as number) as typeof requestAnimationFrame;
});

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('Run', () => {
  it('pauses between steps, resumes, and stop() waits for the task to return', async () => {
    const states: RunState[] = [];
    let steps = 0;
    let returned = false;
    const run = new Run(
      async (self) => {
        while (await self.checkpoint(true)) steps++;
        returned = true;
      },
      (s) => states.push(s),
    );
    await tick();
    expect(steps).toBeGreaterThan(0);
    run.pause();
    await tick();
    const paused = steps;
    await tick();
    expect(steps).toBe(paused);
    run.resume();
    await tick();
    expect(steps).toBeGreaterThan(paused);
    await run.stop();
    expect(returned).toBe(true);
    expect(states).toEqual(['running', 'paused', 'running', 'done']);
  });

  it('reports a failing task as an error with the error itself, and a stopped one as done', async () => {
    let seen: unknown;
    const failing = new Run(
      async () => {
        throw new Error('shader failed');
      },
      (state, error) => {
        if (state === 'error') seen = error;
      },
    );
    await failing.finished;
    expect(failing.state).toBe('error');
    expect((seen as Error).message).toBe('shader failed');
    const stopped = new Run(async (self) => {
      await self.checkpoint(true);
      throw new Error('aborted work may throw');
    });
    await stopped.stop();
    expect(stopped.state).toBe('done');
  });
});
