import { CommanderError } from 'commander';
import { program } from './program';
import { UsageError } from './usage-error';

/** Runs the CLI and returns its exit status: 0 ok, 1 failure, 2 bad usage. */
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
    if (err instanceof UsageError) {
      process.stderr.write(`descent: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`descent: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
