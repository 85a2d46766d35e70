/**
 * The suite for a quick mutation run (`MUTATION_FAST=1 npm run mutation`): the unit, adapter and e2e
 * suites without the generated ones (property and differential), the README runs and the tests that
 * spawn processes. Several times faster on 2 cores; a mutant it leaves alive may still be killed by
 * the generated suites, so the default run (full suite) is the one whose score counts.
 */
import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config';

export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: [
        '**/node_modules/**',
        'test/property/**',
        'test/differential/**',
        'test/docs/**',
        'test/support/shared.test.ts',
        'test/cli/bin.test.ts',
      ],
      typecheck: { enabled: false },
    },
  }),
);
