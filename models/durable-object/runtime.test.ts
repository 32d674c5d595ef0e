import { describe, expect, it } from 'vitest';
import { RandomChoices } from '../../sim/choices.ts';
import { Kernel } from '../../sim/kernel.ts';
import type { NodeSpec, Process, ProcessContext } from '../../sim/process.ts';
import { MS, type NodeId, SECOND, type Value } from '../../sim/value.ts';
import { httpResponse, sendHttp, WsClient } from './client.ts';
import type { NetworkSpec } from '../../sim/network.ts';
import { DEFAULT_DO_PARAMS, type DoClass, type DoRuntimeParams, doNodes, type Gen } from './runtime.ts';

/** A counter DO: `/inc` reads, awaits, writes back; `/mem` reports an in-memory counter. */
function counterClass(gated: boolean): DoClass {
  return {
    name: 'Counter',
    create(state) {
      let mem = 0;
      function* inc(): Gen<number> {
        const n = ((yield* state.get('n')) as number | undefined) ?? 0;
        yield* state.put('n', n + 1);
        return n + 1;
      }
      return {
        *fetch(req) {
          if (req.path === '/mem') return { status: 200, body: ++mem };
          const v = gated ? yield* state.blockConcurrencyWhile(inc) : yield* inc();
          return { status: 200, body: v };
        },
      };
    },
  };
}

interface Seen {
  rid: string;
  at: number;
  body: Value;
}

/** Sends the given requests at the given times; records responses and socket closes. */
function driver(plan: readonly { at: number; path: string }[], seen: Seen[], events: string[], ws = false): NodeSpec['create'] {
  return (ctx: ProcessContext): Process => {
    const sock = new WsClient(ctx, { worker: 'worker', cls: 'Counter', name: 'x', params: null, heartbeat: SECOND, timeout: 3 * SECOND, connectTimeout: 3 * SECOND }, 't');
    sock.handlers = { onopen: () => events.push(`open@${ctx.now()}`), onclose: () => events.push(`close@${ctx.now()}`) };
    return {
      onStart() {
        plan.forEach((p, i) => ctx.setTimer(p.at, { i }));
        if (ws) sock.connect();
      },
      onTimer(tag) {
        if (sock.handleTimer(tag)) return;
        const i = (tag as { i: number }).i;
        sendHttp(ctx, 'worker', 'Counter', 'x', `r${i}`, (plan[i] as { path: string }).path, null);
      },
      onMessage(_f, msg) {
        if (sock.handleMessage(msg)) return;
        const r = httpResponse(msg);
        if (r) seen.push({ rid: r.rid, at: ctx.now(), body: r.body });
      },
    };
  };
}

function run(cls: DoClass, plan: readonly { at: number; path: string }[], until: number, params: Partial<DoRuntimeParams> = {}, ws = false, seed = 1) {
  const seen: Seen[] = [];
  const events: string[] = [];
  const nodes: NodeSpec[] = [
    ...doNodes({ classes: [cls], params: { ...DEFAULT_DO_PARAMS, storage: { min: 2 * MS, max: 2 * MS }, ...params } }),
    { id: 'c0', role: 'client', create: driver(plan, seen, events, ws) },
  ];
  const k = new Kernel({ nodes, network: { default: { latency: { kind: 'fixed', us: 1 * MS } } }, choices: new RandomChoices(seed) });
  k.start();
  k.runUntil(until);
  return { k, seen, events };
}

