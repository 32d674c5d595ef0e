import type { Checker, CheckInput, CheckResult, Probe } from '../../sim/check/types.ts';
import type { FaultRecord } from '../../sim/faults.ts';
import type { Micros, Value } from '../../sim/value.ts';

/**
 * The WebSocket's own promises, held against what its two ends probed during the run. A real
 * WebSocket runs on TCP, so a design may rely on it for these, and a bench whose sockets break
 * them lets design bugs hide behind transport bugs (or invents failures no real system has):
 *
 *  1. integrity: each direction of a connection delivers frames 1, 2, 3, ... in order, each once,
 *     each with the data that was sent as it, never before it was sent, and nothing on a side
 *     that has ended;
 *  2. clean close: a side that ends because the other closed (`peer`) has delivered exactly the
 *     `last` frames the closer sent before its close, no more and no fewer;
 *  3. no silent gap: a frame sent at t is delivered by t + `deliverWithin`, or a side of its
 *     connection has ended by then (a dead path becomes a close), unless an end node was
 *     crashed or paused meanwhile, or the run ended first;
 *  4. no unexplained close: a side that ends on a timeout, a reset or a failed upgrade does so
 *     within `faultWindow` of a fault in the run's fault record (with no fault, TCP does not
 *     time out); an eviction closes a socket only where the scenario's platform evicts objects
 *     that hold one (`evictionCloses`);
 *  5. agreement at rest: at the end of the run, a connection quiet for `deliverWithin` is ended
 *     on both sides or open on both with every frame delivered (a side whose node crashed after
 *     the connection opened counts as ended);
 *  6. retransmission as TCP's (RFC 6298 section 5): a sender's timer starts at its base `rto`
 *     when a frame goes out and none runs; an acknowledgement of new frames sets it back to the
 *     base and restarts it if frames remain, and an acknowledgement of nothing new does neither (nor
 *     is it probed as one); when it fires the sender sends every frame not yet acknowledged again,
 *     doubles it (up to `hb`) and restarts it. So each retransmission comes
 *     exactly when the timer says, with exactly the unacknowledged frames, and none is missed
 *     while the side is open. Not asked of a side whose node drifted, paused or crashed during the
 *     connection (its timers ran at another rate).
 *  7. the user timeout as TCP's (RFC 793's, RFC 5482): with `userTimeout` given, a side whose
 *     frames have gone unacknowledged, without an acknowledgement of new ones, for more than
 *     `userTimeout` ends the connection at its next heartbeat scan (within `userTimeout` + its `hb` of the last
 *     progress), and a side that ends on a timeout had a reason to: at that instant it had heard
 *     nothing for `userTimeout` (no delivery, no acknowledgement of new frames, no opening), or
 *     frames stuck as above, or a hole (the next frame it lacked was sent `userTimeout` before and
 *     it delivered nothing since; a hole may open before the side is open, from frames that came
 *     early while it was connecting). Heartbeats and copies are not probed, so the reasons read are
 *     the ones probes show: a side that heard a pong may time out later than they say, never
 *     sooner. Not asked of a side whose node drifted, paused or crashed, as rule 6.
 *  8. a close arrives: with `closeWithin` given, when one side closes (its program's close, or an
 *     eviction) and no fault of the run's record is active between then and `closeWithin` later,
 *     the other side (if it opened, and its node has not crashed since) has ended by then: the
 *     close message, and any frames it waits behind, cross a healthy network in milliseconds. (A close that is never sent, or waits for
 *     frames it does not carry, is noticed only at the next heartbeat or timeout.)
 *  9. no timeout on a live path: with `livePath` (and `userTimeout`) given, a side that ends on a
 *     timeout at t, while its peer was open and had not ended, finds the run's faults covering the
 *     `userTimeout` before t with no fault-free stretch longer than `livePath`: on a healthy path a
 *     heartbeat goes every `hb` and a retransmission at least as often, so a stretch of `hb` and a
 *     round trip without a fault carries one and its answer, and the side hears the peer or sees its
 *     frames acknowledged (a socket that stopped retransmitting, or a peer that stopped answering,
 *     times out so; rule 4 alone forgives it whenever some fault struck within `faultWindow`). Not
 *     asked where a node of the connection drifted, paused or crashed meanwhile, or where the peer
 *     had ended first (a peer that has closed answers nothing, and its close may have been lost).
 * 10. a clean close is delivered: with `livePath` given, when one side closes (its program's close,
 *     or an eviction) and the other, having opened, ends after it on a timeout, the path was dead
 *     from the close to that timeout (no fault-free stretch longer than `livePath`): a close is sent
 *     again until answered (the client's on its retransmission timer, as TCP's FIN; the host's in
 *     answer to the client's next ping or frame), so on a live path it arrives, behind the frames
 *     it carries, and the other side ends on it (`peer`, rule 2). Rule 8 asks this of a close with
 *     no fault in its way; this asks it of a close a fault delayed. Not asked where a node of the
 *     connection drifted, paused or crashed meanwhile.
 *
 * It reads probes named `<prefix>.open`, `.tx`, `.rx`, `.ack`, `.rtx`, `.end` (the runtime's
 * WS_PROBE), each with `{ c: connection, by: 'host' | 'client' }`, `.open` with `{ rto, hb }`,
 * `.tx`/`.rx` with `{ s: sequence, h: data hash }`, `.ack` with `{ s }` (every frame up to it),
 * `.rtx` with `{ s: [sequences] }` and `.end` with `{ why, tx, rx, last? }`. Checkers never
 * import models: the names and bounds come in as options.
 */
