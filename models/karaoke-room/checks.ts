import type { Checker, CheckInput, CheckResult, Probe } from '../../sim/check/types.ts';
import { canonicalJson, type Micros, type Value } from '../../sim/value.ts';
import { lastHeal } from '../durable-object/checks.ts';

/**
 * "After faults heal every client converges to the DO's latest state": each client's final
 * state `{ room, state }` must equal the authority's `{ [room]: state }` on `authority`.
 * Reads finalStates only; with `view` (a client's shown-state probe), also every node that
 * showed a state during the run must report a final state (a client that reports none is not
 * "converged" by being left out).
 */
export function clientsConverge(options: { name?: string; authority: string; view?: string }): Checker {
  const name = options.name ?? 'clients-converge';
  return {
    name,
    check(input: CheckInput): CheckResult {
      const auth = input.finalStates.get(options.authority) as { readonly [room: string]: Value } | undefined;
      if (!auth) return { name, verdict: 'violation', summary: `authority ${options.authority} has no final state` };
      const diverged: Value[] = [];
      let clients = 0;
      const reported = new Set<string>();
      for (const [node, s] of input.finalStates) {
        const st = s as { room?: Value; state?: Value } | null;
        if (node === options.authority || typeof st?.room !== 'string') continue;
        clients++;
        reported.add(node);
        const want = auth[st.room] ?? null;
        if (canonicalJson(want) !== canonicalJson(st.state ?? null)) diverged.push({ node, has: st.state ?? null, authority: want });
      }
      if (options.view !== undefined) {
        const viewers = new Set(input.probes.filter((p) => p.name === options.view && p.node !== options.authority).map((p) => p.node));
        for (const node of [...viewers].sort()) if (!reported.has(node)) diverged.push({ node, has: null, authority: 'no final state reported' });
      }
      if (diverged.length === 0) return { name, verdict: 'ok', summary: `${clients} clients hold the authority's latest state` };
      return {
        name,
        verdict: 'violation',
        summary: `${diverged.length} of ${clients} clients differ from the authority's latest state`,
        evidence: { diverged: diverged.slice(0, 10) },
      };
    },
  };
}

/** When each node's memory was lost (crash or restart in the run's fault record), sorted. */
const resets = (input: CheckInput): Map<string, Micros[]> => {
  const out = new Map<string, Micros[]>();
  for (const f of input.faults ?? []) {
    if (f.node === undefined || (f.kind !== 'crash' && f.kind !== 'restart')) continue;
    out.set(f.node, [...(out.get(f.node) ?? []), f.at].sort((a, b) => a - b));
  }
  return out;
};

const versionOf = (p: Probe): number | undefined => {
  const v = (p.detail as { version?: Value } | null)?.version;
  return typeof v === 'number' ? v : undefined;
};

/**
 * "Clients only apply states with a higher version than their current one": within one life of a
 * client process (a crash or restart of its node, from the fault record, starts a new one), every
 * state it shows (`view` probes `{ version }`, in the order made) has a higher version than the
 * one it showed before. Catches a client that goes back to an older state (a stale reply applied
 * over a newer broadcast) or applies the same version twice.
 */
export function viewsMonotonic(options: { name?: string; view: string }): Checker {
  const name = options.name ?? 'views-monotonic';
  return {
    name,
    check(input: CheckInput): CheckResult {
      const reset = resets(input);
      const last = new Map<string, { version: number; time: Micros }>();
      const bad: Value[] = [];
      let shown = 0;
      for (const p of input.probes) {
        if (p.name !== options.view) continue;
        const v = versionOf(p);
        if (v === undefined) continue;
        shown++;
        const prev = last.get(p.node);
        // A reset between the previous view and this one: a new process, which starts from nothing.
        const fresh = prev === undefined || (reset.get(p.node) ?? []).some((t) => t >= prev.time && t <= p.time);
        if (!fresh && v <= prev.version) bad.push({ node: p.node, time: p.time, version: v, after: prev.version, shownAt: prev.time });
        last.set(p.node, { version: v, time: p.time });
      }
      if (bad.length === 0) return { name, verdict: 'ok', summary: `${shown} client states, each newer than the one its client showed before` };
      const f = bad[0] as { node: string; time: number; version: number; after: number };
      return {
        name,
        verdict: 'violation',
        summary: `${bad.length} of ${shown} client states not newer than the one before; first: ${f.node} at ${f.time / 1000} ms showed version ${f.version} after ${f.after}`,
        evidence: { bad: bad.slice(0, 20) },
      };
    },
  };
}

/**
 * A client's answer to its own versioned command, seen from both sides. `probe` is the client's
 * probe `{ expected, applied }` or `{ expected, rejected }` made when the answer arrives (the
 * version of the state the answer carries); `ops` are the history functions of those commands.
 *  - Every such operation the history completes ok or fail has that probe, from its node at its
 *    completion time: the expected-version check hears of every answer, not some.
 *  - The client shows that state or a newer one by then (its last `view` probe at or before the
 *    answer's has at least that version): an answer carries the room's state ("rejected with the
 *    latest state"), and a client that drops it keeps issuing against an older one.
 */
