import { FNV_BASIS, foldHash } from '../../sim/hash.ts';
import { canonicalJson, type Micros, type Value } from '../../sim/value.ts';

/** One SQL statement with its positional parameters, as a frame carries it. */
export interface Stmt {
  readonly [field: string]: Value;
  readonly sql: string;
  readonly args: readonly (string | number | null)[];
}

/**
 * The document's `Frame` (seed 001, "How libSQL Replication Works"), with one departure: it
 * carries the write transaction's SQL statements (logical, statement-based replication) rather
 * than an SQLite page. The `libsql` package gives an in-memory database no way to read or
 * inject WAL pages, and a statement frame replays to the same table contents as long as the
 * statements are deterministic (the node refuses CURRENT_TIMESTAMP, random() and friends).
 *
 *  - `frameNo`: monotonic, gapless, 1-based position in the log;
 *  - `term`: the leader epoch that wrote it (always 1 in `as-written`, which has no epochs);
 *  - `stmts`: the transaction (empty: a leader's barrier frame);
 *  - `checksum`: FNV-1a over the previous frame's checksum and this frame's content, a chain
 *    as SQLite's WAL frames have one, so a replica detects a corrupt (torn) frame and a frame
 *    that does not follow the one it holds at frameNo - 1;
 *  - `timestamp`: origin time on the leader's own clock (microseconds).
 * `origin` names the client request it applied ("client:req"), so a retried request finds
 * its result instead of applying twice (empty for barrier frames).
 */
export interface Frame {
  readonly [field: string]: Value;
  readonly frameNo: number;
  readonly term: number;
  readonly stmts: readonly Stmt[];
  readonly origin: string;
  readonly timestamp: Micros;
  readonly checksum: number;
}

/** Checksum of the empty log: frame 1 chains from it. */
export const GENESIS_CHECKSUM = FNV_BASIS | 0;

/** A frame before its checksum is computed. */
export interface FrameBody {
  readonly frameNo: number;
  readonly term: number;
  readonly stmts: readonly Stmt[];
  readonly origin: string;
  readonly timestamp: Micros;
}

export function frameChecksum(prev: number, f: FrameBody): number {
  let h = foldHash(FNV_BASIS, String(prev));
  h = foldHash(h, `|${f.frameNo}|${f.term}|${f.timestamp}|${f.origin}|`);
  return foldHash(h, canonicalJson(f.stmts));
}

export function makeFrame(prev: number, body: FrameBody): Frame {
  return { frameNo: body.frameNo, term: body.term, stmts: body.stmts, origin: body.origin, timestamp: body.timestamp, checksum: frameChecksum(prev, body) };
}

/** Whether `v` is a well-formed frame whose checksum chains from `prev` (false for a torn record). */
export function frameFollows(prev: number, v: Value | undefined, frameNo: number): v is Frame {
  if (v === null || v === undefined || typeof v !== 'object' || Array.isArray(v)) return false;
  const f = v as Partial<Frame>;
  if (f.frameNo !== frameNo || typeof f.term !== 'number' || !Array.isArray(f.stmts) || typeof f.timestamp !== 'number' || typeof f.origin !== 'string') return false;
  return f.checksum === frameChecksum(prev, f as Frame);
}

/** Storage key of frame n: zero-padded so storage's sorted keys are log order. */
export const frameKey = (n: number): string => `frame/${String(n).padStart(10, '0')}`;
