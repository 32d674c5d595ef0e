import { createRaftNode, type RaftConfig } from '../raft/index.ts';
import type { OpHandle, Process, ProcessContext } from '../../sim/process.ts';
import { canonicalJson, type Micros, type NodeId, type Value } from '../../sim/value.ts';
import { pickWeighted } from '../../sim/workload.ts';
import type { CitizenOp } from './context.ts';
import { CallbackView, type Change, diffViews, jsonBytes } from './engine.ts';
import { viewDigest } from './metrics.ts';
import { deleteOp, insertOp, tokenChar } from './seq-ot.ts';
import { type TxChange, type TxCommand, type TxOptions, type TxOutput, TxState } from './tx-machine.ts';

/**
 * A RaftZenContext (option 2, and option 3 with `tx.ot`): every context is a Raft member
 * (models/raft) and holds the four objects as the replicated TxState. Following the document's
 * transaction flow: the user's changes become one proposal; it goes to the Raft leader
 * (proposed here if this context leads, else forwarded to the leader it last heard of, resent
 * every `retryEvery` until it commits or `txTimeout` passes); the leader replicates it; every
 * context applies it in log order and fires change callbacks then, and only then; the
 * submitting context learns commit or abort when it applies the entry itself (or gives up at the
 * timeout: the outcome is then unknown, recorded `info`). One transaction in flight per context
 * (the user awaits it). The state machine deduplicates retried proposals by id.
 *
 * History: one `tx` op per transaction, plus one op per register it touches under `reg/`
 * (ZenValue `cas`, ZenTable and ZenSet entries `write`, and a read-only transaction's `read`s),
 * for the per-key linearizability check; with OT, ZenSeq edits as `insert`/`delete` under
 * `otseq` in doc-sequencer's format (the typed element and its neighbours), for intention.
 */
export interface RaftContextOptions {
  readonly mix: Readonly<Partial<Record<CitizenOp, number>>>;
  readonly think: { readonly min: Micros; readonly max: Micros };
  readonly tableKeys: number;
  readonly setElements: number;
  /** Most changes in one transaction (each transaction draws 1..maxChanges). */
  readonly maxChanges: number;
  /** Probability that a transaction is read-only (reads every register through the log). */
  readonly readShare: number;
  readonly txTimeout: Micros;
  readonly retryEvery: Micros;
  readonly statsEvery: Micros;
  readonly tx: TxOptions;
  readonly raft: Omit<RaftConfig, 'peers'>;
  /** bug:callback-before-commit: the submitter fires its own transaction's callbacks when it proposes. */
  readonly callbackBeforeCommit?: boolean;
}

const COUNTER_KEY = 'citizen/counter';
const INCARNATION_KEY = 'citizen/incarnation';

interface RegOp {
  readonly h: OpHandle;
  readonly kind: 'cas' | 'write' | 'read' | 'seq';
  readonly key: string;
  /** For cas: the index of its change in the transaction (an abort there means the cas saw another value). */
  readonly change: number;
}

interface Pending {
  readonly cmd: TxCommand;
  readonly tx: OpHandle;
  readonly regs: readonly RegOp[];
  readonly deadline: Micros;
}

