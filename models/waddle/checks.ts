import type { Checker, CheckInput, CheckResult } from '../../sim/check/types.ts';
import { pairOperations } from '../../sim/history.ts';
import type { Value } from '../../sim/value.ts';

/**
 * Waddle checkers; they read only CheckInput. Client final states look like
 * `{ user, waddleOpen, channelOpen, received: [[seq, messageId]...], typing: [...] }`; the DO
 * host's like `{ "Waddle:<id>": { presence }, "Channel:<id>": { messageSequence, typing } }`.
 */

interface ClientState {
  readonly user: string;
  readonly waddleOpen: boolean;
  readonly channelOpen: boolean;
  readonly received: readonly (readonly [number, string])[];
  readonly typing: readonly string[];
}

const clientsOf = (input: CheckInput): [string, ClientState][] =>
  [...input.finalStates.entries()].filter(([, s]) => typeof (s as { user?: Value } | null)?.user === 'string') as unknown as [string, ClientState][];

/**
 * Channel sequence numbers are unique (no two messages acknowledged with one sequence), every
 * client saw them in one order (a sequence always carries the same message, ascending), and
 * gapless: a client still connected at the end saw every sequence from 1 to the highest assigned.
 */
export function channelSequence(options: { name?: string } = {}): Checker {
  const name = options.name ?? 'channel-sequence';
  return {
    name,
    check(input: CheckInput): CheckResult {
      const problems: Value[] = [];
      const bySeq = new Map<number, string>();
      for (const op of pairOperations(input.history)) {
        if (op.f !== 'post' || op.status !== 'ok' || typeof op.output !== 'number') continue;
        const other = bySeq.get(op.output);
        if (other !== undefined && other !== op.input) problems.push({ kind: 'duplicate sequence', sequence: op.output, messages: [other, op.input] });
        bySeq.set(op.output, op.input as string);
      }
      let max = 0;
      for (const s of bySeq.keys()) max = Math.max(max, s);
      for (const [node, c] of clientsOf(input)) {
        let prev = 0;
        const seen = new Set<number>();
        for (const [seq, mid] of c.received) {
          max = Math.max(max, seq);
          if (seq <= prev) problems.push({ kind: 'out of order or repeated', node, sequence: seq, after: prev });
          prev = Math.max(prev, seq);
          seen.add(seq);
          const known = bySeq.get(seq);
          if (known === undefined) bySeq.set(seq, mid);
          else if (known !== mid) problems.push({ kind: 'one sequence, two messages', node, sequence: seq, messages: [known, mid] });
        }
      }
      for (const [node, c] of clientsOf(input)) {
        if (!c.channelOpen) continue;
        const seen = new Set(c.received.map(([s]) => s));
        const missing: number[] = [];
        for (let s = 1; s <= max; s++) if (!seen.has(s)) missing.push(s);
        if (missing.length > 0) problems.push({ kind: 'gap', node, missing: missing.slice(0, 20), count: missing.length });
      }
      if (problems.length === 0) return { name, verdict: 'ok', summary: `sequences 1..${max} unique, gapless and in one order at every client` };
      return { name, verdict: 'violation', summary: `${problems.length} sequence problem(s); first: ${(problems[0] as { kind: string }).kind}`, evidence: { problems: problems.slice(0, 20) } };
    },
  };
}

/** Once quiet, the Waddle DO says a user is online iff at least one of the user's devices is connected. */
export function presenceMatches(options: { name?: string; authority: string; waddle: string }): Checker {
  const name = options.name ?? 'presence-matches';
  return {
    name,
    check(input: CheckInput): CheckResult {
      const host = input.finalStates.get(options.authority) as { readonly [k: string]: Value } | undefined;
      const presence = ((host?.[`Waddle:${options.waddle}`] as { presence?: Value } | undefined)?.presence ?? {}) as { readonly [u: string]: string };
      const connected = new Map<string, boolean>();
      for (const [, c] of clientsOf(input)) connected.set(c.user, (connected.get(c.user) ?? false) || c.waddleOpen);
      const wrong: Value[] = [];
      for (const [user, on] of connected) {
        const shown = presence[user] ?? 'absent';
        const online = shown !== 'offline' && shown !== 'absent';
        if (online !== on) wrong.push({ user, connected: on, presence: shown });
      }
      if (wrong.length === 0) return { name, verdict: 'ok', summary: `presence matches the ${connected.size} users' connections` };
      return { name, verdict: 'violation', summary: `${wrong.length} user(s) shown wrongly: ${wrong.map((w) => JSON.stringify(w)).join('; ')}`, evidence: { wrong } };
    },
  };
}

/** Once quiet, every client on the channel shows the typing set the channel DO holds. */
export function typingConverges(options: { name?: string; authority: string; channel: string }): Checker {
  const name = options.name ?? 'typing-converges';
  return {
    name,
    check(input: CheckInput): CheckResult {
      const host = input.finalStates.get(options.authority) as { readonly [k: string]: Value } | undefined;
      const want = JSON.stringify(((host?.[`Channel:${options.channel}`] as { typing?: Value } | undefined)?.typing ?? []) as Value);
      const stale: Value[] = [];
      for (const [node, c] of clientsOf(input)) if (c.channelOpen && JSON.stringify(c.typing) !== want) stale.push({ node, shows: c.typing as unknown as Value, channel: JSON.parse(want) as Value });
      if (stale.length === 0) return { name, verdict: 'ok', summary: 'every connected client shows the channel\'s typing set' };
      return { name, verdict: 'violation', summary: `${stale.length} client(s) show a stale typing set, e.g. ${JSON.stringify(stale[0])}`, evidence: { stale } };
    },
  };
}
