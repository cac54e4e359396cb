// Lint rules. The block for src/core keeps the domain pure and deterministic (ADR 0003):
// no I/O modules, no wall clock, no Math.random, no imports from adapters/cli/server.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const ioModules = ['fs', 'fs/promises', 'net', 'http', 'https', 'http2', 'child_process', 'dgram', 'dns', 'tls', 'worker_threads', 'cluster', 'readline', 'os', 'process'];
const forbiddenIo = ioModules.flatMap((m) => [m, `node:${m}`]);

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'tmp/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: forbiddenIo.map((name) => ({ name, message: 'src/core is pure: do I/O in src/adapters.' })),
        patterns: [
          { group: ['**/adapters/**', '**/cli/**', '**/server/**', '**/web/**'], message: 'src/core must not import from adapters, cli, server or web.' },
        ],
      }],
      'no-restricted-globals': ['error',
        { name: 'process', message: 'src/core is pure: pass configuration in.' },
        { name: 'performance', message: 'src/core has no wall clock: use the injected Clock.' },
        { name: 'setTimeout', message: 'src/core has no timers.' },
        { name: 'setInterval', message: 'src/core has no timers.' },
        { name: 'fetch', message: 'src/core is pure: do I/O in src/adapters.' },
      ],
      'no-restricted-properties': ['error',
        { object: 'Math', property: 'random', message: 'src/core is deterministic: use the seeded Rng.' },
        { object: 'Date', property: 'now', message: 'src/core has no wall clock: use the injected Clock.' },
      ],
      'no-restricted-syntax': ['error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'src/core has no wall clock: use the injected Clock.' },
        { selector: "CallExpression[callee.name='Date']", message: 'src/core has no wall clock: use the injected Clock.' },
      ],
    },
  },
);
