import { pairOperations, type Operation } from '../history.ts';
import { canonicalJson, type Value } from '../value.ts';
import { opView, type OpView } from './op-view.ts';
import type { CheckInput, CheckResult, Checker } from './types.ts';

/**
 * Session guarantees (Terry et al., 1994) for register / key-value histories, per client session.
 *
 * What counts as what:
 *  - a **session** is the op's `node` when the history has one (a client node keeps its session
 *    across Jepsen's fresh process numbers after an `info`), else its `process`; override with
 *    `session`;
 *  - **writes** are `ok` or `info` ops whose `f` is in `writes` (default write, put) writing
 *    their input, plus `ok` cas ops whose output is not false, writing `to` of [from, to];
 *  - **reads** are `ok` ops whose `f` is in `reads` (default read, get); the value read is the
 *    op's output; `key` absent means the single register.
 *
 * How versions are compared, and the assumption that makes it possible: **written values are
 * unique per key** (every write writes a value nobody else writes there), so the value a read
 * returns names the write it saw. null (never written) is the initial version, older than every
 * write. Write a is older than write b (a < b) iff a completed before b was invoked (real-time
 * order, which includes a session's own order): we assume the store's version order extends
 * real time. Concurrent writes are incomparable and never produce a violation, so every
 * violation reported is definite under that assumption. Reads of a value written twice, or
 * never written, are ignored (the latter is a linearizability or validity problem).
 *
 * The four guarantees, each as the pair of operations that breaks it:
 *  - read-your-writes: session s wrote w to k, then read k and saw a version older than w;
 *    evidence (w, r).
 *  - monotonic reads: session s read r1 then r2 on k, and r2 saw a version older than r1 did;
 *    evidence (r1, r2).
 *  - monotonic writes: session s wrote w1 (key k) then w2; some session t read w2 and later read
 *    k and saw a version older than w1; evidence (w1, w2), observed by (t's two reads).
 *  - writes-follow-reads: session s read r0 seeing w1 (key k), then wrote w2; some session t read
 *    w2 and later read k and saw a version older than w1; evidence (r0, w2), observed by
 *    (t's two reads).
 */
export type SessionGuarantee = 'read-your-writes' | 'monotonic-reads' | 'monotonic-writes' | 'writes-follow-reads';
export const SESSION_GUARANTEES: readonly SessionGuarantee[] = ['read-your-writes', 'monotonic-reads', 'monotonic-writes', 'writes-follow-reads'];

export interface SessionOptions {
  readonly guarantees?: readonly SessionGuarantee[];
  readonly session?: (op: Operation) => string;
  readonly reads?: readonly string[];
  readonly writes?: readonly string[];
  readonly name?: string;
  /** At most this many violations in the evidence (default 20). */
  readonly maxViolations?: number;
}

export interface SessionViolation {
  readonly [field: string]: Value;
  readonly guarantee: SessionGuarantee;
  readonly session: string;
  readonly pair: readonly [OpView, OpView];
  /** For monotonic writes and writes-follow-reads: the reads of the session that saw it. */
  readonly observedBy: readonly OpView[] | null;
}

/** A version of one key: the initial one, or a write. */
type Version = 'initial' | Operation;

interface Dep {
  readonly key: string;
  readonly write: Operation;
  readonly guarantee: 'monotonic-writes' | 'writes-follow-reads';
  readonly pair: readonly [Operation, Operation];
}

