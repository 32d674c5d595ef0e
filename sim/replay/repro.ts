import type { CheckResult, Verdict } from '../check/types.ts';
import type { RunResult } from '../run.ts';
import { Hash64 } from '../hash.ts';
import type { Value } from '../value.ts';
import { type Overrides, validateOverrides } from './overrides.ts';
import { measureRun, type RunSize } from './size.ts';

/**
 * A repro file: everything needed to rerun one failing run exactly, and to tell whether the code
 * still behaves as it did when the file was written. Plain JSON; bin/repro-file.ts reads and
 * writes it, this module only builds and validates the object (sim/ does no I/O).
 */
export const REPRO_FORMAT_VERSION = 1;

export interface ReproFailure {
  /** The checker that reported the violation; shrinking keeps exactly this one failing. */
  readonly check: string;
  readonly verdict: Verdict;
  readonly summary: string;
  readonly evidence: Value;
}

export interface Repro {
  readonly formatVersion: number;
  readonly kind: 'faultline-repro';
  /** Which faultline wrote it: package version and git commit ("unknown" outside a checkout). */
  readonly faultline: { readonly version: string; readonly commit: string };
  /** The command that wrote it: run, sweep or shrink. */
  readonly createdBy: string;
  readonly scenario: string;
  readonly variant: string;
  /** The seed the run started from (informational once `choices` is present). */
  readonly seed: number;
  /** Departures from the scenario as declared (a shrunk repro may end the workload earlier). */
  readonly overrides: Overrides;
  /**
   * The draws the run made, in order. Replay feeds exactly these to the run, so the file stays
   * exact even if the seed-to-stream mapping changes; trailing zeros are dropped (a run reads
   * zeros past the end of its sequence anyway).
   */
  readonly choices: readonly number[];
  /**
   * A digest of `choices` as written (choicesDigest). A replay whose choices no longer match it
   * knows the file was edited, and says so, instead of blaming a change in the code.
   * Absent in files written before it existed.
   */
  readonly choicesDigest?: string;
  readonly traceHash: string;
  readonly failure: ReproFailure;
  /** Every check's verdict, so a replay can say what else changed. */
  readonly verdicts: Readonly<Record<string, Verdict>>;
  readonly expectation: RunResult['expectation'];
  readonly size: RunSize;
  /** The command that replays this file (filled in by whoever knows its path). */
  readonly replay: string;
}

/** The first violated check, preferring one the scenario expects to be violated. */
export function failingCheck(r: RunResult, prefer: readonly string[] = []): CheckResult | undefined {
  const bad = r.checks.filter((c) => c.verdict === 'violation');
  return bad.find((c) => prefer.includes(c.name)) ?? bad[0];
}

/** A 64-bit digest of a choice sequence, as a repro records it. */
export function choicesDigest(choices: readonly number[]): string {
  const h = new Hash64();
  for (const c of choices) h.updateString(String(c)).updateString(',');
  return h.hex();
}

/** False when the repro carries a digest that its choices no longer match (the file was edited). */
export function choicesIntact(r: Repro): boolean {
  return r.choicesDigest === undefined || r.choicesDigest === choicesDigest(r.choices);
}

/** Drops trailing zeros: the run reads zeros past the end, so the shorter sequence is the same run. */
export function canonicalChoices(seq: readonly number[]): number[] {
  let end = seq.length;
  while (end > 0 && seq[end - 1] === 0) end--;
  return seq.slice(0, end);
}

export interface ReproMeta {
  readonly version: string;
  readonly commit: string;
  readonly createdBy: string;
  readonly replay: string;
  readonly overrides?: Overrides;
  /** Which check to record as the failure (default: the first violation). */
  readonly check?: string;
}

/**
 * Builds a repro from a run made with `record: true` that reported a violation; undefined if
 * nothing was violated or the run did not record its choices.
 */
export function buildRepro(r: RunResult, meta: ReproMeta): Repro | undefined {
  const c = meta.check ? r.checks.find((x) => x.name === meta.check && x.verdict === 'violation') : failingCheck(r);
  if (!c || !r.choices) return undefined;
  return {
    formatVersion: REPRO_FORMAT_VERSION,
    kind: 'faultline-repro',
    faultline: { version: meta.version, commit: meta.commit },
    createdBy: meta.createdBy,
    scenario: r.scenario,
    variant: r.variant,
    seed: r.seed,
    overrides: meta.overrides ?? {},
    choices: canonicalChoices(r.choices),
    choicesDigest: choicesDigest(canonicalChoices(r.choices)),
    traceHash: r.traceHash,
    failure: { check: c.name, verdict: c.verdict, summary: c.summary, evidence: c.evidence ?? null },
    verdicts: Object.fromEntries(r.checks.map((x) => [x.name, x.verdict])),
    expectation: r.expectation,
    size: measureRun(r),
    replay: meta.replay,
  };
}

