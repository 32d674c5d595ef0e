import type { Choices } from './choices.ts';
import type { HistoryEvent } from './history.ts';
import type { DurableStorage } from './storage.ts';
import type { Micros, NodeId, Value } from './value.ts';

export type TimerId = number;

/**
 * A simulated process (server replica, client, Durable Object host, ...): an actor that only
 * reacts to events. It is built by its factory at start and again on every restart, from its
 * durable storage alone; a crash throws the object and its timers away.
 */
export interface Process {
  onStart?(): void;
  onMessage(from: NodeId, msg: Value): void;
  onTimer?(tag: Value, id: TimerId): void;
  /** The workload phase is over: clients stop issuing new operations (pending ones may finish). */
  onQuiesce?(): void;
  /**
   * A stable digest of the in-memory state, for state hashing in the explorer. It must cover
   * everything in memory that can change what the process does later (timer ids it keeps
   * included), or the explorer prunes states that differ: leave it out rather than cover part.
   */
  fingerprint?(): string;
  /** The state a convergence check compares across replicas, once the network is quiet. */
  observedState?(): Value;
}

/** Everything a process may touch. Models see nothing of the kernel beyond this. */
export interface ProcessContext {
  readonly id: NodeId;
  /** Free-form role from the node spec ("server", "client", "do-host", ...). */
  readonly role: string;
  /**
   * 1 at the node's first start, one more at every restart. What a fresh process gets from its
   * OS without remembering anything (new ephemeral ports, a new pid): models use it to keep the
   * identities they mint (connection ids) unique across restarts, never to learn that they crashed.
   */
  readonly incarnation: number;
  /** This node's own clock (skew and drift included), in microseconds. */
  now(): Micros;
  /**
   * This node's monotonic clock: it runs at the node's (drifted) rate but a clock step never
   * moves it, as CLOCK_MONOTONIC. What timeouts measure with (TCP's among them); the wall clock
   * now() is what a program reads as the date.
   */
  monotonic(): Micros;
  /** Sends plain data; it may be delayed, lost, duplicated or cut by a partition. */
  send(to: NodeId, msg: Value): void;
  /** Fires `onTimer(tag)` after `delay` microseconds of this node's clock. */
  setTimer(delay: Micros, tag: Value): TimerId;
  cancelTimer(id: TimerId): void;
  readonly storage: DurableStorage;
  /** Choices scoped to this node (labels become "<node>/<label>"). */
  readonly choices: Choices;
  /** Records client operations in the run's history. */
  readonly history: ClientHistory;
  /** Records an invariant observation (e.g. "at most one lock holder"); false is a violation. */
  probe(name: string, ok: boolean, detail?: Value): void;
  /** A trace annotation, for people reading the trace. */
  log(message: string, detail?: Value): void;
  /** Node ids in the run, optionally of one role, in declaration order. */
  nodes(role?: string): readonly NodeId[];
}

export type ProcessFactory = (ctx: ProcessContext) => Process;

export interface NodeSpec {
  readonly id: NodeId;
  readonly role: string;
  readonly create: ProcessFactory;
}

/** A client operation in flight: what completes it. */
export interface OpHandle {
  readonly id: number;
  readonly process: number;
  readonly f: string;
  readonly key: string | undefined;
}

/** Jepsen-style recording: invoke, then exactly one of ok / fail / info. */
export interface ClientHistory {
  invoke(f: string, key: string | undefined, value: Value): OpHandle;
  ok(op: OpHandle, value: Value): void;
  /** The operation certainly did not take effect. */
  fail(op: OpHandle, value?: Value): void;
  /** The outcome is unknown (timeout): the client continues as a fresh process number. */
  info(op: OpHandle): void;
}

export type { HistoryEvent };
