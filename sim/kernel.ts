import { type Choices, scopedChoices } from './choices.ts';
import { NodeClock } from './clock.ts';
import { EventQueue } from './event-queue.ts';
import type { HistoryEvent } from './history.ts';
import { HistoryRecorder } from './history-recorder.ts';
import { type Degradation, Network, type NetworkSpec } from './network.ts';
import { type Cut, cutsOf, type PartitionShape } from './partition.ts';
import type { NodeSpec, Process, ProcessContext, TimerId } from './process.ts';
import { type CrashLoss, MemoryStorage } from './storage.ts';
import { TimerIndex } from './timer-index.ts';
import { widen } from './typed-arrays.ts';
import { FastKind, Trace, type TraceSink } from './trace.ts';
import type { Micros, NodeId, Value } from './value.ts';
import type { Probe } from './check/types.ts';

const DELIVER = 0;
const TIMER = 1;
const START = 2;
const ACTION = 3;

/**
 * Payload columns of queued events, indexed by the queue's slot numbers (struct of arrays: no
 * object per event). DELIVER: id = message id, from = sender index, data/json = payload.
 * TIMER: id = timer id, from = the incarnation that set it, data = tag. ACTION: action.
 */
class EventColumns {
  kind: Uint8Array;
  node: Int32Array;
  id: Float64Array;
  from: Int32Array;
  readonly data: Value[] = [];
  readonly json: string[] = [];
  readonly action: ((() => void) | undefined)[] = [];

  constructor(capacity: number) {
    this.kind = new Uint8Array(capacity);
    this.node = new Int32Array(capacity);
    this.id = new Float64Array(capacity);
    this.from = new Int32Array(capacity);
  }

  grow(capacity: number): void {
    this.kind = widen(this.kind, capacity);
    this.node = widen(this.node, capacity);
    this.id = widen(this.id, capacity);
    this.from = widen(this.from, capacity);
  }
}

interface NodeState {
  readonly spec: NodeSpec;
  readonly index: number;
  readonly clock: NodeClock;
  readonly storage: MemoryStorage;
  readonly choices: Choices;
  instance: Process | undefined;
  up: boolean;
  incarnation: number;
  pausedUntil: Micros;
}

export interface KernelOptions {
  readonly nodes: readonly NodeSpec[];
  readonly network: NetworkSpec;
  readonly choices: Choices;
  /** Probability that a crash loses unsynced writes (0: crashes lose memory only). */
  readonly unsyncedLossRate?: number;
  readonly traceSink?: TraceSink;
  /** Nodes partition shapes default to when they name no members (default: role "server"). */
  readonly partitionMembers?: readonly NodeId[];
}

/** Raised when a process handler throws: a bug in the model, reported with where it happened. */
export class ModelError extends Error {}

/**
 * The simulation kernel: virtual time, one event queue, the network, processes with crash,
 * restart and pause, and the fault operations the nemesis calls. It reads no host time and no
 * host randomness: every decision goes through `choices`.
 */
export class Kernel {
  readonly trace: Trace;
  readonly network: Network;
  readonly history: HistoryRecorder;
  readonly probes: Probe[] = [];
  private readonly queue: EventQueue;
  private readonly ev: EventColumns;
  private readonly nodes: NodeState[];
  private readonly byId = new Map<NodeId, NodeState>();
  private readonly choices: Choices;
  private readonly lossRate: number;
  private readonly partitionMembers: readonly NodeId[];
  private nowUs: Micros = 0;
  private nextMsg = 0;
  private nextTimer = 0;
  private nextFault = 0;
  /**
   * Pending timers of every node: id -> queue slot (for cancelTimer and crash). One map for all
   * nodes: a map per node cost a cache miss per timer in runs with many nodes.
   */
  private readonly timers = new TimerIndex();
  private readonly activeCuts = new Map<number, [number, number][]>();
  private readonly activeClogs = new Map<number, { pairs: [number, number][]; extra: Micros }>();
  private readonly activeDegradations = new Map<number, Degradation>();
  /** Events processed so far. */
  steps = 0;
  /**
   * Messages delivered at the instant they were sent to another node. The explorer's
   * same-instant reduction assumes none (a node's event can then cause no other node's event
   * in the same tie); it checks this counter.
   */
  zeroDelayMessages = 0;
  /**
   * Called between events, before the next one is chosen (the explorer observes states here;
   * it may throw to abandon the run). Unset in every other mode.
   */
  onBoundary: (() => void) | undefined;

