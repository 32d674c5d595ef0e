import type { NodeId, Value } from '../../sim/value.ts';

/** A client's request. Retries reuse `req`, so the state machine can answer them from its dedup table. */
export interface KvRequest {
  readonly [k: string]: Value;
  readonly type: 'req';
  readonly req: number;
  readonly f: 'read' | 'write' | 'cas';
  readonly key: string;
  /** write: the value; cas: [from, to]; read: null. */
  readonly value: Value;
}

/** A follower passes a request on to the leader it knows; the leader answers the client itself. */
export interface KvForward {
  readonly [k: string]: Value;
  readonly type: 'fwd';
  readonly client: NodeId;
  readonly hops: number;
  readonly request: KvRequest;
}

export interface KvResponse {
  readonly [k: string]: Value;
  readonly type: 'res';
  readonly req: number;
  /** false only for a cas whose comparison failed. */
  readonly ok: boolean;
  readonly value: Value;
  /** The server that answered, the leader: where the client sends next. */
  readonly leader: NodeId;
}

/** The command replicated through Raft: the request and who sent it. */
export interface KvCommand {
  readonly [k: string]: Value;
  readonly client: NodeId;
  readonly req: number;
  readonly f: 'read' | 'write' | 'cas';
  readonly key: string;
  readonly value: Value;
}

const isObj = (m: Value): m is { readonly [k: string]: Value } => typeof m === 'object' && m !== null && !Array.isArray(m);
export const isRequest = (m: Value): m is KvRequest => isObj(m) && m.type === 'req';
export const isForward = (m: Value): m is KvForward => isObj(m) && m.type === 'fwd';
export const isResponse = (m: Value): m is KvResponse => isObj(m) && m.type === 'res';
