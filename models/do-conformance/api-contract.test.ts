import { describe, expect, it } from 'vitest';
import type { ProcessContext } from '../../sim/process.ts';
import type { Value } from '../../sim/value.ts';
import type { ReadyState, WsClient } from '../durable-object/client.ts';
import { API_PROBE, ApiContract } from './api-contract.ts';

// The API promises against a hand-driven socket: an honest one keeps every promise, and each
// breach the contract names is made on purpose once, to see it probed false.

interface Probed {
  readonly ok: boolean;
  readonly what: string;
}

/** A socket that keeps the runtime client's API, unless a test bends one of its methods. */
class FakeWs {
  readyState: ReadyState = 'closed';
  connectionId = '';
  private n = 0;
  onclose: () => void = () => {};
  connect(): void {
    if (this.readyState !== 'closed') return;
    this.connectionId = `c0/e0/${++this.n}`;
    this.readyState = 'connecting';
  }
  send(_data: Value): boolean {
    return this.readyState === 'open';
  }
  close(): void {
    if (this.readyState === 'closed') return;
    this.readyState = 'closed';
    this.onclose();
  }
}

const setup = () => {
  const probes: Probed[] = [];
  const ctx = {
    id: 'c0',
    probe: (name: string, ok: boolean, detail?: Value) => {
      if (name === API_PROBE) probes.push({ ok, what: String((detail as { what?: Value } | undefined)?.what) });
    },
  } as unknown as ProcessContext;
  const api = new ApiContract(ctx);
  const fake = new FakeWs();
  const ws = fake as unknown as WsClient;
  fake.onclose = () => api.onclose(ws);
  const breaches = () => probes.filter((p) => !p.ok).map((p) => p.what);
  /** Connects and opens it as the runtime would (readyState open, then onopen). */
  const opened = () => {
    api.connect(ws);
    fake.readyState = 'open';
    api.onopen(ws);
  };
  return { api, fake, ws, probes, breaches, opened };
};

