#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { version } from '../package.json';
import { evaluateCommand } from './commands/evaluate';
import { explainCommand } from './commands/explain';
import { exportCommand } from './commands/export';
import { finetuneCommand } from './commands/finetune';
import { gdCommand } from './commands/gd';
import { infoCommand } from './commands/info';
import { lrFindCommand } from './commands/lr-find';
import { predictCommand } from './commands/predict';
import { trainCommand } from './commands/train';
import { StoppedRun } from './stopped-run';
import { UsageError } from './usage-error';

/** The `descent` command and its sub-commands. */
export function program(): Command {
  const root = new Command('descent')
    .description('descent: deep learning from the course, for real — train, predict, walk downhill')
    .version(version)
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', '\nThe backend can be forced with DESCENT_BACKEND=wasm|cpu.');
  for (const command of [
    trainCommand(),
    predictCommand(),
    evaluateCommand(),
    explainCommand(),
    finetuneCommand(),
    lrFindCommand(),
    gdCommand(),
    infoCommand(),
    exportCommand(),
  ]) {
    root.addCommand(command.showHelpAfterError('(add --help for usage)').exitOverride());
  }
  // Commander's own errors (unknown flags, missing values) exit 2, like ours.
  root.exitOverride();
  return root;
}

/** Runs the CLI and returns its exit status: 0 ok, 1 failure, 2 bad usage, 130 interrupted. */
export async function main(argv: string[]): Promise<number> {
  const root = program();
  try {
    await root.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version are "errors" to commander; they already printed.
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof StoppedRun) {
      process.stderr.write(`descent: ${err.message}\n`);
      return err.exitCode;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`descent: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`descent: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

/**
 * Whether node started this file (`descent`, `node dist/main.js`) rather than importing it (the
 * tests, index.ts): Python's `if __name__ == '__main__'`. npm installs `descent` in a .bin folder
 * as a symlink to dist/main.js, so real paths are compared.
 */
function isProcessEntry(): boolean {
  const started = process.argv[1];
  if (started === undefined) return false;
  try {
    return realpathSync(started) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isProcessEntry()) {
  // `descent ... | head` closes the pipe early: that is the reader's choice, not a failure.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  // No top-level await: index.ts bundles this file too, and a module with one cannot be require()d.
  main(process.argv).then((status) => {
    process.exitCode = status;
  });
}
