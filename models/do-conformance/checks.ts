import type { Checker, CheckInput, CheckResult, Probe } from '../../sim/check/types.ts';
import type { FaultRecord } from '../../sim/faults.ts';
import { pairOperations } from '../../sim/history.ts';
import { canonicalJson, type Micros, type Value } from '../../sim/value.ts';

/**
 * What a client of the conformance object must receive (echo.ts states the contract), judged
 * from the clients' probes (client.ts: `<prefix>.open`, `.sent`, `.recv`, `.closed`, each with
 * `{ c: connection }`), the object's `applied` probes and the HTTP history. Checkers never import
 * models: names and bounds come in as options.
 */

type Detail = { readonly [k: string]: Value };
const detail = (p: Probe): Detail => (typeof p.detail === 'object' && p.detail !== null && !Array.isArray(p.detail) ? (p.detail as Detail) : {});

const ORDERED = new Set(['echo', 'burst', 'close', 'gate']);
/** The client probes (after the prefix) that make up a connection's stream. */
const STREAM = new Set(['open', 'closed', 'sent', 'recv']);

interface Sent {
  readonly time: Micros;
  readonly i: number;
  readonly k: string;
  readonly n: number;
  readonly ms: number;
  /** Sent after a close frame on its connection: the object closes before it, no reply is due. */
  readonly afterClose: boolean;
}

/** One connection as its client saw it, in probe order. */
interface ConnLog {
  readonly c: string;
  readonly node: string;
  opened: Micros | undefined;
  closed: Micros | undefined;
  readonly sent: Sent[];
  readonly recv: { readonly time: Micros; readonly d: Value }[];
}

/**
 * Connections by id, from the client probes named `<prefix>.*`, in the order they were made.
 * `others`: probes under the prefix that carry a connection but are not the client's stream
 * (read by other checks); any other unknown name is a stray.
 */
function connections(input: CheckInput, prefix: string, others: ReadonlySet<string> = new Set()): { conns: Map<string, ConnLog>; strays: Value[] } {
  const conns = new Map<string, ConnLog>();
  const strays: Value[] = [];
  const get = (p: Probe, c: string): ConnLog => {
    let log = conns.get(c);
    if (!log) {
      log = { c, node: p.node, opened: undefined, closed: undefined, sent: [], recv: [] };
      conns.set(c, log);
    }
    return log;
  };
  for (const p of input.probes) {
    if (!p.name.startsWith(`${prefix}.`)) continue;
    const d = detail(p);
    if (typeof d.c !== 'string') continue;
    const what = p.name.slice(prefix.length + 1);
    if (!STREAM.has(what)) {
      if (!others.has(p.name)) strays.push({ probe: p.name, c: d.c });
      continue;
    }
    const log = get(p, d.c);
    if (what === 'open') log.opened ??= p.time;
    else if (what === 'closed') log.closed ??= p.time;
    else if (what === 'sent' && typeof d.i === 'number' && typeof d.k === 'string') {
      const afterClose = log.sent.some((s) => s.k === 'close');
      log.sent.push({ time: p.time, i: d.i, k: d.k, n: typeof d.n === 'number' ? d.n : 0, ms: typeof d.ms === 'number' ? d.ms : 0, afterClose });
    } else if (what === 'recv') log.recv.push({ time: p.time, d: d.d ?? null });
  }
  return { conns, strays };
}

const replyKey = (d: Value): string => canonicalJson(d);
const isReply = (d: Value): d is Detail => typeof d === 'object' && d !== null && !Array.isArray(d);

/** The replies a frame's contract promises, in order (burst frames first, then its echo). */
export function promised(s: Pick<Sent, 'i' | 'k' | 'n'>): Value[] {
  if (s.k === 'sleep') return [{ t: 'slept', i: s.i }];
  if (s.k === 'timer') return [{ t: 'tick', i: s.i }];
  const out: Value[] = [];
  if (s.k === 'burst') for (let j = 0; j < s.n; j++) out.push({ t: 'burst', i: s.i, j });
  out.push({ t: 'echo', i: s.i });
  return out;
}

export interface EchoStreamOptions {
  readonly name?: string;
  /** Client probe prefix (`conf`). */
  readonly prefix?: string;
  /** How long a gate frame holds the gate before its write (echo.ts GATE_SLEEP): its echo never comes sooner. */
  readonly gateSleep: Micros;
  /** Probe names under the prefix, with a connection, that other checks read (not strays). */
  readonly others?: readonly string[];
}