describe('the API contract', () => {
  it('holds for an honest socket through a whole life: connect, open, messages, sends, hangup, close again, reconnect', () => {
    const { api, ws, probes, breaches, opened } = setup();
    opened();
    api.onmessage(ws);
    expect(api.send(ws, 1)).toBe(true);
    api.reopen(ws);
    api.hangup(ws, true);
    expect(api.send(ws, 2)).toBe(false);
    api.connect(ws);
    expect(breaches()).toEqual([]);
    expect(probes.map((p) => p.what)).toEqual(['reopen', 'hangup', 'close again']);
    expect(api.sentOn('c0/e0/1')).toBe(1);
  });

  it('catches a connect on a closed socket that keeps the old id or does not go connecting, and one on a live socket that changes it', () => {
    const a = setup();
    a.opened();
    a.fake.close();
    a.fake.connect = () => {};
    a.api.connect(a.ws);
    expect(a.breaches()).toEqual(['connect on a closed socket did not start a fresh connection']);

    const b = setup();
    b.fake.connect = function (this: FakeWs) {
      this.connectionId = 'c0/e0/1';
    };
    b.api.connect(b.ws);
    expect(b.breaches()).toEqual(['connect on a closed socket did not start a fresh connection']);

    const c = setup();
    c.opened();
    let k = 8;
    c.fake.connect = function (this: FakeWs) {
      this.connectionId = `c0/e0/${++k}`;
      this.readyState = 'connecting';
    };
    c.api.connect(c.ws);
    c.api.reopen(c.ws);
    expect(c.breaches()).toEqual(['connect on a live socket changed it', 'reopen']);
  });

  it('catches onopen twice, without connect, or with readyState other than open', () => {
    const a = setup();
    a.opened();
    a.api.onopen(a.ws);
    expect(a.breaches()).toEqual(['onopen']);

    const b = setup();
    b.fake.connectionId = 'c0/e0/7';
    b.fake.readyState = 'open';
    b.api.onopen(b.ws);
    expect(b.breaches()).toEqual(['onopen']);

    const c = setup();
    c.api.connect(c.ws);
    c.api.onopen(c.ws);
    expect(c.breaches()).toEqual(['onopen']);
  });

  it('catches onclose twice, for a connection never started, or with readyState other than closed', () => {
    const a = setup();
    a.opened();
    a.fake.close();
    a.api.onclose(a.ws);
    expect(a.breaches()).toEqual(['onclose']);

    const b = setup();
    b.fake.connectionId = 'c0/e0/7';
    b.api.onclose(b.ws);
    expect(b.breaches()).toEqual(['onclose']);

    const c = setup();
    c.opened();
    c.api.onclose(c.ws);
    expect(c.breaches()).toEqual(['onclose']);

    // A connection that never opened may close (a failed upgrade).
    const d = setup();
    d.api.connect(d.ws);
    d.fake.readyState = 'closed';
    d.api.onclose(d.ws);
    expect(d.breaches()).toEqual([]);
  });

  it('catches onmessage before onopen, after onclose, or while readyState is not open', () => {
    const a = setup();
    a.api.connect(a.ws);
    a.api.onmessage(a.ws);
    expect(a.breaches()).toEqual(['onmessage']);

    const b = setup();
    b.opened();
    b.fake.close();
    b.api.onmessage(b.ws);
    expect(b.breaches()).toEqual(['onmessage']);

    const c = setup();
    c.opened();
    c.fake.readyState = 'connecting';
    c.api.onmessage(c.ws);
    expect(c.breaches()).toEqual(['onmessage']);
  });

  it('catches send() returning true when the socket was not open, or false when it was', () => {
    const a = setup();
    a.api.connect(a.ws);
    a.fake.send = () => true;
    a.api.send(a.ws, 1);
    expect(a.breaches()).toEqual(['send']);
    expect(a.api.sentOn(a.ws.connectionId)).toBe(1);

    const b = setup();
    b.opened();
    b.fake.send = () => false;
    b.api.send(b.ws, 1);
    expect(b.breaches()).toEqual(['send']);
    expect(b.api.sentOn(b.ws.connectionId)).toBe(0);
  });

  it('catches a hangup that leaves the socket open, fires no onclose or two, or a second close that fires again', () => {
    const a = setup();
    a.opened();
    a.fake.close = () => {};
    a.api.hangup(a.ws, false);
    expect(a.breaches()).toEqual(['hangup']);

    const b = setup();
    b.opened();
    b.fake.close = function (this: FakeWs) {
      this.readyState = 'closed';
    };
    b.api.hangup(b.ws, false);
    expect(b.breaches()).toEqual(['hangup']);

    const c = setup();
    c.opened();
    c.fake.close = function (this: FakeWs) {
      this.readyState = 'closed';
      this.onclose();
      this.onclose();
    };
    c.api.hangup(c.ws, false);
    expect(c.breaches()).toEqual(['onclose', 'hangup']);

    const d = setup();
    d.opened();
    d.fake.close = function (this: FakeWs) {
      this.readyState = 'closed';
      this.onclose();
    };
    d.api.hangup(d.ws, true);
    expect(d.breaches()).toEqual(['onclose', 'close again']);
  });

  it('catches a message or timer of a socket that no socket, or another socket, claims, and a socket claiming what is not its own', () => {
    const { api, breaches } = setup();
    api.message({ t: 'ws', conn: 'c0/e0/1', seq: 1 }, 'e0');
    api.message({ t: 'http-res', rid: 'x' }, undefined);
    api.timer({ ws: 'e0', conn: 'c0/e0/1' }, 'e0');
    api.timer('next', undefined);
    expect(breaches()).toEqual([]);
    api.message({ t: 'ws', conn: 'c0/e0/1', seq: 1 }, undefined);
    api.message({ t: 'ws', conn: 'c0/e0/1', seq: 1 }, 'e1');
    api.message({ t: 'http-res', rid: 'x' }, 'e0');
    api.timer({ ws: 'e0', conn: 'c0/e0/1' }, undefined);
    api.timer({ ws: 'e0', conn: 'c0/e0/1' }, 'e1');
    api.timer({ reconnect: 'e0' }, 'e0');
    expect(breaches()).toEqual([
      'message not claimed by its socket',
      'message not claimed by its socket',
      'socket claimed a message not its own',
      'timer not claimed by its socket',
      'timer not claimed by its socket',
      'socket claimed a timer not its own',
    ]);
  });
});
