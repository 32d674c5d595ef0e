import type { Checker, CheckInput, CheckResult } from '../../sim/check/types.ts';
import { pairOperations } from '../../sim/history.ts';
import { valueEquals, type Value } from '../../sim/value.ts';

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

/** The clients whose view (`shows`) differs from what the DO holds, as evidence entries. */
function staleViews(views: readonly (readonly [node: string, shows: Value])[], want: Value): Value[] {
  return views.filter(([, shows]) => !valueEquals(shows, want)).map(([node, shows]) => ({ node, shows, channel: want }));
}

/** Once quiet, every client on the channel shows the typing set the channel DO holds. */
export function typingConverges(options: { name?: string; authority: string; channel: string }): Checker {
  const name = options.name ?? 'typing-converges';
  return {
    name,
    check(input: CheckInput): CheckResult {
      const host = input.finalStates.get(options.authority) as { readonly [k: string]: Value } | undefined;
      const want = ((host?.[`Channel:${options.channel}`] as { typing?: Value } | undefined)?.typing ?? []) as Value;
      const open = clientsOf(input).filter(([, c]) => c.channelOpen);
      const stale = staleViews(open.map(([node, c]) => [node, c.typing as unknown as Value] as const), want);
      if (stale.length === 0) return { name, verdict: 'ok', summary: 'every connected client shows the channel\'s typing set' };
      return { name, verdict: 'violation', summary: `${stale.length} client(s) show a stale typing set, e.g. ${JSON.stringify(stale[0])}`, evidence: { stale } };
    },
  };
}

interface VoiceClientState {
  readonly user: string;
  readonly voice?: { readonly open: boolean; readonly inCall: boolean; readonly participants: readonly string[] };
}

/** What the voice checks say when no client has voice at all (a scenario without voice). */
const NO_VOICE = 'no client reports a voice state (is voice on in this scenario?)';

const voiceClients = (input: CheckInput): [string, VoiceClientState][] =>
  (clientsOf(input) as unknown as [string, VoiceClientState][]).filter(([, c]) => c.voice !== undefined);

const voiceListOf = (input: CheckInput, authority: string, channel: string): string[] => {
  const host = input.finalStates.get(authority) as { readonly [k: string]: Value } | undefined;
  const v = host?.[`VoiceChannel:${channel}`] as { participants?: Value } | undefined;
  return [...((v?.participants ?? []) as string[])].sort();
};

/**
 * Once quiet, the voice channel DO lists exactly the users who are in the call: a user is listed
 * iff at least one of its devices has joined (and not left) and its voice socket is open. A
 * listed user with no such device is a ghost; an unlisted one is missing.
 */
export function voiceParticipants(options: { name?: string; authority: string; channel: string }): Checker {
  const name = options.name ?? 'voice-participants';
  return {
    name,
    check(input: CheckInput): CheckResult {
      const clients = voiceClients(input);
      if (clients.length === 0) return { name, verdict: 'violation', summary: NO_VOICE };
      const listed = voiceListOf(input, options.authority, options.channel);
      const inCall = new Map<string, string[]>();
      for (const [node, c] of clients) {
        if (!inCall.has(c.user)) inCall.set(c.user, []);
        if (c.voice?.inCall && c.voice.open) inCall.get(c.user)?.push(node);
      }
      const want = [...inCall.entries()].filter(([, ds]) => ds.length > 0).map(([u]) => u).sort();
      const ghosts = listed.filter((u) => !want.includes(u));
      const missing = want.filter((u) => !listed.includes(u));
      if (ghosts.length === 0 && missing.length === 0) {
        return { name, verdict: 'ok', summary: `the voice channel lists the ${want.length} user(s) in the call, and no one else`, evidence: { listed } };
      }
      const devices = Object.fromEntries(clients.map(([node, c]) => [node, { user: c.user, ...(c.voice as object) } as Value]));
      const parts = [...(ghosts.length ? [`ghost(s) ${ghosts.join(', ')} (listed, no device in the call)`] : []), ...(missing.length ? [`missing ${missing.join(', ')} (in the call, not listed)`] : [])];
      return { name, verdict: 'violation', summary: `voice participants wrong: ${parts.join('; ')}`, evidence: { listed, inCall: want, ghosts, missing, devices } };
    },
  };
}

/** Once quiet, every client with an open voice socket shows the participant list the DO holds. */
export function voiceConverges(options: { name?: string; authority: string; channel: string }): Checker {
  const name = options.name ?? 'voice-converges';
  return {
    name,
    check(input: CheckInput): CheckResult {
      const clients = voiceClients(input);
      if (clients.length === 0) return { name, verdict: 'violation', summary: NO_VOICE };
      const open = clients.flatMap(([node, c]) => (c.voice?.open ? [[node, [...c.voice.participants]] as const] : []));
      const stale = staleViews(open, voiceListOf(input, options.authority, options.channel));
      if (stale.length === 0) return { name, verdict: 'ok', summary: `${open.length} connected client(s) show the channel's participant list` };
      return { name, verdict: 'violation', summary: `${stale.length} client(s) show a stale participant list, e.g. ${JSON.stringify(stale[0])}`, evidence: { stale } };
    },
  };
}

/**
 * "End session if empty" / one RealtimeKit session per call: from the design's `voice.rtk`
 * probes ({ event: 'create' | 'end', object }), a session must not be created for a voice
 * channel while the one created before it has not been ended (a second provider session: the
 * call splits, the first one leaks).
 */
export function rtkSessionSingle(options: { name?: string; probe?: string } = {}): Checker {
  const name = options.name ?? 'rtk-session-single';
  const probe = options.probe ?? 'voice.rtk';
  return {
    name,
    check(input: CheckInput): CheckResult {
      const open = new Map<string, number>();
      const extra: Value[] = [];
      let created = 0;
      for (const p of input.probes) {
        if (p.name !== probe) continue;
        const d = p.detail as { event?: Value; object?: Value } | null;
        const obj = String(d?.object ?? '?');
        if (d?.event === 'create') {
          created++;
          const since = open.get(obj);
          if (since !== undefined) extra.push({ object: obj, at: p.time, openSince: since });
          else open.set(obj, p.time);
        } else if (d?.event === 'end') open.delete(obj);
      }
      if (extra.length === 0) return { name, verdict: 'ok', summary: `${created} RTK session(s) created, never two at once for one channel` };
      const first = extra[0] as { object: string; at: number; openSince: number };
      return {
        name,
        verdict: 'violation',
        summary: `${extra.length} RTK session(s) created while one was open; first for ${first.object} at ${(first.at / 1000).toFixed(1)} ms (open since ${(first.openSince / 1000).toFixed(1)} ms)`,
        evidence: { extra: extra.slice(0, 20) },
      };
    },
  };
}
