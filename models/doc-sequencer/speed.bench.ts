/**
 * The figures issue 15 asks for, measured on the real Raft:
 *   npx tsx models/doc-sequencer/speed.bench.ts [seconds=60] [crashSeeds=30]
 * 1. speed: simulated seconds per wall second for 5 Raft replicas and 20 clients typing
 *    5 edits/s each (think 150-250 ms), no faults, run only (no checks), with Raft's share of
 *    the wall time (inside Raft's handlers, minus the state machine and the host's callbacks);
 * 2. commit latency (leader: propose to apply, virtual time) and client-visible ack latency,
 *    p50/p99, from the same run;
 * 3. unavailability after a leader crash: doc-leader-crash over `crashSeeds` seeds, ms from the
 *    crash (the run's fault record) to the next leader and to the first ack of an edit invoked
 *    after it, against the election timeout.
 * A plain tsx script (host timers allowed: *.bench.ts is outside the determinism lint).
 */
import { performance } from 'node:perf_hooks';
import leaderCrash from '../../scenarios/doc-leader-crash.ts';
import { pairOperations } from '../../sim/history.ts';
import { runScenario } from '../../sim/run.ts';
import { defineScenario } from '../../sim/scenario.ts';
import { MS, SECOND, type Value } from '../../sim/value.ts';
import type { CreateRaftNode, RaftNode, StateMachine } from '../raft/api.ts';
import { createRaftNode } from '../raft/index.ts';
import { type DocParams, docNodes, variantNames } from './nodes.ts';

// Under `vitest bench` (npm run bench) this file is one short benchmark; under tsx, the report.
const underVitest = process.env.VITEST !== undefined;
const seconds = underVitest ? 5 : Number(process.argv[2] ?? 60);
const crashSeeds = underVitest ? 0 : Number(process.argv[3] ?? 30);

let raftMs = 0;
let nestedMs = 0;
const commitUs: number[] = [];

/** Raft with stopwatches around its handlers and around what it calls back into. */
const timedRaft: CreateRaftNode = (ctx, config, sm, events) => {
  const proposedAt = new Map<number, number>();
  const inner: StateMachine = {
    apply(c: Value, i: number) {
      const t = performance.now();
      try {
        return sm.apply(c, i);
      } finally {
        nestedMs += performance.now() - t;
      }
    },
    snapshot: () => sm.snapshot(),
    restore: (s) => sm.restore(s),
  };
  const node: RaftNode = createRaftNode(ctx, config, inner, {
    ...events,
    onApply(index, term, command, output) {
      const p = proposedAt.get(index);
      if (p !== undefined) {
        commitUs.push(ctx.now() - p);
        proposedAt.delete(index);
      }
      const t = performance.now();
      events?.onApply?.(index, term, command, output);
      nestedMs += performance.now() - t;
    },
  });
  const time = <T>(f: () => T): T => {
    const t = performance.now();
    try {
      return f();
    } finally {
      raftMs += performance.now() - t;
    }
  };
  return {
    start: () => time(() => node.start()),
    handleMessage: (from, msg) => time(() => node.handleMessage(from, msg)),
    handleTimer: (tag, id) => time(() => node.handleTimer(tag, id)),
    propose(command) {
      const r = time(() => node.propose(command));
      if (r.ok) proposedAt.set(r.index, ctx.now());
      return r;
    },
    get role() {
      return node.role;
    },
    get term() {
      return node.term;
    },
    get leaderHint() {
      return node.leaderHint;
    },
    get commitIndex() {
      return node.commitIndex;
    },
    get lastApplied() {
      return node.lastApplied;
    },
    fingerprint: () => node.fingerprint(),
  };
};

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : (s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] as number);
};

