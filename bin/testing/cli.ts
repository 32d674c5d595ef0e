import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const exec = promisify(execFile);
/** The CLI entry point, for tests that must hold the child process (to kill it, say). */
export const cliPath = new URL('../faultline.mjs', import.meta.url).pathname;

export interface CliOutcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real CLI in a child process in `cwd` (no colour), for the command tests. */
export async function faultline(cwd: string, ...args: string[]): Promise<CliOutcome> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [cliPath, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
