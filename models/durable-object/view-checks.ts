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
