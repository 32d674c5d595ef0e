import fc from 'fast-check';
import type { EventType, HistoryEvent } from '../history.ts';
import type { Value } from '../value.ts';

/**
 * Random small concurrent histories: up to 3 processes, a few keys, ops drawn from the model's
 * vocabulary, completions ok / fail / info or none, outputs from a tiny domain so that both
 * verdicts are common.
 */
export interface Gen {
  readonly fs: readonly string[];
  readonly input: (f: string) => fc.Arbitrary<Value>;
  readonly output: (f: string) => fc.Arbitrary<Value>;
  readonly keys: readonly string[];
}

export function historyArb(g: Gen, maxOps: number): fc.Arbitrary<HistoryEvent[]> {
  const step = fc.record({
    process: fc.nat(2),
    f: fc.constantFrom(...g.fs),
    key: fc.constantFrom(...g.keys),
    kind: fc.constantFrom<EventType>('ok', 'ok', 'ok', 'ok', 'fail', 'info'),
    seed: fc.nat(1000),
  });
  return fc
    .tuple(
      fc.array(step, { minLength: 1, maxLength: maxOps * 2 }),
      fc.array(fc.tuple(...g.fs.map((f) => g.input(f))), { minLength: maxOps * 2, maxLength: maxOps * 2 }),
      fc.array(fc.tuple(...g.fs.map((f) => g.output(f))), { minLength: maxOps * 2, maxLength: maxOps * 2 }),
    )
    .map(([steps, inputs, outputs]) => {
      const events: HistoryEvent[] = [];
      const pending = new Map<number, { f: string; key: string }>();
      let nextProcess = 3;
      const alias = new Map<number, number>([[0, 0], [1, 1], [2, 2]]);
      let ops = 0;
      steps.forEach((s, i) => {
        const proc = alias.get(s.process)!;
        const open = pending.get(proc);
        const fi = g.fs.indexOf(open?.f ?? s.f);
        if (open) {
          pending.delete(proc);
          const value = s.kind === 'info' ? null : (outputs[i]![fi] as Value);
          events.push({ process: proc, type: s.kind, f: open.f, key: open.key, value, time: events.length });
          // Jepsen: after info the client continues as a fresh process.
          if (s.kind === 'info') alias.set(s.process, nextProcess++);
        } else if (ops < maxOps) {
          ops++;
          pending.set(proc, { f: s.f, key: s.key });
          events.push({ process: proc, type: 'invoke', f: s.f, key: s.key, value: inputs[i]![fi] as Value, time: events.length });
        }
      });
      return events;
    });
}

