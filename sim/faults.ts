import type { Choices } from './choices.ts';
import type { Kernel } from './kernel.ts';
import { describeShape, type PartitionShape } from './partition.ts';
import type { Micros, NodeId } from './value.ts';

/**
 * One fault. Faults with `for` undo themselves after that long (a partition heals, a crashed
 * node restarts, a clog clears); without it they last until an explicit undo or the end of the
 * fault phase, when everything heals.
 */
export type FaultAction =
  | { readonly kind: 'partition'; readonly shape: PartitionShape; readonly for?: Micros }
  | { readonly kind: 'heal' }
  | { readonly kind: 'crash'; readonly node: NodeId; readonly for?: Micros }
  | { readonly kind: 'restart'; readonly node: NodeId }
  | { readonly kind: 'pause'; readonly node: NodeId; readonly for: Micros }
  | { readonly kind: 'skew'; readonly node: NodeId; readonly by: Micros }
  | { readonly kind: 'drift'; readonly node: NodeId; readonly rate: number; readonly for?: Micros }
  | {
      readonly kind: 'clog';
      readonly from: readonly NodeId[];
      readonly to: readonly NodeId[];
      readonly extra: Micros;
      readonly for?: Micros;
    }
  | { readonly kind: 'unclog' }
  | {
      readonly kind: 'degrade';
      readonly loss?: number;
      readonly duplicate?: number;
      readonly reorder?: number;
      readonly for?: Micros;
    }
  | { readonly kind: 'restore' };

export interface ScheduledFault {
  readonly at: Micros;
  readonly action: FaultAction;
}

export type NemesisKind = 'partition' | 'crash' | 'pause' | 'skew' | 'drift' | 'clog' | 'degrade';
export const NEMESIS_KINDS: readonly NemesisKind[] = ['partition', 'crash', 'pause', 'skew', 'drift', 'clog', 'degrade'];

/** A random nemesis: every `interval` it may start one fault, with per-kind probabilities. */
export interface NemesisSpec {
  readonly interval: Micros;
  /** Probability per step that a fault of that kind starts. */
  readonly rates: Partial<Record<NemesisKind, number>>;
  /** How long a fault lasts, drawn between these bounds. */
  readonly duration: { readonly min: Micros; readonly max: Micros };
  /** Nodes the nemesis crashes, pauses, skews or clogs (default: the servers). */
  readonly targets?: readonly NodeId[];
  /** Swarm testing: each run first draws which kinds are on at all. */
  readonly swarm?: boolean;
  /** Partition shapes to draw from (default: isolate, halves, bridge, majority-ring). */
  readonly shapes?: readonly PartitionShape['shape'][];
  readonly maxSkew?: Micros;
  readonly maxDrift?: number;
  readonly clogExtra?: Micros;
  readonly degrade?: { readonly loss?: number; readonly duplicate?: number; readonly reorder?: number };
  /** At most this many targets down at once (default: a minority of the targets). */
  readonly maxCrashed?: number;
}

export interface FaultPlan {
  readonly schedule?: readonly ScheduledFault[];
  readonly nemesis?: NemesisSpec;
  /**
   * Positions in the run's planned fault list (schedule and nemesis plan together, sorted by
   * time) that are planned but not injected. Shrinking drops a whole fault this way: the plan
   * takes the same draws, so every other fault and draw stays where it was.
   */
  readonly skip?: readonly number[];
}

/** What was actually injected, for reports: a window per fault (until = Infinity if it lasted). */
export interface FaultRecord {
  readonly kind: FaultAction['kind'];
  readonly at: Micros;
  readonly until: Micros;
  readonly description: string;
  /** The node a crash, restart, pause, skew or drift struck (checkers read it; absent for link faults). */
  readonly node?: NodeId;
}

/**
 * Draws a concrete schedule from a nemesis spec. Every decision is a choice under
 * "nemesis.*"; value 0 everywhere means no fault at all, so a shrunk run sheds faults first.
 */
export function planNemesis(spec: NemesisSpec, duration: Micros, targets: readonly NodeId[], choices: Choices): ScheduledFault[] {
  if (!(spec.interval > 0)) throw new Error('nemesis interval must be positive');
  const nodes = spec.targets ?? targets;
  let kinds = NEMESIS_KINDS.filter((k) => (spec.rates[k] ?? 0) > 0);
  if (spec.swarm) kinds = kinds.filter((k) => choices.bool(0.5, `nemesis.swarm.${k}`));
  const shapes = spec.shapes ?? ['isolate', 'halves', 'bridge', 'majority-ring'];
  const maxCrashed = spec.maxCrashed ?? Math.max(0, Math.floor((nodes.length - 1) / 2));
  const crashedUntil: Micros[] = [];
  const out: ScheduledFault[] = [];
  const span = spec.duration.max - spec.duration.min;
  for (let t = spec.interval; t < duration; t += spec.interval) {
    for (const kind of kinds) {
      if (!choices.bool(spec.rates[kind] ?? 0, `nemesis.fire.${kind}`)) continue;
      const d = spec.duration.min + (span > 0 ? choices.int(span + 1, 'nemesis.duration') : 0);
      const node = nodes.length > 0 ? choices.pick(nodes, 'nemesis.node') : undefined;
      const action = drawAction(kind, d, node, nodes, shapes, spec, choices, () => {
        const down = crashedUntil.filter((u) => u > t).length;
        if (down >= maxCrashed) return false;
        crashedUntil.push(t + d);
        return true;
      });
      if (action) out.push({ at: t, action });
    }
  }
  return out;
}