/** A repro that is not well formed; the message names the field. */
export class ReproFormatError extends Error {}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

function field<T>(o: Record<string, unknown>, key: string, ok: (v: unknown) => v is T, what: string): T {
  const v = o[key];
  if (!ok(v)) throw new ReproFormatError(`field '${key}' must be ${what}`);
  return v;
}

const isStr = (v: unknown): v is string => typeof v === 'string';
const isNonEmptyStr = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isSeed = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isVerdict = (v: unknown): v is Verdict => v === 'ok' || v === 'violation' || v === 'unknown';
const isChoices = (v: unknown): v is number[] =>
  Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0);

/**
 * Checks a parsed JSON value is a repro this version can replay. Only what replay and shrink
 * need is required; informational fields (size, expectation) are optional so a hand-trimmed file
 * still works.
 */
export function validateRepro(x: unknown): Repro {
  if (!isObj(x)) throw new ReproFormatError('not a JSON object');
  if (x['kind'] !== 'faultline-repro') throw new ReproFormatError("field 'kind' must be \"faultline-repro\"");
  const formatVersion = field(x, 'formatVersion', (v): v is number => typeof v === 'number' && Number.isInteger(v), 'an integer');
  if (formatVersion > REPRO_FORMAT_VERSION || formatVersion < 1) {
    throw new ReproFormatError(`formatVersion ${formatVersion} is not one this faultline reads (it reads 1..${REPRO_FORMAT_VERSION})`);
  }
  const fl = x['faultline'];
  const faultline = isObj(fl) && isStr(fl['version']) && isStr(fl['commit']) ? { version: fl['version'], commit: fl['commit'] } : { version: 'unknown', commit: 'unknown' };
  const failureRaw = x['failure'];
  if (!isObj(failureRaw)) throw new ReproFormatError("field 'failure' must be an object");
  const check = field(failureRaw, 'check', isNonEmptyStr, 'a checker name');
  const verdictsRaw = x['verdicts'] ?? {};
  if (!isObj(verdictsRaw) || !Object.values(verdictsRaw).every(isVerdict)) {
    throw new ReproFormatError("field 'verdicts' must map check names to ok, violation or unknown");
  }
  const overrides = validateOverrides(x['overrides'] ?? {});
  if (typeof overrides === 'string') throw new ReproFormatError(overrides);
  const expectation = x['expectation'];
  const size = x['size'];
  return {
    formatVersion,
    kind: 'faultline-repro',
    faultline,
    createdBy: isStr(x['createdBy']) ? x['createdBy'] : 'unknown',
    scenario: field(x, 'scenario', isNonEmptyStr, 'a scenario name'),
    variant: field(x, 'variant', isNonEmptyStr, 'a variant name'),
    seed: field(x, 'seed', isSeed, 'a non-negative integer'),
    overrides,
    choices: field(x, 'choices', isChoices, 'an array of non-negative integers'),
    ...(isStr(x['choicesDigest']) ? { choicesDigest: x['choicesDigest'] } : {}),
    traceHash: field(x, 'traceHash', isNonEmptyStr, 'a trace hash string'),
    failure: {
      check,
      verdict: isVerdict(failureRaw['verdict']) ? failureRaw['verdict'] : 'violation',
      summary: isStr(failureRaw['summary']) ? failureRaw['summary'] : '',
      evidence: (failureRaw['evidence'] ?? null) as Value,
    },
    verdicts: verdictsRaw as Record<string, Verdict>,
    expectation: (isObj(expectation) ? expectation : { expected: 'unknown', met: false, outcome: 'unknown' }) as unknown as RunResult['expectation'],
    size: (isObj(size) ? size : { ops: 0, faults: 0, events: 0, simTimeUs: 0, choices: 0, nonZeroChoices: 0 }) as unknown as RunSize,
    replay: isStr(x['replay']) ? x['replay'] : '',
  };
}