export interface SocketStreamOptions {
  readonly name?: string;
  /** Probe name prefix; `ws` unless told. */
  readonly prefix?: string;
  /** Rule 3's bound: what an honest socket takes to deliver or give up (retransmissions, its timeout, the peer's). */
  readonly deliverWithin: Micros;
  /** Rule 4's window: how long before a timeout close the fault that explains it may have struck. */
  readonly faultWindow: Micros;
  /** The platform evicts objects that hold open sockets (socketsPin off), closing them. */
  readonly evictionCloses?: boolean;
  /** Rule 7's timeout (the runtime's `wsTimeout`, the client's `timeout`); rule 7 is not checked without it. */
  readonly userTimeout?: Micros;
  /** Rule 8's bound: how long a close may take to reach the other side with no fault in the way (not checked without it). */
  readonly closeWithin?: Micros;
  /** Rule 9's bound: the longest fault-free stretch a timeout may have in its window (a heartbeat and a round trip; not checked without it). */
  readonly livePath?: Micros;
}

type Side = 'host' | 'client';
const SIDES: readonly Side[] = ['client', 'host'];
const other = (s: Side): Side => (s === 'host' ? 'client' : 'host');

interface Frame {
  readonly time: Micros;
  readonly s: number;
  readonly h: number;
}
interface End {
  readonly time: Micros;
  readonly why: string;
  readonly tx: number;
  readonly rx: number;
  readonly last: number | undefined;
}
/** What a sender's retransmission timer reads, in probe order. */
type TimerEvent =
  | { readonly kind: 'tx' | 'ack'; readonly time: Micros; readonly s: number }
  | { readonly kind: 'rtx'; readonly time: Micros; readonly frames: readonly number[] }
  | { readonly kind: 'end'; readonly time: Micros };
interface SideLog {
  node: string | undefined;
  open: Micros | undefined;
  /** The base retransmission timeout and the backoff's cap this side declared on opening. */
  rto: number | undefined;
  hb: number | undefined;
  readonly timer: TimerEvent[];
  readonly tx: Frame[];
  readonly rx: Frame[];
  end: End | undefined;
  last: Micros;
}
type Conn = Record<Side, SideLog>;

const num = (v: Value | undefined): number | undefined => (typeof v === 'number' ? v : undefined);