/**
 * echo-streams: per connection, what arrives is what the contract says and nothing else.
 *  - `hello` is the first frame, once;
 *  - the replies of ordered kinds (echo, burst, close, gate) are, in arrival order, a prefix of the
 *    promised replies of the ordered frames sent on it, in send order (burst j = 0..n-1 before
 *    that frame's echo): in order, once each, none for a frame not sent on this connection;
 *  - `slept` and `tick` come once each, only for sleep and timer frames sent on it;
 *  - nothing arrives after the echo of a close frame, after the connection ended, or on a
 *    connection that never opened;
 *  - no reply comes sooner than its frame's own wait (a sleep's or timer's `ms`, the gate's sleep)
 *    after the frame was sent, unless a clock in the run drifted (timers then run at another rate).
 */
export function echoStreams(options: EchoStreamOptions): Checker {
  const name = options.name ?? 'echo-streams';
  const prefix = options.prefix ?? 'conf';
  return {
    name,
    check(input: CheckInput): CheckResult {
      const { conns, strays } = connections(input, prefix, new Set(options.others ?? []));
      const drift = (input.faults ?? []).some((f) => f.kind === 'drift');
      const bad: Value[] = [...strays.map((s) => ({ kind: 'unknown probe', ...(s as Detail) }))];
      let replies = 0;
      for (const log of conns.values()) {
        const wrong = (time: Micros, kind: string, more: Detail = {}) => bad.push({ c: log.c, node: log.node, time, kind, ...more });
        // Every sent frame, ordered or not, with what it promises, merged with the arrivals in time order.
        let nextSent = 0;
        const expected: { readonly d: Value; readonly s: Sent }[] = [];
        let pos = 0;
        const unordered = new Map<string, { s: Sent; got: boolean }>();
        let hello = false;
        let closeEchoed: Micros | undefined;
        for (const r of log.recv) {
          replies++;
          // Frames sent up to this arrival (a reply never comes at the instant its frame goes out).
          while (nextSent < log.sent.length && (log.sent[nextSent] as Sent).time < r.time) {
            const s = log.sent[nextSent++] as Sent;
            if (ORDERED.has(s.k)) for (const d of promised(s)) expected.push({ d, s });
            else unordered.set(replyKey((promised(s)[0] as Value)), { s, got: false });
          }
          const d = r.d;
          if (log.opened === undefined || r.time < log.opened) {
            wrong(r.time, 'frame on a connection not open', { got: d });
            continue;
          }
          if (log.closed !== undefined && r.time > log.closed) wrong(r.time, 'frame after the connection ended', { got: d, closed: log.closed });
          if (closeEchoed !== undefined) wrong(r.time, 'frame after the echo of a close frame', { got: d, closeEcho: closeEchoed });
          const t = isReply(d) ? d.t : undefined;
          if (!hello) {
            if (t !== 'hello') wrong(r.time, 'first frame is not hello', { got: d });
            hello = true;
            if (t === 'hello') continue;
          } else if (t === 'hello') {
            wrong(r.time, 'hello twice', {});
            continue;
          }
          if (t === 'echo' || t === 'burst') {
            const want = expected[pos];
            if (!want || replyKey(want.d) !== replyKey(d)) {
              wrong(r.time, want ? 'ordered reply out of order' : 'ordered reply to no frame sent', { got: d, want: want?.d ?? null });
              continue;
            }
            pos++;
            if (t === 'echo' && want.s.k === 'close') closeEchoed = r.time;
            if (t === 'echo' && want.s.k === 'gate' && !drift && r.time - want.s.time < options.gateSleep) wrong(r.time, 'gate echo sooner than its gate', { got: d, sent: want.s.time });
            continue;
          }
          if (t === 'slept' || t === 'tick') {
            const u = unordered.get(replyKey(d));
            if (!u) wrong(r.time, `${t} for no frame sent`, { got: d });
            else if (u.got) wrong(r.time, `${t} twice`, { got: d });
            else {
              u.got = true;
              if (!drift && r.time - u.s.time < u.s.ms * 1000) wrong(r.time, `${t} sooner than its ${u.s.ms} ms`, { got: d, sent: u.s.time });
            }
            continue;
          }
          wrong(r.time, 'unknown frame', { got: d });
        }
      }
      if (bad.length === 0) return { name, verdict: 'ok', summary: `${conns.size} connections, ${replies} frames received, each as the echo contract says` };
      const f = bad[0] as Detail;
      return {
        name,
        verdict: 'violation',
        summary: `${bad.length} frames received against the echo contract; first: ${String(f.kind)} on ${String(f.c)} at ${Number(f.time) / 1000} ms`,
        evidence: { bad: bad.slice(0, 20) },
      };
    },
  };
}

