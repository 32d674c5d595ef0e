import type { Value } from '../../sim/value.ts';

/**
 * The document's wire format. Client → server: `op` (opId = clientId + clientLocalSeq, clientId,
 * clientBaseSeq, op), `fetch` (snapshot metadata + recent ops, on connect and to catch up),
 * `presence` (ephemeral cursors). Server → client: `ack`, `op` (the broadcast: serverSeq and
 * appliedOp), `ops` (the ops after a client's base), `snap` (snapshot + ops), `stale`
 * (STALE_BASE), `redirect` (a follower names the leader), `presence` (relayed cursors).
 */
type Msg<T> = T & { readonly [k: string]: Value };

export type ClientMsg =
  | Msg<{ type: 'op'; opId: string; clientId: string; localSeq: number; base: number; op: Value }>
  | Msg<{ type: 'fetch'; since: number; pendingFrom: number }>
  | Msg<{ type: 'presence'; clientId: string; cursor: number; seq: number }>;

export interface SeqOp {
  readonly [k: string]: Value;
  readonly seq: number;
  readonly opId: string;
  readonly op: Value;
}

export type ServerMsg =
  | Msg<{ type: 'ack'; opId: string; seq: number }>
  | Msg<{ type: 'op'; seq: number; opId: string; op: Value }>
  | Msg<{ type: 'ops'; ops: readonly SeqOp[] }>
  | Msg<{ type: 'snap'; lastIncludedSeq: number; snapshot: Value; ops: readonly SeqOp[]; mine: { readonly [localSeq: string]: number } }>
  | Msg<{ type: 'stale'; opId: string; lastIncludedSeq: number }>
  | Msg<{ type: 'redirect'; leader: string | null }>
  | Msg<{ type: 'presence'; clientId: string; cursor: number; seq: number }>;

export const isMsg = (m: Value): m is { readonly type: string; readonly [k: string]: Value } =>
  typeof m === 'object' && m !== null && !Array.isArray(m) && typeof (m as { type?: Value }).type === 'string';

export const opIdOf = (clientId: string, localSeq: number): string => `${clientId}:${localSeq}`;
