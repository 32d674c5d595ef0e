/**
 * The public API of faultline's checkers. Scenarios construct checkers here; the CLI and
 * reports use the readers, models and the detailed linearizability report.
 *
 *   linearizable({ model: 'register' })          // or 'kv', 'queue', ..., or your own LinModel
 *   convergence()                                // CheckInput.finalStates must all be equal
 *   sessionGuarantees({ guarantees: ['read-your-writes'] })
 *   checkerByName('linearizable:kv')
 */
export type { Budget, CheckInput, CheckResult, Checker, Probe, Verdict } from './types.ts';
export {
  linearizable,
  checkLinearizability,
  reportEvidence,
  partitionOps,
  DEFAULT_MAX_CACHE_ENTRIES,
  type LinearizableConfig,
  type LinearizabilityOptions,
  type LinearizabilityReport,
  type PartitionResult,
  type ViolationEvidence,
} from './linearizability.ts';
export { opView, type OpView } from './op-view.ts';
export { convergence, firstDifference, type ConvergenceEvidence, type ConvergenceOptions } from './convergence.ts';
export { sessionGuarantees, SESSION_GUARANTEES, type SessionGuarantee, type SessionOptions, type SessionViolation } from './session.ts';
export { consensus, termInRuns, type ConsensusOptions, type ConsensusViolation } from './consensus.ts';
export { checkerByName } from './registry.ts';
export { bruteForceLinearizable } from './brute-force.ts';
export { PartitionSearch, searchPartition, type SearchLimits, type SearchOutcome, type SliceOutcome } from './wgl.ts';
export * from './models/index.ts';
export * from './readers/index.ts';
