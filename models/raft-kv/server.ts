import type { Process, ProcessContext } from '../../sim/process.ts';
import type { NodeId, Value } from '../../sim/value.ts';
import type { RaftConfig } from '../raft/api.ts';
import { createRaftNode } from '../raft/index.ts';
import { KvMachine, type KvOutput } from './machine.ts';
import { isForward, isRequest, type KvCommand, type KvRequest, type KvResponse } from './protocol.ts';

/** A proposal this server made as leader, waiting for its entry to apply. */
interface Waiting {
  readonly term: number;
  readonly client: NodeId;
  readonly req: number;
}

/** How many times a request may be passed on before it is dropped (the client then retries). */
const MAX_HOPS = 2;

/**
 * A raft-kv server: one Raft node hosting a KvMachine. The leader proposes each request and
 * answers the client when its entry applies in the term it proposed it in; a follower passes
 * the request on to the leader it last heard from (Raft paper section 8). Everything durable is
 * Raft's: a restart rebuilds the machine from Raft's snapshot and log.
 */
export function raftKvServer(config: RaftConfig) {
  return (ctx: ProcessContext): Process => {
    const sm = new KvMachine();
    const waiting = new Map<number, Waiting>();
    const raft = createRaftNode(ctx, config, sm, {
      onApply(index, term, _command, output) {
        const w = waiting.get(index);
        if (w === undefined) return;
        waiting.delete(index);
        // Another leader's entry took this index: the client's request was not committed here.
        if (w.term !== term || output === null) return;
        const o = output as KvOutput;
        const res: KvResponse = { type: 'res', req: w.req, ok: o.ok, value: o.value, leader: ctx.id };
        ctx.send(w.client, res);
      },
      onRoleChange(role) {
        // Proposals of a term this node no longer leads are answered by nobody: clients retry.
        if (role !== 'leader') waiting.clear();
      },
    });

    const handle = (client: NodeId, r: KvRequest, hops: number) => {
      const command: KvCommand = { client, req: r.req, f: r.f, key: r.key, value: r.value };
      const p = raft.propose(command);
      if (p.ok) {
        waiting.set(p.index, { term: p.term, client, req: r.req });
        return;
      }
      if (p.leader !== undefined && p.leader !== ctx.id && hops < MAX_HOPS) {
        ctx.send(p.leader, { type: 'fwd', client, hops: hops + 1, request: r });
      }
    };

    return {
      onStart: () => raft.start(),
      onMessage(from, msg) {
        if (raft.handleMessage(from, msg)) return;
        if (isRequest(msg)) handle(from, msg, 0);
        else if (isForward(msg)) handle(msg.client, msg.request, msg.hops);
      },
      onTimer(tag: Value, id) {
        raft.handleTimer(tag, id);
      },
      fingerprint: () => `${raft.fingerprint()}|${waiting.size}`,
      observedState: () => sm.observed(),
    };
  };
}
