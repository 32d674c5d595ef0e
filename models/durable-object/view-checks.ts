import type { Checker, CheckInput, CheckResult, Probe } from '../../sim/check/types.ts';
import { canonicalJson, type Micros, type Value } from '../../sim/value.ts';

/**
 * Invariants over time, for designs where one authority (a Durable Object) holds a versioned state
 * and clients show it. They read probes, with the virtual time each was made:
 *  - the authority probes `{ version, state }` each time a version becomes durable (after the
 *    storage write completes: what it probes is what storage kept, also across a crash);
 *  - each client probes `{ version, state }` each time it applies a state it shows, and
 *    `{ open }` when its socket opens or closes.
 * Checkers never import models: the probe names come in as options.
 */

interface Versioned {
  readonly time: Micros;
  readonly node: string;
  readonly version: number;
  readonly state: Value;
}

const versioned = (probes: readonly Probe[], name: string): Versioned[] =>
  probes
    .filter((p) => p.name === name)
    .flatMap((p) => {
      const d = p.detail as { version?: Value; state?: Value } | null;
      return typeof d?.version === 'number' ? [{ time: p.time, node: p.node, version: d.version, state: d.state ?? null }] : [];
    });

/**
 * No phantom state: every state a client shows is one the authority really had, durably, at that
 * version, no later than the client showed it. `initial` is the state at version 0, which the
 * authority holds before any write.
 */
export function noPhantomState(options: { name?: string; authority: string; view: string; initial: Value }): Checker {
  const name = options.name ?? 'no-phantom-state';
  return {
    name,
    check(input: CheckInput): CheckResult {
      const had = new Map<number, { state: string; time: Micros }[]>();
      had.set(0, [{ state: canonicalJson(options.initial), time: 0 }]);
      for (const a of versioned(input.probes, options.authority)) {
        const list = had.get(a.version) ?? [];
        list.push({ state: canonicalJson(a.state), time: a.time });
        had.set(a.version, list);
      }
      const views = versioned(input.probes, options.view);
      const phantoms: Value[] = [];
      for (const v of views) {
        const shown = canonicalJson(v.state);
        const real = (had.get(v.version) ?? []).some((h) => h.state === shown && h.time <= v.time);
        if (!real) {
          phantoms.push({ node: v.node, time: v.time, version: v.version, shows: v.state, authority: (had.get(v.version) ?? []).map((h) => JSON.parse(h.state) as Value) });
        }
      }
      if (phantoms.length === 0) return { name, verdict: 'ok', summary: `${views.length} client states, each one the authority durably had at its version` };
      const first = phantoms[0] as { node: string; time: number; version: number };
      return {
        name,
        verdict: 'violation',
        summary: `${phantoms.length} of ${views.length} client states the authority never durably had; first: ${first.node} at ${first.time / 1000} ms, version ${first.version}`,
        evidence: { phantoms: phantoms.slice(0, 10) },
      };
    },
  };
}

/**
 * Freshness with a bound: when the authority makes version v durable at time t, every client
 * whose socket is open for all of [t, t + bound] shows version v or a newer one by t + bound.
 * A client struck by a crash or pause in that window is not asked (the run's fault record says
 * which); nor is a window that the run's end cuts short. `bound` must cover what an honest socket
 * may take to deliver or give up: retransmissions, and the timeout after which a dead path closes.
 */