/** When each node's memory was lost (crash or restart in the fault record), sorted. */
const resets = (faults: readonly FaultRecord[]): Map<string, Micros[]> => {
  const out = new Map<string, Micros[]>();
  for (const f of faults) {
    if (f.node === undefined || (f.kind !== 'crash' && f.kind !== 'restart')) continue;
    out.set(f.node, [...(out.get(f.node) ?? []), f.at].sort((a, b) => a - b));
  }
  return out;
};

/** The first time at or after `t` that `node` lost its memory (undefined: none, or no node). */
const resetFrom = (reset: ReadonlyMap<string, readonly Micros[]>, node: string | undefined, t: Micros): Micros | undefined =>
  node === undefined ? undefined : (reset.get(node) ?? []).find((x) => x >= t);

/**
 * The latest instant a reply is due for a frame sent at `t` that waits `extra` itself: `bound`
 * after it, and for every fault that struck before that deadline, `bound` after its heal
 * (read from the run's fault record, never a time written into a scenario).
 */
export function dueBy(t: Micros, extra: Micros, bound: Micros, faults: readonly FaultRecord[]): Micros {
  let d = t + extra + bound;
  for (const f of [...faults].sort((a, b) => a.at - b.at)) if (f.at <= d) d = Math.max(d, Math.min(f.until, Number.MAX_SAFE_INTEGER) + extra + bound);
  return d;
}

export interface AnsweredOptions {
  readonly name?: string;
  readonly prefix?: string;
  /** What an honest socket takes to deliver or give up (scenarios: the socket checks' deliverWithin). */
  readonly bound: Micros;
  readonly gateSleep: Micros;
}

/**
 * answered: a connection's `hello`, and the reply each frame sent on it promises (its echo; for a
 * sleep its `slept`, for a timer its `tick`), arrive by dueBy(sent, wait, bound): unless the
 * connection ended first (on its client's side, or by a crash or restart of its client's node),
 * the frame came after a close frame on that connection, or the run ended first.
 */
export function answered(options: AnsweredOptions): Checker {
  const name = options.name ?? 'answered';
  const prefix = options.prefix ?? 'conf';
  return {
    name,
    check(input: CheckInput): CheckResult {
      const { conns } = connections(input, prefix);
      const faults = input.faults ?? [];
      const reset = resets(faults);
      const end = input.end ?? Infinity;
      const missing: Value[] = [];
      let due = 0;
      for (const log of conns.values()) {
        if (log.opened === undefined) continue;
        const opened = log.opened;
        const crash = resetFrom(reset, log.node, opened);
        const ended = Math.min(log.closed ?? Infinity, crash ?? Infinity);
        const arrived = new Map<string, Micros>();
        for (const r of log.recv) if (!arrived.has(replyKey(r.d))) arrived.set(replyKey(r.d), r.time);
        const ask = (sentAt: Micros, wait: Micros, reply: Value, what: Detail) => {
          const by = dueBy(sentAt, wait, options.bound, faults);
          if (ended <= by || end < by) return;
          due++;
          const at = arrived.get(replyKey(reply));
          if (at === undefined || at > by) missing.push({ c: log.c, node: log.node, ...what, sent: sentAt, dueBy: by, arrived: at ?? null, ended: ended === Infinity ? null : ended });
        };
        ask(opened, 0, { t: 'hello' }, { frame: 'hello' });
        for (const s of log.sent) {
          if (s.afterClose) continue;
          const reply = promised(s);
          const wait = s.k === 'sleep' || s.k === 'timer' ? s.ms * 1000 : s.k === 'gate' ? options.gateSleep : 0;
          ask(s.time, wait, reply[reply.length - 1] as Value, { frame: { k: s.k, i: s.i } });
        }
      }
      if (missing.length === 0) return { name, verdict: 'ok', summary: `${due} replies due on connections that stayed open, each in time` };
      const f = missing[0] as Detail;
      return {
        name,
        verdict: 'violation',
        summary: `${missing.length} of ${due} replies due never came or came late; first: ${canonicalJson(f.frame ?? null)} on ${String(f.c)} sent at ${Number(f.sent) / 1000} ms, due by ${Number(f.dueBy) / 1000} ms`,
        evidence: { missing: missing.slice(0, 20) },
      };
    },
  };
}

