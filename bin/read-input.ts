import * as fs from 'node:fs';
import { dataError, noInputError } from './exit-codes.ts';

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
    buf = fs.readFileSync(file);
  } catch (err) {
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