  constructor(opts: KernelOptions) {
    this.choices = opts.choices;
    this.trace = new Trace(opts.traceSink, opts.nodes.map((n) => n.id));
    this.queue = new EventQueue(opts.choices);
    this.ev = new EventColumns(this.queue.capacity);
    this.queue.onGrow = (cap) => this.ev.grow(cap);
    this.lossRate = opts.unsyncedLossRate ?? 0;
    const ids = opts.nodes.map((n) => n.id);
    const dupe = ids.find((id, i) => ids.indexOf(id) !== i);
    if (dupe !== undefined) throw new Error(`node id '${dupe}' is used twice`);
    this.network = new Network(ids, opts.nodes.map((n) => n.role), opts.network);
    this.history = new HistoryRecorder(
      () => this.nowUs,
      (ev) => this.traceOp(ev),
    );
    this.nodes = opts.nodes.map((spec, index) => ({
      spec,
      index,
      clock: new NodeClock(),
      storage: new MemoryStorage(),
      choices: scopedChoices(opts.choices, spec.id),
      instance: undefined,
      up: false,
      incarnation: 0,
      pausedUntil: 0,
    }));
    for (const n of this.nodes) this.byId.set(n.spec.id, n);
    this.partitionMembers = opts.partitionMembers ?? opts.nodes.filter((n) => n.role === 'server').map((n) => n.id);
  }

  /** Global virtual time. Only the kernel, the nemesis and the history read it. */
  get now(): Micros {
    return this.nowUs;
  }

  /** Schedules every node's start at time 0 (their order is a same-instant choice). */
  start(): void {
    for (const n of this.nodes) this.enqueue(0, START, n.index, 0, 0, null, '', undefined);
  }

  /**
   * Runs a kernel-side action (a fault, the end of the workload) at global time t. `label`
   * says what it does, for the explorer's state digest (a closure cannot be compared).
   */
  at(t: Micros, action: () => void, label = 'action'): void {
    this.enqueue(Math.max(t, this.nowUs), ACTION, -1, 0, 0, null, label, action);
  }

  /** Schedules one event and fills in its payload columns; returns its slot. */
  private enqueue(time: Micros, kind: number, node: number, id: number, from: number, data: Value, json: string, action: (() => void) | undefined): number {
    const slot = this.queue.schedule(time);
    const ev = this.ev;
    ev.kind[slot] = kind;
    ev.node[slot] = node;
    ev.id[slot] = id;
    ev.from[slot] = from;
    ev.data[slot] = data;
    ev.json[slot] = json;
    ev.action[slot] = action;
    return slot;
  }

  /** Processes events until the next one is due after `until` (or the queue is empty). */
  runUntil(until: Micros, maxSteps = Infinity): void {
    const q = this.queue;
    for (;;) {
      if (this.steps >= maxSteps) break;
      this.onBoundary?.();
      const slot = q.popDue(until);
      if (slot < 0) break;
      // Not t: when every event of a same-instant tie was cancelled, pop moves on to a later one.
      this.nowUs = q.timeOf(slot);
      this.steps++;
      this.dispatch(slot);
      q.release(slot);
    }
    if (until !== Infinity && this.nowUs < until && this.steps < maxSteps) this.nowUs = until;
  }

  /**
   * Due time of the next pending event, or -1 when none (a cancelled one may stand in for a later
   * event). The explorer observes states only where an instant ends (see sim/explore/README.md).
   */
  nextEventTime(): Micros {
    return this.queue.peekTime();
  }

  /** True when nothing is left to happen. */
  get idle(): boolean {
    return this.queue.peekTime() < 0;
  }

