import type { HistoryEvent } from '../../history.ts';
import type { Value } from '../../value.ts';
import { EventCollector, type OpAlphabet, ParseError } from './errors.ts';

/**
 * Jepsen etcd logs as in Porcupine's test data (`INFO  jepsen.util - <p> :<type> :<f> <value>`,
 * fields split on whitespace). Line order is real-time order; each event's time is its index.
 *
 * Porcupine reads these logs in its own way, and we map each line so that the generic checker
 * with plain Jepsen semantics reaches the same verdicts:
 *
 * | log line                 | event we emit                          | why                                    |
 * |--------------------------|----------------------------------------|----------------------------------------|
 * | `:invoke :read nil`      | invoke read, value null                |                                        |
 * | `:invoke :write N`       | invoke write, value N                  |                                        |
 * | `:invoke :cas [A B]`     | invoke cas, value [A, B]               |                                        |
 * | `:ok :read N` / `nil`    | ok read, value N / null                | nil is the never-written register      |
 * | `:ok :write N`           | ok write, value N                      |                                        |
 * | `:ok :cas [A B]`         | ok cas, value true                     | the cas applied                        |
 * | `:fail :cas [A B]`       | **ok** cas, value **false**            | Porcupine: it happened, saw another value (not Jepsen's "did not happen") |
 * | `:fail :read :timed-out` | info read                              | unknown output; a read has no effect   |
 * | `:info :write/:cas ...`  | info                                   | Porcupine leaves these open to the end: the same as Jepsen's info |
 *
 * The register model (models/register.ts) reads a cas whose output is `false` as "compared
 * unequal, no effect". Any other shape is a ParseError naming the line.
 */
const PREFIX = /^INFO\s+jepsen\.util\s+-\s+/;

function parseValue(text: string, line: number): Value {
  if (text === 'nil') return null;
  if (/^-?\d+$/.test(text)) return Number(text);
  const m = /^\[(-?\d+)\s+(-?\d+)\]$/.exec(text);
  if (m) return [Number(m[1]), Number(m[2])];
  throw new ParseError(`unrecognised value '${text}'`, line);
}

export function readPorcupineEtcd(text: string, alphabet?: OpAlphabet): HistoryEvent[] {
  const c = new EventCollector(alphabet);
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i]!.trim();
    if (raw === '') continue;
    const pm = PREFIX.exec(raw);
    if (!pm) throw new ParseError("expected a line starting 'INFO  jepsen.util - '", lineNo);
    const fields = raw.slice(pm[0].length).split(/\s+/);
    // The value may itself contain a space ("[1 2]"): rejoin everything after the third field.
    if (fields.length < 4) throw new ParseError('expected <process> :<type> :<f> <value>', lineNo);
    const [procText, typeText, fText] = fields as [string, string, string];
    const valueText = fields.slice(3).join(' ');
    if (!/^\d+$/.test(procText)) throw new ParseError(`process must be a non-negative integer, got '${procText}'`, lineNo);
    const process = Number(procText);
    const f = fText.startsWith(':') ? fText.slice(1) : '';
    if (f !== 'read' && f !== 'write' && f !== 'cas') throw new ParseError(`unknown operation '${fText}'`, lineNo);
    switch (typeText) {
      case ':invoke':
        c.push(lineNo, process, 'invoke', f, undefined, f === 'read' ? expectNil(valueText, lineNo) : parseValue(valueText, lineNo));
        break;
      case ':ok':
        c.push(lineNo, process, 'ok', f, undefined, f === 'cas' ? (parseValue(valueText, lineNo), true) : parseValue(valueText, lineNo));
        break;
      case ':fail':
        if (f === 'cas') {
          parseValue(valueText, lineNo);
          c.push(lineNo, process, 'ok', f, undefined, false);
        } else if (f === 'read' && valueText === ':timed-out') {
          c.push(lineNo, process, 'info', f, undefined, null);
        } else throw new ParseError(`unexpected :fail :${f} ${valueText}`, lineNo);
        break;
      case ':info':
        c.push(lineNo, process, 'info', f, undefined, null);
        break;
      default:
        throw new ParseError(`unknown event type '${typeText}'`, lineNo);
    }
  }
  return c.events;
}

function expectNil(text: string, line: number): null {
  if (text !== 'nil') throw new ParseError(`a read is invoked with nil, got '${text}'`, line);
  return null;
}
