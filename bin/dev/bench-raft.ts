/**
 * Raft's measured figures (issue 15 item 5): `npx tsx bin/dev/bench-raft.ts [seeds=100]`.
 *
 *  1. Unavailability after a leader crash: raft-kv-leader-crash crashes every server in turn;
 *     for each crash that hit the node leading at that moment (from the raft.leader probes),
 *     the time from the crash to the first client op acknowledged after it, over `seeds` runs,
 *     against the election timeout. p50 / p99 / max.
 *  2. Commit latency as a client sees it (invoke to ack of writes, through the log) on a quiet
 *     run of the same cluster, and Raft's own propose-to-commit (leader's raft.commit probes are
 *     not emitted, so this is the client figure only).
 *  3. Speed: a 5-node cluster with 20 clients issuing 5 ops/s each, no faults, for 60 s of
 *     simulated time, no checkers: simulated seconds per wall second, and the share of wall
 *     time spent inside the server processes (Raft plus the kv host around it) and the clients.
 * Host time is allowed here (bin/), not in models/ or sim/.
 */
import { performance } from 'node:perf_hooks';
import { raftKv, type RaftKvParams } from '../../models/raft-kv/index.ts';
import { percentile } from '../../reports/metrics.ts';
import raftKvLeaderCrash from '../../scenarios/raft-kv-leader-crash.ts';
import { raftLan, raftKvParams } from '../../scenarios/raft-kv-common.ts';
import { pairOperations } from '../../sim/history.ts';
import type { NodeSpec, Process } from '../../sim/process.ts';
import { runScenario } from '../../sim/run.ts';
import { defineScenario, type ModelDef } from '../../sim/scenario.ts';
import { MS, SECOND, type Micros } from '../../sim/value.ts';

const seeds = Number(process.argv[2] ?? 100);
const ms = (us: number) => (us / 1000).toFixed(1);
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `p50 ${ms(percentile(s, 50))} ms, p99 ${ms(percentile(s, 99))} ms, max ${ms(s[s.length - 1] ?? 0)} ms (n=${s.length})`;
};

// ---- 1. unavailability after a leader crash ----
{
  const windows: number[] = [];
  const elections: number[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const r = runScenario(raftKvLeaderCrash, { seed, onlyChecks: [] });
    const leaders = r.probes.filter((p) => p.name === 'raft.leader').map((p) => ({ time: p.time, node: p.node, term: (p.detail as { term: number }).term }));
    // Acks of operations invoked after the crash: an answer already on its way does not count.
    const acks = pairOperations(r.history).filter((o) => o.status !== 'info' && Number.isFinite(o.completeTime));
    for (const f of r.faults) {
      if (f.kind !== 'crash') continue;
      const node = /crash (\S+)/.exec(f.description)?.[1];
      const before = leaders.filter((l) => l.time <= f.at);
      const current = before.reduce<(typeof leaders)[number] | undefined>((a, l) => (!a || l.term > a.term ? l : a), undefined);
      if (!current || current.node !== node) continue;
      const elected = leaders.find((l) => l.time > f.at && l.term > current.term);
      if (elected) elections.push(elected.time - f.at);
      const next = acks.filter((o) => o.invokeTime > f.at).reduce((m, o) => Math.min(m, o.completeTime), Infinity);
      if (Number.isFinite(next)) windows.push(next - f.at);
    }
  }
  const et = raftKvLeaderCrash.params as RaftKvParams;
  console.log(`leader crash -> first ack, ${seeds} seeds of raft-kv-leader-crash (election timeout ${ms(et.raft.electionTimeout.min)}-${ms(et.raft.electionTimeout.max)} ms, heartbeat ${ms(et.raft.heartbeat)} ms, client timeout ${ms(et.timeout)} ms):`);
  console.log(`  crash -> first ack of an op invoked after it: ${stats(windows)}`);
  console.log(`  crash -> next leader elected (raft.leader probe): ${stats(elections)}`);
}

// ---- 2 and 3. commit latency and speed on a quiet cluster with 20 clients at 5 ops/s ----
const wall = { servers: 0, clients: 0 };
const timed = (spec: NodeSpec): NodeSpec => ({
  ...spec,
  create: (ctx) => {
    const p = spec.create(ctx);
    const bucket = spec.role === 'server' ? 'servers' : 'clients';
    const wrap = <A extends unknown[]>(f: ((...a: A) => void) | undefined) =>
      f &&
      ((...a: A) => {
        const t = performance.now();
        f.apply(p, a);
        wall[bucket] += performance.now() - t;
      });
    const out: Process = { ...p, onMessage: wrap(p.onMessage.bind(p)) as Process['onMessage'] };
    if (p.onTimer) out.onTimer = wrap(p.onTimer.bind(p));
    if (p.onStart) out.onStart = wrap(p.onStart.bind(p));
    return out;
  },
});
const timedModel: ModelDef<RaftKvParams> = { ...raftKv, build: (v, p) => raftKv.build(v, p).map(timed) };
const SIM: Micros = 60 * SECOND;
const speed = defineScenario({
  name: 'raft-kv-speed',
  doc: 'speed bench',
  model: timedModel,
  params: raftKvParams({ clients: 20, workload: { mix: { read: 2, write: 1, cas: 1 }, keys: 20, think: { min: 150 * MS, max: 250 * MS } } }),
  expect: { corrected: { holds: true } },
  network: raftLan,
  faults: {},
  checkers: [],
  duration: SIM,
  settle: 1 * SECOND,
  seeds: [1],
});
for (let seed = 1; seed <= 3; seed++) {
  wall.servers = wall.clients = 0;
  const t = performance.now();
  const cpu0 = process.cpuUsage();
  const r = runScenario(speed, { seed });
  const total = performance.now() - t;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const ops = pairOperations(r.history);
  const writes = ops.filter((o) => o.f !== 'read' && o.status === 'ok').map((o) => o.completeTime - o.invokeTime);
  const all = ops.filter((o) => o.status !== 'info').map((o) => o.completeTime - o.invokeTime);
  console.log(
    `seed ${seed}: ${ops.length} ops (${(ops.length / (SIM / SECOND)).toFixed(0)}/s), ${r.events} events; ` +
      `${(r.simTime / 1000 / total).toFixed(0)}x real time (${(total / 1000).toFixed(2)} s wall for ${r.simTime / SECOND} s; ` +
      `${(r.simTime / 1000 / cpuMs).toFixed(0)}x per CPU second, ${((r.events / cpuMs) * 1000).toFixed(0)} events per CPU second); ` +
      `servers (Raft + kv host) ${((100 * wall.servers) / total).toFixed(0)}% of wall, clients ${((100 * wall.clients) / total).toFixed(0)}%`,
  );
  console.log(`  commit latency (client invoke -> ack, through the log): writes and cas ${stats(writes)}; all ops ${stats(all)}`);
}