interface Applied {
  readonly time: Micros;
  readonly obj: string;
  readonly rid: string;
  readonly n: number;
}

const appliedOf = (input: CheckInput, probe: string): Applied[] => {
  const out: Applied[] = [];
  for (const p of input.probes) {
    if (p.name !== probe) continue;
    const d = detail(p);
    out.push({ time: p.time, obj: String(d.obj), rid: String(d.rid), n: typeof d.n === 'number' ? d.n : NaN });
  }
  return out;
};

const numberIn = (v: Value, field: string): number | undefined => {
  const x = isReply(v) ? v[field] : undefined;
  return typeof x === 'number' ? x : undefined;
};

export interface IncLedgerOptions {
  readonly name?: string;
  /** The object's probe `{ obj, rid, n }` when an /inc becomes durable. */
  readonly applied: string;
  /** The class whose final states (`{ "<cls>:<obj>": { count } }` on the hosts) hold the counts. */
  readonly cls: string;
}

/**
 * inc-ledger: the counter's books balance.
 *  - each request id is applied once;
 *  - per object, the k-th application carries n = k (distinct ids get distinct, gapless numbers,
 *    across cold starts and crashes);
 *  - every /inc answered ok carries the n its id was applied with, applied before the answer;
 *  - at the end, each object's count on its host equals the number of ids applied to it (unless
 *    the object reports it is still `loading` its count, in its init after a cold start).
 */
export function incLedger(options: IncLedgerOptions): Checker {
  const name = options.name ?? 'inc-ledger';
  return {
    name,
    check(input: CheckInput): CheckResult {
      const applied = appliedOf(input, options.applied);
      const bad: Value[] = [];
      const byRid = new Map<string, Applied>();
      const perObj = new Map<string, number>();
      for (const a of applied) {
        if (byRid.has(a.rid)) bad.push({ kind: 'applied twice', rid: a.rid, time: a.time, n: a.n });
        else byRid.set(a.rid, a);
        const k = (perObj.get(a.obj) ?? 0) + 1;
        perObj.set(a.obj, k);
        if (a.n !== k) bad.push({ kind: 'number out of sequence', obj: a.obj, rid: a.rid, time: a.time, n: a.n, want: k });
      }
      let acks = 0;
      for (const op of pairOperations(input.history)) {
        if (op.f !== 'inc' || op.status !== 'ok') continue;
        acks++;
        const rid = String(op.input);
        const a = byRid.get(rid);
        const n = numberIn(op.output, 'n');
        if (!a) bad.push({ kind: 'acknowledged, never applied', rid, n: n ?? null, time: op.completeTime });
        else if (a.obj !== op.key || a.n !== n || a.time > op.completeTime) bad.push({ kind: 'acknowledged otherwise than applied', rid, n: n ?? null, applied: { obj: a.obj, n: a.n, time: a.time }, time: op.completeTime });
      }
      const seen = new Set<string>();
      for (const [node, s] of input.finalStates) {
        if (!isReply(s)) continue;
        for (const [k, v] of Object.entries(s)) {
          if (!k.startsWith(`${options.cls}:`)) continue;
          const obj = k.slice(options.cls.length + 1);
          seen.add(obj);
          // An object still loading its count at the end serves nothing yet: no final count to judge.
          if (isReply(v) && v.loading === true) continue;
          const count = numberIn(v, 'count');
          if (count !== (perObj.get(obj) ?? 0)) bad.push({ kind: 'final count', node, obj, count: count ?? null, applied: perObj.get(obj) ?? 0 });
        }
      }
      for (const obj of [...perObj.keys()].sort()) if (!seen.has(obj)) bad.push({ kind: 'final count', obj, count: null, applied: perObj.get(obj) ?? 0 });
      if (bad.length === 0) return { name, verdict: 'ok', summary: `${applied.length} ids applied once each, numbered in order per object; ${acks} acknowledgements agree; final counts match` };
      return { name, verdict: 'violation', summary: `${bad.length} ledger errors; first: ${canonicalJson(bad[0] as Value)}`, evidence: { bad: bad.slice(0, 20) } };
    },
  };
}

