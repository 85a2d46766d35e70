import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../packages/cli/bin/cognito-gate.js', import.meta.url));
const built = existsSync(fileURLToPath(new URL('../../packages/cli/dist/index.js', import.meta.url)));

if (!built) {
  console.warn(`[cognito-gate] skipping the CLI binary smoke test: ${BIN} not built (run \`npm run build\`)`);
}

function exec(args: readonly string[], input?: string) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 10_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the built cognito-gate binary', () => {
  it.skipIf(!built)('starts with a node shebang', () => {
    expect(readFileSync(BIN, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it.skipIf(!built)('mints, decodes from stdin, and sets exit codes', () => {
    const minted = exec(['mint', '--user-pool-id', 'us-east-1_Smoke1', '--json']);
    expect(minted.code).toBe(0);
    const { token } = JSON.parse(minted.stdout) as { token: string };

    const decoded = exec(['decode', '--json'], `Bearer ${token}\n`);
    expect(decoded.code).toBe(0);
    expect(JSON.parse(decoded.stdout)).toMatchObject({ verified: false, problem: null });

    const usage = exec(['verify', token, '--nope']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("Run 'cognito-gate verify --help' for usage.");
  });

  // The executable is committed, so it keeps its mode through a clean rebuild, and npm links it
  // into the root's node_modules/.bin at install: `npx cognito-gate --help` works right away.
  it('is executable and linked as the root bin', () => {
    expect(statSync(BIN).mode & 0o111).not.toBe(0);
    const linked = fileURLToPath(new URL('../../node_modules/.bin/cognito-gate', import.meta.url));
    expect(realpathSync(linked)).toBe(realpathSync(BIN));
  });

  it.skipIf(!built)('prints its help through the linked bin', () => {
    const linked = fileURLToPath(new URL('../../node_modules/.bin/cognito-gate', import.meta.url));
    const help = spawnSync(linked, ['--help'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^cognito-gate \d+\.\d+\.\d+: debug Amazon Cognito tokens/);
  });
});
