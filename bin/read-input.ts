import * as fs from 'node:fs';
import { CliError, dataError, noInputError } from './exit-codes.ts';

/** Largest input read: a device that never ends (/dev/zero, /dev/full) must not exhaust memory. */
const MAX_INPUT_BYTES = 256 * 1024 * 1024;

/** Reads a whole file, or stops with exit 65 past MAX_INPUT_BYTES. */
function readCapped(file: string): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(1 << 20);
      const n = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      total += n;
      if (total > MAX_INPUT_BYTES) throw dataError(`${file}: more than ${MAX_INPUT_BYTES >> 20} MiB; not an input faultline reads`);
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
    }
    return Buffer.concat(chunks, total);
  } finally {
    fs.closeSync(fd);
  }
}

const strict = new TextDecoder('utf-8', { fatal: true });

/** The 1-based line of the first byte sequence in `buf` that is not UTF-8. */
function firstBadLine(buf: Buffer): number {
  let line = 1;
  let start = 0;
  for (let i = 0; i <= buf.length; i++) {
    if (i === buf.length || buf[i] === 0x0a) {
      try {
        strict.decode(buf.subarray(start, i));
      } catch {
        return line;
      }
      line++;
      start = i + 1;
    }
  }
  return line;
}

/**
 * Reads an input file as UTF-8 text. A file that cannot be read is exit 66 with one line; one
 * that is not UTF-8 is malformed data (65) naming the first bad line, never silently decoded
 * with replacement characters into something else.
 */
export function readTextInput(file: string, what = ''): string {
  let buf: Buffer;
  try {
    buf = readCapped(file);
  } catch (err) {
    if (err instanceof CliError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (code ?? 'unreadable');
    throw noInputError(`cannot read ${what}${what ? ' ' : ''}${file}: ${why}`);
  }
  try {
    return strict.decode(buf);
  } catch {
    throw dataError(`${file}:${firstBadLine(buf)}: not valid UTF-8`);
  }
}
