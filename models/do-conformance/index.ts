import type { NodeSpec } from '../../sim/process.ts';
import type { ModelDef } from '../../sim/scenario.ts';
import { MS } from '../../sim/value.ts';
import { DEFAULT_DO_PARAMS, type DoRuntimeParams, doNodes } from '../durable-object/runtime.ts';
import { type ConfClientOptions, confClient } from './client.ts';
import { echoClass, type EchoFlaws } from './echo.ts';

/**
 * The Durable Object runtime's conformance workload (no design document: see README.md). Clients
 * c0.. each hold a socket to every Echo object e0.. and use its HTTP paths; the runtime's hosts
 * and worker come from doNodes.
 */
export type ConfWorkload = Omit<ConfClientOptions, 'worker' | 'objects' | 'heartbeat' | 'wsTimeout'>;

export interface ConfParams extends ConfWorkload {
  readonly clients: number;
  readonly objects: number;
  /** Object hosts (do0, do1, ...); the worker routes each object to one by its name's hash. */
  readonly hosts?: number;
  readonly runtime?: Partial<DoRuntimeParams>;
}

const VARIANTS: Readonly<Record<string, EchoFlaws>> = {
  corrected: {},
  /** /inc checks and writes its id outside the input gate: concurrent copies both apply, two ids share a number. */
  'bug:ungated-inc': { ungatedInc: true },
  /** A burst's frames are sent before its write, so they overtake the echoes of earlier frames. */
  'bug:burst-before-write': { burstBeforeWrite: true },
  /** init does not load the count: after a cold start the object numbers from 1 again. */
  'bug:count-in-memory': { countInMemory: true },
};

export const clientIds = (n: number): string[] => Array.from({ length: n }, (_, i) => `c${i}`);
export const objectNames = (n: number): string[] => Array.from({ length: n }, (_, i) => `e${i}`);
export const hostIds = (n: number): string[] => Array.from({ length: n }, (_, i) => `do${i}`);

/** The client's share of the params: everything but the deployment's shape. */
const workloadOf = ({ clients: _c, objects: _o, hosts: _h, runtime: _r, ...w }: ConfParams): ConfWorkload => w;

export const doConformance: ModelDef<ConfParams> = {
  name: 'do-conformance',
  doc: 'no design document: a workload reaching every promise of the Durable Object runtime (models/durable-object), with checks of what each client must receive',
  variants: Object.keys(VARIANTS),
  build(variant, p): readonly NodeSpec[] {
    const flaws = VARIANTS[variant];
    if (!flaws) throw new Error(`do-conformance has no variant '${variant}'`);
    const runtime: DoRuntimeParams = { ...DEFAULT_DO_PARAMS, ...p.runtime };
    const nodes: NodeSpec[] = doNodes({ classes: [echoClass(flaws)], params: runtime, hosts: p.hosts ?? 1 });
    for (const id of clientIds(p.clients)) {
      nodes.push({
        id,
        role: 'client',
        create: confClient({
          ...workloadOf(p),
          worker: 'worker',
          objects: objectNames(p.objects),
          heartbeat: runtime.heartbeat,
          wsTimeout: runtime.wsTimeout,
        }),
      });
    }
    return nodes;
  },
};

/** The defaults the scenarios vary from. */
export const confParams = (over: Partial<ConfParams> = {}): ConfParams => ({
  clients: 3,
  objects: 2,
  mix: { echo: 4, burst: 2, close: 1, gate: 2, sleep: 1, timer: 1, inc: 4, count: 1, ids: 1, lasts: 2, reopen: 1, hangup: 1 },
  frameMix: { echo: 3, burst: 2, close: 1, gate: 1, sleep: 1, timer: 1 },
  think: { min: 20 * MS, max: 400 * MS },
  batch: 3,
  burst: 4,
  maxMs: 300,
  timeout: 300 * MS,
  retries: 4,
  reconnect: { min: 100 * MS, max: 800 * MS },
  closeAgain: 0.3,
  ...over,
});