describe('durable object runtime', () => {
  it('lets another event run at an await: two concurrent read-modify-writes lose an update', () => {
    const { k, seen } = run(counterClass(false), [{ at: 200 * MS, path: '/inc' }, { at: 200 * MS, path: '/inc' }], 2 * SECOND);
    expect(seen.map((s) => s.body)).toEqual([1, 1]);
    expect(k.storageOf('do0').get('Counter:x|n')).toBe(1);
  });

  it('blockConcurrencyWhile closes the input gate: the same two commands serialise', () => {
    const { k, seen } = run(counterClass(true), [{ at: 200 * MS, path: '/inc' }, { at: 200 * MS, path: '/inc' }], 2 * SECOND);
    expect(seen.map((s) => s.body).sort()).toEqual([1, 2]);
    expect(k.storageOf('do0').get('Counter:x|n')).toBe(2);
  });

  it('pays a cold start on the first request', () => {
    const { seen } = run(counterClass(false), [{ at: 0, path: '/mem' }], 1 * SECOND, { coldStart: 100 * MS });
    // 1 ms to the worker, 1 ms to the host, 100 ms cold start, 1 ms back.
    expect(seen[0]?.at).toBe(103 * MS);
  });

  it('evicts after idle: memory is gone, storage is kept, and the next request cold-starts again', () => {
    const plan = [
      { at: 0, path: '/mem' },
      { at: 0, path: '/inc' },
      { at: 500 * MS, path: '/mem' },
      { at: 5 * SECOND, path: '/mem' },
      { at: 5 * SECOND, path: '/inc' },
    ];
    const { seen } = run(counterClass(false), plan, 10 * SECOND, { idleEvict: 2 * SECOND, coldStart: 100 * MS });
    const by = Object.fromEntries(seen.map((s) => [s.rid, s]));
    expect(by.r0?.body).toBe(1);
    expect(by.r2?.body).toBe(2);
    expect(by.r3?.body).toBe(1); // memory was dropped
    expect(by.r4?.body).toBe(2); // storage was kept
    expect((by.r3?.at ?? 0) - 5 * SECOND).toBeGreaterThanOrEqual(100 * MS);
  });

  it('closes WebSockets when it evicts the instance; heartbeats do not keep it alive (socketsPin off)', () => {
    const { events } = run(counterClass(false), [], 5 * SECOND, { idleEvict: 2 * SECOND, socketsPin: false }, true);
    expect(events[0]).toMatch(/^open@/);
    expect(events[1]).toMatch(/^close@/);
    const closedAt = Number(events[1]?.split('@')[1]);
    expect(closedAt).toBeGreaterThan(2 * SECOND);
    expect(closedAt).toBeLessThan(2.5 * SECOND);
  });

  it('an open WebSocket keeps the instance in memory by default (standard WebSocket API)', () => {
    const { events } = run(counterClass(false), [], 5 * SECOND, { idleEvict: 2 * SECOND }, true);
    expect(events[0]).toMatch(/^open@/);
    expect(events.filter((e) => e.startsWith('close@'))).toEqual([]);
  });

  it('completes storage operations in issue order, also when they fall on the same instant (20 seeds)', () => {
    // Storage takes a fixed 2 ms and the network a fixed 1 ms: the requests arrive together and
    // their gets and puts complete at the same instants, which the kernel orders by a choice.
    const REQS = 4;
    for (let seed = 1; seed <= 20; seed++) {
      const issued: number[] = [];
      const read: number[] = [];
      const written: number[] = [];
      const cls: DoClass = {
        name: 'Counter',
        create: (state) => ({
          *fetch() {
            const me = issued.length;
            issued.push(me);
            yield* state.get(`k${me}`);
            read.push(me);
            yield* state.put(`k${me}`, me);
            written.push(me);
            return { status: 200, body: me };
          },
        }),
      };
      const plan = Array.from({ length: REQS }, () => ({ at: 200 * MS, path: '/w' }));
      const { seen } = run(cls, plan, 2 * SECOND, {}, false, seed);
      expect(seen.length, `seed ${seed}`).toBe(REQS);
      expect(read, `seed ${seed}: gets`).toEqual(issued);
      expect(written, `seed ${seed}: puts`).toEqual(issued);
    }
  });

  describe('a clean close is ordered behind the frames sent before it (as on one TCP stream)', () => {
    const FRAMES = 8;
    // Every message takes an extra delay of up to 80 ms: a close sent right after a burst of
    // frames overtakes some of them on most seeds.
    const reordering: NetworkSpec = { default: { latency: { kind: 'uniform', min: 1 * MS, max: 5 * MS }, reorder: 1, reorderWindow: 80 * MS } };

    /**
     * A DO that logs what its socket handlers see; frame 'burst' makes it send FRAMES frames and
     * close. `gated`: each frame is handled under blockConcurrencyWhile with a storage write, so
     * later frames (and the close) wait in the instance's queue.
     */
    const echoClass = (log: string[], onClose: (at: number) => void = () => {}, gated = false): DoClass => ({
      name: 'Echo',
      create: (state) => ({
        *webSocketOpen() {
          log.push('open');
        },
        *webSocketMessage(ws, data) {
          log.push(`msg:${String(data)}`);
          if (gated) yield* state.blockConcurrencyWhile(() => state.put('last', data));
          if (data === 'burst') {
            for (let i = 1; i <= FRAMES; i++) ws.send(i);
            ws.close();
          }
        },
        *webSocketClose() {
          log.push('close');
          onClose(state.now());
        },
      }),
    });

    type CloseWhen = 'never' | 'after-frames' | 'before-open';
    /** On open: sends `frames` (then closes, or closes at once after connecting); logs what it receives and its onclose. */
    const socketDriver = (frames: readonly Value[], close: CloseWhen, log: string[]): NodeSpec['create'] => (ctx: ProcessContext): Process => {
      const sock = new WsClient(ctx, { worker: 'worker', cls: 'Echo', name: 'e', params: null, heartbeat: SECOND, timeout: 3 * SECOND, connectTimeout: 3 * SECOND }, 't');
      sock.handlers = {
        onopen() {
          for (const f of frames) sock.send(f);
          if (close === 'after-frames') sock.close();
        },
        onmessage: (d) => log.push(`msg:${String(d)}`),
        onclose: () => log.push('close'),
      };
      return {
        onStart() {
          sock.connect();
          if (close === 'before-open') sock.abandon();
        },
        onTimer: (tag) => void sock.handleTimer(tag),
        onMessage: (_f, msg) => void sock.handleMessage(msg),
      };
    };

    /**
     * Runs the echo; `overtook` says whether the network delivered a ws-close before a ws frame of
     * the same connection and direction (read from the kernel's trace), i.e. whether the ordering
     * was actually put to the test on this seed.
     */
    const runEcho = (seed: number, frames: readonly Value[], close: CloseWhen, gated = false) => {
      const host: string[] = [];
      const client: string[] = [];
      const nodes: NodeSpec[] = [
        ...doNodes({ classes: [echoClass(host, undefined, gated)], params: { ...DEFAULT_DO_PARAMS, coldStart: 0 } }),
        { id: 'c0', role: 'client', create: socketDriver(frames, close, client) },
      ];
      const closed = new Set<string>();
      let overtook = false;
      const traceSink = {
        write(line: string) {
          const e = JSON.parse(line) as { k?: string; node?: string; other?: string; detail?: { t?: string; conn?: unknown } };
          if (e.k !== 'deliver') return;
          // One direction of one connection: receiver, sender and connection.
          const link = JSON.stringify([e.node, e.other, e.detail?.conn]);
          if (e.detail?.t === 'ws-close') closed.add(link);
          else if (e.detail?.t === 'ws' && closed.has(link)) overtook = true;
        },
      };
      const k = new Kernel({ nodes, network: reordering, choices: new RandomChoices(seed), traceSink });
      k.start();
      k.runUntil(2 * SECOND);
      return { host, client, overtook };
    };

    const burst = Array.from({ length: FRAMES }, (_, i) => `msg:${i + 1}`);

    it('client -> host: every frame sent before the close reaches the object before webSocketClose', () => {
      let overtaken = 0;
      for (let seed = 1; seed <= 20; seed++) {
        const { host, overtook } = runEcho(seed, Array.from({ length: FRAMES }, (_, i) => i + 1), 'after-frames');
        expect({ seed, host }).toEqual({ seed, host: ['open', ...burst, 'close'] });
        if (overtook) overtaken++;
      }
      expect(overtaken, 'the network must make the close overtake frames on some seeds').toBeGreaterThan(0);
    });

    it('client -> host: frames still waiting behind the input gate when the close arrives are handled before webSocketClose', () => {
      for (let seed = 1; seed <= 20; seed++) {
        const { host } = runEcho(seed, Array.from({ length: FRAMES }, (_, i) => i + 1), 'after-frames', true);
        expect({ seed, host }).toEqual({ seed, host: ['open', ...burst, 'close'] });
      }
    });

    it('host -> client: every frame the object sent before ws.close() reaches the client before onclose', () => {
      let overtaken = 0;
      for (let seed = 1; seed <= 20; seed++) {
        const { host, client, overtook } = runEcho(seed, ['burst'], 'never');
        expect(host.slice(0, 2)).toEqual(['open', 'msg:burst']);
        expect({ seed, client }).toEqual({ seed, client: [...burst, 'close'] });
        if (overtook) overtaken++;
      }
      expect(overtaken, 'the network must make the close overtake frames on some seeds').toBeGreaterThan(0);
    });

    it('a close that overtakes the upgrade closes the connection as soon as it opens (no half-open socket until the timeout)', () => {
      for (let seed = 1; seed <= 20; seed++) {
        let closedAt = 0;
        const host: string[] = [];
        const nodes: NodeSpec[] = [
          ...doNodes({ classes: [echoClass(host, (at) => (closedAt = at))], params: { ...DEFAULT_DO_PARAMS, coldStart: 0 } }),
          { id: 'c0', role: 'client', create: socketDriver([], 'before-open', []) },
        ];
        const k = new Kernel({ nodes, network: reordering, choices: new RandomChoices(seed) });
        k.start();
        k.runUntil(2 * SECOND);
        expect({ seed, host }).toEqual({ seed, host: ['open', 'close'] });
        expect(closedAt).toBeLessThan(200 * MS);
      }
    });

    it('a clean close on a lossy link still delivers every frame before it: it carries the unacknowledged ones and is sent again until the host answers (TCP FIN_WAIT)', () => {
      const lossy: NetworkSpec = { default: { ...reordering.default, loss: 0.15 } };
      let resent = 0;
      for (let seed = 1; seed <= 30; seed++) {
        const host: string[] = [];
        let closes = 0;
        const driver = socketDriver(Array.from({ length: FRAMES }, (_, i) => i + 1), 'after-frames', []);
        // The client's context, counting the closes it sends.
        const counting = (ctx: ProcessContext): ProcessContext =>
          new Proxy(ctx, {
            get(target, key) {
              if (key === 'send') return (to: NodeId, msg: Value) => {
                if ((msg as { t?: unknown } | null)?.t === 'ws-close') closes++;
                target.send(to, msg);
              };
              const v: unknown = Reflect.get(target, key);
              return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
            },
          });
        const nodes: NodeSpec[] = [
          ...doNodes({ classes: [echoClass(host)], params: { ...DEFAULT_DO_PARAMS, coldStart: 0 } }),
          { id: 'c0', role: 'client', create: (ctx) => driver(counting(ctx)) },
        ];
        let accepted = false;
        const traceSink = {
          write(line: string) {
            const e = JSON.parse(line) as { k?: string; node?: string; detail?: { t?: string } };
            if (e.k === 'deliver' && e.node === 'c0' && e.detail?.t === 'ws-accept') accepted = true;
          },
        };
        const k = new Kernel({ nodes, network: lossy, choices: new RandomChoices(seed), traceSink });
        k.start();
        k.runUntil(6 * SECOND);
        // The upgrade or its accept was lost: the client never opened (and never closed cleanly).
        if (!accepted) continue;
        if (closes > 1) resent++;
        expect({ seed, host }).toEqual({ seed, host: ['open', ...burst, 'close'] });
      }
      // Some seeds lose the close or its answer (and so send it again).
      expect(resent).toBeGreaterThan(0);
    });

    it('honest TCP: on a lossy link every frame still arrives, in order, both ways, and no connection closes (loss is delay)', () => {
      const lossy: NetworkSpec = { default: { ...reordering.default, loss: 0.2 } };
      let retransmitted = 0;
      for (let seed = 1; seed <= 20; seed++) {
        const host: string[] = [];
        const client: string[] = [];
        const nodes: NodeSpec[] = [
          ...doNodes({ classes: [echoClass(host)], params: { ...DEFAULT_DO_PARAMS, coldStart: 0 } }),
          { id: 'c0', role: 'client', create: socketDriver([...Array.from({ length: FRAMES }, (_, i) => i + 1), 'burst'], 'never', client) },
        ];
        let lost = 0;
        const traceSink = {
          write(line: string) {
            if ((JSON.parse(line) as { k?: string }).k === 'lost') lost++;
          },
        };
        const k = new Kernel({ nodes, network: lossy, choices: new RandomChoices(seed), traceSink });
        k.start();
        k.runUntil(2500 * MS);
        // The upgrade or its accept was lost: a handshake, which the client's connect timeout (3 s) retries.
        if (host.length <= 1 && client.length === 0) continue;
        // The object sees every frame in order; the client gets the burst and then the close the object sent after it.
        expect({ seed, host: host.slice(0, FRAMES + 2) }).toEqual({ seed, host: ['open', ...burst, 'msg:burst'] });
        expect({ seed, client }).toEqual({ seed, client: [...burst, 'close'] });
        if (lost > 0) retransmitted++;
      }
      expect(retransmitted, 'some seeds must have lost and retransmitted a frame').toBeGreaterThan(0);
    });

    it('honest TCP: a dead path ends the connection on both sides after the timeout, never a silent gap', () => {
      for (let seed = 1; seed <= 10; seed++) {
        const host: string[] = [];
        const client: string[] = [];
        let closedAt = 0;
        const nodes: NodeSpec[] = [
          ...doNodes({ classes: [echoClass(host, (at) => (closedAt = at))], params: { ...DEFAULT_DO_PARAMS, coldStart: 0 } }),
          { id: 'c0', role: 'client', create: socketDriver([1], 'never', client) },
        ];
        const k = new Kernel({ nodes, network: reordering, choices: new RandomChoices(seed) });
        k.start();
        k.runUntil(500 * MS);
        expect(host).toEqual(['open', 'msg:1']);
        k.partition({ shape: 'groups', groups: [['c0'], ['worker', 'do0']] });
        k.runUntil(500 * MS + DEFAULT_DO_PARAMS.wsTimeout + 2 * DEFAULT_DO_PARAMS.heartbeat + 100 * MS);
        expect({ seed, host, client }).toEqual({ seed, host: ['open', 'msg:1', 'close'], client: ['close'] });
        expect(closedAt).toBeGreaterThan(500 * MS + DEFAULT_DO_PARAMS.wsTimeout);
      }
    });
  });
});
