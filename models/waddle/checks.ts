import type { Checker, CheckInput, CheckResult } from '../../sim/check/types.ts';
import { pairOperations } from '../../sim/history.ts';
import type { FaultRecord } from '../../sim/faults.ts';
import type { Micros } from '../../sim/value.ts';
import { lastHeal } from '../durable-object/checks.ts';
import { frameHash } from '../durable-object/runtime.ts';
import { canonicalJson, valueEquals, type Value } from '../../sim/value.ts';

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

/** A channel sequence: a positive integer. */
const isSequence = (v: Value | undefined): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1;

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
      /** sequence -> the post operation (op id) acknowledged with it: one post per sequence. */
      const ackedBy = new Map<number, number>();
      for (const op of pairOperations(input.history)) {
        if (op.f !== 'post' || op.status !== 'ok') continue;
        if (!isSequence(op.output)) {
          problems.push({ kind: 'post acknowledged without a sequence', op: op.id, output: op.output });
          continue;
        }
        const other = bySeq.get(op.output);
        if (other !== undefined && other !== op.input) problems.push({ kind: 'duplicate sequence', sequence: op.output, messages: [other, op.input] });
        const otherOp = ackedBy.get(op.output);
        if (otherOp !== undefined && other === op.input) problems.push({ kind: 'one sequence, two posts', sequence: op.output, ops: [otherOp, op.id] });
        bySeq.set(op.output, op.input as string);
        ackedBy.set(op.output, op.id);
      }
      let max = 0;
      for (const s of bySeq.keys()) max = Math.max(max, s);
      for (const [node, c] of clientsOf(input)) {
        let prev = 0;
        const seen = new Set<number>();
        for (const entry of c.received as readonly Value[]) {
          // A shown message is [sequence, messageId]; anything else is no message at all.
          if (!Array.isArray(entry) || entry.length !== 2 || !isSequence(entry[0]) || typeof entry[1] !== 'string') {
            problems.push({ kind: 'malformed message', node, entry });
            continue;
          }
          const [seq, mid] = entry as [number, string];
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
        const seen = new Set(c.received.map((e) => (Array.isArray(e) ? e[0] : undefined)));
        const missing: number[] = [];
        for (let s = 1; s <= max; s++) if (!seen.has(s)) missing.push(s);
        if (missing.length > 0) problems.push({ kind: 'gap', node, missing: missing.slice(0, 20), count: missing.length });
      }
      if (problems.length === 0) return { name, verdict: 'ok', summary: `sequences 1..${max} unique, gapless and in one order at every client` };
      return { name, verdict: 'violation', summary: `${problems.length} sequence problem(s); first: ${(problems[0] as { kind: string }).kind}`, evidence: { problems: problems.slice(0, 20) } };
    },
  };
}

/**
 * Once quiet, the Waddle DO says a user is online iff at least one of the user's devices is
 * connected. A status is 'online' or 'offline' (the only ones the client and the object send):
 * any other is shown to every user as a status no one set, and read neither as online nor away.
 */
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
      for (const [user, status] of Object.entries(presence)) {
        if (status !== 'online' && status !== 'offline') wrong.push({ user, presence: status as Value, kind: 'unknown status' });
      }
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
      const state = host?.[`Channel:${options.channel}`] as { typing?: Value } | undefined;
      // A channel the run never reports, or one without a typing list, cannot be compared: a
      // check that reads nothing must not pass.
      if (!Array.isArray(state?.typing)) return { name, verdict: 'violation', summary: `no typing set for Channel:${options.channel} in ${options.authority}'s final state` };
      const want = state.typing as Value;
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

/** The voice object's final participant list; undefined when the run reports none. */
const voiceListOf = (input: CheckInput, authority: string, channel: string): string[] | undefined => {
  const host = input.finalStates.get(authority) as { readonly [k: string]: Value } | undefined;
  const v = host?.[`VoiceChannel:${channel}`] as { participants?: Value } | undefined;
  return Array.isArray(v?.participants) ? [...(v.participants as string[])].sort() : undefined;
};
const noVoiceList = (authority: string, channel: string) => `no participant list for VoiceChannel:${channel} in ${authority}'s final state`;

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
      if (!listed) return { name, verdict: 'violation', summary: noVoiceList(options.authority, options.channel) };
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
      const listed = voiceListOf(input, options.authority, options.channel);
      if (!listed) return { name, verdict: 'violation', summary: noVoiceList(options.authority, options.channel) };
      const stale = staleViews(open, listed);
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

/** Whether a fault of the run's record overlaps [from, to]. */
const faultIn = (faults: readonly FaultRecord[], from: Micros, to: Micros): boolean => faults.some((f) => f.at <= to && f.until >= from);

/**
 * Every chat message a client posts is answered: a post ends ok (channel-sequence then checks
 * the sequence), and it may fail, be given up, or take longer than `within` (the client's 500 ms
 * timeout: answered by its first attempt) only if a fault of the run (any kind, any node)
 * overlaps it, from its invocation to its completion. A post that never completes is allowed
 * only to a device that crashed after invoking it or left (final state `gone`), or one invoked
 * within `tail` of the run's end. On a healthy network a post is answered in tens of ms, far
 * inside its 500 ms timeout, so a post that fails with nothing wrong is the design's (or the
 * client's) fault.
 */