function collect(probes: readonly Probe[], prefix: string): Map<string, Conn> {
  const conns = new Map<string, Conn>();
  const names = new Set(['open', 'tx', 'rx', 'ack', 'rtx', 'end'].map((k) => `${prefix}.${k}`));
  const blank = (): SideLog => ({ node: undefined, open: undefined, rto: undefined, hb: undefined, timer: [], tx: [], rx: [], end: undefined, last: 0 });
  for (const p of probes) {
    if (!names.has(p.name)) continue;
    const d = p.detail as { readonly [k: string]: Value } | null;
    const c = d?.c;
    const by = d?.by;
    if (typeof c !== 'string' || (by !== 'host' && by !== 'client')) continue;
    let conn = conns.get(c);
    if (!conn) conns.set(c, (conn = { client: blank(), host: blank() }));
    const side = conn[by];
    side.node ??= p.node;
    side.last = p.time;
    const kind = p.name.slice(prefix.length + 1);
    if (kind === 'open') {
      side.open ??= p.time;
      side.rto ??= num(d?.rto);
      side.hb ??= num(d?.hb);
    } else if (kind === 'tx' || kind === 'rx') {
      side[kind].push({ time: p.time, s: num(d?.s) ?? NaN, h: num(d?.h) ?? NaN });
      if (kind === 'tx') side.timer.push({ kind, time: p.time, s: num(d?.s) ?? NaN });
    } else if (kind === 'ack') side.timer.push({ kind, time: p.time, s: num(d?.s) ?? NaN });
    else if (kind === 'rtx') side.timer.push({ kind, time: p.time, frames: Array.isArray(d?.s) ? d.s.map((x) => num(x) ?? NaN) : [] });
    else if (side.end === undefined) side.end = { time: p.time, why: String(d?.why), tx: num(d?.tx) ?? NaN, rx: num(d?.rx) ?? NaN, last: num(d?.last) };
    else side.end = { ...side.end, why: `${side.end.why}, then ${String(d?.why)} again` };
    if (kind === 'end') side.timer.push({ kind, time: p.time });
  }
  return conns;
}

/**
 * Rule 6 for one sender: replays its timer from what it probed and says where the sender did
 * otherwise (undefined: it kept to TCP's rule up to `until`).
 */
function retransmissionBreak(side: SideLog, until: Micros): string | undefined {
  const base = side.rto;
  const cap = side.hb;
  if (base === undefined || cap === undefined) return side.tx.length > 0 ? 'sent frames without declaring its rto and backoff cap on opening' : undefined;
  const unacked = new Set<number>();
  let rto = base;
  let deadline: Micros | undefined;
  const list = () => [...unacked].sort((a, b) => a - b).join(',');
  for (const e of side.timer) {
    if (deadline !== undefined && e.time > deadline) return `frames ${list()} unacknowledged, no retransmission at ${deadline / 1000} ms`;
    if (e.kind === 'end') return undefined;
    if (e.kind === 'tx') {
      unacked.add(e.s);
      deadline ??= e.time + rto;
    } else if (e.kind === 'ack') {
      // Only an acknowledgement of new frames moves the timer (RFC 6298 5.3); a sender that probes
      // (and so resets its timer on) an old one backs off less than TCP does under duplicate acks.
      if (![...unacked].some((s) => s <= e.s)) return `took an acknowledgement of no new frame (up to ${e.s}) at ${e.time / 1000} ms as progress`;
      for (const s of [...unacked]) if (s <= e.s) unacked.delete(s);
      rto = base;
      deadline = unacked.size > 0 ? e.time + rto : undefined;
    } else if (e.kind === 'rtx') {
      if (deadline === undefined || e.time !== deadline) return `retransmitted at ${e.time / 1000} ms, its timer said ${deadline === undefined ? 'none' : `${deadline / 1000} ms`}`;
      const again = [...e.frames].sort((a, b) => a - b).join(',');
      if (again !== list()) return `retransmitted frames ${again} at ${e.time / 1000} ms, unacknowledged were ${list()}`;
      rto = Math.min(2 * rto, cap);
      deadline = e.time + rto;
    }
  }
  if (deadline !== undefined && deadline < until) return `frames ${list()} unacknowledged, no retransmission at ${deadline / 1000} ms`;
  return undefined;
}

/**
 * Rule 7 for one side: replays its unacknowledged frames from what it probed and says where it
 * timed out too late or with no reason (undefined: it kept to the user timeout up to `until`).
 */