/**
 * reads-bounded: a `/count` or `/ids` read of an object sees every id applied to it before the
 * read was sent and nothing not applied by the time its answer arrived: count between those two
 * numbers, ids a set between those two sets. (So one client's counts never go down, and a count
 * read after an acknowledgement includes it.)
 */
export function readsBounded(options: { readonly name?: string; readonly applied: string }): Checker {
  const name = options.name ?? 'reads-bounded';
  return {
    name,
    check(input: CheckInput): CheckResult {
      const applied = appliedOf(input, options.applied);
      const bad: Value[] = [];
      let reads = 0;
      for (const op of pairOperations(input.history)) {
        if ((op.f !== 'count' && op.f !== 'ids') || op.status !== 'ok') continue;
        reads++;
        const mine = applied.filter((a) => a.obj === op.key);
        const before = mine.filter((a) => a.time <= op.invokeTime);
        const by = mine.filter((a) => a.time <= op.completeTime);
        const at = { obj: op.key ?? null, node: op.node ?? null, invoked: op.invokeTime, completed: op.completeTime };
        if (op.f === 'count') {
          const n = numberIn(op.output, 'n');
          if (n === undefined || n < before.length || n > by.length) bad.push({ kind: 'count out of bounds', ...at, n: n ?? null, atLeast: before.length, atMost: by.length });
          continue;
        }
        const ids = isReply(op.output) && Array.isArray(op.output.ids) ? (op.output.ids as Value[]).map(String) : undefined;
        const got = new Set(ids ?? []);
        const allowed = new Set(by.map((a) => a.rid));
        const lost = before.filter((a) => !got.has(a.rid)).map((a) => a.rid);
        const phantom = [...got].filter((r) => !allowed.has(r));
        if (ids === undefined || ids.length !== got.size || lost.length > 0 || phantom.length > 0) bad.push({ kind: 'ids out of bounds', ...at, lost, phantom, listed: ids?.length ?? null });
      }
      if (bad.length === 0) return { name, verdict: 'ok', summary: `${reads} reads, each between what was applied at its start and at its answer` };
      return { name, verdict: 'violation', summary: `${bad.length} of ${reads} reads out of bounds; first: ${canonicalJson(bad[0] as Value)}`, evidence: { bad: bad.slice(0, 20) } };
    },
  };
}

/** The host's side of each connection, from the runtime's transport probes (WS_PROBE, `by: 'host'`). */
interface HostSide {
  node: string | undefined;
  opened: Micros | undefined;
  /** Client frames delivered in order: sequence and when. */
  readonly rx: { readonly time: Micros; readonly s: number }[];
  end: { readonly time: Micros; readonly why: string; readonly last: number | undefined } | undefined;
}

function hostSides(input: CheckInput, transport: string): Map<string, HostSide> {
  const out = new Map<string, HostSide>();
  for (const p of input.probes) {
    if (!p.name.startsWith(`${transport}.`)) continue;
    const d = detail(p);
    if (d.by !== 'host' || typeof d.c !== 'string') continue;
    const kind = p.name.slice(transport.length + 1);
    if (kind !== 'open' && kind !== 'rx' && kind !== 'end') continue;
    let side = out.get(d.c);
    if (!side) out.set(d.c, (side = { node: p.node, opened: undefined, rx: [], end: undefined }));
    if (kind === 'open') side.opened ??= p.time;
    else if (kind === 'rx') side.rx.push({ time: p.time, s: typeof d.s === 'number' ? d.s : NaN });
    else side.end ??= { time: p.time, why: String(d.why), last: typeof d.last === 'number' ? d.last : undefined };
  }
  return out;
}

