import { Command, CommanderError } from 'commander';
import { CliError, Exit } from './exit-codes.ts';
import { commands } from './commands/index.ts';

/**
 * Builds the commander program. Each command lives in bin/commands/<name>.ts and exports a
 * `register(program)` that adds itself; its action returns the exit code.
 */
export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('faultline')
    .description('Deterministic simulation and model checking for realtime-consistency designs')
    .exitOverride()
    .showSuggestionAfterError(true)
    // Commander's own usage errors ("error: unknown command 'runn'", then "(Did you mean run?)"
    // on a second line) become one line like every other faultline error.
    .configureOutput({ writeErr: (s) => process.stderr.write(s.startsWith('error: ') ? `faultline: ${inertLine(s.trim().replace(/\s*\n\s*/g, ' '))}\n` : s) });
  for (const register of commands) register(program, setExit);
  return program;
}

/**
 * A closed or full standard output (`faultline list | head -1`, `> /dev/full`) is a failed
 * output: one line on stderr and exit 73, never an unhandled 'error' event with a stack trace.
 */
let stdoutGuarded = false;
function guardStdout(): void {
  if (stdoutGuarded) return;
  stdoutGuarded = true;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    try {
      process.stderr.write(`faultline: cannot write standard output: ${err.code ?? err.message}\n`);
    } catch {
      // stderr is gone too: nothing left to tell
    }
    process.exit(Exit.CANT_CREATE);
  });
}

/** Runs the CLI; returns the process exit code. Never lets a stack trace reach the user. */
export async function main(argv: readonly string[]): Promise<number> {
  guardStdout();
  let code: number = Exit.OK;
  const program = buildProgram((c) => {
    code = c;
  });
  try {
    await program.parseAsync([...argv]);
    return code;
  } catch (err) {
    return handleError(err);
  }
}

/** Longest error line printed; a message that echoes a file's content is cut to an excerpt. */
const MAX_ERROR_CHARS = 300;

/**
 * An error message as one inert line: control characters (an ESC that would recolour the
 * terminal, a newline that would break the message in two) are shown escaped, and a message
 * that quotes a long piece of a malformed file is cut.
 */
export function inertLine(message: string): string {
  // eslint-disable-next-line no-control-regex
  const escaped = message.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
  return escaped.length > MAX_ERROR_CHARS ? `${escaped.slice(0, MAX_ERROR_CHARS - 1)}…` : escaped;
}

function handleError(err: unknown): number {
  if (err instanceof CliError) {
    process.stderr.write(`faultline: ${inertLine(err.message)}\n`);
    return err.code;
  }
  if (err instanceof CommanderError) {
    // Help and version are successes; everything else commander rejects is a usage error.
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0) return Exit.OK;
    return Exit.USAGE;
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`faultline: internal error: ${inertLine(message)}\n`);
  if (process.env['FAULTLINE_DEBUG'] && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  return 70; // EX_SOFTWARE: a bug in faultline itself
}
