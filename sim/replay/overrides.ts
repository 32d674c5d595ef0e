import { ReplayChoices } from '../choices.ts';
import { planNemesis } from '../faults.ts';
import type { NodeSpec, OpHandle, Process, ProcessContext } from '../process.ts';
import type { Scenario } from '../scenario.ts';
import type { Micros, NodeId } from '../value.ts';

/**
 * Departures from a scenario as declared, recorded in a repro so replay reproduces them. Each is
 * a whole piece of the story that shrinking removes (DESIGN.md: shrink by structure): a shorter
 * workload-and-faults phase, faults planned but not injected, clients that stop early.
 */
export interface Overrides {
  /** End of the workload-and-faults phase, in virtual microseconds (at most the scenario's). */
  readonly durationUs?: Micros;
  /** Positions in the planned fault list (sorted by time) that are not injected (FaultPlan.skip). */
  readonly dropFaults?: readonly number[];
  /**
   * Client operation budgets: a node named here stops issuing operations (it is told to quiesce,
   * as at the end of the workload) once it has invoked this many; 0 drops the client's workload.
   */
  readonly opLimits?: Readonly<Record<NodeId, number>>;
  /**
   * Clients that start late: a node named here starts (onStart) this many microseconds into the
   * run instead of at 0, which drops the operations it would have issued before.
   */
  readonly startAt?: Readonly<Record<NodeId, Micros>>;
  /**
   * Operations taken out of the middle of a client's run: a node named here has the listed
   * invocations (0-based, counting every invocation its process makes, hidden ones included,
   * across restarts) left out of the history, and every message it sends while such an operation
   * is open is dropped, so no server ever sees it: the operation is lost on the wire and never
   * recorded. Its draws are still made. Shrinking keeps such a cut only if the hidden operation
   * did not complete ok (a client that completes locally would leak its effect).
   */
  readonly skipOps?: Readonly<Record<NodeId, readonly number[]>>;
}

const isNat = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** Checks a parsed `overrides` object; returns an error message instead of throwing. */
export function validateOverrides(x: unknown): Overrides | string {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return "field 'overrides' must be an object";
  const o = x as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!['durationUs', 'dropFaults', 'opLimits', 'startAt', 'skipOps'].includes(k)) return `field 'overrides.${k}' is not one this faultline knows`;
  const out: { durationUs?: Micros; dropFaults?: number[]; opLimits?: Record<NodeId, number>; startAt?: Record<NodeId, Micros>; skipOps?: Record<NodeId, number[]> } = {};
  const d = o['durationUs'];
  if (d !== undefined) {
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d <= 0) return "field 'overrides.durationUs' must be a positive integer";
    out.durationUs = d;
  }
  const f = o['dropFaults'];
  if (f !== undefined) {
    if (!Array.isArray(f) || !f.every(isNat)) return "field 'overrides.dropFaults' must be an array of non-negative integers";
    out.dropFaults = [...(f as number[])];
  }
  const l = o['opLimits'];
  if (l !== undefined) {
    if (typeof l !== 'object' || l === null || Array.isArray(l) || !Object.values(l).every(isNat)) return "field 'overrides.opLimits' must map node ids to non-negative integers";
    out.opLimits = { ...(l as Record<NodeId, number>) };
  }
  const st = o['startAt'];
  if (st !== undefined) {
    if (typeof st !== 'object' || st === null || Array.isArray(st) || !Object.values(st).every(isNat)) return "field 'overrides.startAt' must map node ids to non-negative integers";
    out.startAt = { ...(st as Record<NodeId, Micros>) };
  }
  const sk = o['skipOps'];
  if (sk !== undefined) {
    if (typeof sk !== 'object' || sk === null || Array.isArray(sk) || !Object.values(sk).every((v) => Array.isArray(v) && v.every(isNat))) {
      return "field 'overrides.skipOps' must map node ids to arrays of non-negative integers";
    }
    out.skipOps = Object.fromEntries(Object.entries(sk as Record<NodeId, number[]>).map(([k, v]) => [k, [...v]]));
  }
  return out;
}