export function freshWithin(options: { name?: string; authority: string; view: string; socket: string; bound: Micros }): Checker {
  const name = options.name ?? 'fresh-within';
  return {
    name,
    check(input: CheckInput): CheckResult {
      const end = input.end ?? Infinity;
      const commits = versioned(input.probes, options.authority).sort((a, b) => a.time - b.time);
      const byNode = new Map<string, { views: Versioned[]; socket: { time: Micros; open: boolean }[] }>();
      const entry = (n: string) => {
        let e = byNode.get(n);
        if (!e) byNode.set(n, (e = { views: [], socket: [] }));
        return e;
      };
      for (const v of versioned(input.probes, options.view)) entry(v.node).views.push(v);
      for (const p of input.probes) {
        if (p.name !== options.socket) continue;
        entry(p.node).socket.push({ time: p.time, open: (p.detail as { open?: Value } | null)?.open === true });
      }
      const struck = (node: string, from: Micros, to: Micros) =>
        (input.faults ?? []).some((f) => f.node === node && (f.kind === 'crash' || f.kind === 'pause') && f.at <= to && f.until >= from);
      const stale: Value[] = [];
      let asked = 0;
      for (const [node, e] of [...byNode.entries()].sort(([a], [b]) => a.localeCompare(b))) {
        for (const c of commits) {
          const until = c.time + options.bound;
          if (until > end) break;
          // Open throughout [t, until]: the last socket event at or before t opened it, none follows within.
          let openAtT = false;
          let changes = false;
          for (const s of e.socket) {
            if (s.time <= c.time) openAtT = s.open;
            else if (s.time <= until) changes = true;
          }
          if (!openAtT || changes || struck(node, c.time, until)) continue;
          asked++;
          let shown = -1;
          for (const v of e.views) if (v.time <= until) shown = Math.max(shown, v.version);
          if (shown < c.version) stale.push({ node, version: c.version, committedAt: c.time, by: until, shows: shown });
        }
      }
      if (stale.length === 0) return { name, verdict: 'ok', summary: `${asked} (client, version) pairs: each shown within ${options.bound / 1000} ms` };
      const first = stale[0] as { node: string; version: number; committedAt: number; shows: number };
      return {
        name,
        verdict: 'violation',
        summary: `${stale.length} of ${asked} versions not shown within ${options.bound / 1000} ms by a connected client; first: ${first.node}, version ${first.version} made at ${first.committedAt / 1000} ms, showed ${first.shows}`,
        evidence: { stale: stale.slice(0, 20) },
      };
    },
  };
}

/**
 * The optimistic-concurrency rule, both halves: a command carrying `expectedVersion` is applied
 * only at that version, and rejected only at another. The client probes `{ expected, applied }`
 * for each such command acknowledged ok, where `applied` is the version the authority's answer
 * carries (applied at `expected`, it must be `expected + 1`), and `{ expected, rejected }` for each
 * one refused for its version, where `rejected` is the version of the state the refusal carries
 * (the authority's state when it refused: it must differ from `expected`). Without the second
 * half, an authority that refuses every versioned command passes every safety check.
 */
export function appliedAtExpectedVersion(options: { name?: string; probe: string }): Checker {
  const name = options.name ?? 'expected-version';
  return {
    name,
    check(input: CheckInput): CheckResult {
      const wrong: Value[] = [];
      let applied = 0;
      let rejected = 0;
      for (const p of input.probes) {
        if (p.name !== options.probe) continue;
        const d = p.detail as { expected?: Value; applied?: Value; rejected?: Value; rid?: Value } | null;
        if (d !== null && 'rejected' in d) {
          rejected++;
          if (typeof d.expected !== 'number' || typeof d.rejected !== 'number' || d.rejected === d.expected) wrong.push({ node: p.node, time: p.time, kind: 'rejected at its expected version', ...d });
          continue;
        }
        applied++;
        if (typeof d?.expected !== 'number' || d.applied !== d.expected + 1) wrong.push({ node: p.node, time: p.time, kind: 'applied at another version', ...(d as object) });
      }
      const n = applied + rejected;
      if (wrong.length === 0) return { name, verdict: 'ok', summary: `${applied} versioned commands applied at their expectedVersion, ${rejected} rejected at another version` };
      return {
        name,
        verdict: 'violation',
        summary: `${wrong.length} of ${n} versioned commands broke the expectedVersion rule; first: ${JSON.stringify(wrong[0])}`,
        evidence: { wrong: wrong.slice(0, 20) },
      };
    },
  };
}

