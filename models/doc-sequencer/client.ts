import type { OpHandle, Process, ProcessContext } from '../../sim/process.ts';
import type { Micros, NodeId, Value } from '../../sim/value.ts';
import type { CrdtDoc, CrdtModel } from './crdt.ts';
import { codePoints, type Edit, jsonBytes } from './edit.ts';
import { apply, applyFitting, asOp, asValue, diffOp, editToOp, transform } from './ot.ts';
import { type ClientMsg, isMsg, opIdOf, type SeqOp } from './protocol.ts';
import type { PositionName } from './state-machine.ts';

/**
 * A document client: applies edits optimistically, keeps an in-flight queue, rebases it as the
 * ordered stream of server ops arrives (OT: ot-text-unicode transform, ShareDB's client rule;
 * CRDT: ops commute, nothing to rebase), retries an unacknowledged op with the same opId,
 * follows redirects and moves to another server when its own goes quiet, and resyncs from a
 * snapshot on STALE_BASE. Every edit is a history operation (insert / delete, ok with its
 * serverSeq on ack); `read` records the text the user sees, for the checks made during the run.
 */
export interface ClientOptions {
  readonly index: number;
  readonly servers: readonly NodeId[];
  readonly position: PositionName;
  readonly crdt?: CrdtModel;
  /** How many ops may be in flight at once: Infinity as written (send each edit at once), 1 corrected (OT). */
  readonly maxInFlight: number;
  /** After STALE_BASE, rebase pending OT ops over the text that changed (corrected) or re-send them as they were (as written). */
  readonly rebaseOnResync: boolean;
  readonly think: { readonly min: Micros; readonly max: Micros };
  /** Relative weights: insert at a random place, delete at a random place, insert/delete at the hot spot (position 0). */
  readonly mix: { readonly insert: number; readonly delete: number; readonly hot: number };
  readonly timeout: Micros;
  readonly tick: Micros;
  readonly syncEvery: Micros;
  readonly readEvery: Micros;
  readonly presenceEvery: Micros;
  /** bug:skip-rebase: queued ops are not transformed over remote ops. */
  readonly skipRebase?: boolean;
  /** Local time after which this client stops editing (its last ops still finish). */
  readonly stopAt?: Micros;
}

interface Queued {
  readonly opId: string;
  readonly localSeq: number;
  /** OT: relative to the server text followed by the queued ops before it. CRDT: the op itself. */
  op: Value;
  sentAt: Micros | undefined;
  handle: OpHandle | undefined;
}

/** Each client types characters from its own block, so every character in a run is unique. */
const BLOCK = 1000;
const charFor = (client: number, n: number): string => String.fromCodePoint(0x4e00 + client * BLOCK + (n % BLOCK));

