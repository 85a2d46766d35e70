/**
 * The ../shared rule: a user's clone without the fixtures skips their suites visibly, while CI
 * (`CI=true`) fails, so a CI machine that lost the fixtures cannot pass by skipping hundreds of tests.
 * Runs one real suite in a child vitest with the fixtures pointed at a missing folder.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const vitest = fileURLToPath(new URL('../../node_modules/vitest/vitest.mjs', import.meta.url));

function runWithoutShared(ci: boolean) {
  const env: NodeJS.ProcessEnv = { ...process.env, COGNITO_GATE_SHARED: '/nonexistent/shared' };
  if (ci) env.CI = 'true';
  else delete env.CI;
  return spawnSync(
    process.execPath,
    [vitest, 'run', 'test/core/real-tokens.test.ts', '--typecheck.enabled=false'],
    {
      cwd: root,
      env,
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
}

describe('suites that need ../shared', () => {
  it('skip with a visible message on a user clone', () => {
    const run = runWithoutShared(false);
    expect(run.status).toBe(0);
    expect(run.stderr + run.stdout).toMatch(/skipping .*not found/);
  });

  it('fail under CI=true when ../shared is missing', () => {
    const run = runWithoutShared(true);
    expect(run.status).not.toBe(0);
    expect(run.stdout + run.stderr).toMatch(/CI must provide \.\.\/shared/);
  });
});
