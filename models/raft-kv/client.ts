import type { ProcessContext } from '../../sim/process.ts';
import type { NodeId } from '../../sim/value.ts';
import { type ClientOptions, kvClient, type Router } from '../kv-authority/client.ts';
import type { KvResponse } from './protocol.ts';

/**
 * A raft-kv client is kv-authority's client (one operation at a time, retries with the same
 * request number, a cas against the last value it saw for the key) with Raft's routing: a request
 * goes to the server it believes leads, at first one drawn at random; a timeout retries at the
 * next server in turn; an answer names the leader, which the client sticks to.
 */
const toLeader = (ctx: ProcessContext, servers: readonly NodeId[]): Router => {
  let target = ctx.choices.int(servers.length, 'client.server');
  return {
    first: () => servers[target] as NodeId,
    afterTimeout: () => {
      target = (target + 1) % servers.length;
      return servers[target] as NodeId;
    },
    answered: (msg) => {
      const at = servers.indexOf((msg as KvResponse).leader);
      if (at >= 0) target = at;
    },
    fingerprint: () => String(target),
  };
};

export function raftKvClient(opts: Omit<ClientOptions, 'route'>) {
  return kvClient({ ...opts, route: toLeader });
}
