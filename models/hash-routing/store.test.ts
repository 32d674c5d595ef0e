import { describe, expect, it } from 'vitest';
import { RandomChoices } from '../../sim/choices.ts';
import { Kernel } from '../../sim/kernel.ts';
import type { NodeSpec, Process, ProcessContext } from '../../sim/process.ts';
import { MS, type Value } from '../../sim/value.ts';
import type { StoreReq } from './protocol.ts';
import { hashStore, type StoreOptions } from './store.ts';

/** A scripted worker: sends each planned message to the store at its time, records replies. */
function scripted(plan: readonly { at: number; msg: StoreReq }[], got: Value[]) {
  return (ctx: ProcessContext): Process => ({
    onStart() {
      plan.forEach((p, i) => ctx.setTimer(p.at, i));
    },
    onTimer(tag) {
      ctx.send('store', (plan[tag as number] as { msg: StoreReq }).msg);
    },
    onMessage(_from, msg) {
      got.push(msg);
    },
  });
}

const put = (nonce: number, epoch: number, value: number, req: number, client = 'c0'): StoreReq => ({ type: 'put', key: 'd', nonce, value, epoch, client, req });

function run(opts: StoreOptions, a: { at: number; msg: StoreReq }[], b: { at: number; msg: StoreReq }[]) {
  const gotA: Value[] = [];
  const gotB: Value[] = [];
  const nodes: NodeSpec[] = [
    { id: 'store', role: 'store', create: hashStore(opts) },
    { id: 'wA', role: 'worker', create: scripted(a, gotA) },
    { id: 'wB', role: 'worker', create: scripted(b, gotB) },
  ];
  const k = new Kernel({ nodes, network: { default: { latency: { kind: 'fixed', us: 1 * MS } } }, choices: new RandomChoices(1) });
  k.start();
  k.runUntil(100 * MS);
  return { gotA, gotB, probes: k.probes.map((p) => p.detail) };
}

// A activates d, B takes it over, then A (the previous owner) tries to write and to read.
const A = [
  { at: 1 * MS, msg: { type: 'load', key: 'd', nonce: 1 } as StoreReq },
  { at: 20 * MS, msg: put(2, 1, 1, 1) },
  { at: 30 * MS, msg: { type: 'check', key: 'd', nonce: 3, epoch: 1 } as StoreReq },
];
const B = [
  { at: 10 * MS, msg: { type: 'load', key: 'd', nonce: 1 } as StoreReq },
  { at: 40 * MS, msg: put(2, 2, 1, 1, 'c1') },
  { at: 50 * MS, msg: put(3, 2, 1, 1, 'c1') }, // the same client operation again (a retry)
];

describe('hash-routing store: ownership epochs and the fence', () => {
  it('fences the previous owner: its put and its read check are refused, the new owner writes', () => {
    const { gotA, gotB, probes } = run({ fenceCheck: true, bumpEpoch: true }, A, B);
    expect(gotA).toEqual([
      { type: 'loaded', key: 'd', nonce: 1, value: 0, epoch: 1 },
      { type: 'fenced', key: 'd', nonce: 2, epoch: 2 },
      { type: 'fenced', key: 'd', nonce: 3, epoch: 2 },
    ]);
    expect(gotB).toEqual([
      { type: 'loaded', key: 'd', nonce: 1, value: 0, epoch: 2 },
      { type: 'put-ok', key: 'd', nonce: 2 },
      { type: 'put-dup', key: 'd', nonce: 3 },
    ]);
    // The store records only what it accepted: two begins and B's one write.
    expect(probes).toEqual([
      { key: 'd', writer: 'wA', op: 'begin' },
      { key: 'd', writer: 'wB', op: 'begin' },
      { key: 'd', writer: 'wB', op: 'write' },
    ]);
  });

  it('bug:no-fence-check lets the deposed owner write', () => {
    const { gotA } = run({ fenceCheck: false, bumpEpoch: true }, A, B);
    expect(gotA[1]).toEqual({ type: 'put-ok', key: 'd', nonce: 2 });
  });

  it('bug:epoch-not-bumped hands both workers the same epoch, so the fence cannot tell them apart', () => {
    const sameEpoch = [A[0]!, { at: 45 * MS, msg: put(2, 0, 1, 1) }];
    const { gotA, gotB } = run({ fenceCheck: true, bumpEpoch: false }, sameEpoch, B);
    expect((gotA[0] as { epoch: number }).epoch).toBe(0);
    expect((gotB[0] as { epoch: number }).epoch).toBe(0);
    expect(gotA[1]).toEqual({ type: 'put-ok', key: 'd', nonce: 2 });
  });
});
