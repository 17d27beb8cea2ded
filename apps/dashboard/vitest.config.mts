import react from '@vitejs/plugin-react';
import { defineProject, mergeConfig } from 'vitest/config';
import { shared } from '../../vitest.shared.mts';

export default mergeConfig(
  shared,
  defineProject({
    plugins: [react()],
    test: {
      name: 'dashboard',
      root: import.meta.dirname,
      environment: 'jsdom',
      include: ['src/**/*.spec.tsx', 'src/**/*.spec.ts'],
      setupFiles: ['src/test-setup.ts'],
    },
  }),
);
