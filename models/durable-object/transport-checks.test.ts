import { describe, expect, it } from 'vitest';
import type { CheckInput, Probe } from '../../sim/check/types.ts';
import type { FaultRecord } from '../../sim/faults.ts';
import type { Value } from '../../sim/value.ts';
import { longestFaultFree, socketStreams } from './transport-checks.ts';

// Hand-made connection stories for the socket-streams check, one per promise, each with the
// verdict it must get. Times are in µs; the bounds are small so the stories stay short.

const C = 'c0/ws/1';
const probe = (time: number, node: string, name: string, detail: Value): Probe => ({ name, time, node, ok: true, detail });
// A base rto past the end of the run unless a story says otherwise: no retransmission is due.
const open = (t: number, by: 'host' | 'client', rto = 100_000, hb = 400_000) => probe(t, by === 'host' ? 'do0' : 'c0', 'ws.open', { c: C, by, rto, hb });
const ack = (t: number, by: 'host' | 'client', s: number) => probe(t, by === 'host' ? 'do0' : 'c0', 'ws.ack', { c: C, by, s });
const rtx = (t: number, by: 'host' | 'client', s: number[]) => probe(t, by === 'host' ? 'do0' : 'c0', 'ws.rtx', { c: C, by, s });
const tx = (t: number, by: 'host' | 'client', s: number, h = s * 10) => probe(t, by === 'host' ? 'do0' : 'c0', 'ws.tx', { c: C, by, s, h });
const rx = (t: number, by: 'host' | 'client', s: number, h = s * 10) => probe(t, by === 'host' ? 'do0' : 'c0', 'ws.rx', { c: C, by, s, h });
const end = (t: number, by: 'host' | 'client', why: string, txn: number, rxn: number, last?: number) =>
  probe(t, by === 'host' ? 'do0' : 'c0', 'ws.end', { c: C, by, why, tx: txn, rx: rxn, ...(last === undefined ? {} : { last }) });
const input = (probes: Probe[], extra: Partial<CheckInput> = {}): CheckInput => ({
  history: [],
  finalStates: new Map(),
  probes,
  budget: { steps: 1_000 },
  duration: 10_000,
  end: 20_000,
  ...extra,
});
const fault = (kind: FaultRecord['kind'], at: number, until: number, node?: string): FaultRecord => ({ kind, at, until, description: kind, ...(node ? { node } : {}) });

const check = socketStreams({ deliverWithin: 1_000, faultWindow: 500 });
const verdict = (probes: Probe[], extra: Partial<CheckInput> = {}) => check.check(input(probes, extra));

/** An honest connection: opened, two frames each way, closed cleanly by the client. */
const honest = (): Probe[] => [
  open(0, 'host'),
  open(10, 'client'),
  tx(20, 'host', 1),
  tx(30, 'client', 1),
  rx(40, 'client', 1),
  rx(45, 'host', 1),
  tx(50, 'host', 2),
  tx(60, 'client', 2),
  rx(70, 'client', 2),
  rx(80, 'host', 2),
  end(100, 'client', 'app', 2, 2),
  end(120, 'host', 'peer', 2, 2, 2),
];