/** Probes `{ c, ... }` named `name`, by connection, in order. */
function byConn(input: CheckInput, name: string): Map<string, { readonly time: Micros; readonly d: Detail }[]> {
  const out = new Map<string, { readonly time: Micros; readonly d: Detail }[]>();
  for (const p of input.probes) {
    if (p.name !== name) continue;
    const d = detail(p);
    if (typeof d.c !== 'string') continue;
    out.set(d.c, [...(out.get(d.c) ?? []), { time: p.time, d }]);
  }
  return out;
}

export interface FramesHandledOptions {
  readonly name?: string;
  /** Client probe prefix (`conf`): `<prefix>.sent` `{ c, i }` when send() accepted a frame. */
  readonly prefix?: string;
  /** The transport's probe prefix (`ws`, the runtime's WS_PROBE). */
  readonly transport?: string;
  /** The object's probe `{ c, i }` first thing in its message handler. */
  readonly got: string;
  /** A frame delivered this close to the run's end may still wait for its handler. */
  readonly bound: Micros;
}

/**
 * frames-handled: every client frame the host delivered (`ws.rx` by the host, connection c,
 * sequence s) is handed to the object exactly once: one `got` on c whose i is the i of c's s-th
 * `sent` (the client probes a frame only when send() accepted it, so its s-th is sequence s), at
 * or after the delivery; and the object handles no frame the host did not deliver. That covers the
 * frames a client's clean close carried and those still queued behind it (the runtime hands those
 * over: `closedByClient`).
 * Not asked of a frame whose host crashed or restarted at or after its delivery, or delivered
 * within `bound` of the run's end. Where the host itself ended the connection (its own close,
 * `app`, or a timeout), the frames still queued for the instance then are dropped, as the runtime
 * says: the unhandled frames of such a connection may be its last ones delivered, never one
 * before a handled frame (the queue runs in arrival order, so a drop is always a tail).
 */
export function framesHandled(options: FramesHandledOptions): Checker {
  const name = options.name ?? 'frames-handled';
  const prefix = options.prefix ?? 'conf';
  const transport = options.transport ?? 'ws';
  return {
    name,
    check(input: CheckInput): CheckResult {
      const hosts = hostSides(input, transport);
      const sent = byConn(input, `${prefix}.sent`);
      const got = byConn(input, options.got);
      const reset = resets(input.faults ?? []);
      const end = input.end ?? Infinity;
      const bad: Value[] = [];
      let delivered = 0;
      let handled = 0;
      for (const c of [...new Set([...hosts.keys(), ...got.keys()])].sort()) {
        const side = hosts.get(c);
        const sends = sent.get(c) ?? [];
        const gots = (got.get(c) ?? []).map((g) => ({ time: g.time, i: g.d.i ?? null, used: false }));
        const missing: { readonly time: Micros; readonly s: number; readonly i: Value }[] = [];
        let lastHandled = 0;
        for (const r of side?.rx ?? []) {
          delivered++;
          const i = sends[r.s - 1]?.d.i;
          if (typeof i !== 'number') {
            bad.push({ kind: 'delivered a frame its client never sent', c, s: r.s, time: r.time });
            continue;
          }
          const g = gots.find((x) => !x.used && x.i === i && x.time >= r.time);
          if (g) {
            g.used = true;
            handled++;
            lastHandled = r.s;
            continue;
          }
          const crashed = resetFrom(reset, side?.node, r.time) !== undefined;
          if (!crashed && r.time + options.bound <= end) missing.push({ time: r.time, s: r.s, i });
        }
        // The host's own close or timeout drops what was still queued: only a tail, behind it.
        const drops = side?.end !== undefined && (side.end.why === 'app' || side.end.why === 'timeout');
        for (const m of missing) {
          if (drops && m.s > lastHandled && m.time <= (side?.end?.time ?? -Infinity)) continue;
          bad.push({ kind: 'delivered, never handled', c, s: m.s, i: m.i, delivered: m.time, hostEnd: side?.end?.why ?? null });
        }
        const rxI = new Set((side?.rx ?? []).map((r) => sends[r.s - 1]?.d.i));
        for (const g of gots) {
          if (g.used) continue;
          bad.push({ kind: rxI.has(g.i) ? 'handled twice, or before its delivery' : 'handled a frame the host never delivered', c, i: g.i, time: g.time });
        }
      }
      if (bad.length === 0) return { name, verdict: 'ok', summary: `${delivered} client frames delivered to the host, ${handled} handled once each, none handled undelivered` };
      return { name, verdict: 'violation', summary: `${bad.length} frames handled otherwise than delivered; first: ${canonicalJson(bad[0] as Value)}`, evidence: { bad: bad.slice(0, 20) } };
    },
  };
}