export function ownAnswersShown(options: { name?: string; probe: string; view: string; ops: readonly string[] }): Checker {
  const name = options.name ?? 'own-answers-shown';
  return {
    name,
    check(input: CheckInput): CheckResult {
      const reset = resets(input);
      const probes = new Map<string, number>();
      const wrong: Value[] = [];
      const shown = new Map<string, { version: number; time: Micros }>();
      let answers = 0;
      for (const p of input.probes) {
        if (p.name === options.view) {
          const v = versionOf(p);
          if (v !== undefined) shown.set(p.node, { version: v, time: p.time });
          continue;
        }
        if (p.name !== options.probe) continue;
        answers++;
        const k = `${p.node} ${p.time}`;
        probes.set(k, (probes.get(k) ?? 0) + 1);
        const d = p.detail as { applied?: Value; rejected?: Value } | null;
        const carried = typeof d?.applied === 'number' ? d.applied : typeof d?.rejected === 'number' ? d.rejected : undefined;
        if (carried === undefined) continue;
        const s = shown.get(p.node);
        const fresh = s !== undefined && (reset.get(p.node) ?? []).some((t) => t >= s.time && t <= p.time);
        const have = s === undefined || fresh ? -1 : s.version;
        if (have < carried) wrong.push({ node: p.node, time: p.time, kind: 'answer not shown', carried, shows: have });
      }
      for (const e of input.history) {
        if ((e.type !== 'ok' && e.type !== 'fail') || !options.ops.includes(e.f)) continue;
        const k = `${e.node ?? ''} ${e.time}`;
        const n = probes.get(k) ?? 0;
        if (n > 0) probes.set(k, n - 1);
        else wrong.push({ node: e.node ?? null, time: e.time, kind: 'answer not probed', f: e.f, type: e.type });
      }
      if (wrong.length === 0) return { name, verdict: 'ok', summary: `${answers} answers to versioned commands, each probed and shown by its client` };
      return {
        name,
        verdict: 'violation',
        summary: `${wrong.length} answers to versioned commands unprobed or not shown; first: ${JSON.stringify(wrong[0])}`,
        evidence: { wrong: wrong.slice(0, 20) },
      };
    },
  };
}

/**
 * The HTTP fallback and the socket both serve: every client that issued an operation has at
 * least one answered ok. (A weak liveness check for scenarios whose faults leave each client
 * long stretches of working network; served-after-heal asks more where the heal leaves time.)
 */
export function everyClientServed(options: { name?: string } = {}): Checker {
  const name = options.name ?? 'every-client-served';
  return {
    name,
    check(input: CheckInput): CheckResult {
      const issued = new Set<string>();
      const served = new Set<string>();
      for (const e of input.history) {
        if (e.node === undefined) continue;
        if (e.type === 'invoke') issued.add(e.node);
        else if (e.type === 'ok') served.add(e.node);
      }
      const starved = [...issued].filter((n) => !served.has(n)).sort();
      if (starved.length === 0) return { name, verdict: 'ok', summary: `${issued.size} clients, each served at least once` };
      return { name, verdict: 'violation', summary: `${starved.length} of ${issued.size} clients never served: ${starved.join(', ')}`, evidence: { starved } };
    },
  };
}

/**
 * Clients connect over WebSockets ("HTTP as a fallback"): each of `clients` (the WebSocket
 * devices, not those the scenario keeps on HTTP) has its socket open, by its `socket` probes
 * `{ open }`, at some instant of [heal, heal + within], heal being the last fault's end (the run's
 * fault record; 0 without faults). Not asked when that window does not end before the run does.
 * fresh-within asks only clients whose socket is open: without this, a client that never
 * reconnects, or never says it did, is never asked anything.
 */
export function socketsReopen(options: { name?: string; socket: string; clients: readonly string[]; within: Micros }): Checker {
  const name = options.name ?? 'reconnects-after-heal';
  return {
    name,
    check(input: CheckInput): CheckResult {
      const heal = lastHeal(input);
      const until = heal + options.within;
      if (until > (input.end ?? Infinity)) return { name, verdict: 'ok', summary: `the heal at ${heal / 1000} ms leaves less than ${options.within / 1000} ms of run: nothing to ask` };
      const closed: string[] = [];
      for (const node of options.clients) {
        let openAtHeal = false;
        let opened = false;
        for (const p of input.probes) {
          if (p.name !== options.socket || p.node !== node) continue;
          const open = (p.detail as { open?: Value } | null)?.open === true;
          if (p.time <= heal) openAtHeal = open;
          else if (p.time <= until && open) opened = true;
        }
        if (!openAtHeal && !opened) closed.push(node);
      }
      if (closed.length === 0) return { name, verdict: 'ok', summary: `${options.clients.length} sockets open within ${options.within / 1000} ms of the heal at ${heal / 1000} ms` };
      return { name, verdict: 'violation', summary: `${closed.length} of ${options.clients.length} clients had no open socket within ${options.within / 1000} ms of the heal at ${heal / 1000} ms: ${closed.join(', ')}`, evidence: { heal, closed } };
    },
  };
}
