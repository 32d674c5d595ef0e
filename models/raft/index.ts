import type { CreateRaftNode, RaftBug } from './api.ts';
import { RaftServer } from './node.ts';

export type {
  CreateRaftNode,
  ProposeResult,
  RaftBug,
  RaftConfig,
  RaftEvents,
  RaftNode,
  RaftRole,
  StateMachine,
} from './api.ts';

/** The Raft part designs embed (see api.ts for the contract, README.md for the paper mapping). */
export const createRaftNode: CreateRaftNode = (ctx, config, sm, events) => new RaftServer(ctx, config, sm, events);

/** The planted bugs, in the order variants list them. */
export const RAFT_BUGS: readonly RaftBug[] = ['commit-old-term', 'forget-voted-for', 'reply-before-sync', 'skip-prev-check', 'vote-stale-log'];
