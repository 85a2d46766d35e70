import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests import every workspace package from its TypeScript source, so `npm test` needs no build.
const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@cognito-gate\/core$/, replacement: src('core') },
      { find: /^@cognito-gate\/testing$/, replacement: src('testing') },
      { find: /^@cognito-gate\/express$/, replacement: src('express') },
      { find: /^@cognito-gate\/fastify$/, replacement: src('fastify') },
      { find: /^@cognito-gate\/lambda$/, replacement: src('lambda') },
      ...['redis', 'dynamodb', 'cognito'].map((entry) => ({
        find: new RegExp(`^@cognito-gate/core/${entry}$`),
        replacement: fileURLToPath(new URL(`./packages/core/src/${entry}.ts`, import.meta.url)),
      })),
      {
        find: /^@cognito-gate\/lambda\/middy$/,
        replacement: fileURLToPath(new URL('./packages/lambda/src/middy.ts', import.meta.url)),
      },
    ],
  },
  test: {
    include: ['test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.test.json' },
    pool: 'threads',
    maxWorkers: 2,
    testTimeout: 15_000,
  },
});
