// @ts-check
/**
 * Mutation testing (`npm run mutation`): on demand, never part of `npm test` or CI. StrykerJS 9.6
 * (10.x needs Node 22) with its vitest runner; no TypeScript checker (TypeScript 7 has no JS API).
 * Incremental: only mutants in changed code or covered by changed tests run again; delete
 * reports/stryker-incremental.json for a full run. `npm run mutation -- --mutate <file>` narrows it;
 * `MUTATION_FAST=1` runs a quicker suite without the generated tests (vitest.mutation.config.ts).
 * Mutants that only change message text are ignored (stryker/message-text-ignorer.mjs), so the score
 * counts mutants that change behaviour.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
// Property suites scale their case counts by PROPERTY_RUNS (test/support/property.ts): a tenth of
// them per mutant keeps a run within reach on 2 cores while they still kill what they can.
process.env.PROPERTY_RUNS ??= '0.1';
// Tells size-budget tests that the code they bundle is instrumented, not what ships.
process.env.COGNITO_GATE_MUTATION = '1';
// Stryker runs the suite from .stryker-tmp/sandbox-*, where ../shared does not resolve: name it, so
// the Wycheproof and real-token suites run against mutants instead of skipping.
process.env.COGNITO_GATE_SHARED ??= new URL('../shared/', import.meta.url).pathname;

export default {
  testRunner: 'vitest',
  // Stryker rewrites the tsconfig named here with the TypeScript API, which TypeScript 7 no longer
  // has; our tsconfigs point nowhere outside the sandbox, so it is given a file that does not exist.
  tsconfigFile: 'stryker/no-tsconfig.json',
  vitest: {
    configFile: process.env.MUTATION_FAST === '1' ? 'vitest.mutation.config.ts' : 'vitest.config.ts',
  },
  plugins: ['@stryker-mutator/vitest-runner', './stryker/message-text-ignorer.mjs'],
  ignorers: ['message-text'],
  mutate: [
    'packages/core/src/**/*.ts',
    '!packages/core/src/index.ts',
    '!packages/core/src/types.ts',
    'packages/lambda/src/policy.ts',
    'packages/lambda/src/route-table.ts',
    'packages/lambda/src/method-arn.ts',
    'packages/lambda/src/route-key.ts',
    'packages/lambda/src/iam-glob.ts',
  ],
  coverageAnalysis: 'perTest',
  // A mutant reached only while test files load (fixtures built at module level) needs the whole
  // suite per mutant; the quick run leaves those out and says how many (reports/mutation).
  ignoreStatic: process.env.MUTATION_FAST === '1',
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  concurrency: 2,
  timeoutMS: 20_000,
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
