import { defineConfig } from 'vitest/config';

/** `npx vitest run` at the root runs every project; `--project <name>` runs one. */
export default defineConfig({
  test: {
    projects: ['apps/*/vitest.config.mts', 'libs/**/vitest.config.mts', 'e2e/vitest.config.mts'],
  },
});
