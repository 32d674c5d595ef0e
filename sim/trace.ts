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

/**
 * The run's trace: a running 64-bit hash over every event, which identifies the run, and an
 * optional sink that streams each event as a JSON line so long runs keep memory flat.
 * Hot events (deliveries, timers) are hashed from their fields without building an object
 * unless a sink wants the line.
 */
export class Trace {
  private readonly h = new Hash64();
  count = 0;

  constructor(private readonly sink?: TraceSink) {}

  get hash(): string {
    return this.h.hex();
  }

  /** Hot path: `detail` is an already-serialised payload (or ''). */
  fast(t: Micros, k: string, node: string, other: string, id: number, detail: string): void {
    this.count++;
    this.h.updateNumber(t).updateString(k).updateString(node).updateString(other).updateNumber(id).updateString(detail);
    if (this.sink) {
      this.sink.write(
        `{"t":${t},"k":${JSON.stringify(k)},"node":${JSON.stringify(node)},"other":${JSON.stringify(other)},"id":${id}${detail ? `,"detail":${detail}` : ''}}`,
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
