/**
 * A run that ended early for a reason that is not a bad flag: training diverged (status 1) or
 * was interrupted by Ctrl-C or SIGTERM (status 130, as a shell reports a SIGINT). The message
 * says what was saved and where.
 */
export class StoppedRun extends Error {
  override name = 'StoppedRun';
  constructor(
    message: string,
    readonly exitCode: 1 | 130,
  ) {
    super(message);
  }
}