// ---- Facts without versions ------------------------------------------------------------------

/**
 * Key/value facts that carry no version (who is online, who is typing). The authority probes
 * `{ facts: { [key]: value } }`, the whole map it holds, each time it changes and when an
 * instance starts (its empty map: what a restarted object holds); a key that is absent is not
 * set. A client probes `{ facts, self? }`, the whole map it shows, each time it applies a change
 * (`self`: the key that is the viewer itself, e.g. its user id, see `exemptSelf`), and `{ open }`
 * on its socket probe when that socket opens or closes (`self` may ride on either probe).
 */
export interface FactOptions {
  readonly name?: string;
  /** Probe name of the authority's fact map. */
  readonly authority: string;
  /** Probe name of a client's shown fact map. */
  readonly view: string;
  /** Probe name of that client's socket to the authority ({ open }). */
  readonly socket: string;
  readonly bound: Micros;
  /**
   * A viewer is not asked to show the fact about itself (its `self` key): a design may, like the
   * Waddle document's presence broadcast, never send a user its own status.
   */
  readonly exemptSelf?: boolean;
}

/** One fact a connected client did not show although it had held, unchanged, for `bound`. */
export interface StaleFact {
  readonly node: string;
  readonly key: string;
  /** The authority's value (undefined: not set). */
  readonly want: Value | undefined;
  readonly shows: Value | undefined;
  /** First instant at which the client was required to show `want` and did not. */
  readonly at: Micros;
  /** The authority has held `want` since. */
  readonly heldSince: Micros;
}

// Fact values are compared as canonical JSON; these two never are one ('#' starts no JSON text).
const ABSENT = '#absent';
const UNKNOWN = '#unknown';

interface FactEvent {
  readonly time: Micros;
  /** The whole map (canonical JSON per key); null: memory lost, every value unknown. */
  readonly facts: ReadonlyMap<string, string> | null;
}

const factMap = (d: Value): Map<string, string> => {
  const m = new Map<string, string>();
  const f = (d as { facts?: Value } | null)?.facts;
  if (f && typeof f === 'object' && !Array.isArray(f)) for (const [k, v] of Object.entries(f)) if (v !== undefined) m.set(k, canonicalJson(v));
  return m;
};

/** Piecewise-constant value of one key: [from, to) segments, consecutive equal values merged. */
interface Segment {
  readonly from: Micros;
  readonly to: Micros;
  readonly value: string;
}

function segments(events: readonly FactEvent[], key: string, before: string, momentary: boolean): Segment[] {
  const out: { from: Micros; to: Micros; value: string }[] = [{ from: -Infinity, to: Infinity, value: before }];
  for (const e of events) {
    const v = e.facts === null ? UNKNOWN : (e.facts.get(key) ?? ABSENT);
    const last = out[out.length - 1] as { from: Micros; to: Micros; value: string };
    if (v === last.value) continue;
    // Several events at one instant. A view shows only the last one. The authority really held
    // each one, if only between two events of one instant, and broadcast it: a value it held for
    // no time still ends the stretch before it ("set at t and stays v"), as a zero-length segment.
    if (last.from === e.time && !momentary) {
      out.pop();
      const prev = out[out.length - 1];
      if (prev && prev.value === v) prev.to = Infinity;
      else out.push({ from: e.time, to: Infinity, value: v });
      continue;
    }
    last.to = e.time;
    out.push({ from: e.time, to: Infinity, value: v });
  }
  return out;
}

/** Sorted by time; at one instant the design's probes come first, a fault after them (it ends what they said). */
const byTime = <T extends { time: Micros; rank: number }>(xs: T[]): T[] => xs.sort((a, b) => a.time - b.time || a.rank - b.rank);

/**
 * Every (client, key) stretch where a connected client does not show a fact the authority has
 * held unchanged for at least `bound`: see factFreshWithin. Exported for tests.
 */