function userTimeoutBreak(side: SideLog, peer: SideLog, timeout: Micros, until: Micros): string | undefined {
  const hb = side.hb;
  if (hb === undefined || side.open === undefined) return undefined;
  const unacked = new Set<number>();
  /** When the oldest unacknowledged frame began waiting without progress (undefined: none waits). */
  let since: Micros | undefined;
  const heard: Micros[] = [side.open, ...side.rx.map((f) => f.time)];
  for (const e of side.timer) {
    const due = since === undefined ? undefined : since + timeout + hb;
    if (due !== undefined && e.time > due && due <= until) return `frames unacknowledged since ${(since as Micros) / 1000} ms, no timeout close by ${due / 1000} ms`;
    if (e.kind === 'tx') {
      if (unacked.size === 0) since = e.time;
      unacked.add(e.s);
    } else if (e.kind === 'ack') {
      heard.push(e.time);
      for (const s of [...unacked]) if (s <= e.s) unacked.delete(s);
      since = unacked.size > 0 ? e.time : undefined;
    } else if (e.kind === 'end') {
      const end = side.end;
      if (end?.why !== 'timeout') return undefined;
      const t = e.time;
      const silent = heard.every((h) => h > t || h < t - timeout);
      const stuck = since !== undefined && since < t - timeout;
      // Not the opening: frames that arrive early while the side is still connecting open a hole
      // before it is open (waddle-voice-dropout seed 70: frames 2-7 came before the accept, 1 never).
      const lastRx = Math.max(-Infinity, ...side.rx.filter((f) => f.time <= t).map((f) => f.time));
      const lacked = peer.tx.find((f) => f.s === side.rx.filter((r) => r.time <= t).length + 1);
      const hole = lastRx < t - timeout && lacked !== undefined && lacked.time < t - timeout;
      return silent || stuck || hole ? undefined : `timed out at ${t / 1000} ms with no reason: heard within ${timeout / 1000} ms, no frame stuck, no hole`;
    }
  }
  const due = since === undefined ? undefined : since + timeout + hb;
  if (due !== undefined && due < until) return `frames unacknowledged since ${(since as Micros) / 1000} ms, still open at ${until / 1000} ms`;
  return undefined;
}

