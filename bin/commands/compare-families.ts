import type { FamilySpec } from '../../reports/family.ts';
import { TABLE } from '../../scenarios/seed001-table-common.ts';

/**
 * Scenario families `faultline compare <family>` knows. seed001-table: the rows of seed 001's
 * "Performance Comparison", one scenario each (scenarios/seed001-table-*.ts), the corrected form
 * of each design, each under the failure its own failure-mode table names.
 */
export const FAMILIES: readonly FamilySpec[] = [
  {
    name: 'seed001-table',
    title: 'seed 001, Performance Comparison, measured',
    claimSource: 'seed 001, Performance Comparison',
    window: { from: TABLE.failAt, to: TABLE.failAt + TABLE.failFor },
    rows: [
      { approach: 'CF DO (baseline)', scenario: 'seed001-table-do', variant: 'corrected', writes: ['write'], reads: ['read'], failure: 'DO host crash' },
      { approach: 'Distributed Lock', scenario: 'seed001-table-lock', variant: 'corrected', writes: ['insert'], reads: ['read'], failure: 'lock service down' },
      { approach: 'libSQL Leader', scenario: 'seed001-table-libsql', variant: 'corrected', writes: ['write'], reads: ['read', 'read-ryw'], failure: 'leader down' },
      { approach: 'Consistent Hash', scenario: 'seed001-table-hash', variant: 'corrected', writes: ['incr'], reads: ['read'], failure: 'membership change' },
      { approach: 'OCC', scenario: 'seed001-table-occ', variant: 'corrected', writes: ['incr'], reads: ['read'], failure: 'long transactions (+40 ms links)' },
      { approach: 'Hybrid (recommended)', scenario: 'seed001-table-hybrid', variant: 'corrected', writes: ['insert'], reads: ['read'], failure: 'lock db (libSQL leader) down' },
    ],
  },
];

export const findFamily = (name: string): FamilySpec | undefined => FAMILIES.find((f) => f.name === name);