export function staleFacts(input: CheckInput, o: FactOptions): StaleFact[] {
  const end = input.end ?? Infinity;
  const faults = input.faults ?? [];
  const authNodes = new Set(input.probes.filter((p) => p.name === o.authority).map((p) => p.node));
  // The authority's map over time; a crash (or restart) of its node loses in-memory facts, so
  // from then until its next probe its value is unknown and nothing is asked of anyone.
  const auth: FactEvent[] = byTime([
    ...input.probes.flatMap((p, i) => (p.name === o.authority ? [{ time: p.time, rank: i, facts: factMap(p.detail) as ReadonlyMap<string, string> | null }] : [])),
    ...faults.flatMap((f, i) => (f.node !== undefined && authNodes.has(f.node) && (f.kind === 'crash' || f.kind === 'restart') ? [{ time: f.at, rank: input.probes.length + i, facts: null }] : [])),
  ]);
  const keys = new Set<string>();
  for (const e of auth) for (const k of e.facts?.keys() ?? []) keys.add(k);
  const viewers = new Map<string, { views: (FactEvent & { rank: number })[]; socket: { time: Micros; rank: number; open: boolean }[]; self?: string }>();
  const viewer = (n: string) => {
    let v = viewers.get(n);
    if (!v) viewers.set(n, (v = { views: [], socket: [] }));
    return v;
  };
  input.probes.forEach((p, i) => {
    if (p.name !== o.view && p.name !== o.socket) return;
    const v = viewer(p.node);
    const self = (p.detail as { self?: Value } | null)?.self;
    if (typeof self === 'string') v.self = self;
    if (p.name === o.view) {
      const facts = factMap(p.detail);
      for (const k of facts.keys()) keys.add(k);
      v.views.push({ time: p.time, rank: i, facts });
    } else v.socket.push({ time: p.time, rank: i, open: (p.detail as { open?: Value } | null)?.open === true });
  });
  const stale: StaleFact[] = [];
  const authByKey = new Map([...keys].map((k) => [k, segments(auth, k, UNKNOWN, true)] as const));
  for (const [node, v] of [...viewers.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const mine = faults.filter((f) => f.node === node && (f.kind === 'crash' || f.kind === 'restart' || f.kind === 'pause'));
    // A crash or restart of the client ends its page: its socket is closed and it shows nothing
    // until it probes again. Crash and pause windows, widened by `bound`, ask nothing of it.
    const lost = mine.filter((f) => f.kind !== 'pause').map((f, i) => ({ time: f.at, rank: input.probes.length + i }));
    const socket = byTime([...v.socket, ...lost.map((l) => ({ ...l, open: false }))]);
    const views = byTime([...v.views, ...lost.map((l) => ({ ...l, facts: new Map<string, string>() as ReadonlyMap<string, string> }))]);
    const open: [Micros, Micros][] = [];
    for (const s of socket) {
      const last = open[open.length - 1];
      // A close and a reopen at one instant are two connections: the window starts again.
      if (s.open && (!last || last[1] !== Infinity)) open.push([s.time, Infinity]);
      else if (!s.open && last && last[1] === Infinity) last[1] = s.time;
    }
    const excluded = mine.map((f) => [f.at, f.until + o.bound + 1] as const);
    for (const key of keys) {
      if (o.exemptSelf && key === v.self) continue;
      const viewSeg = segments(views, key, ABSENT, false);
      for (const a of authByKey.get(key) ?? []) {
        if (a.value === UNKNOWN) continue;
        for (const [o0, o1] of open) {
          // s is asked iff [s - bound, s] lies in the authority's segment and the open interval.
          let ranges: [Micros, Micros][] = [[Math.max(a.from, o0) + o.bound, Math.min(a.to, o1, end + 1)]];
          for (const [x0, x1] of excluded) ranges = ranges.flatMap(([r0, r1]): [Micros, Micros][] => (x1 <= r0 || x0 >= r1 ? [[r0, r1]] : [...(x0 > r0 ? [[r0, x0] as [Micros, Micros]] : []), ...(x1 < r1 ? [[x1, r1] as [Micros, Micros]] : [])]));
          for (const [r0, r1] of ranges) {
            if (r0 >= r1) continue;
            const bad = viewSeg.find((s) => s.from < r1 && s.to > r0 && s.value !== a.value);
            if (!bad) continue;
            const parse = (x: string): Value | undefined => (x === ABSENT ? undefined : (JSON.parse(x) as Value));
            stale.push({ node, key, want: parse(a.value), shows: parse(bad.value), at: Math.max(r0, bad.from), heldSince: a.from });
          }
        }
      }
    }
  }
  return stale;
}

/**
 * Freshness with a bound for facts without versions: when the authority holds fact k = v
 * unchanged over [s - bound, s], every client whose socket is open for all of [s - bound, s]
 * and not struck by a crash or pause in it (the run's fault record) shows k = v at s, for every
 * such s up to the run's end. So a fact is shown within `bound` of its change, or of the client's
 * connecting, and for as long as it holds. A fact that holds for less than `bound` (a typing
 * indicator the authority clears itself after 3 s) is never asked: the check stays sound under
 * such expiry, and it is the fact that follows (not typing) that it asks about. While the
 * authority's node is down after a crash its in-memory facts are unknown and nothing is asked.
 */
export function factFreshWithin(options: FactOptions): Checker {
  const name = options.name ?? 'fact-fresh-within';
  return {
    name,
    check(input: CheckInput): CheckResult {
      const stale = staleFacts(input, options);
      if (stale.length === 0) return { name, verdict: 'ok', summary: `every fact held for ${options.bound / 1000} ms was shown by every client connected throughout` };
      const f = stale[0] as StaleFact;
      return {
        name,
        verdict: 'violation',
        summary: `${stale.length} stale fact view(s); first: ${f.node} showed ${f.key}=${JSON.stringify(f.shows ?? null)} at ${f.at / 1000} ms, the authority has held ${JSON.stringify(f.want ?? null)} since ${f.heldSince / 1000} ms`,
        evidence: { stale: stale.slice(0, 20) as unknown as Value },
      };
    },
  };
}

/**
 * No phantom entries: every (key, value) a client shows (a message's [sequence, messageId]) is
 * one the authority durably assigned, probed at or before the time the client showed it. Both
 * probes carry the two fields named by `key` and `value`; the authority probes after the write
 * that assigns them completes, so an assignment a crash lost is never probed.
 */
export function noPhantomEntries(options: { name?: string; authority: string; view: string; key: string; value: string }): Checker {
  const name = options.name ?? 'no-phantom-entries';
  const field = (d: Value, f: string): string => canonicalJson((d as { readonly [k: string]: Value } | null)?.[f] ?? null);
  return {
    name,
    check(input: CheckInput): CheckResult {
      const assigned = new Map<string, Micros>();
      const phantoms: Value[] = [];
      let shown = 0;
      for (const p of input.probes) {
        if (p.name === options.authority) {
          const k = `${field(p.detail, options.key)} ${field(p.detail, options.value)}`;
          if (!assigned.has(k)) assigned.set(k, p.time);
        } else if (p.name === options.view) {
          shown++;
          const k = `${field(p.detail, options.key)} ${field(p.detail, options.value)}`;
          const at = assigned.get(k);
          if (at === undefined || at > p.time) phantoms.push({ node: p.node, time: p.time, ...(p.detail as object) });
        }
      }
      if (phantoms.length === 0) return { name, verdict: 'ok', summary: `${shown} shown entries, each one the authority durably assigned first` };
      return {
        name,
        verdict: 'violation',
        summary: `${phantoms.length} of ${shown} shown entries the authority never durably assigned (by then); first: ${JSON.stringify(phantoms[0])}`,
        evidence: { phantoms: phantoms.slice(0, 20) },
      };
    },
  };
}
