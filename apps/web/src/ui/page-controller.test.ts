import { initBackend, tf } from '@descent/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { PageController, type TrainerView, type Work } from './page-controller';
import type { RunState } from './run';

beforeAll(async () => {
  // Node has no frames; a macrotask stands in for one.
  globalThis.requestAnimationFrame ??= ((cb: FrameRequestCallback) =>
    setTimeout(() => cb(performance.now()), 1) as unknown as number) as typeof requestAnimationFrame;
  await initBackend();
});

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

/** A Start bar stood in for: the states it was shown, and its three buttons. */
function fakeBar() {
  const states: RunState[] = [];
  let buttons = { start: () => {}, pause: () => {}, reset: () => {} };
  const view: TrainerView = {
    setState: (s) => states.push(s),
    bind: (actions) => {
      buttons = actions;
    },
  };
  return { view, states, click: (name: 'start' | 'pause' | 'reset') => buttons[name]() };
}

function controller() {
  const errors: { error: unknown; doing: string }[] = [];
  const page = new PageController({
    report: (error, doing) => errors.push({ error, doing }),
    countTensors: () => tf.memory().numTensors,
  });
  return { page, errors };
}

/** A page's work that makes a tensor per step and keeps the last one, as a training page does. */
function countingWork(limit = Number.POSITIVE_INFINITY) {
  let weight: tf.Tensor | null = null;
  const calls: string[] = [];
  const work: Work = {
    doing: 'training',
    prepare: () => {
      calls.push('prepare');
      weight ??= tf.zeros([4]);
    },
    train: async (run) => {
      let steps = 0;
      while (steps < limit && (await run.checkpoint(true))) {
        const next = tf.add(weight!, 1);
        weight!.dispose();
        weight = next;
        steps++;
      }
    },
    reset: () => {
      calls.push('reset');
      weight?.dispose();
      weight = null;
    },
  };
  return { work, calls, value: () => (weight ? weight.dataSync()[0] : null) };
}

describe('PageController and its trainers', () => {
  it('start → pause → resume → reset → leave, with the bar shown each state', async () => {
    const { page, errors } = controller();
    const bar = fakeBar();
    const { work, calls, value } = countingWork();
    const trainer = page.trainer(work, bar.view);
    page.onLeave(() => work.reset?.());
    expect(trainer.state).toBe('idle');
    bar.click('start');
    await tick();
    expect(trainer.state).toBe('running');
    bar.click('pause');
    await tick();
    const paused = value()!;
    expect(paused).toBeGreaterThan(0);
    await tick();
    expect(value()).toBe(paused);
    expect(trainer.state).toBe('paused');
    // Start on a paused run resumes it (no second prepare).
    bar.click('start');
    await tick();
    expect(value()).toBeGreaterThan(paused);
    await trainer.reset();
    expect(value()).toBeNull();
    expect(trainer.state).toBe('idle');
    expect(calls).toEqual(['prepare', 'reset']);
    const report = await page.leave();
    expect(report.after).toBe(report.before);
    expect(bar.states).toEqual(['idle', 'running', 'paused', 'running', 'done', 'idle']);
    expect(errors).toEqual([]);
  });

  it('a second Start while running does nothing; a finished run is prepared afresh', async () => {
    const { page } = controller();
    const { work, calls } = countingWork(3);
    const trainer = page.trainer(work, fakeBar().view);
    await trainer.start();
    await trainer.start();
    await trainer.run!.finished;
    expect(trainer.state).toBe('done');
    await trainer.start();
    await trainer.run!.finished;
    expect(calls).toEqual(['prepare', 'prepare']);
    work.reset?.();
    await page.leave();
  });

  it('leaving mid-run stops the run before the teardowns, and every tensor is freed', async () => {
    const { page } = controller();
    const first = countingWork();
    const second = countingWork();
    const a = page.trainer(first.work, fakeBar().view);
    const b = page.trainer(second.work, fakeBar().view);
    const order: string[] = [];
    page.onLeave(() => {
      order.push('first');
      first.work.reset?.();
    });
    page.onLeave(() => {
      // Both runs have returned: nothing still writes the tensors freed here.
      order.push(`second (runs: ${a.run?.state}, ${b.run?.state})`);
      second.work.reset?.();
    });
    const grid = tf.ones([8]);
    page.onLeave(() => grid.dispose());
    await a.start();
    await b.start();
    b.pause();
    await tick();
    expect(tf.memory().numTensors).toBeGreaterThan(page.tensorsAtEnter);
    const report = await page.leave();
    expect(order).toEqual(['second (runs: done, done)', 'first']);
    expect(report).toEqual({ before: page.tensorsAtEnter, after: page.tensorsAtEnter });
    // Left: Start and Reset do nothing more (no run over freed tensors).
    await a.start();
    await a.reset();
    expect(first.calls).toEqual(['prepare', 'reset']);
    expect(tf.memory().numTensors).toBe(page.tensorsAtEnter);
  });

  it('a leak shows in the leave report', async () => {
    const { page } = controller();
    const kept = tf.zeros([2]);
    const report = await page.leave();
    expect(report.after - report.before).toBe(1);
    kept.dispose();
  });

  it('errors surface: a failing run, prepare, reset or teardown is reported with what it was doing', async () => {
    const { page, errors } = controller();
    const bar = fakeBar();
    const trainer = page.trainer(
      {
        doing: 'the animation',
        resetting: 'building the networks',
        train: async () => {
          throw new Error('shader failed');
        },
        reset: () => {
          throw new Error('no data');
        },
      },
      bar.view,
    );
    await trainer.start();
    await trainer.run!.finished;
    expect(trainer.state).toBe('error');
    await trainer.reset();
    const refusing = page.trainer(
      {
        doing: 'training',
        prepare: () => {
          throw new Error('bad hidden layers');
        },
        train: async () => {},
      },
      fakeBar().view,
    );
    await refusing.start();
    expect(refusing.run).toBeNull();
    page.onLeave(() => {
      throw new Error('already freed');
    });
    let later = false;
    page.onLeave(() => {
      later = true;
    });
    await page.leave();
    expect(later).toBe(true);
    expect(errors.map((e) => [(e.error as Error).message, e.doing])).toEqual([
      ['shader failed', 'the animation'],
      ['no data', 'building the networks'],
      ['bad hidden layers', 'training'],
      ['already freed', 'leaving the page'],
    ]);
    expect(bar.states).toEqual(['idle', 'running', 'error', 'idle']);
  });

  it('prepare returning false starts nothing; a page left while preparing starts nothing', async () => {
    const { page } = controller();
    let trained = false;
    const declined = page.trainer(
      { doing: 'training', prepare: () => false, train: async () => void (trained = true) },
      fakeBar().view,
    );
    await declined.start();
    let release = () => {};
    const slow = page.trainer(
      {
        doing: 'training',
        prepare: () => new Promise<void>((resolve) => (release = resolve)),
        train: async () => void (trained = true),
      },
      fakeBar().view,
    );
    const starting = slow.start();
    await page.leave();
    release();
    await starting;
    expect(slow.run).toBeNull();
    expect(trained).toBe(false);
  });
});
