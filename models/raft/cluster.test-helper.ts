import { RandomChoices, ReplayChoices, scopedChoices, type Choices } from '../../sim/choices.ts';
import type { Probe } from '../../sim/check/types.ts';
import type { ClientHistory, ProcessContext, TimerId } from '../../sim/process.ts';
import { MemoryStorage } from '../../sim/storage.ts';
import { MS, type Micros, type NodeId, type Value } from '../../sim/value.ts';
import type { RaftBug, RaftConfig, RaftNode, StateMachine } from './api.ts';
import { createRaftNode } from './index.ts';

/** A state machine for tests: a list of every command applied, in order. */
export class ListMachine implements StateMachine {
  applied: Value[] = [];
  apply(command: Value): Value {
    this.applied.push(command);
    return this.applied.length;
  }
  snapshot(): Value {
    return this.applied;
  }
  restore(snapshot: Value): void {
    this.applied = [...(snapshot as Value[])];
  }
}

interface TestNode {
  readonly id: NodeId;
  readonly storage: MemoryStorage;
  raft: RaftNode;
  sm: ListMachine;
  up: boolean;
  /** Added to global time: this node's own clock. */
  clockOffset: Micros;
  timers: Map<TimerId, { at: Micros; tag: Value }>;
  /** How many times it has booted (ProcessContext.incarnation). */
  incarnation?: number;
}

interface InFlight {
  readonly at: Micros;
  readonly seq: number;
  readonly from: NodeId;
  readonly to: NodeId;
  readonly msg: Value;
}

const noHistory: ClientHistory = {
  invoke: () => {
    throw new Error('no clients in the raft test cluster');
  },
  ok: () => {},
  fail: () => {},
  info: () => {},
};

/**
 * A small hand-driven cluster for scripted Raft tests (elections forced by timing out a chosen
 * node, links cut by hand, crashes that lose unsynced writes): what the Figure 8 pattern needs,
 * which a random run only stumbles on. Messages take `latency`; timers run on each node's clock.
 */
export class TestCluster {
  time: Micros = 0;
  readonly nodes = new Map<NodeId, TestNode>();
  readonly probes: Probe[] = [];
  private inflight: InFlight[] = [];
  private seq = 0;
  private nextTimer = 1;
  private readonly cut = new Set<string>();
  private readonly choices: Choices;

  constructor(
    readonly ids: readonly NodeId[],
    readonly config: Omit<RaftConfig, 'peers'> & { bugs?: readonly RaftBug[] },
    options: { seed?: number; latency?: Micros; notStarted?: readonly NodeId[] } = {},
  ) {
    this.latency = options.latency ?? 1 * MS;
    this.choices = options.seed === undefined ? new ReplayChoices([]) : new RandomChoices(options.seed);
    for (const id of ids) {
      const node: TestNode = { id, storage: new MemoryStorage(), raft: undefined as unknown as RaftNode, sm: new ListMachine(), up: true, clockOffset: 0, timers: new Map() };
      this.nodes.set(id, node);
      this.boot(node, !(options.notStarted ?? []).includes(id));
    }
  }

  private readonly latency: Micros;

  node(id: NodeId): TestNode {
    const n = this.nodes.get(id);
    if (!n) throw new Error(`no node ${id}`);
    return n;
  }

  raft(id: NodeId): RaftNode {
    return this.node(id).raft;
  }

  private boot(node: TestNode, start = true): void {
    node.sm = new ListMachine();
    node.timers = new Map();
    node.incarnation = (node.incarnation ?? 0) + 1;
    const ctx: ProcessContext = {
      id: node.id,
      role: 'server',
      incarnation: node.incarnation,
      now: () => this.time + node.clockOffset,
      monotonic: () => this.time,
      send: (to, msg) => {
        this.inflight.push({ at: this.time + this.latency, seq: this.seq++, from: node.id, to, msg });
      },
      setTimer: (delay, tag) => {
        const id = this.nextTimer++;
        node.timers.set(id, { at: this.time + delay, tag });
        return id;
      },
      cancelTimer: (id) => {
        node.timers.delete(id);
      },
      storage: node.storage,
      choices: scopedChoices(this.choices, node.id),
      history: noHistory,
      probe: (name, ok, detail) => {
        this.probes.push({ name, ok, detail: detail ?? null, node: node.id, time: this.time });
      },
      log: () => {},
      nodes: () => this.ids,
    };
    node.raft = createRaftNode(ctx, { ...this.config, peers: this.ids }, node.sm);
    if (start) node.raft.start();
  }

  /** Cuts both directions between a and each of bs. */
  isolate(a: NodeId, bs: readonly NodeId[] = this.ids.filter((x) => x !== a)): void {
    for (const b of bs) {
      this.cut.add(`${a}>${b}`);
      this.cut.add(`${b}>${a}`);
    }
  }

  healAll(): void {
    this.cut.clear();
  }

  connect(a: NodeId, bs: readonly NodeId[]): void {
    for (const b of bs) {
      this.cut.delete(`${a}>${b}`);
      this.cut.delete(`${b}>${a}`);
    }
  }

  /** Crash: memory and timers are gone; every unsynced write is lost. */
  crash(id: NodeId): void {
    const n = this.node(id);
    n.up = false;
    n.timers.clear();
    n.storage.crash(new ReplayChoices([Math.max(0, n.storage.unsynced - 1), 0]), 1);
  }

  restart(id: NodeId): void {
    const n = this.node(id);
    n.up = true;
    this.boot(n);
  }

  /** Makes `id` time out now: its clock jumps past any election deadline and its timer fires. */
  timeout(id: NodeId): void {
    const n = this.node(id);
    n.clockOffset += this.config.electionTimeout.max * 2;
    for (const [tid, t] of n.timers) {
      if ((t.tag as { raft?: string }).raft === 'election') {
        n.timers.delete(tid);
        n.raft.handleTimer(t.tag, tid);
        return;
      }
    }
  }

  /** Runs events in time order until `until` (global time). */
  runFor(d: Micros): void {
    const until = this.time + d;
    for (;;) {
      let best: { at: Micros; kind: 'msg' | 'timer'; node?: TestNode; tid?: TimerId; i?: number } | undefined;
      for (let i = 0; i < this.inflight.length; i++) {
        const m = this.inflight[i] as InFlight;
        if (!best || m.at < best.at) best = { at: m.at, kind: 'msg', i };
      }
      for (const n of this.nodes.values()) {
        if (!n.up) continue;
        for (const [tid, t] of n.timers) if (!best || t.at < best.at) best = { at: t.at, kind: 'timer', node: n, tid };
      }
      if (!best || best.at > until) break;
      this.time = Math.max(this.time, best.at);
      if (best.kind === 'msg') {
        const m = this.inflight.splice(best.i as number, 1)[0] as InFlight;
        const to = this.nodes.get(m.to);
        if (to?.up && !this.cut.has(`${m.from}>${m.to}`)) to.raft.handleMessage(m.from, m.msg);
      } else {
        const n = best.node as TestNode;
        const t = n.timers.get(best.tid as TimerId);
        n.timers.delete(best.tid as TimerId);
        if (t) n.raft.handleTimer(t.tag, best.tid as TimerId);
      }
    }
    this.time = until;
  }

  leaders(): NodeId[] {
    return this.ids.filter((id) => this.node(id).up && this.raft(id).role === 'leader');
  }
}