export function postsAnswered(options: { name?: string; op?: string; tail?: Micros; within?: Micros } = {}): Checker {
  const name = options.name ?? 'posts-answered';
  const f = options.op ?? 'post';
  const tail = options.tail ?? 3_000_000;
  const within = options.within ?? 500_000;
  return {
    name,
    check(input: CheckInput): CheckResult {
      const faults = input.faults ?? [];
      const end = input.end ?? Infinity;
      const gone = new Set(clientsOf(input).filter(([, c]) => (c as unknown as { gone?: Value }).gone === true).map(([n]) => n));
      const bad: Value[] = [];
      let n = 0;
      for (const op of pairOperations(input.history)) {
        if (op.f !== f) continue;
        n++;
        const node = op.node ?? '?';
        if (op.status === 'ok') {
          if (op.completeTime - op.invokeTime > within && !faultIn(faults, op.invokeTime, op.completeTime)) {
            bad.push({ node, op: op.id, input: op.input, invokedAt: op.invokeTime, kind: `answered after ${(op.completeTime - op.invokeTime) / 1000} ms without a fault` });
          }
          continue;
        }
        if (op.completeIndex === -1) {
          const crashed = faults.some((x) => x.node === node && x.kind === 'crash' && x.until >= op.invokeTime);
          if (crashed || gone.has(node) || op.invokeTime + tail > end) continue;
          bad.push({ node, op: op.id, input: op.input, invokedAt: op.invokeTime, kind: 'never answered' });
          continue;
        }
        const doneAt = input.history[op.completeIndex]?.time ?? end;
        if (!faultIn(faults, op.invokeTime, doneAt)) bad.push({ node, op: op.id, input: op.input, invokedAt: op.invokeTime, kind: op.status === 'fail' ? 'failed without a fault' : 'given up without a fault' });
      }
      if (bad.length === 0) return { name, verdict: 'ok', summary: `${n} posts, each answered (or overlapped by a fault)` };
      return { name, verdict: 'violation', summary: `${bad.length} of ${n} posts not answered: first ${JSON.stringify(bad[0])}`, evidence: { posts: bad.slice(0, 20) } };
    },
  };
}

/**
 * Every device still on its page reconnects: once the run has been free of faults for `after`
 * (longer than the reconnect backoff's 30 s cap plus a connect timeout), every client whose final
 * state is not `gone` has each of its sockets open (Waddle, channel, and voice when it has one).
 * Nothing is asked of a run whose last heal is closer to its end than that.
 */
export function socketsReopen(options: { name?: string; after: Micros }): Checker {
  const name = options.name ?? 'sockets-reopen';
  return {
    name,
    check(input: CheckInput): CheckResult {
      const end = input.end ?? 0;
      const heal = lastHeal(input);
      if (end - heal < options.after) return { name, verdict: 'ok', summary: `the last heal at ${heal / 1000} ms is within ${options.after / 1000} ms of the end: nothing to ask` };
      const closed: Value[] = [];
      const clients = clientsOf(input);
      for (const [node, c] of clients) {
        const s = c as unknown as { gone?: Value; waddleOpen: boolean; channelOpen: boolean; voice?: { open: boolean } };
        if (s.gone === true) continue;
        const down = [...(s.waddleOpen ? [] : ['waddle']), ...(s.channelOpen ? [] : ['channel']), ...(s.voice && !s.voice.open ? ['voice'] : [])];
        if (down.length > 0) closed.push({ node, closed: down });
      }
      if (clients.length === 0) return { name, verdict: 'violation', summary: 'no client reports a final state' };
      if (closed.length === 0) return { name, verdict: 'ok', summary: `every device on its page has its sockets open ${(end - heal) / 1000} ms after the last heal` };
      return { name, verdict: 'violation', summary: `${closed.length} device(s) with a closed socket ${(end - heal) / 1000} ms after the last heal: ${JSON.stringify(closed)}`, evidence: { closed } };
    },
  };
}

/**
 * "End session if empty", both ways, from the probes: the voice object's participant list
 * (`participants` probe, `{ facts, object }`) and the provider's sessions (`voice.rtk` probes,
 * `{ event: 'create' | 'end', object }`). After every instant of the run:
 *  - a call with someone in it has an RTK session open (a call the provider does not record);
 *  - a call that a departure has just emptied has none (a session that leaks); a list that
 *    empties because the object restarted (a crash or restart of its node since the previous
 *    list) is exempt: memory is lost, the stored session is kept for the members rejoining.
 * And once quiet, the object's final state says it holds a session (`session`) iff the probes
 * say one is open.
 */
