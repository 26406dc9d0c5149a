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
    // The portal's scripts run in the browser, as ES modules.
    files: ['src/http/portal/public/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: {
        document: 'readonly',
        window: 'readonly',
        fetch: 'readonly',
        setInterval: 'readonly',
        HTMLScriptElement: 'readonly',
      },
    },
  },
  {
    // Workflow code, and the domain code it runs, must be deterministic: no Node APIs and no I/O.
    files: ['src/workflows/**/*.ts', 'src/domain/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'crypto', 'os', 'child_process', 'http', 'net'],
              message: 'Workflow code must be deterministic: no Node APIs.',
              allowTypeImports: true,
            },
            {
              group: [
                'express',
                'better-sqlite3',
                'pino',
                '@temporalio/client',
                '@temporalio/worker',
                '@temporalio/activity',
                '**/activities',
                '**/activities/**',
                '**/adapters/**',
                '**/api/**',
              ],
              message: 'Workflow code must not do I/O: call an activity.',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
);
