/**
 * sysexits-style exit codes, used by every faultline command.
 * 0/1/2 speak about the outcome; 64+ about the user's input or environment.
 */
export const Exit = {
  /** The outcome is what the scenario expects (or: linearizable, replayed, ...). */
  OK: 0,
  /** The outcome is not what was expected (an unexpected violation, a missed bug, drift). */
  UNEXPECTED: 1,
  /** A check ran out of budget: no verdict. */
  UNKNOWN: 2,
  /** Usage error: unknown command, scenario, variant or flag; a malformed seed. */
  USAGE: 64,
  /** Malformed input data. */
  DATA: 65,
  /** An input file that does not exist or cannot be read. */
  NO_INPUT: 66,
  /** An output that cannot be written. */
  CANT_CREATE: 73,
} as const;
export type ExitCode = (typeof Exit)[keyof typeof Exit];

/** An error meant for the user: printed as one line on stderr, then exit with `code`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly code: ExitCode,
  ) {
    super(message);
  }
}

export const usageError = (msg: string): CliError => new CliError(msg, Exit.USAGE);
export const dataError = (msg: string): CliError => new CliError(msg, Exit.DATA);
export const noInputError = (msg: string): CliError => new CliError(msg, Exit.NO_INPUT);
export const cantCreateError = (msg: string): CliError => new CliError(msg, Exit.CANT_CREATE);

/** Parses a seed: a non-negative safe integer, nothing else. */
export function parseSeed(text: string): number {
  if (/^\d+$/.test(text) && !Number.isSafeInteger(Number(text))) {
    throw usageError(`seed ${text} is too large: seeds go up to ${Number.MAX_SAFE_INTEGER} (2^53-1)`);
  }
  if (!/^\d+$/.test(text)) {
    throw usageError(`seed must be a non-negative integer, got '${text}'`);
  }
  return Number(text);
}
