import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TraceSink } from '../sim/trace.ts';
import { cantCreateError } from './exit-codes.ts';

/**
 * Output files are written next to their destination under a temporary name and renamed into
 * place only when complete, so a failed or interrupted command never truncates a file that was
 * already there.
 */
function tempNameFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
}

/** Opens `tmp` for writing; an error names `file`, the path the user gave. */
function openForWrite(tmp: string, file: string): number {
  try {
    return fs.openSync(tmp, 'w');
  } catch (err) {
    throw cantCreateError(`cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

/** Writes a whole file atomically (temp file + rename). */
export function writeFileAtomic(file: string, content: string): void {
  const tmp = tempNameFor(file);
  const fd = openForWrite(tmp, file);
  try {
    fs.writeSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw cantCreateError(`cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

/** Fails early (exit 73) if `file` could not be created, before any long work starts. */
export function assertWritable(file: string): void {
  const tmp = tempNameFor(file);
  fs.closeSync(openForWrite(tmp, file));
  fs.rmSync(tmp, { force: true });
}

/**
 * A trace sink that streams JSON lines to a temporary file in 1 MiB chunks (memory stays flat
 * however long the run) and moves it into place on `commit()`; `abort()` removes it.
 */
export class FileTraceSink implements TraceSink {
  private readonly tmp: string;
  private readonly fd: number;
  private buf: string[] = [];
  private size = 0;

  constructor(private readonly file: string) {
    this.tmp = tempNameFor(file);
    this.fd = openForWrite(this.tmp, file);
  }

  write(line: string): void {
    this.buf.push(line);
    this.size += line.length + 1;
    if (this.size >= 1 << 20) this.flush();
  }

  private flush(): void {
    if (this.buf.length === 0) return;
    fs.writeSync(this.fd, this.buf.join('\n') + '\n');
    this.buf = [];
    this.size = 0;
  }

  commit(): void {
    this.flush();
    fs.closeSync(this.fd);
    try {
      fs.renameSync(this.tmp, this.file);
    } catch (err) {
      fs.rmSync(this.tmp, { force: true });
      throw cantCreateError(`cannot write ${this.file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
  }

  abort(): void {
    try {
      fs.closeSync(this.fd);
    } catch {
      // already closed
    }
    fs.rmSync(this.tmp, { force: true });
  }
}