export function rtkFollowsCall(options: { name?: string; participants: string; probe?: string; authority: string }): Checker {
  const name = options.name ?? 'rtk-follows-call';
  const rtk = options.probe ?? 'voice.rtk';
  return {
    name,
    check(input: CheckInput): CheckResult {
      const faults = input.faults ?? [];
      const listed = new Map<string, { size: number; at: Micros }>();
      const open = new Map<string, boolean>();
      const wrong: Value[] = [];
      const probes = input.probes.filter((p) => p.name === options.participants || p.name === rtk);
      let calls = 0;
      for (let i = 0; i < probes.length; ) {
        const t = (probes[i] as (typeof probes)[number]).time;
        const emptied = new Set<string>();
        const touched = new Set<string>();
        for (; i < probes.length && (probes[i] as (typeof probes)[number]).time === t; i++) {
          const p = probes[i] as (typeof probes)[number];
          const d = p.detail as { facts?: Value; object?: Value; event?: Value } | null;
          const obj = String(d?.object ?? p.node);
          touched.add(obj);
          if (p.name === rtk) {
            if (d?.event === 'create') open.set(obj, true);
            else if (d?.event === 'end') open.set(obj, false);
            continue;
          }
          const f = d?.facts;
          const size = f && typeof f === 'object' && !Array.isArray(f) ? Object.keys(f).length : 0;
          const before = listed.get(obj);
          const restarted = before !== undefined && faults.some((x) => x.node === p.node && (x.kind === 'crash' || x.kind === 'restart') && x.at > before.at && x.at <= t);
          if (before !== undefined && before.size > 0 && size === 0 && !restarted) emptied.add(obj);
          if (size > 0 && (before?.size ?? 0) === 0) calls++;
          listed.set(obj, { size, at: t });
        }
        for (const obj of touched) {
          const isOpen = open.get(obj) === true;
          if ((listed.get(obj)?.size ?? 0) > 0 && !isOpen) wrong.push({ object: obj, at: t, kind: 'participants but no RTK session' });
          if (emptied.has(obj) && isOpen) wrong.push({ object: obj, at: t, kind: 'call emptied, RTK session still open' });
        }
      }
      const host = input.finalStates.get(options.authority) as { readonly [k: string]: Value } | undefined;
      for (const [obj, isOpen] of open) {
        const session = (host?.[obj] as { session?: Value } | undefined)?.session;
        if (session !== isOpen) wrong.push({ object: obj, at: input.end ?? null, kind: `final state says session ${JSON.stringify(session ?? null)}, the provider's session is ${isOpen ? 'open' : 'ended'}` });
      }
      if (wrong.length === 0) return { name, verdict: 'ok', summary: `${calls} call(s): an RTK session open exactly while someone was in the call` };
      return { name, verdict: 'violation', summary: `${wrong.length} RTK session(s) out of step with the call; first: ${JSON.stringify(wrong[0])}`, evidence: { wrong: wrong.slice(0, 20) } };
    },
  };
}

/**
 * The object's probes tell the truth at the end: the last `{ facts }` map the authority node
 * probed under `probe` is the map its final state holds (`object`'s `field`: a map of values, or
 * a list read as a set of keys, each `true`). The freshness checks read only the probes; if an
 * object stopped probing, or probed something else than it holds, they would judge a fiction.
 * A run in which the object never probed at all is a violation too.
 */
export function probedMatchesFinal(options: { name: string; probe: string; authority: string; object: string; field: string }): Checker {
  const { name } = options;
  return {
    name,
    check(input: CheckInput): CheckResult {
      let last: Value | undefined;
      for (const p of input.probes) if (p.name === options.probe && p.node === options.authority) last = (p.detail as { facts?: Value } | null)?.facts;
      const host = input.finalStates.get(options.authority) as { readonly [k: string]: Value } | undefined;
      const held = (host?.[options.object] as { readonly [k: string]: Value } | undefined)?.[options.field];
      const want = Array.isArray(held) ? Object.fromEntries((held as string[]).map((k) => [k, true])) : held;
      if (last === undefined) return { name, verdict: 'violation', summary: `${options.authority} never probed ${options.probe}` };
      if (want === undefined || want === null || typeof want !== 'object') return { name, verdict: 'violation', summary: `no ${options.field} for ${options.object} in ${options.authority}'s final state` };
      if (canonicalJson(last) === canonicalJson(want)) return { name, verdict: 'ok', summary: `${options.object}'s last ${options.probe} probe is its final ${options.field}` };
      return { name, verdict: 'violation', summary: `${options.object} last probed ${canonicalJson(last)} but holds ${canonicalJson(want)} at the end`, evidence: { probed: last, holds: want } };
    },
  };
}

/**
 * A keystroke keeps its user typing for the whole window (corrected's "a new keystroke restarts
 * the 3 s window"): when the authority's typing set (`probe`, `{ facts }`) drops user u at time r,
 * no device of u sent a keystroke (an ok `op`, the frame the socket took) in [r - hold + slack,
 * r - grace]. `grace` covers a keystroke still in flight when an earlier window ends (it arrives
 * and sets u typing again); `slack` a timer's rounding. A keystroke is not asked about if a
 * fault of the run (any kind, any node) overlaps [sent - after, r]: it may have been delayed, or
 * lost on a socket that a crash broke and that the client still holds open (a dead socket closes
 * only after wsTimeout plus a heartbeat, so `after` must cover that), or the object restarted.
 */
export function typingHeld(options: { name?: string; probe: string; authority: string; op?: string; hold: Micros; slack: Micros; grace: Micros; after: Micros }): Checker {
  const name = options.name ?? 'typing-held';
  const f = options.op ?? 'typing';
  return {
    name,
    check(input: CheckInput): CheckResult {
      const faults = input.faults ?? [];
      const userOf = new Map(clientsOf(input).map(([n, c]) => [n, c.user]));
      const sent = new Map<string, Micros[]>();
      for (const op of pairOperations(input.history)) {
        if (op.f !== f || op.status !== 'ok') continue;
        const u = userOf.get(op.node ?? '');
        if (u === undefined) continue;
        const list = sent.get(u) ?? [];
        list.push(op.invokeTime);
        sent.set(u, list);
      }
      const early: Value[] = [];
      let cleared = 0;
      let prev = new Set<string>();
      for (const p of input.probes) {
        if (p.name !== options.probe || p.node !== options.authority) continue;
        const facts = (p.detail as { facts?: Value } | null)?.facts;
        const now = new Set(facts && typeof facts === 'object' && !Array.isArray(facts) ? Object.keys(facts) : []);
        for (const u of prev) {
          if (now.has(u)) continue;
          cleared++;
          const r = p.time;
          const k = (sent.get(u) ?? []).find((t) => t >= r - options.hold + options.slack && t <= r - options.grace && !faultIn(faults, t - options.after, r));
          if (k !== undefined) early.push({ user: u, clearedAt: r, keystrokeAt: k, after: r - k });
        }
        prev = now;
      }
      if (early.length === 0) return { name, verdict: 'ok', summary: `${cleared} typing indicator(s) cleared, none within ${options.hold / 1000} ms of a keystroke` };
      const e = early[0] as { user: string; clearedAt: number; after: number };
      return { name, verdict: 'violation', summary: `${early.length} typing indicator(s) cleared early; first: ${e.user} at ${e.clearedAt / 1000} ms, ${e.after / 1000} ms after a keystroke`, evidence: { early: early.slice(0, 20) } };
    },
  };
}

