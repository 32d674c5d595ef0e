import type { FaultRecord } from '../sim/faults.ts';
import type { RunResult } from '../sim/run.ts';
import type { RunMetrics } from './metrics.ts';
import type { Violation } from './violation.ts';

/** The first thing a reader sees: one headline and one paragraph in plain words. */
export interface Verdict {
  /** good: as expected and nothing broke; caught: a planted/known defect was caught as expected; bad: not as expected; unknown: no verdict. */
  readonly tone: 'good' | 'caught' | 'bad' | 'unknown';
  readonly headline: string;
  readonly paragraph: string;
}

const s = (us: number) => `${(us / 1e6).toFixed(3)} s`;
const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

/** "6 crashes and 2 partitions", or "no faults". */
export function faultPhrase(faults: readonly FaultRecord[]): string {
  if (faults.length === 0) return 'no injected faults';
  const by = new Map<string, number>();
  for (const f of faults) by.set(f.kind, (by.get(f.kind) ?? 0) + 1);
  const parts = [...by.entries()].map(([k, n]) => (n === 1 ? `1 ${k}` : `${n} ${k === 'crash' ? 'crashes' : k === 'skew' ? 'skews' : `${k}s`}`));
  return parts.length === 1 ? (parts[0] as string) : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** The fault that best explains something seen at `t`: one in force then, else the last to end before it. */
export function faultNear(faults: readonly FaultRecord[], from: number, t: number): { fault: FaultRecord; during: boolean } | null {
  const during = faults.filter((f) => f.at <= t && f.until >= from && f.until > f.at);
  if (during.length > 0) return { fault: during[during.length - 1] as FaultRecord, during: true };
  const before = faults.filter((f) => f.until <= t).sort((a, b) => b.until - a.until);
  return before[0] ? { fault: before[0], during: false } : null;
}

export function verdict(r: RunResult, design: string, m: RunMetrics, v: Violation | null): Verdict {
  const who = `The ${r.variant} variant of the ${design} design`;
  const under = faultPhrase(r.faults);
  const setting = `faultline ran ${who.charAt(0).toLowerCase()}${who.slice(1)} (scenario ${r.scenario}, seed ${r.seed}) for ${(r.duration / 1e6).toFixed(1)} s of simulated time under ${under}.`;
  const avail =
    `Clients saw ${(m.availability.fractionOk * 100).toFixed(1)}% of ${plural(m.ops.total, 'operation')} succeed; ` +
    `the longest stretch with no successful operation lasted ${m.availability.longestGapMs.toFixed(0)} ms.`;
  const e = r.expectation;
  const unknown = r.checks.filter((c) => c.verdict === 'unknown').map((c) => c.name);
  if (v) {
    let when = `It became visible at ${s(v.at)}`;
    const near = faultNear(r.faults, v.culprit?.invokeTime ?? v.at, v.at);
    if (near) {
      const f = near.fault;
      when += near.during
        ? `, during the fault "${f.description}" (${s(f.at)} to ${s(f.until)}).`
        : `, ${((v.at - f.until) / 1000).toFixed(0)} ms after the fault "${f.description}" (${s(f.at)} to ${s(f.until)}) ended.`;
    } else when += ', with no fault in force before it.';
    const expectation = e.met
      ? 'That is what this scenario expects of this variant: the bench caught the defect it was built to catch.'
      : `That is NOT what this scenario expects (${e.expected}).`;
    return {
      tone: e.met ? 'caught' : 'bad',
      headline: `${who} broke under ${under}: ${v.check} violated${v.key !== null && v.key !== '' ? ` on key ${JSON.stringify(v.key)}` : ''}.`,
      paragraph: `${setting} The ${v.check} check found a violation: ${v.summary}. ${when} ${expectation} ${avail}`,
    };
  }
  if (unknown.length > 0) {
    return {
      tone: 'unknown',
      headline: `No verdict for ${who.charAt(0).toLowerCase()}${who.slice(1)}: ${unknown.join(', ')} ran out of budget.`,
      paragraph: `${setting} No check found a violation, but ${unknown.join(', ')} could not finish within its budget, so nothing is proven. ${avail}`,
    };
  }
  const names = r.checks.map((c) => c.name).join(', ') || 'none';
  return {
    tone: e.met ? 'good' : 'bad',
    headline: `${who} held up under ${under}: every check passed (${names}).`,
    paragraph: `${setting} Every check passed (${names}). ${e.met ? 'That is what this scenario expects.' : `That is NOT what this scenario expects (${e.expected}): the bench missed a defect it should catch.`} ${avail}`,
  };
}
