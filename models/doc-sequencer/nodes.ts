import type { CreateRaftNode, RaftBug } from '../raft/api.ts';
import type { NodeSpec } from '../../sim/process.ts';
import type { Micros } from '../../sim/value.ts';
import { MS, SECOND } from '../../sim/value.ts';
import { docClient } from './client.ts';
import { type CrdtModel, rgaModel, yjsModel } from './crdt.ts';
import { docServer } from './server.ts';
import type { PositionName, SequencerOptions } from './state-machine.ts';

/** The parameters a scenario sets; the variant decides the rest. */
export interface DocParams {
  readonly servers: number;
  readonly clients: number;
  readonly think: { readonly min: Micros; readonly max: Micros };
  readonly mix?: { readonly insert: number; readonly delete: number; readonly hot: number };
  readonly timeout?: Micros;
  readonly compactEvery?: number;
  readonly compactKeep?: number;
  /** Raft's own log compaction (entries per snapshot). */
  readonly raftSnapshotEvery?: number;
  readonly electionTimeout?: { readonly min: Micros; readonly max: Micros };
  readonly heartbeat?: Micros;
  /** Client index → local time it stops editing. */
  readonly stopAt?: Readonly<Record<number, Micros>>;
  /** Position model when the variant does not name one. */
  readonly position?: PositionName;
  readonly raftBugs?: readonly RaftBug[];
}

/** How a variant departs from the document; each field is one decision the document leaves open. */
export interface VariantSpec {
  readonly seqAt: SequencerOptions['seqAt'];
  readonly replicatedDedup: boolean;
  readonly maxInFlight: number;
  readonly rebaseOnResync: boolean;
  readonly ackOnPropose?: boolean;
  readonly staleSlack?: number;
  readonly skipRebase?: boolean;
}

export const AS_WRITTEN: VariantSpec = { seqAt: 'proposal', replicatedDedup: false, maxInFlight: Infinity, rebaseOnResync: false };
export const CORRECTED: VariantSpec = { seqAt: 'apply', replicatedDedup: true, maxInFlight: 1, rebaseOnResync: true };

/** Variant names: `<base>` or `<base>/<position>`, base one of as-written, corrected, bug:<name>. */
export const BASES: Readonly<Record<string, VariantSpec>> = {
  'as-written': AS_WRITTEN,
  corrected: CORRECTED,
  /** The leader acks when the op is in its log, before Raft commits it. */
  'bug:ack-before-commit': { ...CORRECTED, ackOnPropose: true },
  /** STALE_BASE one op too late: an op based just before lastIncludedSeq misses a compacted op in its transform. */
  'bug:stale-off-by-one': { ...CORRECTED, staleSlack: 1 },
  /** The client does not rebase its queued ops over a remote op, so an op sent later carries stale positions. */
  'bug:skip-rebase': { ...CORRECTED, skipRebase: true },
};

export const POSITIONS: readonly PositionName[] = ['ot', 'yjs', 'rga'];
const CRDTS: Readonly<Record<string, CrdtModel>> = { yjs: yjsModel, rga: rgaModel };

export function variantNames(): string[] {
  const out: string[] = [];
  for (const b of Object.keys(BASES)) {
    out.push(b);
    for (const p of POSITIONS) out.push(`${b}/${p}`);
  }
  return out;
}

export function parseVariant(variant: string, fallback: PositionName): { spec: VariantSpec; position: PositionName } {
  const [base, pos] = variant.split('/') as [string, string | undefined];
  const spec = BASES[base];
  if (!spec) throw new Error(`doc-sequencer has no variant '${variant}'`);
  const position = (pos ?? fallback) as PositionName;
  if (!POSITIONS.includes(position)) throw new Error(`doc-sequencer: unknown position model '${pos}'`);
  return { spec, position };
}

export const serverIds = (n: number): string[] => Array.from({ length: n }, (_, i) => `s${i}`);
export const clientIds = (n: number): string[] => Array.from({ length: n }, (_, i) => `c${i}`);

export function docNodes(variant: string, p: DocParams, createRaftNode: CreateRaftNode): NodeSpec[] {
  const { spec, position } = parseVariant(variant, p.position ?? 'ot');
  const crdt = CRDTS[position];
  const peers = serverIds(p.servers);
  const timeout = p.timeout ?? 300 * MS;
  const sequencer: SequencerOptions = {
    position,
    ...(crdt ? { crdt } : {}),
    seqAt: spec.seqAt,
    replicatedDedup: spec.replicatedDedup,
    compactEvery: p.compactEvery ?? 100,
    compactKeep: p.compactKeep ?? 0,
    ...(spec.staleSlack !== undefined ? { staleSlack: spec.staleSlack } : {}),
  };
  const nodes: NodeSpec[] = peers.map((id) => ({
    id,
    role: 'server',
    create: docServer({
      peers,
      raft: {
        electionTimeout: p.electionTimeout ?? { min: 150 * MS, max: 300 * MS },
        heartbeat: p.heartbeat ?? 50 * MS,
        snapshotEvery: p.raftSnapshotEvery ?? 200,
        ...(p.raftBugs ? { bugs: p.raftBugs } : {}),
      },
      createRaftNode,
      sequencer,
      ...(spec.ackOnPropose ? { ackOnPropose: true } : {}),
      bootDelay: 1 * SECOND,
    }),
  }));
  for (let i = 0; i < p.clients; i++) {
    nodes.push({
      id: `c${i}`,
      role: 'client',
      create: docClient({
        index: i,
        servers: peers,
        position,
        ...(crdt ? { crdt } : {}),
        maxInFlight: position === 'ot' ? spec.maxInFlight : Infinity,
        rebaseOnResync: spec.rebaseOnResync,
        ...(spec.skipRebase ? { skipRebase: true } : {}),
        think: p.think,
        mix: p.mix ?? { insert: 6, delete: 3, hot: 1 },
        timeout,
        tick: 50 * MS,
        syncEvery: 500 * MS,
        readEvery: 1 * SECOND,
        presenceEvery: 1 * SECOND,
        ...(p.stopAt?.[i] !== undefined ? { stopAt: p.stopAt[i] as Micros } : {}),
      }),
    });
  }
  return nodes;
}