/**
 * The history names only operations the client defines (README "History operations"): each
 * operation's `f` is one of `ops`. The checks select operations by name, so an operation recorded
 * under another name is not judged wrong but skipped: a blank or misspelt name would turn
 * posts-answered, channel-sequence or typing-held into checks of nothing (as a storage operation
 * of no known kind is for the runtime checks).
 */
export function historyOpsKnown(options: { name?: string; ops: readonly string[] }): Checker {
  const name = options.name ?? 'history-ops-known';
  const known = new Set(options.ops);
  return {
    name,
    check(input: CheckInput): CheckResult {
      const unknown: Value[] = [];
      for (const ev of input.history) {
        if (ev.type !== 'invoke' || known.has(ev.f)) continue;
        unknown.push({ node: ev.node ?? null, f: ev.f, at: ev.time });
      }
      if (unknown.length === 0) return { name, verdict: 'ok', summary: `every operation is one of ${[...known].join(', ')}` };
      return { name, verdict: 'violation', summary: `${unknown.length} operation(s) of no known kind; first ${JSON.stringify(unknown[0])}`, evidence: { unknown: unknown.slice(0, 20) } };
    },
  };
}

/**
 * A failed post certainly did not happen (the history's `fail`, docs/history-format.md): no
 * message whose id a failed post carried was applied by the channel (`probe`, `{ rid, sequence }`
 * once durable). A post the channel stored but answered as failed tells the user to send again a
 * message everyone already has.
 */
export function failedPostsNotApplied(options: { name?: string; probe: string; op?: string }): Checker {
  const name = options.name ?? 'failed-posts-not-applied';
  const f = options.op ?? 'post';
  return {
    name,
    check(input: CheckInput): CheckResult {
      const applied = new Map<string, Value>();
      for (const p of input.probes) {
        if (p.name !== options.probe) continue;
        const d = p.detail as { rid?: Value; sequence?: Value } | null;
        if (typeof d?.rid === 'string' && !applied.has(d.rid)) applied.set(d.rid, d.sequence ?? null);
      }
      const bad: Value[] = [];
      let failed = 0;
      for (const op of pairOperations(input.history)) {
        if (op.f !== f || op.status !== 'fail') continue;
        failed++;
        const mid = op.input as string;
        if (applied.has(mid)) bad.push({ node: op.node ?? '?', op: op.id, messageId: mid, sequence: applied.get(mid) ?? null, failedWith: op.output ?? null });
      }
      if (bad.length === 0) return { name, verdict: 'ok', summary: `${failed} failed post(s), none of them applied` };
      return { name, verdict: 'violation', summary: `${bad.length} post(s) failed although the channel applied them; first ${JSON.stringify(bad[0])}`, evidence: { posts: bad.slice(0, 20) } };
    },
  };
}

/**
 * The RTK session's storage protocol (corrected rule 7, README), from the provider's probes
 * (`voice.rtk`: `{ event: 'create' | 'end', object, sessionId?, abandoned? }`) and the runtime's
 * storage probes (`do.io` puts `{ i, g, n, e: [[key, hash | null]] }`, `do.done` `{ i, g, n }`,
 * `do.live` `{ i, g }`). For each voice object:
 *  - when the provider opens a session, storage durably holds the intent (`rtkPending`, per the
 *    puts completed by then): a crash after the provider's answer is then known at the next start;
 *  - the first put the instance issues after a create stores `rtkSession` (not null), and the
 *    first put after an end that is not the start's recovery (`abandoned`) deletes it: storage
 *    never keeps an ended session for a restart to load (the call would then run without a
 *    session: no recording) nor drops an open one. An instance that issues no put after the
 *    event must have ended (a later start of the object, or a crash or restart of its node);
 *  - an end that names a session (the start's recovery) names it by its id, and the open one
 *    if a session is open.
 * The runs of the other checks cannot see the first two: rtk-session-single and rtk-follows-call
 * notice a missing intent or a stale session only if a crash lands in its window.
 */