function report(): void {
  for (const variant of ['corrected', 'corrected/yjs', 'corrected/rga']) {
    raftMs = 0;
    nestedMs = 0;
    commitUs.length = 0;
    const s = defineScenario<DocParams>({
      name: 'doc-speed',
      doc: '5 replicas, 20 clients at 5 edits/s',
      model: { name: 'doc-sequencer', doc: 'speed', variants: variantNames(), build: (v, p) => docNodes(v, p, timedRaft) },
      params: { servers: 5, clients: 20, think: { min: 150 * MS, max: 250 * MS }, compactEvery: 200 },
      expect: { [variant]: { holds: true } },
      network: { default: { latency: { kind: 'lognormal', median: 4 * MS, sigma: 0.6, min: 500 } } },
      faults: {},
      checkers: [],
      duration: seconds * SECOND,
      settle: 2 * SECOND,
      seeds: [1],
    });
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const r = runScenario(s, { seed: 1, variant, onlyChecks: [] });
    const wall = performance.now() - t0;
    const cpu = process.cpuUsage(c0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const ack = pairOperations(r.history)
      .filter((o) => (o.f === 'insert' || o.f === 'delete') && o.status === 'ok')
      .map((o) => o.completeTime - o.invokeTime);
    const raftOwn = raftMs - nestedMs;
    process.stdout.write(
      `${variant}: ${(r.simTime / 1e6).toFixed(0)} s simulated in ${(wall / 1000).toFixed(2)} s wall = ${(r.simTime / 1e3 / wall).toFixed(0)}x real time (${(cpuMs / 1000).toFixed(2)} s of CPU: ${(r.simTime / 1e3 / cpuMs).toFixed(0)}x per CPU second); ` +
        `${r.events} events; Raft's own share ${((100 * raftOwn) / wall).toFixed(1)}% of wall, ${((100 * (raftMs - raftOwn)) / wall).toFixed(1)}% in the state machine and host callbacks it runs\n` +
        `  commit latency (leader propose -> apply) p50 ${(pct(commitUs, 50) / 1000).toFixed(2)} ms, p99 ${(pct(commitUs, 99) / 1000).toFixed(2)} ms over ${commitUs.length} entries\n` +
        `  client ack latency p50 ${(pct(ack, 50) / 1000).toFixed(2)} ms, p99 ${(pct(ack, 99) / 1000).toFixed(2)} ms over ${ack.length} edits\n`,
    );
  }

  // Unavailability after the leader crash: the crash time comes from the run's fault record.
  const gaps: number[] = [];
  const elections: number[] = [];
  let hitLeader = 0;
  for (let seed = 1; seed <= crashSeeds; seed++) {
    const r = runScenario(leaderCrash, { seed, variant: 'corrected', onlyChecks: [] });
    const crash = r.faults.find((f) => f.kind === 'crash');
    if (!crash) throw new Error(`doc-leader-crash seed ${seed}: no crash in the fault record`);
    const crashAt = crash.at;
    // Acks of edits invoked after the crash: an answer already on its way does not count.
    const first = pairOperations(r.history)
      .filter((o) => (o.f === 'insert' || o.f === 'delete') && o.status === 'ok' && o.invokeTime > crashAt)
      .reduce((m, o) => Math.min(m, o.completeTime), Infinity);
    gaps.push((first - crashAt) / 1000);
    // Only a crash of the node leading at that moment forces an election.
    const before = r.probes.filter((p) => p.name === 'raft.leader' && p.time <= crashAt).at(-1);
    if (before?.node !== crash.node) continue;
    hitLeader++;
    const leader = r.probes.find((p) => p.name === 'raft.leader' && p.time > crashAt);
    if (leader) elections.push((leader.time - crashAt) / 1000);
  }
  const stats = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(0)} ms, p99 ${pct(xs, 99).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms`;
  if (crashSeeds > 0) process.stdout.write(
    `leader crash -> next leader elected (doc-leader-crash corrected, the ${hitLeader} of ${crashSeeds} seeds whose crash hit the leader; ${elections.length} elected one): ${stats(elections)}; election timeout 150-300 ms\n` +
      `leader crash -> first ack of an edit invoked after it (${crashSeeds} seeds): ${stats(gaps)}; a client gives up on its server after 900 ms of silence\n`,
  );
}

if (underVitest) {
  const { bench, describe } = await import('vitest');
  describe('doc-sequencer: 5 Raft replicas, 20 clients at 5 edits/s, 5 s simulated', () => {
    bench('run + figures', report, { iterations: 1, warmupIterations: 0 });
  });
} else report();