  private dispatch(slot: number): void {
    const ev = this.ev;
    switch (ev.kind[slot]) {
      case DELIVER:
        return this.deliver(ev.node[slot] as number, ev.from[slot] as number, ev.id[slot] as number, ev.data[slot] as Value, ev.json[slot] as string);
      case TIMER:
        return this.fireTimer(ev.node[slot] as number, ev.from[slot] as number, ev.id[slot] as number, ev.data[slot] as Value);
      case START:
        this.boot(this.nodes[ev.node[slot] as number] as NodeState, 'start');
        return;
      case ACTION: {
        const action = ev.action[slot];
        ev.action[slot] = undefined;
        action?.();
        return;
      }
    }
  }

  private deliver(node: number, from: number, id: number, data: Value, json: string): void {
    const n = this.nodes[node] as NodeState;
    const net = this.network.counters;
    if (!n.up) {
      net.dropped++;
      net.droppedDown++;
      this.trace.fast(this.nowUs, FastKind.dropDown, node, from, id, '');
      return;
    }
    if (!this.network.connected(from, node)) {
      // Cut while in flight.
      net.dropped++;
      net.droppedPartition++;
      this.trace.fast(this.nowUs, FastKind.dropCut, node, from, id, '');
      return;
    }
    if (n.pausedUntil > this.nowUs) {
      this.enqueue(n.pausedUntil, DELIVER, node, id, from, data, json, undefined);
      return;
    }
    net.delivered++;
    this.trace.fast(this.nowUs, FastKind.deliver, node, from, id, json);
    const sender = (this.nodes[from] as NodeState).spec.id;
    try {
      n.instance?.onMessage(sender, data);
    } catch (err) {
      throw this.modelError(n, 'onMessage', err);
    }
  }

  private fireTimer(node: number, incarnation: number, id: number, tag: Value): void {
    const n = this.nodes[node] as NodeState;
    if (!n.up || incarnation !== n.incarnation) return;
    if (n.pausedUntil > this.nowUs) {
      // Keep the same timer id so a later cancelTimer still finds it.
      this.timers.set(id, this.enqueue(n.pausedUntil, TIMER, node, id, incarnation, tag, '', undefined));
      return;
    }
    this.timers.delete(id);
    // The tag is not hashed: it is a function of the process state, which earlier events fix.
    this.trace.fast(this.nowUs, FastKind.timer, node, -1, id, '', this.trace.writing ? (JSON.stringify(tag) ?? '') : '');
    try {
      n.instance?.onTimer?.(tag, id);
    } catch (err) {
      throw this.modelError(n, 'onTimer', err);
    }
  }

  private guard(n: NodeState, what: string, f: () => void): void {
    try {
      f();
    } catch (err) {
      throw this.modelError(n, what, err);
    }
  }

  /** Wraps what a process handler threw with where and when it happened. */
  private modelError(n: NodeState, what: string, err: unknown): ModelError {
    if (err instanceof ModelError) return err;
    const msg = err instanceof Error ? err.message : String(err);
    const e = new ModelError(`${n.spec.id}.${what} at t=${this.nowUs}us threw: ${msg}`);
    if (err instanceof Error && err.stack) e.stack = err.stack;
    return e;
  }

  private boot(n: NodeState, kind: 'start' | 'restart'): void {
    n.up = true;
    n.incarnation++;
    n.pausedUntil = 0;
    this.trace.event({ t: this.nowUs, k: kind, node: n.spec.id, incarnation: n.incarnation });
    const ctx = this.contextFor(n);
    this.guard(n, 'create', () => {
      n.instance = n.spec.create(ctx);
    });
    this.guard(n, 'onStart', () => n.instance?.onStart?.());
  }