export function rtkStorageProtocol(options: { name?: string; probe?: string; pending?: string; session?: string } = {}): Checker {
  const name = options.name ?? 'rtk-storage-protocol';
  const rtk = options.probe ?? 'voice.rtk';
  const pendingKey = options.pending ?? 'rtkPending';
  const sessionKey = options.session ?? 'rtkSession';
  type Put = { readonly i: string; readonly g: string; readonly n: number; readonly e: readonly (readonly [string, Value])[] };
  return {
    name,
    check(input: CheckInput): CheckResult {
      const faults = input.faults ?? [];
      const wrong: Value[] = [];
      /** io id (`i|g|n`) -> the put, until it completes. */
      const issued = new Map<string, Put>();
      /** object -> key -> whether storage durably holds a value (completed puts). */
      const durable = new Map<string, Map<string, boolean>>();
      /** object -> its live generation. */
      const gen = new Map<string, string>();
      /** object -> the open session's id (undefined key: none open). */
      const open = new Map<string, Value>();
      /** `i|g` -> what the next put of that instance must do, and for which event. */
      const expect = new Map<string, { want: 'store' | 'delete'; event: string; at: Micros; node: string }>();
      let sessions = 0;
      for (const p of input.probes) {
        const d = (p.detail ?? {}) as { readonly [k: string]: Value };
        if (p.name === 'do.live' && typeof d.i === 'string') {
          gen.set(d.i, String(d.g));
        } else if (p.name === 'do.io' && d.op === 'put' && typeof d.i === 'string') {
          const put: Put = { i: d.i, g: String(d.g), n: d.n as number, e: (Array.isArray(d.e) ? d.e : []) as unknown as Put['e'] };
          issued.set(`${put.i}|${put.g}|${put.n}`, put);
          const inst = `${put.i}|${put.g}`;
          const want = expect.get(inst);
          if (want) {
            expect.delete(inst);
            const entry = put.e.find(([k]) => k === sessionKey);
            const ok = entry !== undefined && (want.want === 'store' ? entry[1] !== null : entry[1] === null);
            if (!ok) wrong.push({ object: put.i, at: p.time, kind: `the first put after the ${want.event} at ${want.at / 1000} ms does not ${want.want} ${sessionKey}`, put: put.e as unknown as Value });
          }
        } else if (p.name === 'do.done' && typeof d.i === 'string') {
          const key = `${d.i}|${String(d.g)}|${String(d.n)}`;
          const put = issued.get(key);
          if (!put) continue;
          issued.delete(key);
          const held = durable.get(put.i) ?? new Map<string, boolean>();
          for (const [k, h] of put.e) held.set(k, h !== null);
          durable.set(put.i, held);
        } else if (p.name === rtk) {
          const obj = String(d.object ?? p.node);
          const inst = `${obj}|${gen.get(obj) ?? '?'}`;
          if (d.event === 'create') {
            sessions++;
            if (durable.get(obj)?.get(pendingKey) !== true) wrong.push({ object: obj, at: p.time, kind: `session created while storage holds no ${pendingKey}` });
            open.set(obj, d.sessionId ?? null);
            expect.set(inst, { want: 'store', event: 'create', at: p.time, node: p.node });
          } else if (d.event === 'end') {
            const named = 'sessionId' in d;
            if (named && typeof d.sessionId !== 'string') wrong.push({ object: obj, at: p.time, kind: `end names no session (${JSON.stringify(d.sessionId)})` });
            else if (named && open.has(obj) && open.get(obj) !== d.sessionId) wrong.push({ object: obj, at: p.time, kind: `end names ${JSON.stringify(d.sessionId)}, the open session is ${JSON.stringify(open.get(obj))}` });
            open.delete(obj);
            if (d.abandoned !== true) expect.set(inst, { want: 'delete', event: 'end', at: p.time, node: p.node });
          }
        }
      }
      // An instance that never put again must have ended: a later start, or its node crashed.
      for (const [inst, want] of expect) {
        const [obj, g] = inst.split('|') as [string, string];
        const restarted = gen.get(obj) !== g || faults.some((x) => x.node === want.node && (x.kind === 'crash' || x.kind === 'restart') && x.at >= want.at);
        if (!restarted) wrong.push({ object: obj, at: want.at, kind: `no put after the ${want.event}: ${sessionKey} never ${want.want === 'store' ? 'stored' : 'deleted'}` });
      }
      if (wrong.length === 0) return { name, verdict: 'ok', summary: `${sessions} RTK session(s): each created over a durable intent, stored, and deleted when ended` };
      return { name, verdict: 'violation', summary: `${wrong.length} RTK storage step(s) wrong; first: ${JSON.stringify(wrong[0])}`, evidence: { wrong: wrong.slice(0, 20) } };
    },
  };
}

/**
 * An object's fact probes start from what a new instance holds: at each start of an instance of
 * `cls` (the runtime's `do.live` probe `{ i: '<cls>:<name>' }`), its node probes `probe` at that
 * instant with an empty `{ facts }` map. The freshness checks judge the object by its last
 * probe; without this one, after a crash or an eviction they would take the lost memory for what
 * it still holds (until its next change), and ask the clients to show facts no one holds.
 */
export function factsProbedAtStart(options: { name?: string; starts: readonly { readonly cls: string; readonly probe: string }[] }): Checker {
  const name = options.name ?? 'facts-probed-at-start';
  return {
    name,
    check(input: CheckInput): CheckResult {
      const missing: Value[] = [];
      let starts = 0;
      for (const s of options.starts) {
        /** `node@time` of every empty probe of this kind (and its object, when it says one). */
        const empty = new Map<string, (string | undefined)[]>();
        for (const p of input.probes) {
          if (p.name !== s.probe) continue;
          const d = p.detail as { facts?: Value; object?: Value } | null;
          const f = d?.facts;
          if (!f || typeof f !== 'object' || Array.isArray(f) || Object.keys(f).length > 0) continue;
          const k = `${p.node}@${p.time}`;
          empty.set(k, [...(empty.get(k) ?? []), typeof d?.object === 'string' ? d.object : undefined]);
        }
        for (const p of input.probes) {
          const i = (p.detail as { i?: Value } | null)?.i;
          if (p.name !== 'do.live' || typeof i !== 'string' || !i.startsWith(`${s.cls}:`)) continue;
          starts++;
          const at = empty.get(`${p.node}@${p.time}`) ?? [];
          if (!at.some((o) => o === undefined || o === i)) missing.push({ object: i, at: p.time, probe: s.probe });
        }
      }
      if (missing.length === 0) return { name, verdict: 'ok', summary: `${starts} instance start(s), each probed empty` };
      return { name, verdict: 'violation', summary: `${missing.length} instance start(s) not probed empty; first ${JSON.stringify(missing[0])}`, evidence: { missing: missing.slice(0, 20) } };
    },
  };
}

