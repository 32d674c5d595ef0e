import type { NodeId, Value } from '../../sim/value.ts';
import { isRequest, type KvRequest, type KvResponse as AuthorityResponse } from '../kv-authority/protocol.ts';

// The client's request is kv-authority's: the same operations, with retries reusing `req` so the
// state machine can answer them from its dedup table.
export { isRequest, type KvRequest };

/** A follower passes a request on to the leader it knows; the leader answers the client itself. */
export interface KvForward {
  readonly [k: string]: Value;
  readonly type: 'fwd';
  readonly client: NodeId;
  readonly hops: number;
  readonly request: KvRequest;
}

/** kv-authority's answer, naming the server that answered: the leader, where the client sends next. */
export interface KvResponse extends AuthorityResponse {
  readonly leader: NodeId;
}

/** The command replicated through Raft: the request and who sent it. */
export interface KvCommand {
  readonly [k: string]: Value;
  readonly client: NodeId;
  readonly req: number;
  readonly f: KvRequest['f'];
  readonly key: string;
  readonly value: Value;
}

const isObj = (m: Value): m is { readonly [k: string]: Value } => typeof m === 'object' && m !== null && !Array.isArray(m);
export const isForward = (m: Value): m is KvForward => isObj(m) && m.type === 'fwd';
export const isResponse = (m: Value): m is KvResponse => isObj(m) && m.type === 'res';