export function raftContext(opts: RaftContextOptions) {
  return (ctx: ProcessContext): Process => {
    const peers = ctx.nodes(ctx.role);
    const others = peers.filter((n) => n !== ctx.id);
    let bytes = 0;
    // Raft sends through this, so every byte the context puts on the wire is counted.
    const counted: ProcessContext = {
      id: ctx.id,
      role: ctx.role,
      incarnation: ctx.incarnation,
      monotonic: () => ctx.monotonic(),
      storage: ctx.storage,
      choices: ctx.choices,
      history: ctx.history,
      now: () => ctx.now(),
      send(to, msg) {
        bytes += jsonBytes(msg);
        ctx.send(to, msg);
      },
      setTimer: (d, t) => ctx.setTimer(d, t),
      cancelTimer: (id) => ctx.cancelTimer(id),
      probe: (n, ok, d) => ctx.probe(n, ok, d),
      log: (m, d) => ctx.log(m, d),
      nodes: (r) => ctx.nodes(r),
    };
    const sm = new TxState(opts.tx);
    let pending: Pending | null = null;
    let stopped = false;
    let counter = (ctx.storage.get(COUNTER_KEY) as number | undefined) ?? 0;
    const incarnation = ((ctx.storage.get(INCARNATION_KEY) as number | undefined) ?? 0) + 1;
    ctx.storage.put(INCARNATION_KEY, incarnation);
    ctx.storage.sync();
    /** Transactions this node proposed as leader, with the term (a resend in the same term is not proposed again). */
    const proposed = new Map<string, number>();
    /** Own transactions whose callbacks fired early (the planted bug). */
    const firedEarly = new Set<string>();
    /** Callbacks fired in the current event, by transaction: [id, callbacks, log index]. */
    let seen: [string, number, number][] = [];
    /** The subscriber: a view built from callbacks alone, from the contents at (re)start. */
    let sub = new CallbackView();

    const onApply = (index: number, _term: number, command: Value, output: Value): void => {
      const out = output as TxOutput | null;
      if (!out || out.r === 'dup') return;
      if (out.changes.length > 0 && !firedEarly.delete(out.id)) {
        for (const c of out.changes) sub.apply(c as Change);
        seen.push([out.id, out.changes.length, index]);
      }
      if (pending && pending.cmd.id === out.id) resolve(out, index, command as TxCommand);
    };
    // A context far behind gets the leader's snapshot (InstallSnapshot): the objects jump, and the
    // subscriber hears the difference as callbacks (without this, the catch-up would be a silent merge).
    const onSnapshotInstalled = (): void => {
      for (const c of diffViews(sub.view(), sm.view())) sub.apply(c);
    };
    const raft = createRaftNode(counted, { ...opts.raft, peers }, sm, { onApply, onRoleChange: () => proposed.clear(), onSnapshotInstalled });
    sub = new CallbackView(sm.view());
    let live = new Set(sm.liveTokens());
    const gone = new Set<string>();

    const resolve = (out: TxOutput, index: number, cmd: TxCommand): void => {
      const p = pending as Pending;
      pending = null;
      if (out.r === 'commit') {
        ctx.history.ok(p.tx, { index });
        for (const r of p.regs) {
          if (r.kind === 'cas') ctx.history.ok(r.h, true);
          else if (r.kind === 'read') ctx.history.ok(r.h, readOf(out.reads, r.key));
          else ctx.history.ok(r.h, null);
        }
      } else if (out.r === 'abort') {
        ctx.history.fail(p.tx, { reason: out.reason });
        for (const r of p.regs) {
          if (r.kind === 'cas' && r.change === out.failed && cmd.changes[out.failed]?.o === 'value') ctx.history.ok(r.h, false);
          else ctx.history.fail(r.h);
        }
      }
      next();
    };

    const submit = (): void => {
      if (!pending) return;
      const cmd = pending.cmd;
      if (raft.role === 'leader') {
        propose(cmd);
        return;
      }
      const to = raft.leaderHint !== undefined && raft.leaderHint !== ctx.id ? raft.leaderHint : others[ctx.choices.int(others.length, 'tx.forward-to')];
      if (to !== undefined) counted.send(to, { t: 'fwd', cmd });
    };
    const propose = (cmd: TxCommand): void => {
      if (proposed.get(cmd.id) === raft.term) return;
      const r = raft.propose(cmd);
      if (r.ok) proposed.set(cmd.id, r.term);
    };

    const perform = (): void => {
      const id = `${ctx.id}.${++counter}`;
      ctx.storage.put(COUNTER_KEY, counter);
      ctx.storage.sync();
      const token = () => {
        const t = `${ctx.id}.${++counter}`;
        ctx.storage.put(COUNTER_KEY, counter);
        return t;
      };
      const read = ctx.choices.bool(opts.readShare, 'tx.read');
      const changes: TxChange[] = [];
      const regs: Omit<RegOp, 'h'>[] = [];
      const invokes: [string, string, Value][] = [];
      const cur = sm.view();
      const seq = cur.seq.map(String);
      let value = cur.value;
      let seqEdited = false;
      if (read) {
        invokes.push(['read', 'reg/value', null]);
        regs.push({ kind: 'read', key: 'reg/value', change: -1 });
        for (let k = 0; k < opts.tableKeys; k++) {
          invokes.push(['read', `reg/table/t${k}`, null]);
          regs.push({ kind: 'read', key: `reg/table/t${k}`, change: -1 });
        }
        for (let e = 0; e < opts.setElements; e++) {
          invokes.push(['read', `reg/set/e${e}`, null]);
          regs.push({ kind: 'read', key: `reg/set/e${e}`, change: -1 });
        }
        if (opts.tx.ot) {
          invokes.push(['read', 'otseq', null]);
          regs.push({ kind: 'read', key: 'otseq', change: -1 });
        }
      } else {
        const size = 1 + ctx.choices.int(opts.maxChanges, 'tx.size');
        for (let n = 0; n < size; n++) {
          let f = pickWeighted(opts.mix as Record<string, number>, ctx.choices, 'workload.f') as CitizenOp;
          if (f === 'delete' && seq.length === 0) f = 'insert';
          if ((f === 'insert' || f === 'delete') && opts.tx.ot && seqEdited) continue; // one OT op per transaction
          const at = changes.length;
          switch (f) {
            case 'write': {
              const v = token();
              changes.push({ o: 'value', v, expect: value });
              invokes.push(['cas', 'reg/value', [value, v]]);
              regs.push({ kind: 'cas', key: 'reg/value', change: at });
              value = v;
              break;
            }
            case 'put':
            case 'remove': {
              const k = `t${ctx.choices.int(opts.tableKeys, 'workload.key')}`;
              const v = f === 'put' ? token() : null;
              changes.push(f === 'put' ? { o: 'table', k, v } : { o: 'table-del', k });
              invokes.push(['write', `reg/table/${k}`, v]);
              regs.push({ kind: 'write', key: `reg/table/${k}`, change: at });
              break;
            }
            case 'add':
            case 'discard': {
              const e = `e${ctx.choices.int(opts.setElements, 'workload.key')}`;
              const tag = f === 'add' ? token() : null;
              changes.push(tag !== null ? { o: 'set-add', e, tag } : { o: 'set-del', e });
              invokes.push(['write', `reg/set/${e}`, tag]);
              regs.push({ kind: 'write', key: `reg/set/${e}`, change: at });
              break;
            }
            case 'insert': {
              const i = ctx.choices.int(seq.length + 1, 'workload.index');
              const v = token();
              if (opts.tx.ot) {
                changes.push({ o: 'seq-ot', op: insertOp(i, v), base: sm.seqVersion, n: counter });
                const ch = (t: string | undefined) => (t === undefined ? null : tokenChar(t));
                invokes.push(['insert', 'otseq', { opId: id, text: tokenChar(v), left: ch(seq[i - 1]), right: ch(seq[i]) }]);
                regs.push({ kind: 'seq', key: 'otseq', change: at });
                seqEdited = true;
              } else changes.push({ o: 'seq-ins', after: i === 0 ? null : (seq[i - 1] as string), v });
              seq.splice(i, 0, v);
              break;
            }
            case 'delete': {
              const i = ctx.choices.int(seq.length, 'workload.index');
              const x = seq[i] as string;
              if (opts.tx.ot) {
                changes.push({ o: 'seq-ot', op: deleteOp(i), base: sm.seqVersion, n: counter });
                invokes.push(['delete', 'otseq', { opId: id, text: tokenChar(x) }]);
                regs.push({ kind: 'seq', key: 'otseq', change: at });
                seqEdited = true;
              } else changes.push({ o: 'seq-del', x });
              seq.splice(i, 1);
              break;
            }
          }
        }
      }
      ctx.storage.sync();
      const cmd: TxCommand = { k: 'tx', id, from: ctx.id, changes, read };
      const tx = ctx.history.invoke('tx', undefined, { id, read, changes: changes.length });
      const handles = invokes.map(([f, key, v], i) => ({ ...(regs[i] as Omit<RegOp, 'h'>), h: ctx.history.invoke(f, key, v) }));
      pending = { cmd, tx, regs: handles, deadline: ctx.now() + opts.txTimeout };
      if (opts.callbackBeforeCommit && changes.length > 0) {
        // The planted bug: the submitter shows its own change before the log decides it.
        const spec = new TxState(opts.tx);
        spec.restore(sm.snapshot());
        const early = spec.apply(cmd, 0) as TxOutput;
        if (early.r === 'commit') {
          for (const c of early.changes) sub.apply(c as Change);
          firedEarly.add(id);
          seen.push([id, early.changes.length, -1]);
        }
      }
      submit();
      ctx.setTimer(opts.retryEvery, { t: 'retry', id });
      ctx.setTimer(opts.txTimeout, { t: 'timeout', id });
    };

    const next = (): void => {
      if (!stopped) ctx.setTimer(opts.think.min + ctx.choices.int(opts.think.max - opts.think.min + 1, 'workload.think'), 'op');
    };

    const settle = (): void => {
      const s = sub.view();
      const held = sm.view();
      const ok = canonicalJson(s) === canonicalJson(held);
      ctx.probe('citizen.callbacks', ok, ok ? null : { subscriber: s, objects: held });
      const now = new Set(sm.liveTokens());
      const back = [...now].filter((t) => gone.has(t));
      for (const t of back) gone.delete(t);
      for (const t of live) if (!now.has(t)) gone.add(t);
      live = now;
      ctx.probe('citizen.monotonic', back.length === 0, back.length === 0 ? null : { returned: back });
      if (seen.length > 0) {
        ctx.probe('citizen.tx-seen', true, { txs: seen, inc: incarnation });
        seen = [];
      }
      ctx.probe('citizen.view', true, viewDigest(held));
    };

    const stateBytes = (): number => {
      let raftBytes = 0;
      for (const k of ctx.storage.keys()) if (k.startsWith('raft/')) raftBytes += jsonBytes(ctx.storage.get(k) ?? null);
      return sm.encodedSize() + raftBytes;
    };

    return {
      onStart() {
        raft.start();
        next();
        ctx.setTimer(opts.statsEvery, 'stats');
      },
      onQuiesce() {
        stopped = true;
      },
      onTimer(tag, id) {
        if (raft.handleTimer(tag, id)) return;
        if (tag === 'op') {
          if (!pending && !stopped) perform();
        } else if (tag === 'stats') {
          ctx.probe('citizen.stats', true, { bytes: { raft: bytes }, state: stateBytes() });
          ctx.setTimer(opts.statsEvery, 'stats');
          return;
        } else {
          const t = tag as { t?: string; id?: string };
          if (!pending || pending.cmd.id !== t.id) return;
          if (t.t === 'retry') {
            submit();
            ctx.setTimer(opts.retryEvery, { t: 'retry', id: t.id });
          } else if (t.t === 'timeout') {
            ctx.history.info(pending.tx);
            for (const r of pending.regs) ctx.history.info(r.h);
            pending = null;
            next();
          }
        }
        settle();
      },
      onMessage(from: NodeId, msg: Value) {
        if (!raft.handleMessage(from, msg)) {
          const m = msg as { t?: string; cmd?: TxCommand };
          if (m.t === 'fwd' && m.cmd) {
            if (raft.role === 'leader') propose(m.cmd);
            else if (raft.leaderHint !== undefined && raft.leaderHint !== ctx.id && raft.leaderHint !== from) counted.send(raft.leaderHint, msg);
          }
        }
        settle();
      },
      fingerprint: () => `${raft.fingerprint()}|${sm.fingerprint()}|${pending?.cmd.id ?? ''}|${canonicalJson(sub.view())}`,
      observedState: () => sm.view(),
    };
  };
}

function readOf(reads: Value, key: string): Value {
  const r = reads as { value: Value; table: { [k: string]: Value }; set: { [e: string]: Value }; text: string | null } | null;
  if (!r) return null;
  if (key === 'reg/value') return r.value;
  if (key === 'otseq') return r.text;
  if (key.startsWith('reg/table/')) return r.table[key.slice(10)] ?? null;
  if (key.startsWith('reg/set/')) return r.set[key.slice(8)] ?? null;
  return null;
}