/**
 * The clients' socket probes (`{ open: true }` per socket kind, which the view checks read to
 * know who is connected) tell the truth about opens: each client-side WebSocket open (the
 * runtime's `ws.open` `{ c: '<node>/<tag>/<n>', by: 'client' }`) is probed at that instant under
 * `sockets[tag]` with `open: true`, and no such probe is made without one. A view check that
 * never sees a client open asks it nothing.
 */
export function socketOpensProbed(options: { name?: string; sockets: Readonly<Record<string, string>> }): Checker {
  const name = options.name ?? 'socket-opens-probed';
  return {
    name,
    check(input: CheckInput): CheckResult {
      const byName = new Map(Object.entries(options.sockets).map(([tag, probe]) => [probe, tag]));
      /** `node|tag|time` -> opens the runtime saw minus opens the client probed. */
      const balance = new Map<string, number>();
      const add = (k: string, d: number) => balance.set(k, (balance.get(k) ?? 0) + d);
      let opens = 0;
      for (const p of input.probes) {
        if (p.name === 'ws.open') {
          const d = p.detail as { c?: Value; by?: Value } | null;
          if (d?.by !== 'client' || typeof d.c !== 'string') continue;
          const [node, tag] = d.c.split('/');
          if (tag === undefined || !(tag in options.sockets)) continue;
          opens++;
          add(`${node}|${tag}|${p.time}`, 1);
          continue;
        }
        const tag = byName.get(p.name);
        if (tag === undefined || (p.detail as { open?: Value } | null)?.open !== true) continue;
        add(`${p.node}|${tag}|${p.time}`, -1);
      }
      const wrong = [...balance.entries()].filter(([, n]) => n !== 0).map(([k, n]) => {
        const [node, tag, at] = k.split('|');
        return { node: node ?? '?', socket: tag ?? '?', at: Number(at), kind: n > 0 ? 'opened, not probed open' : 'probed open, no open' } as Value;
      });
      if (wrong.length === 0) return { name, verdict: 'ok', summary: `${opens} client socket open(s), each probed` };
      return { name, verdict: 'violation', summary: `${wrong.length} socket open(s) out of step with the probes; first ${JSON.stringify(wrong[0])}`, evidence: { wrong: wrong.slice(0, 20) } };
    },
  };
}

/**
 * The client's reconnect backoff (the document's `Math.min(1000 * 2^n, 30000)` ms, n the
 * attempts since the socket last opened): after the k-th close of a socket since it last
 * opened (its `sockets[tag]` probe `{ open: false }`), the client's next connect attempt
 * (`connect` probe `{ socket: tag }`) comes `min(base * 2^(k-1), cap)` later, within `tolerance`
 * (a fraction) of it. A delay is not asked if a fault struck that client (a crash, pause or
 * clock fault of its node) between the close and the attempt; an attempt with no close before it
 * is a page (re)start and begins the count again. A close with no attempt by then (the run going
 * on) is a violation too, unless the device left its page (`gone`); so is an attempt of no known
 * socket. A backoff too short hammers the Worker through
 * an outage; too long leaves a healed user offline: no other check reads attempt times.
 */
