import { Hash64 } from './hash.ts';
import type { Micros, Value } from './value.ts';

/** One structured trace event as it is written to a JSONL trace file. */
export interface TraceEvent {
  /** Virtual (global) time. */
  readonly t: Micros;
  /** Kind: start, deliver, drop, timer, crash, restart, pause, fault, op, probe, log, ... */
  readonly k: string;
  readonly [field: string]: Value;
}

/** Where trace lines go when the user asked for a trace file (the CLI supplies it). */
export interface TraceSink {
  write(line: string): void;
}

/** True for the integers Hash64.updateNumber hashes directly (node indices always are). */
const small = (n: number): boolean => (n | 0) === n && n !== -2147483648;

/** Hot event kinds, hashed as numbers. */
export const FastKind = { deliver: 0, timer: 1, lost: 2, dropCut: 3, dropDown: 4 } as const;
export type FastKind = (typeof FastKind)[keyof typeof FastKind];
const FAST_NAMES = ['deliver', 'timer', 'lost', 'drop-cut', 'drop-down'] as const;

/**
 * The run's trace: a running 64-bit hash over every event, which identifies the run, and an
 * optional sink that streams each event as a JSON line so long runs keep memory flat.
 * Hot events (deliveries, timers) are hashed from numbers (time, kind, node indices, id) and
 * the message payload; no object or string is built for them unless a sink wants the line.
 */
export class Trace {
  private readonly h = new Hash64();
  count = 0;

  constructor(
    private readonly sink: TraceSink | undefined,
    /** Node names by index, for the lines written to the sink. */
    private readonly names: readonly string[],
  ) {}

  get hash(): string {
    return this.h.hex();
  }

  /** True when lines are written somewhere (callers may skip building details otherwise). */
  get writing(): boolean {
    return this.sink !== undefined;
  }

  /**
   * Hot path. `node`/`other` are node indices (-1: none). `payload` is the serialised message
   * (hashed: it is what the receiver acts on); `detail` is written to the sink only.
   */
  fast(t: Micros, k: FastKind, node: number, other: number, id: number, payload: string, detail = ''): void {
    this.count++;
    const h = this.h;
    if (small(t) && small(id)) h.updateSmallInts(t, k, node, other, id);
    else h.updateNumber(t).updateNumber(k).updateNumber(node).updateNumber(other).updateNumber(id);
    if (payload) h.updateString(payload);
    if (this.sink) {
      const d = payload || detail;
      this.sink.write(
        `{"t":${t},"k":"${FAST_NAMES[k]}","node":${JSON.stringify(this.names[node] ?? null)},"other":${JSON.stringify(this.names[other] ?? null)},"id":${id}${d ? `,"detail":${d}` : ''}}`,
      );
    }
  }

  /** Any other event, hashed through its JSON form. */
  event(ev: TraceEvent): void {
    this.count++;
    const line = JSON.stringify(ev);
    this.h.updateString(line);
    this.sink?.write(line);
  }
}
