import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/** Which projects may import which (tags on two axes, see ARCHITECTURE.md). */
const BOUNDARIES = {
  enforceBuildableLibDependency: false,
  allow: [],
  depConstraints: [
    { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
    { sourceTag: 'scope:router', onlyDependOnLibsWithTags: ['scope:router', 'scope:shared'] },
    { sourceTag: 'scope:remediator', onlyDependOnLibsWithTags: ['scope:remediator', 'scope:shared'] },
    { sourceTag: 'scope:dashboard', onlyDependOnLibsWithTags: ['type:contracts'] },
    { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
    {
      sourceTag: 'type:util',
      onlyDependOnLibsWithTags: ['type:util', 'type:contracts', 'type:testing'],
    },
    {
      sourceTag: 'type:output-core',
      onlyDependOnLibsWithTags: ['type:util', 'type:contracts', 'type:testing'],
    },
    {
      sourceTag: 'type:output',
      onlyDependOnLibsWithTags: ['type:output-core', 'type:util', 'type:contracts', 'type:testing'],
    },
    {
      sourceTag: 'type:feature',
      onlyDependOnLibsWithTags: [
        'type:feature',
        'type:output',
        'type:output-core',
        'type:util',
        'type:contracts',
        'type:testing',
      ],
    },
    { sourceTag: 'type:testing', notDependOnLibsWithTags: ['type:app'] },
    { sourceTag: 'type:e2e', notDependOnLibsWithTags: ['type:app'] },
    { sourceTag: 'type:app', notDependOnLibsWithTags: ['type:app'] },
  ],
};

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/.nx/**',
      'tmp/**',
      '**/vite.config.*.timestamp*',
      'e2e/screenshots/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      // three programs (node code, dashboard, e2e) instead of one per Nx project: the per-project service
      // ran out of memory once the cloud SDKs' types were in several projects
      parserOptions: {
        project: ['./tsconfig.json', './apps/dashboard/tsconfig.json', './e2e/tsconfig.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': ['error', BOUNDARIES],
    },
  },
  {
    files: [
      '**/*.spec.ts',
      '**/*.spec.tsx',
      'e2e/**/*.ts',
      'bench/**/*.ts',
      'libs/testing/**/*.ts',
      'libs/outputs/testing/**/*.ts',
    ],
    rules: {
      // test doubles and assertions read loosely typed JSON on purpose
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // an output's spec may load a falcosidekick-style file through the registry, which lists that
    // output: the graph sees a cycle (registry → output → registry) that exists only in tests
    files: ['libs/outputs/*/src/**/*.spec.ts'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', { ...BOUNDARIES, allow: ['@falconer/outputs-registry'] }],
    },
  },
  {
    files: ['libs/outputs/registry/src/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', { ...BOUNDARIES, allow: ['@falconer/outputs-*'] }],
    },
  },
  {
    // tool configs import the shared vitest settings by path; they are not part of any project's code
    files: ['**/vitest.config.mts', '**/vite.config.mts', 'vitest.shared.mts'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
  {
    files: ['apps/dashboard/**/*.tsx', 'apps/dashboard/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: {
        process: 'readonly',
        console: 'readonly',
        fetch: 'readonly',
        setTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        clearTimeout: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
      },
    },
  },
  prettier,
);
