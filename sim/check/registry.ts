import { consensus } from './consensus.ts';
import { convergence } from './convergence.ts';
import { linearizable } from './linearizability.ts';
import { sessionGuarantees, type SessionGuarantee } from './session.ts';
import type { Checker } from './types.ts';

/**
 * Checkers by name, for scenarios and the CLI that name them as strings:
 *   `linearizable:<model>` (e.g. `linearizable:register`), `convergence`, `consensus` (Raft-style
 *   logs, from probes), `session-guarantees`,
 *   or one guarantee by name (`read-your-writes`, `monotonic-reads`, `monotonic-writes`,
 *   `writes-follow-reads`).
 * Throws on an unknown name.
 */
export function checkerByName(name: string): Checker {
  const lin = /^linearizable:(.+)$/.exec(name);
  if (lin) return linearizable({ model: lin[1]!, name });
  if (name === 'convergence') return convergence();
  if (name === 'consensus') return consensus();
  if (name === 'session-guarantees') return sessionGuarantees();
  const one: readonly string[] = ['read-your-writes', 'monotonic-reads', 'monotonic-writes', 'writes-follow-reads'];
  if (one.includes(name)) return sessionGuarantees({ guarantees: [name as SessionGuarantee], name });
  throw new Error(`unknown checker '${name}' (known: linearizable:<model>, convergence, consensus, session-guarantees, ${one.join(', ')})`);
}