export interface CloseHandledOptions {
  readonly name?: string;
  readonly transport?: string;
  /** The object's probe `{ c }` first thing in webSocketClose. */
  readonly closedHandler: string;
  /** A close this close to the run's end may still wait for its handler. */
  readonly bound: Micros;
}

/**
 * close-handled: the object's webSocketClose runs exactly once, at or after the host's side ended,
 * for each connection the host ended on its own close (`app`), the client's (`peer`) or a timeout:
 * unless the host crashed or restarted at or after that end, or it came within `bound` of the
 * run's end. For a connection an eviction ended (the instance left memory) it never runs, nor for
 * one the host never opened or never ended.
 */
export function closeHandled(options: CloseHandledOptions): Checker {
  const name = options.name ?? 'close-handled';
  const transport = options.transport ?? 'ws';
  return {
    name,
    check(input: CheckInput): CheckResult {
      const hosts = hostSides(input, transport);
      const handlers = byConn(input, options.closedHandler);
      const reset = resets(input.faults ?? []);
      const end = input.end ?? Infinity;
      const bad: Value[] = [];
      let ran = 0;
      for (const c of [...new Set([...hosts.keys(), ...handlers.keys()])].sort()) {
        const side = hosts.get(c);
        const runs = (handlers.get(c) ?? []).map((h) => h.time);
        ran += runs.length;
        const e = side?.end;
        if (side?.opened === undefined || e === undefined) {
          if (runs.length > 0) bad.push({ kind: side?.opened === undefined ? 'ran for a connection the host never opened' : 'ran for a connection the host never ended', c, time: runs[0] as Micros });
          continue;
        }
        if (e.why === 'evict') {
          if (runs.length > 0) bad.push({ kind: 'ran for a connection an eviction ended', c, time: runs[0] as Micros, ended: e.time });
          continue;
        }
        if (runs.some((t) => t < e.time)) bad.push({ kind: 'ran before the host ended it', c, time: runs.find((t) => t < e.time) as Micros, ended: e.time });
        if (runs.length > 1) bad.push({ kind: 'ran twice', c, times: runs, ended: e.time });
        if (runs.length > 0 || !['app', 'peer', 'timeout'].includes(e.why)) continue;
        const crashed = resetFrom(reset, side.node, e.time) !== undefined;
        if (!crashed && e.time + options.bound <= end) bad.push({ kind: 'never ran', c, why: e.why, ended: e.time });
      }
      if (bad.length === 0) return { name, verdict: 'ok', summary: `${ran} close handlers, once for each connection the host ended by a close or a timeout, none for an eviction` };
      return { name, verdict: 'violation', summary: `${bad.length} connections whose close handler ran otherwise than they ended; first: ${canonicalJson(bad[0] as Value)}`, evidence: { bad: bad.slice(0, 20) } };
    },
  };
}

export interface HttpAnsweredOptions {
  readonly name?: string;
  /** The client probes of an HTTP attempt and of a response (client.ts CONF_PROBES.httpSent, .httpRes). */
  readonly sent: string;
  readonly res: string;
  /** How long an attempt may wait for its answer with no fault in the way: a cold start, gates, storage. */
  readonly bound: Micros;
}

/**
 * http-answered: an HTTP attempt (`{ rid }`, the request id and attempt number) sent while no fault
 * of the run's record is active, nor becomes active, for `bound` after it is answered on its
 * client by then: the runtime runs every request it receives to a response, even one whose handler
 * waited at an input gate another held, or behind a cold start. (A retry with the same id does not
 * excuse a lost answer to an earlier attempt: nothing was lost on the way.)
 */
