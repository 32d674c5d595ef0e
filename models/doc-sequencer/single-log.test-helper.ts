import type { CreateRaftNode, RaftNode } from '../raft/api.ts';
import type { Value } from '../../sim/value.ts';

/**
 * A stand-in for Raft in tests of the host and clients alone: one node that is always leader
 * and commits each entry 1 ms after it is proposed (in memory, no replication, no crash
 * safety). It exercises the host's propose → onApply → ack path, nothing of Raft itself.
 */
export const singleLog: CreateRaftNode = (ctx, config, sm, events) => {
  const log: Value[] = [];
  let applied = 0;
  const node: RaftNode = {
    start() {},
    handleMessage: () => false,
    handleTimer(tag) {
      if (typeof tag !== 'object' || tag === null || !('raft' in tag)) return false;
      while (applied < log.length) {
        applied++;
        const cmd = log[applied - 1] as Value;
        const out = sm.apply(cmd, applied);
        events?.onApply?.(applied, 1, cmd, out);
      }
      return true;
    },
    propose(command) {
      if (ctx.id !== config.peers[0]) return { ok: false, leader: config.peers[0] };
      log.push(command);
      ctx.setTimer(1000, { raft: 'apply' });
      return { ok: true, index: log.length, term: 1 };
    },
    get role() {
      return ctx.id === config.peers[0] ? 'leader' : 'follower';
    },
    term: 1,
    get leaderHint() {
      return config.peers[0];
    },
    get commitIndex() {
      return applied;
    },
    get lastApplied() {
      return applied;
    },
    fingerprint: () => `${log.length}:${applied}`,
  };
  return node;
};
