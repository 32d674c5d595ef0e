import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RandomChoices, ReplayChoices } from './choices.ts';
import { Kernel } from './kernel.ts';
import type { NetworkSpec } from './network.ts';
import type { NodeSpec, ProcessContext } from './process.ts';
import type { TraceSink } from './trace.ts';
import { isTorn } from './storage.ts';
import type { Value } from './value.ts';

/** Collects trace lines as parsed objects. */
function collector(): TraceSink & { events: Record<string, Value>[] } {
  const events: Record<string, Value>[] = [];
  return { events, write: (line) => events.push(JSON.parse(line) as Record<string, Value>) };
}

/** Each node sends `count` numbered messages to every other node, one every 1 ms. */
function chatty(count: number): NodeSpec['create'] {
  return (ctx: ProcessContext) => {
    let sent = 0;
    return {
      onStart: () => void ctx.setTimer(1000, 'tick'),
      onTimer() {
        for (const to of ctx.nodes()) if (to !== ctx.id) ctx.send(to, { from: ctx.id, n: sent });
        sent++;
        if (sent < count) ctx.setTimer(1000, 'tick');
      },
      onMessage() {},
    };
  };
}

const lan: NetworkSpec = { default: { latency: { kind: 'lognormal', median: 500, sigma: 1, min: 50 } } };
const nodes = (n: number, create: NodeSpec['create']): NodeSpec[] =>
  Array.from({ length: n }, (_, i) => ({ id: `n${i}`, role: 'server', create }));

describe('network', () => {
  it('with no faults every message arrives exactly once', () => {
    fc.assert(
      fc.property(fc.nat(1_000_000), (seed) => {
        const sink = collector();
        const k = new Kernel({ nodes: nodes(4, chatty(20)), network: lan, choices: new RandomChoices(seed), traceSink: sink });
        k.start();
        k.runUntil(1_000_000);
        const delivered = sink.events.filter((e) => e['k'] === 'deliver').map((e) => e['id'] as number);
        expect(k.network.counters.sent).toBe(4 * 3 * 20);
        expect(new Set(delivered).size).toBe(delivered.length);
        expect(delivered.length).toBe(k.network.counters.sent);
        expect(k.network.counters.dropped).toBe(0);
      }),
      { numRuns: 20, seed: 42 },
    );
  });

  it('under a partition nothing crosses it, and traffic resumes after the heal', () => {
    const sink = collector();
    const k = new Kernel({ nodes: nodes(4, chatty(400)), network: lan, choices: new RandomChoices(3), traceSink: sink });
    k.start();
    let id = -1;
    k.at(100_000, () => (id = k.partition({ shape: 'groups', groups: [['n0', 'n1'], ['n2', 'n3']] })));
    k.at(300_000, () => k.heal(id));
    k.runUntil(1_000_000);
    const side = (n: Value) => (n === 'n0' || n === 'n1' ? 'a' : 'b');
    const crossing = sink.events.filter((e) => e['k'] === 'deliver' && side(e['node'] ?? null) !== side(e['other'] ?? null));
    const during = crossing.filter((e) => (e['t'] as number) >= 100_000 && (e['t'] as number) < 300_000);
    expect(during).toEqual([]);
    expect(crossing.some((e) => (e['t'] as number) > 300_000)).toBe(true);
    expect(k.network.counters.droppedPartition).toBeGreaterThan(0);
  });

  it('one-way partitions cut one direction only', () => {
    const sink = collector();
    const k = new Kernel({ nodes: nodes(2, chatty(50)), network: lan, choices: new RandomChoices(5), traceSink: sink });
    k.start();
    k.at(0, () => k.partition({ shape: 'one-way', from: ['n0'], to: ['n1'] }));
    k.runUntil(1_000_000);
    const delivered = sink.events.filter((e) => e['k'] === 'deliver');
    expect(delivered.filter((e) => e['other'] === 'n0')).toEqual([]);
    expect(delivered.filter((e) => e['other'] === 'n1').length).toBe(50);
  });

  it('loss and duplication are counted and consistent', () => {
    const k = new Kernel({
      nodes: nodes(3, chatty(200)),
      network: { default: { latency: { kind: 'fixed', us: 300 }, loss: 0.2, duplicate: 0.1 } },
      choices: new RandomChoices(9),
    });
    k.start();
    k.runUntil(2_000_000);
    const c = k.network.counters;
    expect(c.droppedLoss).toBeGreaterThan(0);
    expect(c.duplicated).toBeGreaterThan(0);
    expect(c.delivered).toBe(c.sent - c.droppedLoss + c.duplicated);
  });

  it('a clog slows a link without cutting it', () => {
    const arrival = (clog: boolean) => {
      const sink = collector();
      const k = new Kernel({ nodes: nodes(2, chatty(1)), network: { default: { latency: { kind: 'fixed', us: 300 } } }, choices: new ReplayChoices([]), traceSink: sink });
      k.start();
      if (clog) k.clog(['n0'], ['n1'], 50_000);
      k.runUntil(1_000_000);
      return sink.events.filter((e) => e['k'] === 'deliver').map((e) => e['t']);
    };
    expect(arrival(false)).toEqual([1300, 1300]);
    expect(arrival(true)).toEqual([51_300, 51_300]);
  });
});

