import { defineProject, mergeConfig } from 'vitest/config';
import { shared } from '../../vitest.shared.mts';

export default mergeConfig(
  shared,
  defineProject({
    test: { name: 'silences', root: import.meta.dirname, environment: 'node', include: ['src/**/*.spec.ts'] },
  }),
);