export function docClient(o: ClientOptions) {
  return (ctx: ProcessContext): Process => {
    const clientId = ctx.id;
    const ot = o.position === 'ot';
    let serverText = '';
    let localText = '';
    let crdt: CrdtDoc | undefined = ot ? undefined : (o.crdt as CrdtModel).create(o.index + 1);
    let currentSeq = 0;
    const queue: Queued[] = [];
    const future = new Map<number, SeqOp>();
    let nextLocal = 0;
    let typed = 0;
    let server = o.index % o.servers.length;
    let lastHeard = 0;
    let lastFetch = -Infinity;
    let stopped = false;
    const cursors = new Map<string, number>();
    const stats = { bytesOut: 0, bytesIn: 0, edits: 0, resyncs: 0, stale: 0 };

    const text = (): string => (crdt ? crdt.text() : localText);
    const send = (msg: ClientMsg): void => {
      stats.bytesOut += jsonBytes(msg);
      ctx.send(o.servers[server] as NodeId, msg);
    };
    const fetch = (): void => {
      lastFetch = ctx.now();
      send({ type: 'fetch', since: currentSeq, pendingFrom: queue[0]?.localSeq ?? nextLocal });
    };
    const sendOp = (q: Queued): void => {
      q.sentAt = ctx.now();
      send({ type: 'op', opId: q.opId, clientId, localSeq: q.localSeq, base: currentSeq, op: q.op });
    };
    /** Sends what may go now: the first `maxInFlight` queued ops. */
    const pump = (): void => {
      const n = Math.min(queue.length, o.maxInFlight);
      for (let i = 0; i < n; i++) if ((queue[i] as Queued).sentAt === undefined) sendOp(queue[i] as Queued);
    };
    const acked = (q: Queued, seq: number): void => {
      if (!q.handle) return;
      ctx.history.ok(q.handle, { seq });
      q.handle = undefined;
    };

    const recomputeLocal = (): void => {
      let t = serverText;
      for (const q of queue) t = applyFitting(t, asOp(q.op)).text;
      localText = t;
    };

    /** One op of the ordered stream, at seq currentSeq + 1. */
    const integrate = (s: SeqOp): void => {
      const mine = queue.findIndex((q) => q.opId === s.opId);
      if (ot) {
        serverText = applyFitting(serverText, asOp(s.op)).text;
        if (mine >= 0) {
          acked(queue[mine] as Queued, s.seq);
          queue.splice(mine, 1);
          recomputeLocal();
        } else if (queue.length === 0) {
          localText = serverText; // nothing pending: the user sees the server's text
        } else {
          // ShareDB's client rule: our pending ops go first ('left'), the server's op after.
          let r = asOp(s.op);
          for (const q of queue) {
            const mineOp = asOp(q.op);
            if (!o.skipRebase) q.op = asValue(transform(mineOp, r, 'left'));
            r = transform(r, mineOp, 'right');
          }
          localText = applyFitting(localText, r).text;
        }
      } else {
        (crdt as CrdtDoc).integrate(s.op);
        if (mine >= 0) {
          acked(queue[mine] as Queued, s.seq);
          queue.splice(mine, 1);
        }
      }
      currentSeq = s.seq;
    };

    const deliver = (s: SeqOp): void => {
      if (s.seq <= currentSeq) return;
      future.set(s.seq, s);
      let next = future.get(currentSeq + 1);
      while (next) {
        future.delete(next.seq);
        integrate(next);
        next = future.get(currentSeq + 1);
      }
      if (future.size > 0 && ctx.now() - lastFetch > o.timeout / 2) fetch(); // a gap: a broadcast was lost
      pump();
    };

    /** STALE_BASE or a first connect: start again from the snapshot, then the ops after it. */
    const resync = (lastIncludedSeq: number, snapshot: Value, ops: readonly SeqOp[], mine: Readonly<Record<string, number>>): void => {
      stats.resyncs++;
      // Ops of ours the snapshot already holds (their ack was lost): done.
      const committed = queue.filter((q) => mine[String(q.localSeq)] !== undefined && (mine[String(q.localSeq)] as number) <= lastIncludedSeq);
      let before = serverText;
      for (const q of committed) {
        if (ot) before = applyFitting(before, asOp(q.op)).text;
        acked(q, mine[String(q.localSeq)] as number);
        queue.splice(queue.indexOf(q), 1);
      }
      if (ot) {
        const fresh = snapshot as string;
        if (o.rebaseOnResync) {
          // The ops between were compacted away: rebase over what changed, found by diffing.
          let d = diffOp(before, fresh);
          for (const q of queue) {
            const mineOp = asOp(q.op);
            q.op = asValue(transform(mineOp, d, 'left'));
            d = transform(d, mineOp, 'right');
          }
        }
        serverText = fresh;
        recomputeLocal();
      } else {
        crdt = (o.crdt as CrdtModel).restore(o.index + 1, snapshot, [...ops.map((s) => s.op), ...queue.map((q) => q.op)]);
      }
      currentSeq = lastIncludedSeq;
      future.clear();
      for (const q of queue) q.sentAt = undefined; // re-send the in-flight ops
      for (const s of ops) deliver(s);
      pump();
    };

    const edit = (): void => {
      const chars = codePoints(text());
      const len = chars.length;
      const total = o.mix.insert + o.mix.delete + o.mix.hot;
      const r = ctx.choices.int(total, 'workload.edit');
      const hot = r >= o.mix.insert + o.mix.delete;
      const del = len > 0 && ((r >= o.mix.insert && !hot) || (hot && ctx.choices.bool(0.3, 'workload.hotDelete')));
      const pos = hot ? 0 : ctx.choices.int(del ? len : len + 1, 'workload.pos');
      let e: Edit;
      let value: { readonly [k: string]: Value };
      const localSeq = nextLocal++;
      const opId = opIdOf(clientId, localSeq);
      if (del) {
        const n = Math.min(len - pos, 1 + ctx.choices.int(2, 'workload.len'));
        e = { kind: 'del', pos, len: n };
        value = { opId, text: chars.slice(pos, pos + n).join('') };
      } else {
        const n = 1 + ctx.choices.int(2, 'workload.len');
        let s = '';
        for (let k = 0; k < n; k++) s += charFor(o.index, typed++);
        e = { kind: 'ins', pos, text: s };
        value = { opId, text: s, left: chars[pos - 1] ?? null, right: chars[pos] ?? null };
      }
      const handle = ctx.history.invoke(e.kind === 'ins' ? 'insert' : 'delete', undefined, value);
      let op: Value;
      if (crdt) op = crdt.local(e);
      else {
        op = asValue(editToOp(e));
        localText = apply(localText, asOp(op));
      }
      stats.edits++;
      queue.push({ opId, localSeq, op, sentAt: undefined, handle });
      pump();
    };

    const scheduleEdit = (): void => {
      if (stopped || (o.stopAt !== undefined && ctx.now() >= o.stopAt)) return;
      ctx.setTimer(o.think.min + ctx.choices.int(o.think.max - o.think.min + 1, 'workload.think'), 'edit');
    };

    const onTick = (): void => {
      const now = ctx.now();
      if (now - lastHeard > 3 * o.timeout) {
        // Our server went quiet (crashed, cut off, or no longer leads): try the next one.
        server = (server + 1) % o.servers.length;
        lastHeard = now;
        for (const q of queue) q.sentAt = undefined;
        fetch();
      } else if (now - lastFetch >= o.syncEvery) fetch();
      for (const q of queue.slice(0, o.maxInFlight)) if (q.sentAt !== undefined && now - q.sentAt > o.timeout) sendOp(q);
      pump();
      ctx.setTimer(o.tick, 'tick');
    };

    return {
      onStart() {
        lastHeard = ctx.now();
        fetch();
        scheduleEdit();
        ctx.setTimer(o.tick, 'tick');
        ctx.setTimer(o.readEvery, 'read');
        ctx.setTimer(o.presenceEvery, 'presence');
      },
      onQuiesce() {
        stopped = true;
      },
      onTimer(tag) {
        if (tag === 'edit') {
          edit();
          scheduleEdit();
        } else if (tag === 'tick') onTick();
        else if (tag === 'read') {
          const h = ctx.history.invoke('read', undefined, null);
          ctx.history.ok(h, text());
          if (!stopped) ctx.setTimer(o.readEvery, 'read');
        } else if (tag === 'presence') {
          // Ephemeral: straight to the server and on to the others, never through Raft.
          if (!stopped) {
            send({ type: 'presence', clientId, cursor: codePoints(text()).length, seq: currentSeq });
            ctx.setTimer(o.presenceEvery, 'presence');
          }
        }
      },
      onMessage(from, msg) {
        if (!isMsg(msg)) return;
        stats.bytesIn += jsonBytes(msg);
        if (from === o.servers[server] && msg.type !== 'redirect') lastHeard = ctx.now();
        switch (msg.type) {
          case 'op':
            return deliver(msg as unknown as SeqOp);
          case 'ops':
            for (const s of msg.ops as readonly SeqOp[]) deliver(s);
            return pump();
          case 'snap':
            if ((msg.lastIncludedSeq as number) <= currentSeq) {
              for (const s of msg.ops as readonly SeqOp[]) deliver(s);
              return pump();
            }
            return resync(msg.lastIncludedSeq as number, msg.snapshot ?? null, msg.ops as readonly SeqOp[], msg.mine as Record<string, number>);
          case 'ack': {
            const q = queue.find((x) => x.opId === msg.opId);
            if (q) acked(q, msg.seq as number);
            if ((msg.seq as number) > currentSeq) fetch(); // the broadcast of it has not come yet
            return;
          }
          case 'stale':
            stats.stale++;
            return fetch();
          case 'redirect': {
            // Act once per new leader: every queued message draws its own redirect, and
            // answering each with a resend would multiply them. No leader known yet: the
            // silence rule in onTick moves on.
            const i = typeof msg.leader === 'string' ? o.servers.indexOf(msg.leader) : -1;
            if (i < 0 || i === server) return;
            server = i;
            lastHeard = ctx.now();
            for (const q of queue) q.sentAt = undefined;
            fetch();
            return pump();
          }
          case 'presence':
            cursors.set(msg.clientId as string, msg.cursor as number);
            return;
        }
      },
      fingerprint: () => `${currentSeq}:${queue.length}:${text().length}:${server}`,
      observedState: () => ({ text: text(), seq: currentSeq, pending: queue.length, stats }),
    };
  };
}
