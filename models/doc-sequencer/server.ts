import type { CreateRaftNode, RaftConfig, RaftNode } from '../raft/api.ts';
import type { Process, ProcessContext } from '../../sim/process.ts';
import type { Micros, NodeId, Value } from '../../sim/value.ts';
import { isMsg, type ServerMsg } from './protocol.ts';
import { type OpCommand, type SequencerOptions, type SequencerOutput, SequencerState } from './state-machine.ts';

/**
 * A sequencer replica: a Raft node with the sequencer state machine, and the client sessions
 * around it. Only the leader takes ops: it proposes each through Raft and acks from onApply,
 * after commit, if it still leads in the term it proposed in; it broadcasts every op it applies
 * to the clients that talk to it. A follower redirects clients to the leader it last heard of.
 * Presence is relayed between clients straight away, never through Raft (ephemeral).
 */
export interface ServerOptions {
  readonly peers: readonly NodeId[];
  readonly raft: Omit<RaftConfig, 'peers'>;
  readonly createRaftNode: CreateRaftNode;
  readonly sequencer: SequencerOptions;
  /** bug:ack-before-commit: ack an op as soon as it is appended to the leader's log. */
  readonly ackOnPropose?: boolean;
  /** On a node's very first start every peer but the first waits this long, so the first leads (scenarios aim at it). */
  readonly bootDelay: Micros;
}

interface Waiter {
  readonly client: NodeId;
  readonly opId: string;
  readonly term: number;
}

export function docServer(o: ServerOptions) {
  return (ctx: ProcessContext): Process => {
    const fresh = ctx.storage.keys().length === 0;
    const sm = new SequencerState(o.sequencer, (seq, prev, opId) =>
      ctx.probe('sequencer.assign', seq === prev + 1, { seq, prev, opId }),
    );
    const subscribers = new Set<NodeId>();
    /** Log index → the client waiting for that entry's ack. */
    const waiting = new Map<number, Waiter>();
    /** As written: the dedup table and the serverSeq counter live in the leader's memory. */
    const memDedup = new Map<string, number>();
    let nextSeq = 0;
    let raft: RaftNode;
    /** Waiting out bootDelay: the node is not up yet and hears nothing. */
    let booting = false;

    const reply = (to: NodeId, m: ServerMsg): void => ctx.send(to, m);

    const onApply = (index: number, term: number, command: Value, output: Value): void => {
      const c = command as OpCommand;
      const out = output as SequencerOutput | null;
      if (!out || !c || c.k !== 'op') return;
      const w = waiting.get(index);
      waiting.delete(index);
      if (raft.role !== 'leader') return;
      const mineToAck = w !== undefined && w.term === term && w.opId === c.opId;
      if (out.r === 'seq') {
        memDedup.set(c.opId, out.seq);
        for (const s of subscribers) reply(s, { type: 'op', seq: out.seq, opId: c.opId, op: out.applied });
        if (mineToAck && !o.ackOnPropose) reply(w.client, { type: 'ack', opId: c.opId, seq: out.seq });
      } else if (out.r === 'dup') {
        if (mineToAck) reply(w.client, { type: 'ack', opId: c.opId, seq: out.seq });
      } else if (mineToAck) reply(w.client, { type: 'stale', opId: c.opId, lastIncludedSeq: out.lastIncludedSeq });
    };

    raft = o.createRaftNode(ctx, { ...o.raft, peers: o.peers }, sm, {
      onApply,
      onRoleChange(role) {
        waiting.clear();
        if (role === 'leader') nextSeq = sm.lastSeq + 1;
      },
    });

    const handleOp = (from: NodeId, m: { opId: string; clientId: string; localSeq: number; base: number; op: Value }): void => {
      if (raft.role !== 'leader') return reply(from, { type: 'redirect', leader: raft.leaderHint ?? null });
      subscribers.add(from);
      let seq: number | null = null;
      if (!o.sequencer.replicatedDedup) {
        const earlier = memDedup.get(m.opId);
        if (earlier !== undefined && earlier <= sm.lastSeq) return reply(from, { type: 'ack', opId: m.opId, seq: earlier });
        if (earlier !== undefined) return; // still on its way through Raft: its ack will come
      }
      if (o.sequencer.seqAt === 'proposal') {
        seq = nextSeq++;
        memDedup.set(m.opId, seq);
      }
      const cmd: OpCommand = { k: 'op', opId: m.opId, clientId: m.clientId, localSeq: m.localSeq, base: m.base, op: m.op, seq };
      const r = raft.propose(cmd);
      if (!r.ok) return reply(from, { type: 'redirect', leader: r.leader ?? null });
      waiting.set(r.index, { client: from, opId: m.opId, term: r.term });
      if (o.ackOnPropose) {
        // The planted bug: the op is only in the leader's log, not committed.
        reply(from, { type: 'ack', opId: m.opId, seq: seq ?? sm.lastSeq + 1 + pendingAhead(r.index) });
      }
    };

    /** Entries between the last applied and `index` (each may take a serverSeq before ours). */
    const pendingAhead = (index: number): number => Math.max(0, index - raft.lastApplied - 1);

    const handleFetch = (from: NodeId, since: number, pendingFrom: number, clientId: string): void => {
      if (raft.role !== 'leader') return reply(from, { type: 'redirect', leader: raft.leaderHint ?? null });
      subscribers.add(from);
      const ops = sm.opsSince(since);
      if (ops) return reply(from, { type: 'ops', ops });
      const snap = sm.snapshotForClient();
      const mine: Record<string, number> = o.sequencer.replicatedDedup ? sm.committedOf(clientId, pendingFrom) : {};
      if (!o.sequencer.replicatedDedup) {
        for (const [opId, seq] of memDedup) {
          const [cid, ls] = opId.split(':');
          if (cid === clientId && Number(ls) >= pendingFrom && seq <= sm.lastSeq) mine[ls as string] = seq;
        }
      }
      reply(from, { type: 'snap', lastIncludedSeq: snap.lastIncludedSeq, snapshot: snap.snapshot, ops: snap.ops, mine });
    };

    return {
      onStart() {
        if (fresh && o.bootDelay > 0 && ctx.id !== o.peers[0]) {
          booting = true;
          ctx.setTimer(o.bootDelay, 'boot');
        } else raft.start();
      },
      onTimer(tag, id) {
        if (raft.handleTimer(tag, id)) return;
        if (tag === 'boot') {
          booting = false;
          raft.start();
        }
      },
      onMessage(from, msg) {
        if (booting) return;
        if (raft.handleMessage(from, msg)) return;
        if (!isMsg(msg)) return;
        switch (msg.type) {
          case 'op':
            return handleOp(from, msg as unknown as { opId: string; clientId: string; localSeq: number; base: number; op: Value });
          case 'fetch':
            return handleFetch(from, msg.since as number, msg.pendingFrom as number, from);
          case 'presence':
            subscribers.add(from);
            for (const s of subscribers) if (s !== from) reply(s, msg as unknown as ServerMsg);
            return;
        }
      },
      fingerprint: () => `${raft.fingerprint()}|${sm.fingerprint()}`,
      observedState: () => ({ text: sm.docText(), seq: sm.lastSeq, meta: sm.metadataBytes(), work: sm.work }),
    };
  };
}
