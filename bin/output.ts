import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TraceSink } from '../sim/trace.ts';
import { cantCreateError } from './exit-codes.ts';

/**
 * Output files respect what is already there.
 *  - A regular file (or a path that does not exist yet) is written next to its destination
 *    under a temporary name and renamed into place only when complete, so a failed or
 *    interrupted command never truncates a file that was already there.
 *  - A symbolic link is followed to its target, and the rename happens there: the link stays a
 *    link and its target gets the new content (a dangling link creates its target).
 *  - Anything else that exists (a device such as /dev/null or /dev/full, a FIFO, /dev/stdout) is
 *    written in place, as a shell redirection would: renaming over a device would replace it.
 * A failed write (ENOSPC, EPIPE, ...) is exit 73 with one line.
 */
type Destination = { readonly kind: 'file'; readonly path: string } | { readonly kind: 'in-place'; readonly path: string };

const MAX_LINKS = 40;

function failure(file: string, err: unknown): Error {
  return cantCreateError(`cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
}

/** Where the bytes for `file` go, following symbolic links (to a target that may not exist yet). */
function destinationOf(file: string): Destination {
  let p = path.resolve(file);
  for (let hops = 0; hops < MAX_LINKS; hops++) {
    let st: fs.Stats;
    try {
      st = fs.lstatSync(p);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'file', path: p };
      throw failure(file, err);
    }
    if (st.isSymbolicLink()) {
      const target = fs.readlinkSync(p);
      // /dev/stdout -> /proc/self/fd/1 -> "pipe:[...]": not a path; open the link itself in place.
      if (/^[a-z]+:\[\d+\]$/.test(target)) return { kind: 'in-place', path: p };
      p = path.resolve(path.dirname(p), target);
      continue;
    }
    if (st.isDirectory()) throw cantCreateError(`cannot write ${file}: is a directory`);
    return st.isFile() ? { kind: 'file', path: p } : { kind: 'in-place', path: p };
  }
  throw cantCreateError(`cannot write ${file}: too many levels of symbolic links`);
}

/** Distinct per writer in this process, so two outputs to one path never share a temp file. */
let tempCounter = 0;

function tempNameFor(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${++tempCounter}.tmp`);
}

function open(p: string, file: string): number {
  try {
    return fs.openSync(p, 'w');
  } catch (err) {
    throw failure(file, err);
  }
}

function writeAll(fd: number, content: string, file: string): void {
  try {
    fs.writeSync(fd, content);
  } catch (err) {
    throw failure(file, err);
  }
}

/** fsync where it means something: devices and pipes refuse it (EINVAL), and that is fine. */
function syncQuietly(fd: number): void {
  try {
    fs.fsyncSync(fd);
  } catch {
    // not a file that can be synced
  }
}

function renameInto(tmp: string, target: string, file: string): void {
  try {
    fs.renameSync(tmp, target);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw failure(file, err);
  }
}

/** Writes a whole file: atomically (temp file + rename) for a regular file, in place otherwise. */
export function writeFileAtomic(file: string, content: string): void {
  const dest = destinationOf(file);
  const p = dest.kind === 'file' ? tempNameFor(dest.path) : dest.path;
  const fd = open(p, file);
  try {
    writeAll(fd, content, file);
    if (dest.kind === 'file') fs.fsyncSync(fd);
  } catch (err) {
    fs.closeSync(fd);
    if (dest.kind === 'file') fs.rmSync(p, { force: true });
    throw err;
  }
  fs.closeSync(fd);
  if (dest.kind === 'file') renameInto(p, dest.path, file);
}

/**
 * Fails early (exit 73) if `file` could not be written, before any long work starts. A device
 * or FIFO is only checked for write permission: opening a FIFO would wait for a reader.
 */
export function assertWritable(file: string): void {
  const dest = destinationOf(file);
  if (dest.kind === 'in-place') {
    try {
      fs.accessSync(dest.path, fs.constants.W_OK);
    } catch (err) {
      throw failure(file, err);
    }
    return;
  }
  const tmp = tempNameFor(dest.path);
  fs.closeSync(open(tmp, file));
  fs.rmSync(tmp, { force: true });
}

/**
 * A trace sink that streams JSON lines in 1 MiB chunks (memory stays flat however long the
 * run): to a temporary file moved into place on `commit()` (`abort()` removes it), or straight
 * into a device or FIFO.
 */
export class FileTraceSink implements TraceSink {
  private readonly dest: Destination;
  private readonly writePath: string;
  private readonly fd: number;
  private buf: string[] = [];
  private size = 0;

  constructor(private readonly file: string) {
    this.dest = destinationOf(file);
    this.writePath = this.dest.kind === 'file' ? tempNameFor(this.dest.path) : this.dest.path;
    this.fd = open(this.writePath, file);
  }

  /** True when it writes straight into a device or FIFO (nothing to rename). */
  get inPlace(): boolean {
    return this.dest.kind === 'in-place';
  }

  write(line: string): void {
    this.buf.push(line);
    this.size += line.length + 1;
    if (this.size >= 1 << 20) this.flush();
  }

  private flush(): void {
    if (this.buf.length === 0) return;
    const chunk = this.buf.join('\n') + '\n';
    this.buf = [];
    this.size = 0;
    writeAll(this.fd, chunk, this.file);
  }

  commit(): void {
    try {
      this.flush();
      if (this.dest.kind === 'file') syncQuietly(this.fd);
    } catch (err) {
      this.abort();
      throw err;
    }
    fs.closeSync(this.fd);
    if (this.dest.kind === 'file') renameInto(this.writePath, this.dest.path, this.file);
  }

  abort(): void {
    try {
      fs.closeSync(this.fd);
    } catch {
      // already closed
    }
    if (this.dest.kind === 'file') fs.rmSync(this.writePath, { force: true });
  }
}

/**
 * Writes several outputs of one command so that a failure changes as little as possible: the
 * ones written in place (a device, a FIFO: where a full disk or a closed reader shows up) go
 * first, so they fail before any regular file is replaced; regular files follow, each renamed
 * into place when complete.
 */
export function writeOutputs(outputs: readonly { readonly file: string; readonly content: string }[]): void {
  const inPlace = outputs.filter((o) => destinationOf(o.file).kind === 'in-place');
  const regular = outputs.filter((o) => !inPlace.includes(o));
  for (const o of [...inPlace, ...regular]) writeFileAtomic(o.file, o.content);
}