export function sessionGuarantees(options: SessionOptions = {}): Checker {
  const name = options.name ?? 'session-guarantees';
  const wanted = new Set(options.guarantees ?? SESSION_GUARANTEES);
  const readFs = new Set(options.reads ?? ['read', 'get']);
  const writeFs = new Set(options.writes ?? ['write', 'put']);
  const sessionOf = options.session ?? ((op: Operation) => op.node ?? String(op.process));
  const max = options.maxViolations ?? 20;
  return {
    name,
    check(input: CheckInput): CheckResult {
      const ops = pairOperations(input.history);
      const keyOf = (op: Operation): string => op.key ?? '';
      const written = (op: Operation): Value | undefined => {
        if (writeFs.has(op.f) && (op.status === 'ok' || op.status === 'info')) return op.input;
        if (op.f === 'cas' && op.status === 'ok' && op.output !== false && Array.isArray(op.input) && op.input.length === 2) return op.input[1] as Value;
        return undefined;
      };
      // key -> canonical value -> the write (null when two writes wrote it: ambiguous).
      const writesByValue = new Map<string, Map<string, Operation | null>>();
      for (const op of ops) {
        const v = written(op);
        if (v === undefined) continue;
        let m = writesByValue.get(keyOf(op));
        if (!m) writesByValue.set(keyOf(op), (m = new Map()));
        const c = canonicalJson(v);
        m.set(c, m.has(c) ? null : op);
      }
      const isRead = (op: Operation): boolean => readFs.has(op.f) && op.status === 'ok';
      const saw = (r: Operation): Version | undefined => {
        if (r.output === null) return 'initial';
        const w = writesByValue.get(keyOf(r))?.get(canonicalJson(r.output));
        return w ?? undefined; // unknown or ambiguous value: no judgement
      };
      const older = (a: Version, b: Version): boolean => {
        if (b === 'initial') return false;
        if (a === 'initial') return true;
        return a.status === 'ok' && a.completeIndex < b.invokeIndex;
      };

      // Sessions in history order.
      const sessions = new Map<string, Operation[]>();
      for (const op of ops) {
        if (op.status === 'fail') continue;
        const s = sessionOf(op);
        let list = sessions.get(s);
        if (!list) sessions.set(s, (list = []));
        list.push(op);
      }

      const violations: SessionViolation[] = [];
      const found = new Set<string>();
      const report = (guarantee: SessionGuarantee, session: string, a: Operation, b: Operation, observedBy: readonly Operation[] | null): void => {
        const tag = `${guarantee}:${a.id}:${b.id}`;
        if (found.has(tag) || violations.length >= max) return;
        found.add(tag);
        violations.push({ guarantee, session, pair: [opView(a), opView(b)], observedBy: observedBy ? observedBy.map((o) => opView(o)) : null });
      };

      // What every write obliges a reader of it to see afterwards (monotonic writes and
      // writes-follow-reads), computed by walking each writer's session.
      const deps = new Map<number, Dep[]>();
      for (const list of sessions.values()) {
        const lastWrite = new Map<string, Operation>();
        const seen: { read: Operation; write: Operation }[] = [];
        for (const op of list) {
          const v = written(op);
          if (v !== undefined) {
            const d: Dep[] = [];
            if (wanted.has('monotonic-writes')) for (const [key, w] of lastWrite) d.push({ key, write: w, guarantee: 'monotonic-writes', pair: [w, op] });
            if (wanted.has('writes-follow-reads')) for (const s of seen) d.push({ key: keyOf(s.write), write: s.write, guarantee: 'writes-follow-reads', pair: [s.read, op] });
            deps.set(op.id, d);
            if (op.status === 'ok') lastWrite.set(keyOf(op), op);
          } else if (isRead(op)) {
            const w = saw(op);
            if (w && w !== 'initial') seen.push({ read: op, write: w });
          }
        }
      }

      for (const [session, list] of sessions) {
        const myLastWrite = new Map<string, Operation>();
        const readsByKey = new Map<string, { read: Operation; saw: Version }[]>();
        const obligations: { dep: Dep; via: Operation }[] = [];
        for (const op of list) {
          if (written(op) !== undefined) {
            if (op.status === 'ok') myLastWrite.set(keyOf(op), op);
            continue;
          }
          if (!isRead(op)) continue;
          const v = saw(op);
          if (v === undefined) continue;
          const key = keyOf(op);
          const mine = myLastWrite.get(key);
          if (wanted.has('read-your-writes') && mine && mine !== v && older(v, mine)) report('read-your-writes', session, mine, op, null);
          const earlier = readsByKey.get(key) ?? [];
          if (wanted.has('monotonic-reads')) for (const e of earlier) if (older(v, e.saw)) report('monotonic-reads', session, e.read, op, null);
          for (const { dep, via } of obligations) {
            if (dep.key === key && dep.write !== v && older(v, dep.write)) report(dep.guarantee, sessionOf(dep.pair[1]), dep.pair[0], dep.pair[1], [via, op]);
          }
          earlier.push({ read: op, saw: v });
          readsByKey.set(key, earlier);
          if (v !== 'initial') for (const dep of deps.get(v.id) ?? []) obligations.push({ dep, via: op });
        }
      }

      if (violations.length === 0) {
        return { name, verdict: 'ok', summary: `session guarantees hold (${[...wanted].join(', ')}) over ${sessions.size} sessions`, evidence: { sessions: sessions.size, guarantees: [...wanted] } };
      }
      const v = violations[0]!;
      const [a, b] = v.pair;
      return {
        name,
        verdict: 'violation',
        summary: `${v.guarantee} broken in session ${v.session}: op #${a.id} ${a.f}(${canonicalJson(a.input)}) then op #${b.id} ${b.f} -> ${canonicalJson(b.output)}${v.observedBy ? ` (seen by ops #${v.observedBy.map((o) => o.id).join(', #')})` : ''}`,
        evidence: { violations },
      };
    },
  };
}
