import type { Process, ProcessContext } from '../../sim/process.ts';
import { canonicalJson, type Micros, type Value } from '../../sim/value.ts';
import { pickWeighted } from '../../sim/workload.ts';
import { CallbackView, type Engine, jsonBytes, type Outgoing } from './engine.ts';
import { viewDigest } from './metrics.ts';

/** The functions a context's user performs, with weights. */
export type CitizenOp = 'write' | 'put' | 'remove' | 'insert' | 'delete' | 'add' | 'discard';

export interface ContextOptions {
  readonly index: number;
  readonly mix: Readonly<Partial<Record<CitizenOp, number>>>;
  readonly think: { readonly min: Micros; readonly max: Micros };
  readonly tableKeys: number;
  readonly setElements: number;
  /** Anti-entropy period (local clock); 0: never. */
  readonly antiEntropyEvery: Micros;
  readonly makeEngine: (ctx: ProcessContext, saved: Value | undefined) => Engine;
}

const STATE_KEY = 'citizen/engine';
const COUNTER_KEY = 'citizen/counter';

/**
 * A ZenContext: the four objects, a user changing them, a subscriber on each change, and the
 * network. Every change is applied at once (its history operation completes in the same
 * instant) and handed to the engine to broadcast. A subscriber keeps a view built only from
 * change callbacks; after every event the view must equal the objects (probe
 * `citizen.callbacks`): a merge that changes the objects without telling subscribers fails it.
 * State is synced to durable storage after every change, so a restart rebuilds from it.
 */
export function citizenContext(opts: ContextOptions) {
  return (ctx: ProcessContext): Process => {
    const peers = ctx.nodes(ctx.role).filter((n) => n !== ctx.id);
    const engine = opts.makeEngine(ctx, ctx.storage.get(STATE_KEY));
    let counter = (ctx.storage.get(COUNTER_KEY) as number | undefined) ?? 0;
    // A subscriber that joins (or rejoins after a restart) starts from the current contents.
    const sub = new CallbackView(engine.view());
    engine.subscribe((c) => sub.apply(c));
    let stopped = false;
    // Tokens seen live and then gone, for the no-resurrection probe (memory only: a restart
    // starts afresh, which can only miss a resurrection, never invent one).
    let live = new Set(engine.liveTokens());
    const gone = new Set<string>();
    const bytes: { [kind: string]: number } = {};

    const send = (out: readonly Outgoing[]) => {
      for (const o of out) {
        const kind = String((o.msg as { t?: Value }).t ?? '?');
        for (const to of o.to !== undefined ? [o.to] : peers) {
          bytes[kind] = (bytes[kind] ?? 0) + jsonBytes(o.msg);
          ctx.send(to, o.msg);
        }
      }
    };
    const settle = () => {
      ctx.storage.put(STATE_KEY, engine.save());
      ctx.storage.put(COUNTER_KEY, counter);
      ctx.storage.sync();
      send(engine.flush());
      const seen = sub.view();
      const held = engine.view();
      const ok = canonicalJson(seen) === canonicalJson(held);
      ctx.probe('citizen.callbacks', ok, ok ? null : { subscriber: seen, objects: held });
      const now = new Set(engine.liveTokens());
      const back = [...now].filter((t) => gone.has(t));
      for (const t of back) gone.delete(t); // reported once; it may go and return again
      for (const t of live) if (!now.has(t)) gone.add(t);
      live = now;
      ctx.probe('citizen.monotonic', back.length === 0, back.length === 0 ? null : { returned: back });
      ctx.probe('citizen.view', true, viewDigest(held));
    };
    const token = () => `${ctx.id}.${++counter}`;

    const perform = () => {
      const f = pickWeighted(opts.mix as Record<string, number>, ctx.choices, 'workload.f') as CitizenOp;
      const now = engine.view();
      switch (f) {
        case 'write': {
          const v = token();
          const op = ctx.history.invoke('write', 'value', v);
          engine.setValue(v);
          ctx.history.ok(op, now.value);
          break;
        }
        case 'put':
        case 'remove': {
          const k = `t${ctx.choices.int(opts.tableKeys, 'workload.key')}`;
          const prev = now.table[k] ?? null;
          if (f === 'put') {
            const v = token();
            const op = ctx.history.invoke('put', `table/${k}`, v);
            engine.put(k, v);
            ctx.history.ok(op, prev);
          } else {
            const op = ctx.history.invoke('remove', `table/${k}`, null);
            engine.removeKey(k);
            ctx.history.ok(op, prev);
          }
          break;
        }
        case 'insert':
        case 'delete': {
          if (f === 'delete' && now.seq.length > 0) {
            const i = ctx.choices.int(now.seq.length, 'workload.index');
            const op = ctx.history.invoke('delete', 'seq', now.seq[i] ?? null);
            engine.deleteAt(i);
            ctx.history.ok(op, null);
          } else {
            const i = ctx.choices.int(now.seq.length + 1, 'workload.index');
            const v = token();
            const op = ctx.history.invoke('insert', 'seq', v);
            engine.insert(i, v);
            ctx.history.ok(op, i);
          }
          break;
        }
        case 'add':
        case 'discard': {
          const e = `e${ctx.choices.int(opts.setElements, 'workload.key')}`;
          if (f === 'add') {
            const tag = token();
            const op = ctx.history.invoke('add', `set/${e}`, tag);
            engine.add(e, tag);
            ctx.history.ok(op, null);
          } else {
            const op = ctx.history.invoke('discard', `set/${e}`, null);
            ctx.history.ok(op, engine.discard(e));
          }
          break;
        }
      }
      settle();
    };
    const next = () => {
      if (!stopped) ctx.setTimer(opts.think.min + ctx.choices.int(opts.think.max - opts.think.min + 1, 'workload.think'), 'op');
    };

    return {
      onStart() {
        next();
        if (opts.antiEntropyEvery > 0) ctx.setTimer(opts.antiEntropyEvery, 'ae');
      },
      onQuiesce() {
        stopped = true;
      },
      onTimer(tag) {
        if (tag === 'op') {
          perform();
          next();
        } else if (tag === 'ae') {
          send(engine.antiEntropy(peers));
          ctx.probe('citizen.stats', true, { bytes: { ...bytes }, state: engine.encodedSize() });
          ctx.setTimer(opts.antiEntropyEvery, 'ae');
        }
      },
      onMessage(from, msg) {
        send(engine.receive(from, msg));
        settle();
      },
      fingerprint: () => canonicalJson(engine.view()),
      observedState: () => engine.view(),
    };
  };
}