describe('processes', () => {
  /** A process that writes a counter to storage on every tick and syncs every `syncEvery` writes. */
  const writer = (syncEvery: number) => (ctx: ProcessContext) => {
    let i = (ctx.storage.get('count') as number | undefined) ?? 0;
    return {
      onStart: () => void ctx.setTimer(1000, 'w'),
      onTimer() {
        i++;
        ctx.storage.put(`k${i}`, i);
        ctx.storage.put('count', i);
        if (i % syncEvery === 0) ctx.storage.sync();
        ctx.setTimer(1000, 'w');
      },
      onMessage() {},
      observedState: () => i,
    };
  };

  it('a crash keeps synced writes and loses exactly the unsynced writes the choices say', () => {
    // Run a writer for 7 ticks: 14 writes, synced after tick 5, so ticks 6 and 7 (4 writes) are
    // unsynced. Drive the crash from a replay sequence that says: lose some (1), lose 1 more
    // than the newest (1 -> 2 writes lost), no torn write (0).
    const k = new Kernel({ nodes: [{ id: 'w', role: 'server', create: writer(5) }], network: lan, choices: new ReplayChoices([]), unsyncedLossRate: 0.5 });
    k.start();
    k.runUntil(7_500);
    expect(k.storageOf('w').unsynced).toBe(4);
    const replay = new ReplayChoices([1, 1, 0]);
    const loss = k.storageOf('w').crash(replay, 0.5);
    expect(loss.lost).toEqual(['k7', 'count']);
    expect(loss.torn).toBeUndefined();
    const s = k.storageOf('w');
    expect(s.get('k6')).toBe(6);
    expect(s.get('count')).toBe(6);
    expect(s.get('k7')).toBeUndefined();
  });

  it('a crash with no loss chosen keeps every write; a torn write leaves the marker', () => {
    const k = new Kernel({ nodes: [{ id: 'w', role: 'server', create: writer(100) }], network: lan, choices: new ReplayChoices([]) });
    k.start();
    k.runUntil(3_500);
    const kept = k.storageOf('w').crash(new ReplayChoices([0]), 0.5);
    expect(kept.lost).toEqual([]);
    expect(k.storageOf('w').get('count')).toBe(3);
    k.runUntil(6_500); // the node is still "up" in the kernel: it keeps writing
    // lose some (1), only the newest (0), tear the one before it (1)
    const torn = k.storageOf('w').crash(new ReplayChoices([1, 0, 1]), 0.5);
    expect(torn.lost).toEqual(['count']);
    expect(torn.torn).toBe('k6');
    expect(isTorn(k.storageOf('w').get('k6'))).toBe(true);
  });

  it('crash discards memory and timers; restart rebuilds from durable storage only', () => {
    const k = new Kernel({ nodes: [{ id: 'w', role: 'server', create: writer(2) }], network: lan, choices: new RandomChoices(1) });
    k.start();
    k.runUntil(4_500); // 4 ticks, all synced
    k.crash('w');
    const steps = k.steps;
    k.runUntil(20_000);
    expect(k.steps).toBe(steps); // no timer of the dead incarnation fired
    expect(k.finalStates().size).toBe(0);
    k.restart('w');
    k.runUntil(21_500);
    expect(k.finalStates().get('w')).toBe(5); // resumed from count = 4
  });

  it('a pause delays timers and inbound messages until it ends, and the clock keeps running', () => {
    const seen: number[] = [];
    const k = new Kernel({
      nodes: [
        { id: 'a', role: 'server', create: chatty(30) },
        { id: 'b', role: 'server', create: (ctx) => ({ onMessage: () => void seen.push(ctx.now()) }) },
      ],
      network: { default: { latency: { kind: 'fixed', us: 100 } } },
      choices: new ReplayChoices([]),
    });
    k.start();
    k.at(5_050, () => k.pause('b', 10_000));
    k.runUntil(100_000);
    expect(seen.length).toBe(30);
    expect(seen.filter((t) => t > 5_050 && t < 15_050)).toEqual([]);
    expect(seen.filter((t) => t === 15_050).length).toBe(10); // everything queued arrives at the end
  });

  it('skew and drift are visible only through the skewed node clock', () => {
    const k = new Kernel({ nodes: nodes(2, chatty(1)), network: lan, choices: new ReplayChoices([]) });
    k.start();
    k.runUntil(10_000);
    k.skew('n0', 250_000);
    expect(k.clockOf('n0')).toBe(260_000);
    expect(k.clockOf('n1')).toBe(10_000);
    expect(k.now).toBe(10_000);
    k.drift('n1', 0.5);
    k.runUntil(20_000);
    expect(k.clockOf('n1')).toBe(25_000);
    expect(k.clockOf('n0')).toBe(270_000);
    expect(k.now).toBe(20_000);
  });

  it('timers run on the local clock: a fast clock fires its timers early in real time', () => {
    const fired: number[] = [];
    const k = new Kernel({
      nodes: [{ id: 'x', role: 'server', create: (ctx) => ({ onStart: () => void ctx.setTimer(100_000, 't'), onTimer: () => void fired.push(ctx.now()), onMessage() {} }) }],
      network: lan,
      choices: new ReplayChoices([]),
    });
    k.drift('x', 1); // twice as fast
    k.start();
    k.runUntil(1_000_000);
    expect(fired).toEqual([100_000]);
    expect(k.steps).toBe(2);
  });
});

describe('history', () => {
  it('a client with two operations in flight records them as two processes; info retires a process', () => {
    const k = new Kernel({
      nodes: [
        {
          id: 'c',
          role: 'client',
          create: (ctx) => ({
            onStart() {
              const a = ctx.history.invoke('write', 'x', 1);
              const b = ctx.history.invoke('read', 'x', null);
              ctx.history.ok(a, null);
              ctx.history.info(b);
              const c = ctx.history.invoke('read', 'x', null); // reuses a's idle process
              ctx.history.ok(c, 1);
              const d = ctx.history.invoke('read', 'x', null);
              const e = ctx.history.invoke('read', 'x', null); // b's process is retired: a new one
              ctx.history.ok(d, 1);
              ctx.history.ok(e, 1);
            },
            onMessage() {},
          }),
        },
      ],
      network: lan,
      choices: new ReplayChoices([]),
    });
    k.start();
    k.runUntil(1);
    const procs = k.history.events.map((e) => `${e.type}:${e.process}`);
    expect(procs).toEqual(['invoke:0', 'invoke:1', 'ok:0', 'info:1', 'invoke:0', 'ok:0', 'invoke:0', 'invoke:2', 'ok:0', 'ok:2']);
  });
});