export function reconnectBackoff(options: { name?: string; connect: string; sockets: Readonly<Record<string, string>>; base: Micros; cap: Micros; tolerance?: number }): Checker {
  const name = options.name ?? 'reconnect-backoff';
  const tol = options.tolerance ?? 0.01;
  return {
    name,
    check(input: CheckInput): CheckResult {
      const faults = input.faults ?? [];
      const tagOf = new Map(Object.entries(options.sockets).map(([tag, probe]) => [probe, tag]));
      /** `node|tag` -> closes since the last open, and the close waiting for its attempt. */
      const state = new Map<string, { closes: number; pending?: { at: Micros; k: number } }>();
      const wrong: Value[] = [];
      let asked = 0;
      for (const p of input.probes) {
        const d = p.detail as { open?: Value; socket?: Value } | null;
        const tag = p.name === options.connect ? (typeof d?.socket === 'string' ? d.socket : undefined) : tagOf.get(p.name);
        if (p.name === options.connect && (tag === undefined || !(tag in options.sockets))) {
          wrong.push({ node: p.node, at: p.time, kind: 'connect attempt of no known socket', socket: d?.socket ?? null });
          continue;
        }
        if (tag === undefined) continue;
        const key = `${p.node}|${tag}`;
        const s = state.get(key) ?? { closes: 0 };
        state.set(key, s);
        if (p.name !== options.connect) {
          if (d?.open === true) {
            // Opened again with no attempt probed since the close: the attempts are not all probed.
            if (s.pending) wrong.push({ node: p.node, socket: tag, closedAt: s.pending.at, at: p.time, kind: 'reopened with no connect attempt probed' });
            s.closes = 0;
            delete s.pending;
          } else if (d?.open === false) {
            s.closes++;
            s.pending = { at: p.time, k: s.closes };
          }
          continue;
        }
        const pending = s.pending;
        delete s.pending;
        if (!pending) {
          s.closes = 0;
          continue;
        }
        if (faults.some((f) => f.node === p.node && f.at <= p.time && f.until >= pending.at)) {
          if (faults.some((f) => f.node === p.node && (f.kind === 'crash' || f.kind === 'restart') && f.at <= p.time && f.at >= pending.at)) s.closes = 0;
          continue;
        }
        asked++;
        const want = Math.min(options.base * 2 ** (pending.k - 1), options.cap);
        const got = p.time - pending.at;
        if (Math.abs(got - want) > want * tol) wrong.push({ node: p.node, socket: tag, closedAt: pending.at, attempt: pending.k, delay: got, want });
      }
      // A close must be followed by its attempt when the run lasts past it, unless the device left
      // its page (final state `gone`: it closes without reconnecting) or a fault struck it since.
      const end = input.end ?? Infinity;
      const gone = new Set(clientsOf(input).filter(([, c]) => (c as unknown as { gone?: Value }).gone === true).map(([n]) => n));
      for (const [key, s] of state) {
        const [node, tag] = key.split('|') as [string, string];
        if (!s.pending || gone.has(node)) continue;
        const want = Math.min(options.base * 2 ** (s.pending.k - 1), options.cap);
        const since = s.pending.at;
        if (since + want * (1 + tol) >= end || faults.some((f) => f.node === node && f.until >= since)) continue;
        wrong.push({ node, socket: tag, closedAt: since, attempt: s.pending.k, kind: `no attempt ${want / 1000} ms after the close` });
      }
      if (wrong.length === 0) return { name, verdict: 'ok', summary: `${asked} reconnect delay(s), each min(${options.base / 1000} ms * 2^n, ${options.cap / 1000} ms)` };
      return { name, verdict: 'violation', summary: `${wrong.length} reconnect(s) off the backoff; first ${JSON.stringify(wrong[0])}`, evidence: { wrong: wrong.slice(0, 20) } };
    },
  };
}

/**
 * A user stays in the call while one of its sockets is in it (corrected rule 5: participation
 * belongs to a connection), checked at every removal, not only once quiet. From the runtime's
 * probes: the host receiving a `join` or `leave` frame on a connection (`ws.rx` `{ c, by:
 * 'host', h }`, `h` the frame's hash), the host ending one (`ws.end`), and the object's events
 * (`do.event` arrival, `do.run` start, `{ i, g, n }`). When the object's participant list
 * (`participants` probe, `{ facts, object }`) drops user u inside the run of an event that
 * arrived at a, no connection of u (`<node>/<tag>/<n>`, the node's user from its final state)
 * may have had its join received before a, with no leave received and no end by the host since:
 * the object handles events in arrival order, so that join was handled first and the socket is
 * still in the call. A new instance of `cls` (its start empties the list) forgets every connection.
 * voice-participants asks this only once quiet; a device that hangs up soon after hides it.
 */
export function voiceUserKept(options: { name?: string; participants: string; join: Value; leave: Value; tag?: string; cls?: string }): Checker {
  const name = options.name ?? 'voice-user-kept';
  const tag = options.tag ?? 'voice';
  const cls = options.cls ?? 'VoiceChannel';
  const hJoin = frameHash(options.join);
  const hLeave = frameHash(options.leave);
  return {
    name,
    check(input: CheckInput): CheckResult {
      const userOf = new Map(clientsOf(input).map(([n, c]) => [n, c.user]));
      /** connection -> when the host received its (last) join, while it has not left or ended. */
      const joined = new Map<string, Micros>();
      const arrival = new Map<string, Micros>();
      /** object -> the event whose handler last started, and when. */
      const running = new Map<string, { key: string; at: Micros }>();
      const started = new Map<string, Micros>();
      const listed = new Map<string, Set<string>>();
      const wrong: Value[] = [];
      let removals = 0;
      for (const p of input.probes) {
        const d = (p.detail ?? {}) as { readonly [k: string]: Value };
        if ((p.name === 'ws.rx' || p.name === 'ws.end') && d.by === 'host' && typeof d.c === 'string') {
          if (d.c.split('/')[1] !== tag) continue;
          if (p.name === 'ws.end' || d.h === hLeave) joined.delete(d.c);
          else if (d.h === hJoin && !joined.has(d.c)) joined.set(d.c, p.time);
        } else if (p.name === 'do.event' && typeof d.i === 'string') {
          arrival.set(`${d.i}|${String(d.g)}|${String(d.n)}`, p.time);
        } else if (p.name === 'do.run' && typeof d.i === 'string') {
          running.set(d.i, { key: `${d.i}|${String(d.g)}|${String(d.n)}`, at: p.time });
        } else if (p.name === 'do.live' && typeof d.i === 'string') {
          started.set(d.i, p.time);
          // A new voice instance holds no socket of the old one's: forget them (one voice object here).
          if (d.i.startsWith(`${cls}:`)) joined.clear();
        } else if (p.name === options.participants) {
          const obj = String(d.object ?? p.node);
          const f = d.facts;
          const now = new Set(f && typeof f === 'object' && !Array.isArray(f) ? Object.keys(f) : []);
          const before = listed.get(obj) ?? new Set<string>();
          listed.set(obj, now);
          if (started.get(obj) === p.time) continue;
          const run = running.get(obj);
          const a = run && run.at === p.time ? arrival.get(run.key) : undefined;
          for (const u of before) {
            if (now.has(u)) continue;
            removals++;
            if (a === undefined) continue;
            const kept = [...joined.entries()].filter(([c, at]) => userOf.get(c.split('/')[0] as string) === u && at < a);
            if (kept.length > 0) wrong.push({ object: obj, user: u, at: p.time, eventArrived: a, inCall: kept.map(([c, at]) => ({ conn: c, joinedAt: at })) as unknown as Value });
          }
        }
      }
      if (wrong.length === 0) return { name, verdict: 'ok', summary: `${removals} removal(s) from the call, none while the user had a socket in it` };
      return { name, verdict: 'violation', summary: `${wrong.length} user(s) removed while a socket of theirs was in the call; first ${JSON.stringify(wrong[0])}`, evidence: { wrong: wrong.slice(0, 20) } };
    },
  };
}