function drawAction(
  kind: NemesisKind,
  d: Micros,
  node: NodeId | undefined,
  nodes: readonly NodeId[],
  shapes: readonly PartitionShape['shape'][],
  spec: NemesisSpec,
  choices: Choices,
  mayCrash: () => boolean,
): FaultAction | undefined {
  switch (kind) {
    case 'partition': {
      const s = choices.pick(shapes, 'nemesis.shape');
      const shape: PartitionShape =
        s === 'isolate' && node !== undefined
          ? { shape: 'isolate', node }
          : s === 'one-way' && node !== undefined
            ? { shape: 'one-way', from: [node], to: nodes.filter((n) => n !== node) }
            : s === 'groups' || s === 'isolate' || s === 'one-way'
              ? { shape: 'halves', among: nodes }
              : { shape: s, among: nodes };
      return { kind: 'partition', shape, for: d };
    }
    case 'crash':
      return node !== undefined && mayCrash() ? { kind: 'crash', node, for: d } : undefined;
    case 'pause':
      return node !== undefined ? { kind: 'pause', node, for: d } : undefined;
    case 'skew': {
      const max = spec.maxSkew ?? 500_000;
      const by = choices.int(2 * max + 1, 'nemesis.skew') - max;
      return node !== undefined ? { kind: 'skew', node, by } : undefined;
    }
    case 'drift': {
      const max = spec.maxDrift ?? 0.05;
      const rate = ((choices.int(2001, 'nemesis.drift') - 1000) / 1000) * max;
      return node !== undefined ? { kind: 'drift', node, rate, for: d } : undefined;
    }
    case 'clog':
      return node !== undefined
        ? { kind: 'clog', from: [node], to: nodes.filter((n) => n !== node), extra: spec.clogExtra ?? 200_000, for: d }
        : undefined;
    case 'degrade':
      return { kind: 'degrade', ...(spec.degrade ?? { loss: 0.2, duplicate: 0.1, reorder: 0.2 }), for: d };
  }
}

/** Arms a schedule on the kernel; returns the list that fills in as faults fire. */
export function armFaults(kernel: Kernel, schedule: readonly ScheduledFault[]): FaultRecord[] {
  const records: FaultRecord[] = [];
  for (const f of schedule) kernel.at(f.at, () => records.push(inject(kernel, f)), JSON.stringify(f.action));
  return records;
}

function inject(k: Kernel, f: ScheduledFault): FaultRecord {
  const a = f.action;
  const rec = (until: Micros, description: string): FaultRecord => ({
    kind: a.kind,
    at: f.at,
    until,
    description,
    ...('node' in a ? { node: a.node } : {}),
  });
  const end = 'for' in a && a.for !== undefined ? f.at + a.for : Infinity;
  switch (a.kind) {
    case 'partition': {
      const id = k.partition(a.shape);
      if (a.for !== undefined) k.at(end, () => k.heal(id), `heal ${id}`);
      return rec(end, describeShape(a.shape));
    }
    case 'heal':
      k.heal();
      return rec(f.at, 'heal all partitions');
    case 'crash':
      k.crash(a.node);
      if (a.for !== undefined) k.at(end, () => k.restart(a.node), `restart ${a.node}`);
      return rec(end, `crash ${a.node}`);
    case 'restart':
      k.restart(a.node);
      return rec(f.at, `restart ${a.node}`);
    case 'pause':
      k.pause(a.node, a.for);
      return rec(end, `pause ${a.node} for ${a.for / 1000} ms`);
    case 'skew':
      k.skew(a.node, a.by);
      return rec(f.at, `skew ${a.node} clock by ${a.by / 1000} ms`);
    case 'drift':
      k.drift(a.node, a.rate);
      if (a.for !== undefined) k.at(end, () => k.drift(a.node, 0), `undrift ${a.node}`);
      return rec(end, `drift ${a.node} clock at ${(a.rate * 100).toFixed(2)}%`);
    case 'clog': {
      const id = k.clog(a.from, a.to, a.extra);
      if (a.for !== undefined) k.at(end, () => k.unclog(id), `unclog ${id}`);
      return rec(end, `clog ${a.from.join(',')} <-> ${a.to.join(',')} +${a.extra / 1000} ms`);
    }
    case 'unclog':
      k.unclog();
      return rec(f.at, 'unclog all');
    case 'degrade': {
      const id = k.degrade({ ...(a.loss !== undefined ? { loss: a.loss } : {}), ...(a.duplicate !== undefined ? { duplicate: a.duplicate } : {}), ...(a.reorder !== undefined ? { reorder: a.reorder } : {}) });
      if (a.for !== undefined) k.at(end, () => k.restore(id), `restore ${id}`);
      return rec(end, `network degraded: loss ${a.loss ?? 0}, dup ${a.duplicate ?? 0}, reorder ${a.reorder ?? 0}`);
    }
    case 'restore':
      k.restore();
      return rec(f.at, 'network restored');
  }
}
