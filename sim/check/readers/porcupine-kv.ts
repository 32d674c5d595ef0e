import type { HistoryEvent } from '../../history.ts';
import { EventCollector, type OpAlphabet, ParseError } from './errors.ts';

/**
 * Porcupine's kv test histories: one EDN map per line with five keys in a fixed order,
 *
 *   {:process 3, :type :invoke, :f :append, :key "7", :value "x 3 12 y"}
 *
 * Line order is real-time order; each event's time is its index. `:value nil` becomes null (a
 * get's invoke). Types :invoke, :ok, :fail and :info are accepted (the files only use the first
 * two), with the usual Jepsen meaning. Strings never contain quotes or backslashes in these
 * files, so a string is "anything up to the next quote".
 */
const LINE = /^\{:process (\d+), :type :(invoke|ok|fail|info), :f :(get|put|append), :key "([^"]*)", :value (nil|"([^"]*)")\}$/;

export function readPorcupineKv(text: string, alphabet?: OpAlphabet): HistoryEvent[] {
  const c = new EventCollector(alphabet);
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === '') continue;
    const m = LINE.exec(raw);
    if (!m) throw new ParseError('expected {:process P, :type :T, :f :get|:put|:append, :key "K", :value nil|"V"}', i + 1);
    const value = m[5] === 'nil' ? null : m[6]!;
    const type = m[2] as 'invoke' | 'ok' | 'fail' | 'info';
    c.push(i + 1, Number(m[1]), type, m[3]!, m[4]!, type === 'info' ? null : value);
  }
  return c.events;
}
