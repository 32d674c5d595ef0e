import type { Checker } from './check/types.ts';
import type { FaultPlan } from './faults.ts';
import type { NetworkSpec } from './network.ts';
import type { NodeSpec } from './process.ts';
import type { RunResult } from './run.ts';
import type { Micros, NodeId } from './value.ts';

/**
 * A design as faultline runs it: protocol code only, reached through `build`, which turns a
 * variant and the scenario's parameters into the nodes of the run.
 */
export interface ModelDef<P> {
  readonly name: string;
  /** One line: which seed document and design this implements. */
  readonly doc: string;
  /** `as-written`, `corrected`, and planted bugs named `bug:<name>`. */
  readonly variants: readonly string[];
  build(variant: string, params: P): readonly NodeSpec[];
  /**
   * Design-specific figures of one run (e.g. bytes on the wire per edit), read from the result
   * (final states, probes, net counters, checks); `faultline compare` shows their mean per variant.
   */
  readonly metrics?: ModelMetrics;
}

export type ModelMetrics = (r: RunResult) => Readonly<Record<string, number>>;

/** What a correct bench must report for one variant of a scenario. */
export type Expectation =
  /** Every check must come back ok. */
  | { readonly holds: true }
  /** Each named check must report a violation (the bench must catch the known defect). */
  | { readonly violates: readonly string[] };

export interface ScenarioDef<P> {
  readonly name: string;
  /** One line for `faultline list`. */
  readonly doc: string;
  /** A paragraph for reports: what this scenario does to the design and why. */
  readonly description?: string;
  readonly model: ModelDef<P>;
  readonly params: P;
  /** The variants this scenario runs, each with what it must show. The first is the default. */
  readonly expect: Readonly<Record<string, Expectation>>;
  readonly network: NetworkSpec;
  readonly faults: FaultPlan;
  /** Probability that a crash loses a node's unsynced writes (default 0.5 when crashes are planned). */
  readonly unsyncedLoss?: number;
  /** Nodes the nemesis targets and partition shapes split (default: role "server"). */
  readonly targets?: readonly NodeId[];
  readonly checkers: readonly Checker[];
  /** Length of the workload-and-faults phase. */
  readonly duration: Micros;
  /** Quiet time after everything heals, before final states are read (default 5 s). */
  readonly settle?: Micros;
  /** Fixed seeds CI runs this scenario on. */
  readonly seeds: readonly number[];
}

/** A scenario with its parameter type erased: what the CLI, sweeps and reports handle. */
export interface Scenario {
  readonly name: string;
  readonly doc: string;
  readonly description: string;
  readonly model: { readonly name: string; readonly doc: string; readonly variants: readonly string[]; readonly metrics?: ModelMetrics };
  readonly params: unknown;
  readonly expect: Readonly<Record<string, Expectation>>;
  readonly variants: readonly string[];
  readonly defaultVariant: string;
  readonly network: NetworkSpec;
  readonly faults: FaultPlan;
  readonly unsyncedLoss: number;
  readonly targets: readonly NodeId[] | undefined;
  readonly checkers: readonly Checker[];
  readonly duration: Micros;
  readonly settle: Micros;
  readonly seeds: readonly number[];
  buildNodes(variant: string): readonly NodeSpec[];
}

/** Declares a scenario and checks it is coherent, so a mistake fails at load time, not in CI. */
export function defineScenario<P>(def: ScenarioDef<P>): Scenario {
  const variants = Object.keys(def.expect);
  const where = `scenario '${def.name}'`;
  if (!/^[a-z0-9][a-z0-9-]*$/.test(def.name)) throw new Error(`${where}: name must be lower-case words joined by '-'`);
  if (variants.length === 0) throw new Error(`${where}: expect names no variant`);
  for (const v of variants) {
    if (!def.model.variants.includes(v)) throw new Error(`${where}: model ${def.model.name} has no variant '${v}'`);
    const e = def.expect[v] as Expectation;
    if ('violates' in e) {
      for (const c of e.violates) {
        if (!def.checkers.some((k) => k.name === c)) throw new Error(`${where}: expects '${c}' to be violated but has no such checker`);
      }
    }
  }
  const names = def.checkers.map((c) => c.name);
  const dupe = names.find((n, i) => names.indexOf(n) !== i);
  if (dupe) throw new Error(`${where}: two checkers are named '${dupe}'`);
  if (def.seeds.length === 0) throw new Error(`${where}: needs at least one fixed seed`);
  if (!(def.duration > 0)) throw new Error(`${where}: duration must be positive`);
  const plansCrashes =
    (def.faults.schedule ?? []).some((f) => f.action.kind === 'crash') || (def.faults.nemesis?.rates.crash ?? 0) > 0;
  return {
    name: def.name,
    doc: def.doc,
    description: def.description ?? def.doc,
    model: { name: def.model.name, doc: def.model.doc, variants: def.model.variants, ...(def.model.metrics ? { metrics: def.model.metrics } : {}) },
    params: def.params,
    expect: def.expect,
    variants,
    defaultVariant: variants[0] as string,
    network: def.network,
    faults: def.faults,
    unsyncedLoss: def.unsyncedLoss ?? (plansCrashes ? 0.5 : 0),
    targets: def.targets,
    checkers: def.checkers,
    duration: def.duration,
    settle: def.settle ?? 5_000_000,
    seeds: def.seeds,
    buildNodes: (variant) => def.model.build(variant, def.params),
  };
}

export function describeExpectation(e: Expectation): string {
  return 'holds' in e ? 'all checks hold' : `must catch: ${e.violates.join(', ')}`;
}