/**
 * A socket that opens is told the state: at each host-side open of a `tag` connection
 * (`ws.open` `{ c, by: 'host' }`), the host's first frame on it (`ws.tx` `{ c, by: 'host', s, h }`)
 * is one of `frames(facts)`, `facts` the authority's last `probe` map on that node (one object
 * per probe here), sent at that instant (`sentAt: 'open'`: the voice object's `webSocketOpen`
 * sends the participant list first), or, with `sentAt: 'replay'`, some frame of the first instant
 * the host sends on it is (the channel sends the typing set right after the replay of missed
 * messages, in the same step). Without it a device that (re)connects shows its old state until
 * the next change; the freshness checks ask only devices connected throughout their window, and
 * once quiet the old state is often right again. An open whose first frame never goes out while
 * the host sends on other sockets later, and the connection is not ended nor the host crashed or
 * restarted since, is a violation too.
 */
export function stateSentOnOpen(options: { name?: string; tag: string; probe: string; frames: (facts: { readonly [k: string]: Value }) => readonly Value[]; sentAt?: 'open' | 'replay' }): Checker {
  const name = options.name ?? 'state-sent-on-open';
  const sentAt = options.sentAt ?? 'open';
  return {
    name,
    check(input: CheckInput): CheckResult {
      const facts = new Map<string, { readonly [k: string]: Value }>();
      /** connection -> its open, and (replay) the first instant frames went out on it and whether one was the state. */
      const due = new Map<string, { at: Micros; node: string; first?: Micros; ok?: boolean }>();
      const wrong: Value[] = [];
      let opens = 0;
      const want = (node: string): Set<Value> => new Set(options.frames(facts.get(node) ?? {}).map((f) => frameHash(f)));
      const settle = (c: string, w: { at: Micros; ok?: boolean }) => {
        due.delete(c);
        if (!w.ok) wrong.push({ conn: c, openedAt: w.at, kind: 'no frame of the first instant is the state' });
      };
      for (const p of input.probes) {
        const d = (p.detail ?? {}) as { readonly [k: string]: Value };
        if (p.name === options.probe) {
          const f = d.facts;
          if (f && typeof f === 'object' && !Array.isArray(f)) facts.set(p.node, f as { readonly [k: string]: Value });
          continue;
        }
        if ((p.name !== 'ws.open' && p.name !== 'ws.tx' && p.name !== 'ws.end') || d.by !== 'host' || typeof d.c !== 'string' || d.c.split('/')[1] !== options.tag) continue;
        const w = due.get(d.c);
        if (p.name === 'ws.open') {
          opens++;
          due.set(d.c, { at: p.time, node: p.node });
          continue;
        }
        if (!w) continue;
        if (p.name === 'ws.end') {
          if (w.first !== undefined) settle(d.c, w);
          else due.delete(d.c);
          continue;
        }
        if (sentAt === 'open') {
          due.delete(d.c);
          if (p.time !== w.at) wrong.push({ conn: d.c, openedAt: w.at, kind: `first frame sent ${(p.time - w.at) / 1000} ms after the open` });
          else if (!want(p.node).has(d.h as Value)) wrong.push({ conn: d.c, openedAt: w.at, kind: 'first frame is not the state at the open' });
          continue;
        }
        if (w.first !== undefined && p.time > w.first) {
          settle(d.c, w);
          continue;
        }
        w.first = p.time;
        if (want(p.node).has(d.h as Value)) w.ok = true;
      }
      const faults = input.faults ?? [];
      for (const [c, w] of due) {
        if (w.first !== undefined) settle(c, w);
        // A host that crashed or restarted since the open lost the socket without ending it.
        else if (faults.some((f) => f.node === w.node && (f.kind === 'crash' || f.kind === 'restart') && f.at >= w.at)) continue;
        else if (input.probes.some((p) => p.node === w.node && p.name === 'ws.tx' && p.time > w.at)) wrong.push({ conn: c, openedAt: w.at, kind: 'no frame sent on open' });
      }
      if (wrong.length === 0) return { name, verdict: 'ok', summary: `${opens} ${options.tag} socket open(s), each sent the state` };
      return { name, verdict: 'violation', summary: `${wrong.length} ${options.tag} socket open(s) not sent the state; first ${JSON.stringify(wrong[0])}`, evidence: { wrong: wrong.slice(0, 20) } };
    },
  };
}

/** Every order of `xs` (the channel lists its typing set in insertion order on open). */
export function orders(xs: readonly string[]): string[][] {
  if (xs.length <= 1) return [[...xs]];
  return xs.flatMap((x, i) => orders([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest]));
}
