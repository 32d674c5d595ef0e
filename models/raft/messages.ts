import type { NodeId, Value } from '../../sim/value.ts';
import type { WireEntry } from './log.ts';

/**
 * Raft's RPCs as plain messages (Figure 2 and section 7), each marked `raft` so a host tells
 * them apart from its own. Replies carry what the requester needs to match them to its state,
 * since the network may lose, duplicate and reorder them.
 */
export type RaftMessage =
  | { readonly raft: 'rv'; readonly term: number; readonly lastIndex: number; readonly lastTerm: number }
  | { readonly raft: 'rvr'; readonly term: number; readonly granted: boolean }
  | {
      readonly raft: 'ae';
      readonly term: number;
      readonly prevIndex: number;
      readonly prevTerm: number;
      readonly entries: readonly WireEntry[];
      readonly commit: number;
    }
  /** ok: the follower's log equals the leader's up to `match`; otherwise `hint` is where to retry. */
  | { readonly raft: 'aer'; readonly term: number; readonly ok: boolean; readonly match: number; readonly hint: number }
  | {
      readonly raft: 'is';
      readonly term: number;
      readonly index: number;
      readonly lastTerm: number;
      readonly chain: number;
      readonly state: Value;
    }
  | { readonly raft: 'isr'; readonly term: number; readonly match: number };

export function isRaftMessage(m: Value): m is RaftMessage & Value {
  return typeof m === 'object' && m !== null && !Array.isArray(m) && typeof (m as { raft?: Value }).raft === 'string';
}

/** Timer tags: `{ raft: 'election' }` and `{ raft: 'heartbeat' }`. */
export function isRaftTimer(tag: Value): boolean {
  return typeof tag === 'object' && tag !== null && !Array.isArray(tag) && typeof (tag as { raft?: Value }).raft === 'string';
}

export type Sender = (to: NodeId, m: RaftMessage) => void;
