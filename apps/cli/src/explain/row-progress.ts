import cliProgress from 'cli-progress';

export interface RowProgress {
  update(progress: { done: number; total: number }): void;
  stop(): void;
}

const quietProgress: RowProgress = { update() {}, stop() {} };

/**
 * A progress bar over explained rows on stderr; off a terminal, a plain line every 10% instead,
 * so logs stay readable (as the training bar does).
 */
export function rowProgress(
  label: string,
  { quiet = false, stream = process.stderr }: { quiet?: boolean; stream?: NodeJS.WriteStream } = {},
): RowProgress {
  if (quiet) return quietProgress;
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `${label} |{bar}| {value}/{total} rows | ETA {eta_formatted}`,
      barsize: 24,
      hideCursor: true,
      clearOnComplete: false,
      noTTYOutput: false,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let lastDecile = -1;
  return {
    update({ done, total }) {
      if (stream.isTTY) {
        if (!started) bar.start(total, 0);
        started = true;
        bar.update(done);
        return;
      }
      const decile = Math.floor((10 * done) / total);
      if (decile !== lastDecile) {
        lastDecile = decile;
        stream.write(`${label}: ${done}/${total} rows\n`);
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
