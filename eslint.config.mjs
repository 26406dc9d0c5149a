import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'data/', 'node_modules/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: 'error',
    },
  },
  {
    files: ['src/workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'crypto', 'os', 'child_process'],
              message: 'Workflow code must be deterministic: no Node APIs.',
            },
            {
              group: [
                'express',
                'better-sqlite3',
                'pino',
                '@temporalio/client',
                '@temporalio/worker',
                '@temporalio/activity',
                '**/activities/*',
                '**/api/*',
              ],
              message: 'Workflow code must not do I/O; call an activity.',
            },
          ],
        },
      ],
    },
  },
);
