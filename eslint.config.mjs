import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/** The layers' lines (docs/architecture.md): who may import whom. */
const CORE = [
  './src/operations',
  './src/activities',
  './src/bulk',
  './src/workflows',
  './src/access',
  './src/domain',
];
const LAYERS = [
  {
    target: CORE,
    from: './src/http',
    message:
      'The core speaks its own language: raise an operation error (src/operations/errors.ts) and let the ' +
      'API and the portal map it; schemas belong to src/operations (docs/architecture.md).',
  },
  {
    target: ['./src/workflows', './src/access', './src/domain'],
    from: './src/operations',
    message: 'Operations start and change the lifecycles, never the other way round (docs/architecture.md).',
  },
  {
    target: ['./src/http/security', './src/http/!(app|http-deps).ts'],
    from: ['./src/http/api', './src/http/portal'],
    message:
      'What the API and the portal share stands below both: only app.ts mounts them (and http-deps.ts names their settings).',
  },
  {
    target: './src/http/api',
    from: './src/http/portal',
    message: 'The API and the portal stand side by side: share through src/http or src/operations.',
  },
  {
    target: './src/http/portal',
    from: './src/http/api',
    message: 'The API and the portal stand side by side: share through src/http or src/operations.',
  },
];

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
    // The layers hold (no import across a line), and no import circle closes anywhere in the engine
    // (type-only imports too: test/architecture/import-graph.test.ts).
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })],
      // The imported modules are read with TypeScript's parser, so that a circle through them is seen.
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/extensions': ['.ts', '.js'],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: LAYERS }],
      'import-x/no-cycle': 'error',
    },
  },
  {
    // The project's plain-JavaScript scripts run in Node.
    files: ['scripts/**/*.mjs'],
    languageOptions: {
      sourceType: 'module',
      globals: {
        process: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
        SharedArrayBuffer: 'readonly',
        Atomics: 'readonly',
        Int32Array: 'readonly',
      },
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
