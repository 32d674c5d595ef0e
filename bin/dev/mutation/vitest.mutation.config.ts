import { defineConfig } from 'vitest/config';

// Only the mutation sweep (bin/dev/mutation-score.ts); `npm test` uses vitest.config.ts and never sees it.
export default defineConfig({
  test: {
    include: ['bin/dev/mutation/sweep.mutation.ts'],
    pool: 'forks',
    testTimeout: 600_000,
  },
});
