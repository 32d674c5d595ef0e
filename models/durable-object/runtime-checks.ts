import type { Checker, CheckInput, CheckResult, Probe } from '../../sim/check/types.ts';
import type { Micros, Value } from '../../sim/value.ts';

/**
 * The Durable Object runtime's own rules, held against what its hosts probed (runtime.ts,
 * DO_PROBE). The designs' checks see a room or a chat; these see the platform under them, so a
 * runtime that breaks its contract is caught even where a design happens to shrug it off:
 *
 *  1. storage answers as the runtime promises: a read of a key returns the last value this
 *     instance generation wrote to it (its own writes at once, completed or not), or, if it wrote
 *     none, the last value made durable by any generation; a list, every such key under the prefix;
 *  2. writes become durable in the order they were issued, only while their generation lives,
 *     and each once; every storage operation of a generation (read or write) completes in issue
 *     order, between the host's declared `storageMin` and `storageMax` after it was issued (not
 *     later: one still open past that, on a generation that lives on, is lost);
 *  3. a cold start takes exactly the host's `coldStart`, and a generation does nothing before it
 *     is live or after it is evicted;
 *  4. an instance is evicted only after `idleEvict` without an event or a storage operation;
 *  5. events start one at a time in the order they arrived, never while the input gate is closed
 *     (`blockConcurrencyWhile`, the init after a cold start), and the gate opens only once per
 *     closing; an event still waiting `coldStart` + 10 s before the run's end, on a generation that
 *     lives on with its host up, is stuck.
 *
 * Rule 2's latency and rules 3 and 4 measure virtual time, so a host whose clock drifted or that was paused in the
 * window is not asked (its timers ran at another rate). The timing comes from the host's
 * `do.params` probe. Probes carry `{ i: instance, g:
 * generation }`; values are data hashes.
 */
export interface RuntimeCheckOptions {
  readonly name?: string;
  /** Probe name prefix; `do` unless told. */
  readonly prefix?: string;
}

interface Gen {
  readonly node: string;
  readonly cold: Micros;
  live: Micros | undefined;
  evicted: Micros | undefined;
  /** What this generation wrote, issued, key -> hash (null: deleted). */
  readonly own: Map<string, number | null>;
  /** Issued storage operations not yet complete, in issue order (`entries`: a put's). */
  readonly pending: { readonly n: number; readonly op: string; readonly at: Micros; readonly entries: Entries | undefined }[];
  readonly done: Set<number>;
  lastActive: Micros;
  /** Events arrived and not yet started, number -> arrival time, in arrival order. */
  readonly waiting: Map<number, Micros>;
  readonly started: Set<number>;
  gated: boolean;
}

/** A host's declared timing (do.params); storage bounds are absent from hosts that do not declare them. */
interface Timing {
  readonly coldStart: number;
  readonly idleEvict: number;
  readonly storageMin: number | undefined;
  readonly storageMax: number | undefined;
}

const num = (v: Value | undefined): number | undefined => (typeof v === 'number' ? v : undefined);

/** How long past the cold start an event may wait for its turn before it counts as stuck. */
const STUCK_AFTER: Micros = 10_000_000;

type Entries = readonly (readonly [string, number | null])[];

const isEntries = (v: Value | undefined): v is readonly (readonly [string, number | null])[] =>
  Array.isArray(v) && v.every((e) => Array.isArray(e) && typeof e[0] === 'string' && (typeof e[1] === 'number' || e[1] === null));

