import type { EventType, HistoryEvent } from '../../history.ts';
import type { Value } from '../../value.ts';
import { EventCollector, type OpAlphabet, ParseError } from './errors.ts';

/**
 * faultline's own history format: one JSON object per line, in real-time order.
 *
 *   {"process":0,"type":"invoke","f":"write","key":"x","value":3}
 *
 * - `process`: non-negative integer; at most one pending operation per process.
 * - `type`: invoke | ok | fail | info.
 * - `f`: the operation's name (read, write, cas, get, put, append, ...).
 * - `key`: optional string; absent means the history's single register.
 * - `value`: any JSON value; absent means null. A cas's value is [from, to]; a read's is null on
 *   invoke and the value read on ok.
 * - `time`: optional non-negative number (virtual microseconds). When absent the event's index
 *   is its time; when present, times must not decrease. Either way the order of the lines is
 *   the real-time order the checkers use.
 * - `node`: optional string naming the client node.
 * Blank lines are skipped. Anything else is a ParseError naming the 1-based line.
 */
export function readJsonl(text: string, alphabet?: OpAlphabet): HistoryEvent[] {
  const collector = new EventCollector(alphabet);
  const out: HistoryEvent[] = [];
  const lines = text.split('\n');
  let lastTime = -Infinity;
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i]!.trim();
    if (raw === '') continue;
    let obj: unknown;
    try {
      obj = JSON.parse(raw);
    } catch {
      throw new ParseError('not valid JSON', lineNo);
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new ParseError('expected a JSON object', lineNo);
    const o = obj as Record<string, unknown>;
    const process = o['process'];
    if (typeof process !== 'number' || !Number.isSafeInteger(process) || process < 0) {
      throw new ParseError('"process" must be a non-negative integer', lineNo);
    }
    const type = o['type'];
    if (type !== 'invoke' && type !== 'ok' && type !== 'fail' && type !== 'info') {
      throw new ParseError('"type" must be one of invoke, ok, fail, info', lineNo);
    }
    const f = o['f'];
    if (typeof f !== 'string' || f === '') throw new ParseError('"f" must be a non-empty string', lineNo);
    const key = o['key'];
    if (key !== undefined && typeof key !== 'string') throw new ParseError('"key" must be a string when present', lineNo);
    const value = (o['value'] === undefined ? null : o['value']) as Value;
    const time = o['time'];
    if (time !== undefined && (typeof time !== 'number' || !Number.isFinite(time) || time < 0)) {
      throw new ParseError('"time" must be a non-negative number when present', lineNo);
    }
    if (typeof time === 'number') {
      if (time < lastTime) throw new ParseError(`"time" ${time} is earlier than the previous event's ${lastTime}`, lineNo);
      lastTime = time;
    }
    const node = o['node'];
    if (node !== undefined && typeof node !== 'string') throw new ParseError('"node" must be a string when present', lineNo);
    collector.push(lineNo, process, type as EventType, f, key, value);
    const ev = collector.events[collector.events.length - 1]!;
    out.push({
      ...ev,
      ...(typeof time === 'number' ? { time } : {}),
      ...(node !== undefined ? { node } : {}),
    });
  }
  return out;
}

/** Writes events back as JSONL (one line each, same field names), e.g. for saved histories. */
export function writeJsonl(events: readonly HistoryEvent[]): string {
  return events
    .map((e) => JSON.stringify({ process: e.process, type: e.type, f: e.f, ...(e.key !== undefined ? { key: e.key } : {}), value: e.value, time: e.time, ...(e.node !== undefined ? { node: e.node } : {}) }))
    .join('\n') + (events.length ? '\n' : '');
}
