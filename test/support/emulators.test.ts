/**
 * The emulator rule: a developer machine without an emulator skips its interop suite visibly, while
 * CI (`CI=true`) fails, so a CI machine that lost moto cannot pass by skipping. Runs the moto suite in
 * a child vitest with `MOTO_SERVER` pointed at a command that does not exist.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const vitest = fileURLToPath(new URL('../../node_modules/vitest/vitest.mjs', import.meta.url));

function runWithoutMoto(ci: boolean) {
  const env: NodeJS.ProcessEnv = { ...process.env, MOTO_SERVER: '/nonexistent/moto_server' };
  if (ci) env.CI = 'true';
  else delete env.CI;
  return spawnSync(
    process.execPath,
    [vitest, 'run', 'test/interop/moto.test.ts', '--typecheck.enabled=false'],
    {
      cwd: root,
      env,
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
}

describe('interop suites whose emulator is missing', () => {
  it('skip with a visible message on a developer machine', () => {
    const run = runWithoutMoto(false);
    expect(run.status).toBe(0);
    expect(run.stderr + run.stdout).toMatch(/skipping "moto interop": emulator not found/);
  });

  it('fail under CI=true', () => {
    const run = runWithoutMoto(true);
    expect(run.status).not.toBe(0);
    expect(run.stdout + run.stderr).toMatch(/CI must provide it/);
  });
});