export function runtimeRules(options: RuntimeCheckOptions = {}): Checker {
  const name = options.name ?? 'do-runtime';
  const prefix = options.prefix ?? 'do';
  return {
    name,
    check(input: CheckInput): CheckResult {
      const params = new Map<string, Timing>();
      /** Per instance: what storage durably holds, key -> hash. */
      const durable = new Map<string, Map<string, number | null>>();
      const gens = new Map<string, Gen>();
      const broken: Value[] = [];
      const fail = (rule: string, at: Micros, what: string) => broken.push({ rule, at, what });
      let reads = 0;
      let writes = 0;
      const offRate = (node: string, from: Micros, to: Micros) =>
        (input.faults ?? []).some((f) => f.node === node && (f.kind === 'drift' || f.kind === 'pause' || f.kind === 'crash') && f.at <= to && f.until >= from);
      // A crash or restart ends a generation without an eviction; a pause holds its queue.
      const stopped = (node: string, from: Micros) =>
        (input.faults ?? []).some((f) => f.node === node && (f.kind === 'crash' || f.kind === 'restart' || f.kind === 'pause') && f.until >= from);
      let events = 0;
      const expected = (inst: string, g: Gen, key: string): number | null => (g.own.has(key) ? (g.own.get(key) as number | null) : (durable.get(inst)?.get(key) ?? null));
      for (const p of input.probes as readonly Probe[]) {
        if (!p.name.startsWith(`${prefix}.`)) continue;
        const kind = p.name.slice(prefix.length + 1);
        const d = p.detail as { readonly [k: string]: Value } | null;
        if (kind === 'params') {
          params.set(p.node, { coldStart: Number(d?.coldStart), idleEvict: Number(d?.idleEvict), storageMin: num(d?.storageMin), storageMax: num(d?.storageMax) });
          continue;
        }
        const inst = d?.i;
        const gid = d?.g;
        if (typeof inst !== 'string' || typeof gid !== 'string') continue;
        const key = `${p.node}|${inst}|${gid}`;
        const where = `${inst} generation ${gid}`;
        if (kind === 'cold') {
          if (gens.has(key)) fail('lifecycle', p.time, `${where} created twice`);
          gens.set(key, {
            node: p.node,
            cold: p.time,
            live: undefined,
            evicted: undefined,
            own: new Map(),
            pending: [],
            done: new Set(),
            lastActive: p.time,
            waiting: new Map(),
            started: new Set(),
            gated: false,
          });
          continue;
        }
        const g = gens.get(key);
        if (!g) {
          fail('lifecycle', p.time, `${where}: ${kind} of a generation never created`);
          continue;
        }
        if (g.evicted !== undefined) fail('lifecycle', p.time, `${where}: ${kind} after its eviction at ${g.evicted / 1000} ms`);
        const timing = params.get(g.node);
        if (kind === 'live') {
          if (g.live !== undefined) fail('lifecycle', p.time, `${where} went live twice`);
          g.live = p.time;
          if (timing && p.time - g.cold !== timing.coldStart && !offRate(g.node, g.cold, p.time)) fail('cold-start', p.time, `${where} took ${(p.time - g.cold) / 1000} ms to start, not ${timing.coldStart / 1000} ms`);
        } else if (kind === 'evict') {
          if (timing && p.time - g.lastActive < timing.idleEvict && !offRate(g.node, g.lastActive, p.time)) {
            fail('eviction', p.time, `${where} evicted ${(p.time - g.lastActive) / 1000} ms after its last activity, before ${timing.idleEvict / 1000} ms idle`);
          }
          if (g.waiting.size > 0) fail('event-stuck', p.time, `${where} evicted with ${g.waiting.size} event(s) never started`);
          g.evicted = p.time;
        } else if (kind === 'event') {
          g.lastActive = p.time;
          const n = d?.n;
          if (typeof n !== 'number' || g.waiting.has(n) || g.started.has(n)) fail('lifecycle', p.time, `${where}: an event numbered ${String(n)} arrived twice or unnumbered`);
          else g.waiting.set(n, p.time);
        } else if (kind === 'run') {
          events++;
          const n = Number(d?.n);
          const first = g.waiting.keys().next();
          if (!g.waiting.has(n)) fail('event-order', p.time, `${where}: event ${n} started ${g.started.has(n) ? 'twice' : 'without arriving'}`);
          else if (first.value !== n) fail('event-order', p.time, `${where}: event ${n} started before event ${String(first.value)}, which arrived first`);
          if (g.gated) fail('input-gate', p.time, `${where}: event ${n} started while the input gate was closed`);
          if (g.live === undefined) fail('lifecycle', p.time, `${where}: event ${n} started before the cold start was over`);
          g.waiting.delete(n);
          g.started.add(n);
        } else if (kind === 'gate') {
          const on = d?.on === true;
          if (g.live === undefined) fail('lifecycle', p.time, `${where}: the input gate moved before the cold start was over`);
          if (on === g.gated) fail('input-gate', p.time, `${where}: the input gate ${on ? 'closed' : 'opened'} while already ${on ? 'closed' : 'open'}`);
          g.gated = on;
        } else if (kind === 'io') {
          g.lastActive = p.time;
          if (g.live === undefined) fail('lifecycle', p.time, `${where} did storage before its cold start was over`);
          const op = d?.op;
          const k = typeof d?.k === 'string' ? d.k : '';
          if (op === 'get' || op === 'list') g.pending.push({ n: Number(d?.n), op, at: p.time, entries: undefined });
          if (op === 'get') {
            reads++;
            const want = expected(inst, g, k);
            const got = typeof d?.h === 'number' ? d.h : null;
            if (got !== want) fail('storage', p.time, `${where}: get ${k} answered ${got ?? 'nothing'}, the runtime holds ${want ?? 'nothing'}`);
          } else if (op === 'list') {
            reads++;
            const keys = new Set<string>();
            for (const kk of durable.get(inst)?.keys() ?? []) if (kk.startsWith(k)) keys.add(kk);
            for (const kk of g.own.keys()) if (kk.startsWith(k)) keys.add(kk);
            const want = [...keys]
              .sort()
              .map((kk) => [kk, expected(inst, g, kk)] as const)
              .filter(([, h]) => h !== null);
            const got = isEntries(d?.r) ? d.r : [];
            if (JSON.stringify(got) !== JSON.stringify(want)) fail('storage', p.time, `${where}: list ${k} answered ${JSON.stringify(got)}, the runtime holds ${JSON.stringify(want)}`);
          } else if (op === 'put') {
            writes++;
            const entries: Entries = isEntries(d?.e) ? d.e : [];
            for (const [kk, h] of entries) g.own.set(kk, h);
            g.pending.push({ n: Number(d?.n), op, at: p.time, entries });
          } else fail('lifecycle', p.time, `${where}: a storage operation of no known kind (${String(op)})`);
        } else if (kind === 'done') {
          g.lastActive = p.time;
          const n = Number(d?.n);
          const head = g.pending[0];
          const op = String(d?.op);
          if (g.done.has(n)) fail('durability', p.time, `${where}: ${op} ${n} completed twice`);
          else if (!head) fail('durability', p.time, `${where}: ${op} ${n} completed but never issued`);
          else if (head.n !== n) fail('durability', p.time, `${where}: ${op} ${n} completed before ${head.op} ${head.n}, issued first`);
          else {
            g.pending.shift();
            g.done.add(n);
            const took = p.time - head.at;
            const { storageMin: min, storageMax: max } = timing ?? {};
            if (min !== undefined && max !== undefined && (took < min || took > max) && !offRate(g.node, head.at, p.time)) {
              fail('storage-latency', p.time, `${where}: ${head.op} ${n} took ${took / 1000} ms, storage takes ${min / 1000}-${max / 1000} ms`);
            }
            if (head.entries) {
              let m = durable.get(inst);
              if (!m) durable.set(inst, (m = new Map()));
              for (const [kk, h] of head.entries) m.set(kk, h);
            }
          }
        } else fail('lifecycle', p.time, `${where}: a probe of no known kind (${p.name})`);
      }
      if (params.size === 0 && gens.size > 0) fail('lifecycle', 0, 'no host declared its timing (do.params)');
      if (input.end !== undefined) {
        for (const [key, g] of gens) {
          const io = g.pending[0];
          const max = params.get(g.node)?.storageMax;
          if (io && max !== undefined && g.evicted === undefined && io.at + max < input.end && !stopped(g.node, io.at) && !offRate(g.node, io.at, input.end)) {
            fail('storage-latency', io.at, `${key.slice(key.indexOf('|') + 1)}: ${io.op} ${io.n} issued at ${io.at / 1000} ms never completed (storage takes at most ${max / 1000} ms)`);
          }
          const oldest = g.waiting.values().next();
          if (g.evicted !== undefined || oldest.done) continue;
          const since = oldest.value;
          const coldStart = params.get(g.node)?.coldStart ?? 0;
          if (input.end - since > coldStart + STUCK_AFTER && !stopped(g.node, since)) {
            fail('event-stuck', since, `${key.slice(key.indexOf('|') + 1)}: ${g.waiting.size} event(s) never started, the first waiting since ${since / 1000} ms`);
          }
        }
      }
      if (broken.length === 0) {
        return { name, verdict: 'ok', summary: `${gens.size} instance generations, ${events} events in arrival order past the input gate, ${reads} reads and ${writes} writes as the runtime promises; every cold start and eviction on time` };
      }
      const first = broken[0] as { rule: string; what: string };
      const rules = [...new Set(broken.map((b) => (b as { rule: string }).rule))].join(', ');
      return { name, verdict: 'violation', summary: `${broken.length} broken runtime rule(s) (${rules}); first: ${first.what}`, evidence: { broken: broken.slice(0, 20) } };
    },
  };
}
