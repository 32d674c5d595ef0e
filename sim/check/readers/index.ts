import type { HistoryEvent } from '../../history.ts';
import { readJsonl } from './jsonl.ts';
import { readPorcupineEtcd } from './porcupine-etcd.ts';
import { readPorcupineKv } from './porcupine-kv.ts';

export { ParseError } from './errors.ts';
export { readJsonl, writeJsonl } from './jsonl.ts';
export { readPorcupineEtcd } from './porcupine-etcd.ts';
export { readPorcupineKv } from './porcupine-kv.ts';

/** The history formats `faultline check --format` accepts. */
export const historyFormats = {
  jsonl: readJsonl,
  'porcupine-etcd': readPorcupineEtcd,
  'porcupine-kv': readPorcupineKv,
} as const satisfies Record<string, (text: string) => HistoryEvent[]>;

export type HistoryFormat = keyof typeof historyFormats;

export function isHistoryFormat(name: string): name is HistoryFormat {
  return Object.hasOwn(historyFormats, name);
}

/** Parses `text` as `format`; throws ParseError naming the line on malformed input. */
export function readHistory(format: HistoryFormat, text: string): HistoryEvent[] {
  return historyFormats[format](text);
}
