import { defineProject, mergeConfig } from 'vitest/config';
import { shared } from '../vitest.shared.mts';

/** Black-box tests of the built system (run `npm run build` first; `npm test` does). */
export default mergeConfig(
  shared,
  defineProject({
    test: {
      name: 'e2e',
      root: import.meta.dirname,
      environment: 'node',
      include: ['src/**/*.spec.ts'],
      testTimeout: 120_000,
      hookTimeout: 120_000,
      // each file starts its own router processes on free ports; one file at a time keeps 2 cores sane
      fileParallelism: false,
    },
  }),
);