/** True when the overrides change nothing (a repro without departures). */
export function noOverrides(o: Overrides): boolean {
  return o.durationUs === undefined && (o.dropFaults ?? []).length === 0 && Object.keys(o.opLimits ?? {}).length === 0 && Object.keys(o.startAt ?? {}).length === 0 && Object.values(o.skipOps ?? {}).every((v) => v.length === 0);
}

/**
 * A node whose process has the invocations listed in `skip` hidden (see Overrides.skipOps): not
 * recorded, their completions swallowed, and the node's sends dropped while one is open.
 * `onLeak` hears of a hidden operation that completed ok. The count spans restarts.
 */
function skipOpsOf(spec: NodeSpec, skip: readonly number[], onLeak?: () => void): NodeSpec {
  const hide = new Set(skip);
  let count = 0;
  let fakeId = -1;
  return {
    ...spec,
    create: (ctx: ProcessContext): Process => {
      const open = new Set<OpHandle>();
      const history: ProcessContext['history'] = {
        invoke: (f, key, value) => {
          const i = count++;
          if (!hide.has(i)) return ctx.history.invoke(f, key, value);
          const h: OpHandle = { id: fakeId--, process: -1, f, key };
          open.add(h);
          return h;
        },
        ok: (op, value) => {
          if (!open.delete(op)) return ctx.history.ok(op, value);
          onLeak?.();
        },
        fail: (op, value) => {
          if (!open.delete(op)) return ctx.history.fail(op, value);
        },
        info: (op) => {
          if (!open.delete(op)) return ctx.history.info(op);
        },
      };
      const send: ProcessContext['send'] = (to, msg) => {
        if (open.size === 0) ctx.send(to, msg);
      };
      const wrapped = new Proxy(ctx, {
        get: (target, prop) => {
          if (prop === 'history') return history;
          if (prop === 'send') return send;
          const v = Reflect.get(target, prop, target) as unknown;
          return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
        },
      });
      return spec.create(wrapped);
    },
  };
}

/**
 * A node whose client stops after `limit` operations: its context's history counts invocations,
 * and the process is told to quiesce right after the last one it may make (at once when the
 * limit is 0). The count spans restarts of the node. The process never learns it is wrapped.
 */
function limitOps(spec: NodeSpec, limit: number): NodeSpec {
  let count = 0;
  return {
    ...spec,
    create: (ctx: ProcessContext): Process => {
      let proc: Process | undefined;
      let told = false;
      const tell = () => {
        if (told || !proc) return;
        told = true;
        proc.onQuiesce?.();
      };
      const history: ProcessContext['history'] = {
        invoke: (f, key, value) => {
          const op = ctx.history.invoke(f, key, value);
          count++;
          if (count >= limit) tell();
          return op;
        },
        ok: (op, value) => ctx.history.ok(op, value),
        fail: (op, value) => ctx.history.fail(op, value),
        info: (op) => ctx.history.info(op),
      };
      const wrapped = new Proxy(ctx, {
        get: (target, prop) => {
          if (prop === 'history') return history;
          const v = Reflect.get(target, prop, target) as unknown;
          return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
        },
      });
      proc = spec.create(wrapped);
      if (count >= limit) {
        // Already spent (limit 0, or a restart after the last one): quiet from its start on.
        const inner = proc;
        return {
          ...bindAll(inner),
          onStart() {
            inner.onStart?.();
            tell();
          },
        };
      }
      return proc;
    },
  };
}

const LATE = '__faultline-late-start';

/**
 * A node whose process starts `at` microseconds into the run: its first incarnation's onStart
 * waits for a timer of its own (a tag no model uses), so it sends and draws nothing before.
 * Restarts start at once, as they would.
 */
