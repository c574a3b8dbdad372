import type { Progress } from '@descent/train';
import cliProgress from 'cli-progress';

function duration(ms: number): string {
  if (!Number.isFinite(ms)) return '--';
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/**
 * A progress bar on stderr (epoch, loss, speed, ETA). Off a terminal it prints a plain line
 * every 10% instead, so logs stay readable.
 */
export function progressReporter(stream: NodeJS.WriteStream = process.stderr) {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: 'epoch {epoch}/{epochs} |{bar}| loss {loss} | {speed} samples/s | ETA {eta_h}',
      barsize: 24,
      hideCursor: true,
      clearOnComplete: false,
      noTTYOutput: false,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let lastDecile = -1;
  // The first batches pay for start-up (kernel compilation, caches) and would extrapolate to an
  // ETA of hours; no estimate until 2% of the batches (and at least 3) are done.
  const settled = (done: number, total: number) => done >= Math.max(3, 0.02 * total);
  const fields = (p: Progress, done: number, total: number) => ({
    epoch: p.epoch,
    epochs: p.epochs,
    loss: p.loss.toPrecision(4),
    speed: Math.round(p.samplesPerSecond).toLocaleString('en-US'),
    eta_h: settled(done, total) ? duration(p.etaMs) : '--',
  });
  return {
    update(p: Progress) {
      const done = (p.epoch - 1) * p.batches + p.batch;
      const total = p.epochs * p.batches;
      if (stream.isTTY) {
        if (!started) bar.start(total, 0, fields(p, done, total));
        started = true;
        bar.update(done, fields(p, done, total));
        return;
      }
      const decile = Math.floor((10 * done) / total);
      if (decile !== lastDecile) {
        lastDecile = decile;
        const f = fields(p, done, total);
        stream.write(`epoch ${f.epoch}/${f.epochs}  loss ${f.loss}  ${f.speed} samples/s  ETA ${f.eta_h}\n`);
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