  private contextFor(n: NodeState): ProcessContext {
    const incarnation = n.incarnation + 0;
    const live = () => n.up && n.incarnation === incarnation;
    return {
      id: n.spec.id,
      role: n.spec.role,
      incarnation,
      now: () => n.clock.read(this.nowUs),
      monotonic: () => n.clock.monotonic(this.nowUs),
      send: (to, msg) => {
        if (live()) this.send(n, to, msg);
      },
      setTimer: (delay, tag) => {
        if (!Number.isFinite(delay) || delay < 0) throw new Error(`setTimer(${delay}): delay must be a non-negative number`);
        const id = this.nextTimer++;
        if (!live()) return id;
        this.timers.set(id, this.enqueue(this.nowUs + n.clock.toGlobalDuration(Math.round(delay)), TIMER, n.index, id, incarnation, tag, '', undefined));
        return id;
      },
      cancelTimer: (id) => {
        const slot = this.timers.get(id);
        // A node cancels only its own timers.
        if (slot >= 0 && this.ev.node[slot] === n.index) {
          this.queue.cancel(slot);
          this.timers.delete(id);
        }
      },
      storage: n.storage,
      choices: n.choices,
      history: this.history.forNode(n.spec.id),
      probe: (name, ok, detail) => {
        const p: Probe = { name, time: this.nowUs, node: n.spec.id, ok, detail: detail ?? null };
        this.probes.push(p);
        this.trace.event({ t: this.nowUs, k: 'probe', node: n.spec.id, name, ok, detail: detail ?? null });
      },
      log: (message, detail) => this.trace.event({ t: this.nowUs, k: 'log', node: n.spec.id, message, detail: detail ?? null }),
      nodes: (role) => this.nodes.filter((x) => role === undefined || x.spec.role === role).map((x) => x.spec.id),
    };
  }

  private send(n: NodeState, to: NodeId, msg: Value): void {
    const dst = this.byId.get(to);
    if (!dst) throw new Error(`${n.spec.id} sent to unknown node '${to}'`);
    const id = this.nextMsg++;
    const json = JSON.stringify(msg) ?? 'null';
    const delays = this.network.route(n.index, dst.index, this.nowUs, this.choices);
    for (const d of delays) if (d === 0 && dst !== n) this.zeroDelayMessages++;
    if (delays.length === 0) this.trace.fast(this.nowUs, FastKind.lost, dst.index, n.index, id, '');
    for (const d of delays) this.enqueue(this.nowUs + d, DELIVER, dst.index, id, n.index, msg, json, undefined);
  }

  private traceOp(ev: HistoryEvent): void {
    this.trace.event({
      t: ev.time,
      k: 'op',
      node: ev.node ?? null,
      process: ev.process,
      type: ev.type,
      f: ev.f,
      key: ev.key ?? null,
      value: ev.value,
    });
  }

  // ---- Faults -------------------------------------------------------------------------------

  private node(id: NodeId): NodeState {
    const n = this.byId.get(id);
    if (!n) throw new Error(`no node '${id}'`);
    return n;
  }

  get nodeIds(): readonly NodeId[] {
    return this.nodes.map((n) => n.spec.id);
  }

  roleOf(id: NodeId): string {
    return this.node(id).spec.role;
  }

  isUp(id: NodeId): boolean {
    return this.node(id).up;
  }

  /** Crash: memory and timers are gone; unsynced writes may be lost or torn (a choice). */
  crash(id: NodeId): CrashLoss | undefined {
    const n = this.node(id);
    if (!n.up) return undefined;
    n.up = false;
    n.instance = undefined;
    const mine = [...this.timers.entries()].filter(([, slot]) => this.ev.node[slot] === n.index);
    for (const [id, slot] of mine) {
      this.queue.cancel(slot);
      this.timers.delete(id);
    }
    const loss = n.storage.crash(this.choices, this.lossRate);
    this.history.abandon(id);
    this.trace.event({ t: this.nowUs, k: 'crash', node: id, lost: loss.lost, torn: loss.torn ?? null });
    return loss;
  }

  /** Restart: a new instance built from durable storage alone. */
  restart(id: NodeId): void {
    const n = this.node(id);
    if (n.up) return;
    this.boot(n, 'restart');
  }

  /** Stop-the-world for `duration`: timers and inbound messages wait; the clock keeps running. */
  pause(id: NodeId, duration: Micros): void {
    const n = this.node(id);
    if (!n.up) return;
    n.pausedUntil = Math.max(n.pausedUntil, this.nowUs + duration);
    this.trace.event({ t: this.nowUs, k: 'pause', node: id, until: n.pausedUntil });
  }

