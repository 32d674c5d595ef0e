import type { HistoryEvent } from '../../history.ts';
import { readJsonl } from './jsonl.ts';
import { readPorcupineEtcd } from './porcupine-etcd.ts';
import { readPorcupineKv } from './porcupine-kv.ts';

export { type OpAlphabet, ParseError, unsupportedReason } from './errors.ts';
import type { OpAlphabet } from './errors.ts';
export { readJsonl, writeJsonl } from './jsonl.ts';
export { readPorcupineEtcd } from './porcupine-etcd.ts';
export { readPorcupineKv } from './porcupine-kv.ts';

/** The history formats `faultline check --format` accepts. */
export const historyFormats = {
  jsonl: readJsonl,
  'porcupine-etcd': readPorcupineEtcd,
  'porcupine-kv': readPorcupineKv,
} as const satisfies Record<string, (text: string, alphabet?: OpAlphabet) => HistoryEvent[]>;

export type HistoryFormat = keyof typeof historyFormats;

export function isHistoryFormat(name: string): name is HistoryFormat {
  return Object.hasOwn(historyFormats, name);
}

/**
 * Parses `text` as `format`; throws ParseError naming the line on malformed input, and, given
 * an alphabet, on an operation the model it is meant for does not know.
 */
export function readHistory(format: HistoryFormat, text: string, alphabet?: OpAlphabet): HistoryEvent[] {
  return historyFormats[format](text, alphabet);
}