export function socketStreams(options: SocketStreamOptions): Checker {
  const name = options.name ?? 'socket-streams';
  const prefix = options.prefix ?? 'ws';
  return {
    name,
    check(input: CheckInput): CheckResult {
      const end = input.end ?? Infinity;
      const faults: readonly FaultRecord[] = input.faults ?? [];
      const stoppedIn = (node: string | undefined, from: Micros, to: Micros) =>
        node !== undefined && faults.some((f) => f.node === node && (f.kind === 'crash' || f.kind === 'pause') && f.at <= to && f.until >= from);
      /** A node whose timers ran at another rate in [from, to]: it drifted, paused or crashed (rules 6, 7, 9, 10 do not time it). */
      const offRate = (node: string | undefined, from: Micros, to: Micros) =>
        node !== undefined && faults.some((f) => f.node === node && (f.kind === 'drift' || f.kind === 'pause' || f.kind === 'crash') && f.at <= to && f.until >= from);
      const crashedAfter = (node: string | undefined, t: Micros) => node !== undefined && faults.some((f) => f.node === node && f.kind === 'crash' && f.at >= t);
      const explained = (t: Micros) => faults.some((f) => f.at <= t && Math.min(f.until, input.duration ?? Infinity) >= t - options.faultWindow);
      const conns = collect(input.probes, prefix);
      const broken: Value[] = [];
      const fail = (rule: string, conn: string, what: string, detail: Value = null) => broken.push({ rule, conn, what, detail });
      let frames = 0;
      let retransmissions = 0;
      for (const [id, conn] of [...conns.entries()].sort(([a], [b]) => a.localeCompare(b))) {
        for (const from of SIDES) {
          const to = other(from);
          const snd = conn[from];
          const rcv = conn[to];
          frames += snd.tx.length;
          // 1. integrity
          snd.tx.forEach((f, i) => {
            if (f.s !== i + 1) fail('integrity', id, `${from} sent frame ${f.s} as its frame ${i + 1}`);
            if (snd.end && f.time > snd.end.time) fail('integrity', id, `${from} sent frame ${f.s} after it ended the connection`);
          });
          const sent = new Map(snd.tx.map((f) => [f.s, f]));
          rcv.rx.forEach((f, i) => {
            const tx = sent.get(f.s);
            if (f.s !== i + 1) fail('integrity', id, `${to} delivered frame ${f.s} as its frame ${i + 1} (out of order, twice or after a gap)`);
            else if (!tx || tx.time > f.time) fail('integrity', id, `${to} delivered frame ${f.s} before ${from} sent it`);
            else if (tx.h !== f.h) fail('integrity', id, `${to} delivered frame ${f.s} with other data than ${from} sent`);
            if (rcv.end && f.time > rcv.end.time) fail('integrity', id, `${to} delivered frame ${f.s} after it ended the connection`);
          });
          // 2. clean close
          const e = rcv.end;
          if (e?.why === 'peer') {
            if (e.last === undefined) fail('clean-close', id, `${to} ended on ${from}'s close without its frame count`);
            else {
              if (rcv.rx.length !== e.last || e.rx !== e.last) fail('clean-close', id, `${to} ended on ${from}'s close after ${rcv.rx.length} of its ${e.last} frames`);
              if (snd.end === undefined || snd.end.time > e.time) fail('clean-close', id, `${to} ended on a close ${from} had not made`);
              else if (snd.end.tx !== e.last) fail('clean-close', id, `${from} closed after ${snd.end.tx} frames, ${to} was told ${e.last}`);
            }
          }
          // 3. no silent gap
          const delivered = new Map(rcv.rx.map((f) => [f.s, f.time]));
          for (const f of snd.tx) {
            const by = f.time + options.deliverWithin;
            if (by > end) continue;
            if ((delivered.get(f.s) ?? Infinity) <= by) continue;
            if ((snd.end?.time ?? Infinity) <= by || (rcv.end?.time ?? Infinity) <= by) continue;
            if (stoppedIn(snd.node, f.time, by) || stoppedIn(rcv.node ?? nodeOf(id, to, conn), f.time, by)) continue;
            fail('no-silent-gap', id, `${from}'s frame ${f.s} sent at ${f.time / 1000} ms neither delivered nor its connection ended by ${by / 1000} ms`);
            break;
          }
        }
        for (const side of SIDES) {
          // 6. retransmission
          const s = conn[side];
          const from = s.open ?? 0;
          const to = s.end?.time ?? end;
          const node = s.node ?? nodeOf(id, side, conn);
          const sideOffRate = offRate(node, from, to);
          retransmissions += s.timer.filter((t) => t.kind === 'rtx').length;
          const rtx = sideOffRate || crashedAfter(node, from) ? undefined : retransmissionBreak(s, end);
          if (rtx !== undefined) fail('retransmission', id, `${side}: ${rtx}`);
          // 7. user timeout
          const ut = options.userTimeout === undefined || sideOffRate || crashedAfter(node, from) ? undefined : userTimeoutBreak(s, conn[other(side)], options.userTimeout, end);
          if (ut !== undefined) fail('user-timeout', id, `${side}: ${ut}`);
          const e = s.end;
          if (!e) continue;
          // 4. no unexplained close
          if ((e.why === 'timeout' || e.why === 'reset' || e.why === 'connect-timeout') && !explained(e.time)) {
            fail('explained-close', id, `${side} ended on ${e.why} at ${e.time / 1000} ms with no fault in the ${options.faultWindow / 1000} ms before`);
          } else if (e.why === 'evict' && options.evictionCloses !== true) {
            fail('explained-close', id, `${side} closed it on an eviction at ${e.time / 1000} ms, though an open socket keeps its object in memory`);
          } else if (!['app', 'peer', 'timeout', 'reset', 'connect-timeout', 'evict'].includes(e.why)) {
            fail('explained-close', id, `${side} ended it for no known reason (${e.why})`);
          }
          // 9. no timeout on a live path
          const peer = conn[other(side)];
          const peerNode = peer.node ?? nodeOf(id, other(side), conn);
          if (e.why === 'timeout' && options.livePath !== undefined && options.userTimeout !== undefined && peer.open !== undefined && peer.open < e.time && (peer.end?.time ?? Infinity) >= e.time) {
            const from = e.time - options.userTimeout;
            const gap = offRate(node, from, e.time) || offRate(peerNode, from, e.time) || crashedAfter(peerNode, peer.open) ? 0 : longestFaultFree(faults, from, e.time, input.duration ?? Infinity);
            if (gap > options.livePath) fail('live-path', id, `${side} timed out at ${e.time / 1000} ms after ${gap / 1000} ms without any fault in its ${options.userTimeout / 1000} ms window (a live path carries a heartbeat in ${options.livePath / 1000} ms)`);
          }
        }
        // 8. a close arrives
        const within = options.closeWithin;
        if (within !== undefined) {
          for (const side of SIDES) {
            const e = conn[side].end;
            const peer = conn[other(side)];
            if (!e || (e.why !== 'app' && e.why !== 'evict') || peer.open === undefined || e.time + within > end) continue;
            // A peer whose node crashed since it opened has lost the connection: it has nothing to end
            // (do-conformance-nemesis seed 25: the host restarted 0.8 ms before the client's close).
            if (crashedAfter(peer.node ?? nodeOf(id, other(side), conn), peer.open)) continue;
            if ((peer.end?.time ?? Infinity) <= e.time + within) continue;
            if (faults.some((f) => f.at <= e.time + within && f.until >= e.time)) continue;
            fail('close-arrives', id, `${side} closed it at ${e.time / 1000} ms (${e.why}), with no fault in the way the ${other(side)} had not ended it by ${(e.time + within) / 1000} ms`);
          }
        }
        // 10. a clean close is delivered
        if (options.livePath !== undefined) {
          for (const side of SIDES) {
            const e = conn[side].end;
            const peer = conn[other(side)];
            const pe = peer.end;
            if (!e || (e.why !== 'app' && e.why !== 'evict') || peer.open === undefined || !pe || pe.why !== 'timeout' || pe.time < e.time) continue;
            const nodes = [conn[side].node ?? nodeOf(id, side, conn), peer.node ?? nodeOf(id, other(side), conn)];
            if (nodes.some((n) => offRate(n, Math.min(e.time, peer.open ?? e.time), pe.time))) continue;
            const gap = longestFaultFree(faults, e.time, pe.time, input.duration ?? Infinity);
            if (gap > options.livePath) fail('close-delivered', id, `${side} closed it at ${e.time / 1000} ms (${e.why}); the ${other(side)} timed out at ${pe.time / 1000} ms instead, after ${gap / 1000} ms of a live path`);
          }
        }
        // 5. agreement at rest
        const quiet = Math.max(conn.client.last, conn.host.last) + options.deliverWithin <= end;
        if (quiet && input.end !== undefined && conn.client.open !== undefined) {
          const ended = (s: Side) => conn[s].end !== undefined || crashedAfter(conn[s].node ?? nodeOf(id, s, conn), conn[s].open ?? 0);
          const c = ended('client');
          const h = ended('host');
          if (c !== h) fail('agreement', id, `at the end the ${c ? 'host' : 'client'} still holds it open, the ${c ? 'client' : 'host'} has ended it`);
          else if (!c) {
            for (const from of SIDES) {
              const to = other(from);
              if (conn[to].rx.length !== conn[from].tx.length) fail('agreement', id, `open at the end, ${to} has ${conn[to].rx.length} of ${from}'s ${conn[from].tx.length} frames`);
            }
          }
        }
      }
      if (broken.length === 0) return { name, verdict: 'ok', summary: `${conns.size} connections, ${frames} frames: in order, once, no silent gap, every close explained, ${retransmissions} retransmissions on TCP's timer` };
      const first = broken[0] as { rule: string; conn: string; what: string };
      const rules = [...new Set(broken.map((b) => (b as { rule: string }).rule))].join(', ');
      return {
        name,
        verdict: 'violation',
        summary: `${broken.length} broken socket promise(s) (${rules}); first: ${first.conn}: ${first.what}`,
        evidence: { broken: broken.slice(0, 20) },
      };
    },
  };
}

/** The longest stretch of [from, to] that no fault of the record covers (a fault lasts from `at` to `until`, cut at the run's duration). */
export function longestFaultFree(faults: readonly FaultRecord[], from: Micros, to: Micros, duration: Micros): Micros {
  const spans = faults.map((f) => [Math.max(f.at, from), Math.min(f.until, duration, to)] as const).filter(([a, b]) => a <= b).sort((x, y) => x[0] - y[0]);
  let longest = 0;
  let reached = from;
  for (const [a, b] of spans) {
    longest = Math.max(longest, a - reached);
    reached = Math.max(reached, b);
  }
  return Math.max(longest, to - reached);
}

/** The node a side of a connection runs on when it probed nothing: the client's id opens the connection id. */
function nodeOf(id: string, side: Side, conn: Conn): string | undefined {
  if (side === 'client') return conn.client.node ?? id.split('/')[0];
  return conn.host.node;
}