export function httpAnswered(options: HttpAnsweredOptions): Checker {
  const name = options.name ?? 'http-answered';
  return {
    name,
    check(input: CheckInput): CheckResult {
      const faults = input.faults ?? [];
      const end = input.end ?? Infinity;
      const answers = new Map<string, Micros>();
      for (const p of input.probes) {
        const rid = detail(p).rid;
        if (p.name === options.res && typeof rid === 'string' && !answers.has(`${p.node}|${rid}`)) answers.set(`${p.node}|${rid}`, p.time);
      }
      const missing: Value[] = [];
      let due = 0;
      for (const p of input.probes) {
        const rid = detail(p).rid;
        if (p.name !== options.sent || typeof rid !== 'string') continue;
        const by = p.time + options.bound;
        if (by > end || faults.some((f) => f.at <= by && f.until >= p.time)) continue;
        due++;
        const at = answers.get(`${p.node}|${rid}`);
        if (at === undefined || at > by || at < p.time) missing.push({ node: p.node, rid, sent: p.time, dueBy: by, answered: at ?? null });
      }
      if (missing.length === 0) return { name, verdict: 'ok', summary: `${due} HTTP attempts sent with no fault in the way, each answered within ${options.bound / 1000} ms` };
      const f = missing[0] as Detail;
      return {
        name,
        verdict: 'violation',
        summary: `${missing.length} of ${due} HTTP attempts with no fault in the way unanswered in time; first: ${String(f.rid)} from ${String(f.node)} sent at ${Number(f.sent) / 1000} ms`,
        evidence: { missing: missing.slice(0, 20) },
      };
    },
  };
}

export interface NoEvictWhileRunningOptions {
  readonly name?: string;
  /** Client probe prefix (`conf`): `.open` `{ c, obj }`, `.sent` `{ c, i, k, ms }`. */
  readonly prefix?: string;
  /** The transport's probe prefix (`ws`): the host's `ws.end` `{ c, why: 'evict' }` marks an eviction. */
  readonly transport?: string;
  /** The object's probe `{ c, i }` first thing in its message handler. */
  readonly got: string;
}

/**
 * no-evict-while-running: an object is not evicted while one of its handlers is still running. A
 * `sleep` frame's handler starts when the object gets it (`got`) and runs for its `ms` (the sleep
 * is its first await): an eviction of its object in that span (the host ending any connection to
 * that object with `evict`) kills a handler mid-way, which the platform never does to a request in
 * progress. The other replies cannot say so: replies owed on a connection an eviction ended are
 * not due, and a sleep leaves no storage trace the runtime's idle rule could read.
 */
export function noEvictWhileRunning(options: NoEvictWhileRunningOptions): Checker {
  const name = options.name ?? 'no-evict-while-running';
  const prefix = options.prefix ?? 'conf';
  const transport = options.transport ?? 'ws';
  return {
    name,
    check(input: CheckInput): CheckResult {
      const objOf = new Map<string, string>();
      for (const p of input.probes) {
        const d = detail(p);
        if (p.name === `${prefix}.open` && typeof d.c === 'string' && typeof d.obj === 'string') objOf.set(d.c, d.obj);
      }
      /** Evictions by object: when the host ended a connection to it on an eviction. */
      const evictions = new Map<string, Micros[]>();
      for (const [c, side] of hostSides(input, transport)) {
        const obj = objOf.get(c);
        if (side.end?.why === 'evict' && obj !== undefined) evictions.set(obj, [...(evictions.get(obj) ?? []), side.end.time]);
      }
      const sleeps = new Map<string, number>();
      for (const [c, sends] of byConn(input, `${prefix}.sent`)) for (const s of sends) if (s.d.k === 'sleep' && typeof s.d.i === 'number') sleeps.set(`${c}#${s.d.i}`, typeof s.d.ms === 'number' ? s.d.ms : 0);
      const bad: Value[] = [];
      let spans = 0;
      for (const [c, gots] of byConn(input, options.got)) {
        const obj = objOf.get(c);
        for (const g of gots) {
          const ms = sleeps.get(`${c}#${String(g.d.i)}`);
          if (ms === undefined || obj === undefined) continue;
          spans++;
          const until = g.time + ms * 1_000;
          const at = (evictions.get(obj) ?? []).find((t) => t > g.time && t < until);
          if (at !== undefined) bad.push({ c, obj, i: g.d.i ?? null, started: g.time, until, evicted: at });
        }
      }
      if (bad.length === 0) return { name, verdict: 'ok', summary: `${spans} sleeping handlers, no eviction of their object while they ran` };
      return { name, verdict: 'violation', summary: `${bad.length} eviction(s) under a running handler; first: ${canonicalJson(bad[0] as Value)}`, evidence: { bad: bad.slice(0, 20) } };
    },
  };
}
