import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// `npm test` is the one test command (README, .ci/run). The JSON reporter's file lets .ci/run
// print the plain "N passed, N failed" line CI reads; the default reporter is for people.
export default defineConfig({
  test: {
    include: ['sim/**/*.test.ts', 'models/**/*.test.ts', 'scenarios/**/*.test.ts', 'reports/**/*.test.ts', 'bin/**/*.test.ts', 'golden/**/*.test.ts'],
    reporters: ['default', ['json', { outputFile: '.vitest-results.json' }]],
    pool: 'forks',
    // Vitest 4 ran one file at a time on a 2-core CI machine (every file's interval in the JSON
    // report was disjoint), so the suite took the sum of its files. One fork per core.
    maxWorkers: availableParallelism(),
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
