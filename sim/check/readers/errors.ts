import type { EventType, HistoryEvent } from '../../history.ts';
import type { Value } from '../../value.ts';

/** A history file that cannot be read as the format it claims; `line` is 1-based. */
export class ParseError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

/** The operations a reader accepts, from the model the history will be checked against. */
export interface OpAlphabet {
  readonly model: string;
  readonly ops: readonly string[];
}

/** The one-line reason for an operation outside a model's alphabet (readers and the checker share it). */
export function unsupportedReason(f: string, alphabet: OpAlphabet): string {
  return `operation ${JSON.stringify(f)} is not one model '${alphabet.model}' supports (it has ${alphabet.ops.join(', ')})`;
}

/**
 * Collects events while checking the pairing rules as each line arrives, so an error can name
 * the line that broke them (pairOperations only knows event indices): at most one pending
 * operation per process, and a completion must close a pending operation with the same `f`.
 */
export class EventCollector {
  readonly events: HistoryEvent[] = [];
  private readonly pending = new Map<number, { f: string; key: string | undefined; line: number }>();

  /** With an alphabet, an operation the model does not know is an error on its line. */
  constructor(private readonly alphabet?: OpAlphabet) {}

  push(line: number, process: number, type: EventType, f: string, key: string | undefined, value: Value): void {
    if (this.alphabet && !this.alphabet.ops.includes(f)) throw new ParseError(unsupportedReason(f, this.alphabet), line);
    const open = this.pending.get(process);
    if (type === 'invoke') {
      if (open) {
        throw new ParseError(`process ${process} invokes ${f} while its ${open.f} from line ${open.line} is still pending`, line);
      }
      this.pending.set(process, { f, key, line });
    } else {
      if (!open) throw new ParseError(`process ${process} completes ${f} with nothing pending`, line);
      if (open.f !== f) throw new ParseError(`process ${process} completes ${f} but its pending operation is ${open.f} (line ${open.line})`, line);
      if (key !== undefined && open.key !== key) {
        throw new ParseError(`process ${process} completes key ${String(key)} but its pending operation is on key ${String(open.key)} (line ${open.line})`, line);
      }
      this.pending.delete(process);
    }
    const k = key ?? open?.key;
    this.events.push({ process, type, f, ...(k !== undefined ? { key: k } : {}), value, time: this.events.length });
  }
}
