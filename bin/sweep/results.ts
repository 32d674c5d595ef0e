import * as fs from 'node:fs';
import { cantCreateError, dataError, usageError } from '../exit-codes.ts';
import { type ResultLine, taskKey } from './task.ts';

/**
 * A sweep's results file: JSON lines, one per finished task, each appended and fsynced as it
 * completes, so a sweep killed at any moment keeps every result it reported. `--resume` reads
 * the file back and skips what is there; only a torn last line (the write the kill interrupted)
 * is dropped, and it is cut from the file before anything new is appended.
 */
export class ResultsFile {
  private constructor(
    private readonly fd: number,
    /** Results already in the file, by task key (the first line wins if a key repeats). */
    readonly done: ReadonlyMap<string, ResultLine>,
    private readonly file: string,
    /** False for a device or FIFO: written to, but not fsynced or read back. */
    private readonly regular: boolean,
  ) {}

  static open(file: string, resume: boolean): ResultsFile {
    const done = new Map<string, ResultLine>();
    let existing = '';
    let regular = true;
    try {
      // Only a regular file holds earlier results; a device (/dev/null, /dev/full) or a FIFO is
      // written to, never read (reading /dev/full would never end).
      regular = fs.statSync(file).isFile();
      if (regular) existing = fs.readFileSync(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') throw cantCreateError(`cannot use results file ${file}: ${code ?? String(err)}`);
    }
    if (resume && !regular) throw usageError(`--resume needs a results file, and ${file} is not a regular file`);
    if (existing.trim().length > 0 && !resume) {
      throw usageError(`${file} already holds results; pass --resume to continue that sweep, or --out to write another file`);
    }
    if (resume && existing.length > 0) {
      const lastNewline = existing.lastIndexOf('\n');
      const complete = existing.slice(0, lastNewline + 1);
      complete.split('\n').forEach((text, i) => {
        if (text.trim() === '') return;
        const line = parseLine(text, file, i + 1);
        const key = taskKey(line);
        if (!done.has(key)) done.set(key, line);
      });
      if (complete.length < existing.length) {
        // The torn tail of an interrupted write: cut it so the next line starts on its own.
        try {
          fs.truncateSync(file, Buffer.byteLength(complete));
        } catch (err) {
          throw cantCreateError(`cannot repair ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
        }
      }
    }
    let fd: number;
    try {
      fd = fs.openSync(file, 'a');
    } catch (err) {
      throw cantCreateError(`cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    return new ResultsFile(fd, done, file, regular);
  }

  /** Appends one line and syncs it to disk before returning; a failed write is exit 73. */
  append(line: ResultLine): void {
    try {
      fs.writeSync(this.fd, JSON.stringify(line) + '\n');
      if (this.regular) fs.fsyncSync(this.fd);
    } catch (err) {
      throw cantCreateError(`cannot write ${this.file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}

function parseLine(text: string, file: string, n: number): ResultLine {
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch {
    throw dataError(`${file}:${n}: not a JSON line; is this a faultline sweep results file?`);
  }
  const r = o as Partial<ResultLine> | null;
  if (!r || typeof r !== 'object' || typeof r.scenario !== 'string' || typeof r.variant !== 'string' || typeof r.seed !== 'number' || typeof r.outcome !== 'string') {
    throw dataError(`${file}:${n}: not a sweep result (needs scenario, variant, seed, outcome)`);
  }
  return r as ResultLine;
}