function startLate(spec: NodeSpec, at: Micros): NodeSpec {
  let first = true;
  return {
    ...spec,
    create: (ctx: ProcessContext): Process => {
      const inner = spec.create(ctx);
      if (!first || at <= 0) return inner;
      first = false;
      let started = false;
      return {
        ...bindAll(inner),
        onStart() {
          ctx.setTimer(at, LATE);
        },
        onTimer(tag, id) {
          if (tag === LATE && !started) {
            started = true;
            inner.onStart?.();
            return;
          }
          if (started) inner.onTimer?.(tag, id);
        },
        onMessage(from, msg) {
          if (started) inner.onMessage(from, msg);
        },
      };
    },
  };
}

/** The process's methods bound to it, as a plain object another object can spread. */
function bindAll(p: Process): Process {
  const out: Record<string, unknown> = {};
  for (const k of ['onStart', 'onMessage', 'onTimer', 'onQuiesce', 'fingerprint', 'observedState'] as const) {
    const f = (p as unknown as Record<string, unknown>)[k];
    if (typeof f === 'function') out[k] = (f as (...a: unknown[]) => unknown).bind(p);
  }
  return out as unknown as Process;
}

/**
 * The scenario with the overrides applied. runScenario takes the scenario as data, so this needs
 * no kernel change: scheduled faults past the new end are dropped (they would otherwise fire
 * during the settle phase, which the declared scenario never does).
 */
export function applyOverrides(s: Scenario, o: Overrides, hooks: { readonly onLeak?: () => void } = {}): Scenario {
  let out = s;
  if (o.durationUs !== undefined && o.durationUs < s.duration) {
    const duration = o.durationUs;
    const schedule = s.faults.schedule?.filter((f) => f.at < duration);
    out = { ...out, duration, faults: { ...out.faults, ...(schedule ? { schedule } : {}) } };
  }
  if (o.dropFaults && o.dropFaults.length > 0) out = { ...out, faults: { ...out.faults, skip: [...o.dropFaults] } };
  const limits = o.opLimits ?? {};
  const late = o.startAt ?? {};
  const skips = o.skipOps ?? {};
  if (Object.keys(limits).length > 0 || Object.keys(late).length > 0 || Object.keys(skips).length > 0) {
    const build = out.buildNodes;
    const shape = (n: NodeSpec): NodeSpec => {
      let x = n;
      // Innermost: a hidden invocation never reaches the budget's count (budgets count what the
      // history shows).
      const sk = skips[n.id];
      if (sk !== undefined && sk.length > 0) x = skipOpsOf(x, sk, hooks.onLeak);
      if (limits[n.id] !== undefined) x = limitOps(x, limits[n.id] as number);
      if (late[n.id] !== undefined) x = startLate(x, late[n.id] as Micros);
      return x;
    };
    out = { ...out, buildNodes: (variant) => build(variant).map(shape) };
  }
  return out;
}

/**
 * How many draws the nemesis plan takes from the front of `seq` when the fault phase lasts
 * `duration`. runScenario plans the nemesis before the kernel starts, so these draws are the
 * first ones of every run; a shorter phase plans fewer intervals and therefore takes fewer.
 */
export function nemesisDraws(s: Scenario, variant: string, seq: readonly number[], duration: Micros): number {
  const spec = s.faults.nemesis;
  if (!spec) return 0;
  const servers = s.targets ?? s.buildNodes(variant).filter((n) => n.role === 'server').map((n) => n.id);
  const c = new ReplayChoices(seq);
  planNemesis(spec, duration, servers, c);
  return c.consumed;
}

/**
 * Realigns a choice sequence recorded with one phase length for a run with a shorter one: the
 * nemesis draws of the dropped intervals are cut out, so every later draw (network, workload,
 * storage) still lands on the decision it was recorded for, and the run is unchanged up to the
 * new end.
 */
export function alignForDuration(s: Scenario, variant: string, seq: readonly number[], from: Micros, to: Micros): number[] {
  const a = nemesisDraws(s, variant, seq, from);
  const b = nemesisDraws(s, variant, seq, to);
  if (a === b) return [...seq];
  return [...seq.slice(0, b), ...seq.slice(a)];
}