describe('socket-streams', () => {
  it('holds for an honest connection, closed cleanly', () => {
    const r = verdict(honest());
    expect(r.verdict).toBe('ok');
    expect(r.summary).toContain('1 connections, 4 frames');
  });

  describe('integrity', () => {
    it('catches a frame delivered twice', () => {
      const p = honest();
      p.splice(5, 0, rx(41, 'client', 1));
      expect(verdict(p).summary).toContain('integrity');
    });
    it('catches frames delivered out of order', () => {
      const p = [open(0, 'host'), open(10, 'client'), tx(20, 'host', 1), tx(21, 'host', 2), rx(30, 'client', 2), rx(31, 'client', 1), end(100, 'host', 'app', 2, 0), end(120, 'client', 'peer', 0, 2, 2)];
      expect(verdict(p).summary).toContain('out of order');
    });
    it('catches a frame delivered with other data than was sent', () => {
      const p = honest();
      p[4] = rx(40, 'client', 1, 999);
      expect(verdict(p).summary).toContain('other data');
    });
    it('catches a frame delivered before it was sent', () => {
      const p = [open(0, 'host'), open(10, 'client'), rx(15, 'client', 1), tx(20, 'host', 1), end(100, 'host', 'app', 1, 0), end(120, 'client', 'peer', 0, 1, 1)];
      expect(verdict(p).summary).toContain('before host sent it');
    });
    it('catches a sender that skips a sequence number', () => {
      const p = [open(0, 'host'), open(10, 'client'), tx(20, 'host', 2)];
      expect(verdict(p).summary).toContain('sent frame 2 as its frame 1');
    });
    it('catches a frame sent after its side ended the connection', () => {
      const p = [...honest(), tx(130, 'host', 3)];
      expect(verdict(p).summary).toContain('after it ended');
    });
  });

  describe('clean close', () => {
    it('catches a close that takes effect before every frame before it was delivered', () => {
      const p = honest().filter((x) => !(x.name === 'ws.rx' && (x.detail as { by: string; s: number }).by === 'host' && (x.detail as { s: number }).s === 2));
      p[p.length - 1] = end(120, 'host', 'peer', 2, 1, 2);
      const r = verdict(p);
      expect(r.verdict).toBe('violation');
      expect(r.summary).toContain('clean-close');
    });
    it('catches a receiver told another frame count than the closer sent', () => {
      const p = honest();
      p[p.length - 1] = end(120, 'host', 'peer', 2, 2, 3);
      expect(verdict(p).summary).toContain('clean-close');
    });
    it('catches a peer close the other side never made', () => {
      const p = honest().slice(0, 10);
      p.push(end(120, 'host', 'peer', 2, 2, 2));
      expect(verdict(p).summary).toContain('had not made');
    });
  });

  describe('no silent gap', () => {
    it('catches a frame neither delivered nor followed by a close (a lost frame TCP would resend)', () => {
      const p = [open(0, 'host'), open(10, 'client'), tx(20, 'host', 1)];
      const r = verdict(p);
      expect(r.summary).toContain('no-silent-gap');
    });
    it('accepts an undelivered frame when a side ended the connection within the bound', () => {
      // A partition: the host gives up on the frame, and the client, hearing nothing, gives up too.
      const p = [open(0, 'host'), open(10, 'client'), tx(20, 'host', 1), end(900, 'host', 'timeout', 1, 0), end(950, 'client', 'timeout', 0, 0)];
      expect(verdict(p, { faults: [fault('partition', 15, 800)] }).verdict).toBe('ok');
    });
    it('does not ask about a frame whose receiver was paused meanwhile, nor one the run end cuts short', () => {
      expect(verdict([open(0, 'host'), open(10, 'client'), tx(20, 'host', 1)], { faults: [fault('pause', 15, 600, 'c0')] }).summary).not.toContain('no-silent-gap');
      expect(verdict([open(0, 'host'), open(10, 'client'), tx(19_500, 'host', 1)]).summary).not.toContain('no-silent-gap');
    });
  });

  describe('explained close', () => {
    const timedOut = (): Probe[] => [open(0, 'host'), open(10, 'client'), tx(20, 'host', 1), rx(30, 'client', 1), end(5_000, 'client', 'timeout', 0, 1), end(5_100, 'host', 'peer', 1, 0, 0)];
    it('catches a timeout with no fault before it (TCP does not time out on a healthy path)', () => {
      const r = verdict(timedOut());
      expect(r.verdict).toBe('violation');
      expect(r.summary).toContain('explained-close');
      expect(r.summary).toContain('client ended on timeout');
    });
    it('accepts a timeout within the window after a fault, of any node or link', () => {
      expect(verdict(timedOut(), { faults: [fault('partition', 4_000, 4_600)] }).verdict).toBe('ok');
    });
    it('catches a timeout long after the last fault healed', () => {
      expect(verdict(timedOut(), { faults: [fault('partition', 1_000, 2_000)] }).summary).toContain('explained-close');
    });
    it('catches an eviction that closes a socket on a platform that pins objects holding sockets, and accepts it where told', () => {
      const p = [open(0, 'host'), open(10, 'client'), end(500, 'host', 'evict', 0, 0), end(520, 'client', 'peer', 0, 0, 0)];
      expect(verdict(p).summary).toContain('eviction');
      expect(socketStreams({ deliverWithin: 1_000, faultWindow: 500, evictionCloses: true }).check(input(p)).verdict).toBe('ok');
    });
    it('catches a side that ends twice', () => {
      const p = [...honest(), end(130, 'host', 'app', 2, 2)];
      expect(verdict(p).summary).toContain('no known reason');
    });
  });

  describe('agreement at rest', () => {
    it('catches a connection the client still holds open that the host has ended', () => {
      const p = [open(0, 'host'), open(10, 'client'), end(100, 'host', 'app', 0, 0)];
      expect(verdict(p).summary).toContain('agreement');
    });
    it('accepts a host side that vanished in a crash of its node', () => {
      const p = [open(0, 'host'), open(10, 'client'), end(2_000, 'client', 'timeout', 0, 0)];
      expect(verdict(p, { faults: [fault('crash', 1_000, 1_500, 'do0')] }).verdict).toBe('ok');
    });
    it('accepts a connection open on both sides at the end with every frame delivered', () => {
      expect(verdict(honest().slice(0, 10)).verdict).toBe('ok');
    });
  });

  describe('retransmission (TCP timer)', () => {
    /** Every broken promise's text: a story may break rule 3 as well, and the summary names only the first. */
    const broken = (probes: Probe[], extra: Partial<CheckInput> = {}) => JSON.stringify(verdict(probes, extra).evidence ?? '');
    /** The host's rto is 100 µs doubling to 400: frame 1 is lost once, frame 2 gets through. */
    const lossy = (): Probe[] => [
      open(0, 'host', 100, 400),
      open(10, 'client'),
      tx(20, 'host', 1),
      rtx(120, 'host', [1]),
      rx(130, 'client', 1),
      ack(150, 'host', 1),
      tx(200, 'host', 2),
      rx(210, 'client', 2),
      ack(230, 'host', 2),
    ];
    it('holds for retransmissions exactly on the timer, backed off and reset by acknowledgements', () => {
      const r = verdict(lossy());
      expect(r.verdict).toBe('ok');
      expect(r.summary).toContain('1 retransmissions');
      const twice = [open(0, 'host', 100, 150), open(10, 'client'), tx(20, 'host', 1), rtx(120, 'host', [1]), rtx(270, 'host', [1]), rtx(420, 'host', [1]), rx(430, 'client', 1), ack(440, 'host', 1)];
      expect(verdict(twice).verdict).toBe('ok');
    });
    it('catches a retransmission off the timer, or of other frames than the unacknowledged', () => {
      const late = lossy();
      late[3] = rtx(115, 'host', [1]);
      expect(verdict(late).summary).toContain('retransmitted at 0.115 ms, its timer said 0.12 ms');
      const wrong = lossy();
      wrong[3] = rtx(120, 'host', [1, 2]);
      expect(verdict(wrong).summary).toContain('retransmitted frames 1,2 at 0.12 ms, unacknowledged were 1');
      expect(verdict([...lossy(), rtx(400, 'host', [2])]).summary).toContain('its timer said none');
    });
    it('catches a timer not backed off, not reset by an acknowledgement, or that never fires', () => {
      const flat = [open(0, 'host', 100, 400), open(10, 'client'), tx(20, 'host', 1), rtx(120, 'host', [1]), rtx(220, 'host', [1])];
      expect(broken(flat)).toContain('retransmitted at 0.22 ms, its timer said 0.32 ms');
      const kept = [open(0, 'host', 100, 400), open(10, 'client'), tx(20, 'host', 1), tx(30, 'host', 2), rtx(120, 'host', [1, 2]), ack(150, 'host', 1), rtx(470, 'host', [2])];
      expect(broken(kept)).toContain('frames 2 unacknowledged, no retransmission at 0.25 ms');
      expect(broken([open(0, 'host', 100, 400), open(10, 'client'), tx(20, 'host', 1)])).toContain('frames 1 unacknowledged, no retransmission at 0.12 ms');
    });
    it('asks nothing of a side whose node drifted, or after it ended', () => {
      const flat = [open(0, 'host', 100, 400), open(10, 'client'), tx(20, 'host', 1), rtx(120, 'host', [1]), rtx(220, 'host', [1])];
      expect(broken(flat, { faults: [fault('drift', 0, 5_000, 'do0')] })).not.toContain('retransmission');
      expect(broken([open(0, 'host', 100, 400), open(10, 'client'), tx(20, 'host', 1), end(50, 'host', 'app', 1, 0)])).not.toContain('retransmission');
    });
  });

  describe('user timeout (rule 7)', () => {
    // Timeout 500, heartbeat (hb) 400: stuck frames must end the connection by since + 900.
    const timed = socketStreams({ deliverWithin: 100_000, faultWindow: 100_000, userTimeout: 500 });
    const rules = (probes: Probe[], extra: Partial<CheckInput> = {}) => JSON.stringify(timed.check(input(probes, { end: 20_000, ...extra })).evidence ?? '');
    const link = fault('degrade', 0, 10_000);
    it('holds for a side that times out its stuck frames at its next scan', () => {
      const p = [open(0, 'host', 100_000, 400), open(10, 'client', 100_000, 400), tx(100, 'client', 1), end(900, 'client', 'timeout', 1, 0), end(1_000, 'host', 'timeout', 0, 0)];
      expect(rules(p, { faults: [link] })).not.toContain('user-timeout');
    });
    it('catches stuck frames that outlive the timeout and a scan', () => {
      const p = [open(0, 'host', 100_000, 400), open(10, 'client', 100_000, 400), tx(100, 'client', 1), end(1_200, 'client', 'timeout', 1, 0), end(1_300, 'host', 'timeout', 0, 0)];
      expect(rules(p, { faults: [link] })).toContain('no timeout close by 1 ms');
    });
    it('catches a side still open at the end with frames never acknowledged', () => {
      const p = [open(0, 'host', 100_000, 400), open(10, 'client', 100_000, 400), tx(100, 'client', 1)];
      expect(rules(p, { faults: [link] })).toContain('still open');
    });
    it('restarts the wait on an acknowledgement of new frames', () => {
      const p = [open(0, 'host', 100_000, 400), open(10, 'client', 100_000, 400), tx(100, 'client', 1), tx(150, 'client', 2), rx(160, 'host', 1), ack(700, 'client', 1), end(1_500, 'client', 'timeout', 2, 0), end(1_600, 'host', 'timeout', 0, 1)];
      expect(rules(p, { faults: [link] })).not.toContain('user-timeout');
      const late = [...p.slice(0, 6), end(1_700, 'client', 'timeout', 2, 0), end(1_800, 'host', 'timeout', 0, 1)];
      expect(rules(late, { faults: [link] })).toContain('since 0.7 ms');
    });
    it('catches a timeout with no reason: heard within the timeout, nothing stuck, no hole', () => {
      const p = [open(0, 'host', 100_000, 400), open(10, 'client', 100_000, 400), tx(600, 'host', 1), rx(610, 'client', 1), ack(620, 'host', 1), end(800, 'client', 'timeout', 0, 1), end(900, 'host', 'peer', 1, 0, 0)];
      expect(rules(p, { faults: [link] })).toContain('no reason');
    });
    it('takes silence, a hole or a stuck frame as a reason', () => {
      const silent = [open(0, 'host', 100_000, 400), open(10, 'client', 100_000, 400), end(600, 'client', 'timeout', 0, 0), end(700, 'host', 'timeout', 0, 0)];
      expect(rules(silent, { faults: [link] })).not.toContain('user-timeout');
      // The client heard an acknowledgement at 400, but has delivered nothing since it opened and lacks frame 1, sent at 20.
      const hole = [open(0, 'host', 100_000, 400), open(10, 'client', 100_000, 400), tx(20, 'host', 1), tx(30, 'host', 2), ack(400, 'client', 0), end(700, 'client', 'timeout', 0, 0), end(800, 'host', 'timeout', 2, 0)];
      expect(rules(hole, { faults: [link] })).not.toContain('client: timed out');
    });
    it('takes a hole opened while connecting as a reason (waddle-voice-dropout seed 70)', () => {
      const p = [open(0, 'host', 100_000, 400), tx(5, 'host', 1), tx(6, 'host', 2), open(10, 'client', 100_000, 400), end(510, 'client', 'timeout', 0, 0), end(600, 'host', 'timeout', 2, 0)];
      expect(rules(p, { faults: [link] })).not.toContain('client: timed out');
    });
    it('is not asked of a side whose node drifted', () => {
      const p = [open(0, 'host', 100_000, 400), open(10, 'client', 100_000, 400), tx(100, 'client', 1), end(1_200, 'client', 'timeout', 1, 0), end(1_300, 'host', 'timeout', 0, 0)];
      expect(rules(p, { faults: [link, fault('drift', 0, 5_000, 'c0')] })).not.toContain('client: frames');
    });
  });

  describe('a close arrives (rule 8)', () => {
    const prompt = socketStreams({ deliverWithin: 100_000, faultWindow: 100_000, closeWithin: 300 });
    const rules = (probes: Probe[], extra: Partial<CheckInput> = {}) => JSON.stringify(prompt.check(input(probes, extra)).evidence ?? '');
    it('holds when the other side ends soon after a close', () => {
      expect(rules(honest())).not.toContain('close-arrives');
    });
    it('catches a close the other side learns of only much later', () => {
      const p = [...honest().slice(0, 10), end(100, 'client', 'app', 2, 2), end(1_100, 'host', 'peer', 2, 2, 2)];
      expect(rules(p)).toContain('had not ended it by 0.4 ms');
      const evicted = [open(0, 'host'), open(10, 'client'), end(100, 'host', 'evict', 0, 0)];
      expect(rules(evicted)).toContain('(evict)');
    });
    it('is not asked of a side whose node crashed since it opened (do-conformance-nemesis seed 25)', () => {
      const p = [...honest().slice(0, 10), end(100, 'client', 'app', 2, 2)];
      expect(rules(p, { faults: [fault('crash', 90, 95, 'do0')] })).not.toContain('close-arrives');
    });
    it('is not asked while a fault is in the way, or of a side that never opened', () => {
      const p = [...honest().slice(0, 10), end(100, 'client', 'app', 2, 2), end(1_100, 'host', 'peer', 2, 2, 2)];
      expect(rules(p, { faults: [fault('partition', 50, 200)] })).not.toContain('close-arrives');
      expect(rules([open(0, 'host'), end(100, 'host', 'app', 0, 0)])).not.toContain('close-arrives');
    });
  });

  describe('no timeout on a live path (rule 9)', () => {
    // Timeout 500, live path 150: a timeout needs faults over its 500 µs window with no gap past 150.
    const live = socketStreams({ deliverWithin: 100_000, faultWindow: 100_000, userTimeout: 500, livePath: 150 });
    const rules = (probes: Probe[], extra: Partial<CheckInput> = {}) => JSON.stringify(live.check(input(probes, extra)).evidence ?? '');
    // The client's frame is never acknowledged (a sender that stopped retransmitting, or a peer that stopped acknowledging).
    const stuck = (endAt: number) => [open(0, 'host', 100_000, 400), open(10, 'client', 100_000, 400), tx(100, 'client', 1), end(endAt, 'client', 'timeout', 1, 0), end(endAt + 50, 'host', 'peer', 0, 0, 1)];
    it('holds for a timeout whose window a fault covers, gaps shorter than the live path allowed', () => {
      expect(rules(stuck(900), { faults: [fault('degrade', 300, 500), fault('partition', 600, 880)] })).not.toContain('live-path');
    });
    it('catches a timeout after a fault-free stretch longer than the live path, though a fault struck within the fault window', () => {
      const r = rules(stuck(900), { faults: [fault('degrade', 300, 500)] });
      expect(r).toContain('live-path');
      expect(r).toContain('timed out at 0.9 ms after 0.4 ms without any fault');
      expect(r).not.toContain('explained-close');
    });
    it('is not asked where a node of the connection paused, drifted or crashed, or where the peer ended first or never opened', () => {
      expect(rules(stuck(900), { faults: [fault('pause', 500, 600, 'do0')] })).not.toContain('live-path');
      expect(rules(stuck(900), { faults: [fault('drift', 0, 2_000, 'c0')] })).not.toContain('live-path');
      expect(rules(stuck(900), { faults: [fault('crash', 200, 300, 'do0')] })).not.toContain('live-path');
      const peerGone = [open(0, 'host', 100_000, 400), open(10, 'client', 100_000, 400), end(300, 'client', 'app', 0, 0), end(900, 'host', 'timeout', 0, 0)];
      expect(rules(peerGone, { faults: [fault('degrade', 290, 310)] })).not.toContain('live-path');
      const neverOpen = [open(0, 'host', 100_000, 400), end(900, 'host', 'timeout', 0, 0)];
      expect(rules(neverOpen, { faults: [fault('degrade', 0, 10)] })).not.toContain('live-path');
    });
    it('measures the longest stretch no fault covers, overlapping faults merged and cut at the run and the window', () => {
      const f = [fault('partition', 100, 300), fault('degrade', 200, 400), fault('crash', 700, 5_000, 'c0')];
      expect(longestFaultFree(f, 0, 1_000, 10_000)).toBe(300);
      expect(longestFaultFree(f, 250, 1_000, 10_000)).toBe(300);
      expect(longestFaultFree(f, 0, 1_000, 600)).toBe(600);
      expect(longestFaultFree([], 0, 1_000, 10_000)).toBe(1_000);
      expect(longestFaultFree([fault('partition', 0, 2_000)], 500, 1_000, 10_000)).toBe(0);
    });
  });

  describe('a clean close is delivered (rule 10)', () => {
    const live = socketStreams({ deliverWithin: 100_000, faultWindow: 100_000, livePath: 150 });
    const rules = (probes: Probe[], extra: Partial<CheckInput> = {}) => JSON.stringify(live.check(input(probes, extra)).evidence ?? '');
    // The client closes cleanly at 100; the host learns nothing of it and times out at 900.
    const lost = [open(0, 'host'), open(10, 'client'), end(100, 'client', 'app', 0, 0), end(900, 'host', 'timeout', 0, 0)];
    it('catches a close a fault delayed that never arrived once the path was live again', () => {
      const r = rules(lost, { faults: [fault('degrade', 50, 300)] });
      expect(r).toContain('close-delivered');
      expect(r).toContain('timed out at 0.9 ms instead, after 0.6 ms of a live path');
    });
    it('holds when the path was dead from the close to the timeout, or the peer ended on the close', () => {
      expect(rules(lost, { faults: [fault('partition', 50, 850)] })).not.toContain('close-delivered');
      expect(rules(honest(), { faults: [fault('degrade', 50, 300)] })).not.toContain('close-delivered');
    });
    it('is not asked where a node of the connection paused, drifted or crashed meanwhile', () => {
      expect(rules(lost, { faults: [fault('pause', 200, 400, 'do0')] })).not.toContain('close-delivered');
      expect(rules(lost, { faults: [fault('crash', 200, 400, 'c0')] })).not.toContain('close-delivered');
    });
    it('asks it of an eviction close too, and not of a timeout close', () => {
      const evicted = [open(0, 'host'), open(10, 'client'), end(100, 'host', 'evict', 0, 0), end(900, 'client', 'timeout', 0, 0)];
      expect(rules(evicted)).toContain('close-delivered');
      const both = [open(0, 'host'), open(10, 'client'), end(100, 'host', 'timeout', 0, 0), end(900, 'client', 'timeout', 0, 0)];
      expect(rules(both)).not.toContain('close-delivered');
    });
  });

  it('catches an acknowledgement of no new frame taken as progress (rule 6)', () => {
    const dup = [open(0, 'host', 100, 400), open(10, 'client'), tx(20, 'host', 1), ack(50, 'host', 1), tx(60, 'host', 2), ack(80, 'host', 1)];
    expect(JSON.stringify(verdict(dup).evidence ?? '')).toContain('no new frame');
    const fresh = [open(0, 'host', 100, 400), open(10, 'client'), tx(20, 'host', 1), ack(50, 'host', 1), tx(60, 'host', 2), ack(80, 'host', 2)];
    expect(JSON.stringify(verdict(fresh).evidence ?? '')).not.toContain('no new frame');
  });
});