  skew(id: NodeId, delta: Micros): void {
    this.node(id).clock.skew(this.nowUs, delta);
    this.trace.event({ t: this.nowUs, k: 'skew', node: id, delta });
  }

  drift(id: NodeId, rate: number): void {
    this.node(id).clock.setDrift(this.nowUs, rate);
    this.trace.event({ t: this.nowUs, k: 'drift', node: id, rate });
  }

  /** Local clock reading of a node (for tests and the report). */
  clockOf(id: NodeId): Micros {
    return this.node(id).clock.read(this.nowUs);
  }

  /** Applies a partition; returns its id for `heal`. The cut pairs are traced. */
  partition(shape: PartitionShape): number {
    const cuts = cutsOf(shape, this.nodeIds, this.partitionMembers, this.choices);
    const pairs = cuts.map(([a, b]: Cut) => [this.node(a).index, this.node(b).index] as [number, number]);
    const id = this.nextFault++;
    this.activeCuts.set(id, pairs);
    this.network.applyCuts(pairs, 1);
    this.trace.event({ t: this.nowUs, k: 'partition', id, shape: shape.shape, cuts: cuts.map(([a, b]) => `${a}>${b}`) });
    return id;
  }

  /** Heals one partition, or all of them. */
  heal(id?: number): void {
    this.endFaults(this.activeCuts, id, (pairs, i) => {
      this.network.applyCuts(pairs, -1);
      this.trace.event({ t: this.nowUs, k: 'heal', id: i });
    });
  }

  /** Ends one active fault of a kind (or all of them), undoing each and forgetting it. */
  private endFaults<F>(active: Map<number, F>, id: number | undefined, undo: (fault: F, id: number) => void): void {
    const ids = id === undefined ? [...active.keys()] : [id];
    for (const i of ids) {
      const f = active.get(i);
      if (f === undefined) continue;
      undo(f, i);
      active.delete(i);
    }
  }

  /** Slows the links between `from` and `to` (both directions) by `extra` microseconds. */
  clog(from: readonly NodeId[], to: readonly NodeId[], extra: Micros): number {
    const pairs: [number, number][] = [];
    for (const a of from) {
      for (const b of to) {
        if (a === b) continue;
        pairs.push([this.node(a).index, this.node(b).index], [this.node(b).index, this.node(a).index]);
      }
    }
    const id = this.nextFault++;
    this.activeClogs.set(id, { pairs, extra });
    this.network.applyClog(pairs, extra);
    this.trace.event({ t: this.nowUs, k: 'clog', id, from: [...from], to: [...to], extra });
    return id;
  }

  unclog(id?: number): void {
    this.endFaults(this.activeClogs, id, (c, i) => {
      this.network.applyClog(c.pairs, -c.extra);
      this.trace.event({ t: this.nowUs, k: 'unclog', id: i });
    });
  }

  degrade(d: Degradation): number {
    const id = this.nextFault++;
    this.activeDegradations.set(id, d);
    this.network.degrade(d);
    this.trace.event({ t: this.nowUs, k: 'degrade', id, loss: d.loss ?? 0, duplicate: d.duplicate ?? 0, reorder: d.reorder ?? 0 });
    return id;
  }

  restore(id?: number): void {
    this.endFaults(this.activeDegradations, id, (d, i) => {
      this.network.restore(d);
      this.trace.event({ t: this.nowUs, k: 'restore', id: i });
    });
  }

  /** End of the fault phase: heal everything, restart what is down, tell processes to quiesce. */
  healAll(): void {
    this.heal();
    this.unclog();
    this.restore();
    for (const n of this.nodes) if (!n.up) this.restart(n.spec.id);
  }

  quiesce(): void {
    this.trace.event({ t: this.nowUs, k: 'quiesce' });
    for (const n of this.nodes) if (n.up) this.guard(n, 'onQuiesce', () => n.instance?.onQuiesce?.());
  }

