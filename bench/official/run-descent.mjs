// One `descent train --dataset <name>` run with the CLI's defaults, in this process, for
// bench/mnist-official.mjs. Prints one JSON line: whole-process wall (from Node's start: module
// loading, the backend, reading the IDX files, training, the 10,000-image test set), training
// seconds, test accuracy, peak RSS. Extra CLI flags may follow, e.g. --workers 2.
//   node bench/official/run-descent.mjs mnist|fashion-mnist [--flag value ...]
import { Writable } from 'node:stream';
import { imageTrainOptions, runTrainImages } from '../../apps/cli/dist/index.js';

const [dataset, ...rest] = process.argv.slice(2);
const flags = {};
for (let i = 0; i < rest.length; i += 2) {
  flags[rest[i].replace(/^--/, '').replace(/-(\w)/g, (_, c) => c.toUpperCase())] = rest[i + 1];
}
const options = imageTrainOptions({ dataset, quiet: true, ...flags });
const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
const result = await runTrainImages(options, sink);
console.log(
  JSON.stringify({
    runner: 'descent',
    backend: result.backend,
    workers: options.workers,
    recipe: {
      channels: options.channels,
      epochs: options.epochs,
      batchSize: options.batchSize,
      lr: options.lr,
      shift: options.shift,
      seed: options.seed,
    },
    wall: performance.now() / 1000,
    train: result.seconds,
    accuracy: result.test.accuracy,
    samplesPerSecond: result.samplesPerSecond,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
  }),
);