  /** Observed state of every live process that exposes one (convergence input). */
  finalStates(): Map<NodeId, Value> {
    const out = new Map<NodeId, Value>();
    for (const n of this.nodes) {
      const s = n.up ? n.instance?.observedState?.() : undefined;
      if (s !== undefined) out.set(n.spec.id, s);
    }
    return out;
  }

  /** A digest of every process's in-memory state (for the explorer's state hashing). */
  fingerprint(): string {
    return this.nodes.map((n) => `${n.spec.id}:${n.up ? (n.instance?.fingerprint?.() ?? '?') : 'down'}`).join('|');
  }

  /**
   * A digest of everything the rest of the run depends on, for the explorer's state hashing
   * (sim/explore/README.md): global time; per node whether it is up or paused, its clock
   * reading and drift, its process's fingerprint() and its durable storage; every pending
   * event by (time from now, kind, node, sender, payload), sorted, so two queues that hold the
   * same events in another sequence order are one state (every order of a tie is explored from
   * either); the active faults. Message ids are left out (a process never sees one); timer ids
   * stay in, since a process keeps the id of the timer it means (a timeout it may cancel) and
   * two timers alike but for their ids are not interchangeable. Undefined when a live process
   * has no fingerprint(): then its memory is unknown and two states cannot be told equal.
   */
  stateDigest(): string | undefined {
    const parts: string[] = [String(this.nowUs)];
    for (const n of this.nodes) {
      let mem: string;
      if (!n.up) mem = 'down';
      else {
        const f = n.instance?.fingerprint;
        if (f === undefined) return undefined;
        mem = f.call(n.instance);
      }
      parts.push(`${n.index}:${n.pausedUntil > this.nowUs ? n.pausedUntil - this.nowUs : 0}:${n.clock.read(this.nowUs) - this.nowUs}:${n.clock.drift}:${mem}:${n.storage.digest()}`);
    }
    const events: string[] = [];
    const ev = this.ev;
    this.queue.forEachLive((slot) => {
      const kind = ev.kind[slot] as number;
      const dt = this.queue.timeOf(slot) - this.nowUs;
      const node = ev.node[slot] as number;
      if (kind === DELIVER) events.push(`${dt}:m:${node}:${ev.from[slot]}:${ev.json[slot]}`);
      else if (kind === TIMER) {
        // A timer of an earlier incarnation never fires: it is not part of the state.
        if (ev.from[slot] === (this.nodes[node] as NodeState).incarnation) events.push(`${dt}:t:${node}:${ev.id[slot]}:${JSON.stringify(ev.data[slot])}`);
      } else if (kind === START) events.push(`${dt}:s:${node}`);
      else events.push(`${dt}:a:${ev.json[slot]}`);
    });
    events.sort();
    parts.push(events.join(';'));
    parts.push(JSON.stringify([[...this.activeCuts.values()], [...this.activeClogs.values()], [...this.activeDegradations.values()]]));
    return parts.join('|');
  }

  /** Live nodes whose process has no fingerprint() (the explorer cannot hash their states). */
  unfingerprinted(): NodeId[] {
    return this.nodes.filter((n) => n.up && n.instance !== undefined && n.instance.fingerprint === undefined).map((n) => n.spec.id);
  }

  /**
   * The events tied in the current "sched.tie" draw, in option order: the node each runs on
   * and the node that caused it (the sender of a message; the node itself for a timer or a
   * start). Both are -1 for a kernel action (a fault, the end of the workload).
   */
  tieCandidates(): { node: number; cause: number }[] {
    return this.queue.tieCandidates().map((slot) => {
      const node = this.ev.node[slot] as number;
      return { node, cause: this.ev.kind[slot] === DELIVER ? (this.ev.from[slot] as number) : node };
    });
  }

  /** Role of each node, by index (the order tieCandidates numbers them in). */
  roles(): string[] {
    return this.nodes.map((n) => n.spec.role);
  }

  /** Durable storage of a node, for tests and invariant probes. */
  storageOf(id: NodeId): MemoryStorage {
    return this.node(id).storage;
  }
}
