import { readdirSync } from 'node:fs';
import { expect, it } from 'vitest';
import type { VerifyResult as VerifyJson } from '../../packages/cli/src/verify-command.js';
import { describeShared, hasShared, readShared, SHARED_DIR } from '../support/shared.js';
import { json, run } from './support.js';

interface RealFixture {
  token: string;
  tokenUse: 'id' | 'access';
  userPoolId: string;
  clientId: string;
  exp: number;
  decodedPayload: Record<string, unknown>;
}

const files = hasShared
  ? readdirSync(`${SHARED_DIR}/fixtures/real`).filter((f) => /^cognito-\d+\.json$/.test(f))
  : [];

/** The fixture files hold `{ token, jwks, … }`, which `--jwks-file` reads like `mint --json` output. */
function argsFor(file: string, fixture: RealFixture): string[] {
  return [
    'verify',
    fixture.token,
    '--user-pool-id',
    fixture.userPoolId,
    '--client-id',
    fixture.clientId,
    '--token-use',
    fixture.tokenUse,
    '--jwks-file',
    `${SHARED_DIR}/fixtures/real/${file}`,
  ];
}

describeShared('cognito-gate verify on real Cognito tokens (fixtures/real/cognito-*.json)', () => {
  it('finds the fixtures', () => {
    expect(files.length).toBeGreaterThanOrEqual(11);
  });

  it.each(files)('%s is VALID with --now just before its exp', async (file) => {
    const fixture = readShared<RealFixture>(`fixtures/real/${file}`);
    const result = await run([...argsFor(file, fixture), '--now', String(fixture.exp - 10), '--json']);
    const body = json<VerifyJson>(result);
    expect(result.code).toBe(0);
    expect(body.valid).toBe(true);
    expect(body.explanation).toContain(
      `for client ${fixture.clientId} of pool ${fixture.userPoolId}; expires at`,
    );
    expect(body.explanation).toMatch(/, in 10 s$/);
    expect(body.claims).toEqual(fixture.decodedPayload);
  });

  it.each(files)('%s is REJECTED as expired at its exp, saying when', async (file) => {
    const fixture = readShared<RealFixture>(`fixtures/real/${file}`);
    const iso = new Date(fixture.exp * 1000).toISOString().replace('.000Z', 'Z');
    const result = await run([...argsFor(file, fixture), '--now', String(fixture.exp + 3600)]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('REJECTED  expired (401)');
    expect(result.stdout).toContain(`expired at ${iso}, 1 h ago`);
  });

  it.each(files)('%s explains the other token_use', async (file) => {
    const fixture = readShared<RealFixture>(`fixtures/real/${file}`);
    const other = fixture.tokenUse === 'id' ? 'access' : 'id';
    const argv = argsFor(file, fixture);
    argv[argv.indexOf('--token-use') + 1] = other;
    const body = json<VerifyJson>(await run([...argv, '--now', String(fixture.exp - 10), '--json']));
    expect(body.code).toBe('invalid_token_use');
    expect(body.explanation).toBe(`token_use is ${fixture.tokenUse} but this API expects ${other} tokens`);
  });

  it.each(files)('%s decodes with its dates', async (file) => {
    const fixture = readShared<RealFixture>(`fixtures/real/${file}`);
    const result = await run(['decode', fixture.token, '--now', String(fixture.exp - 60)]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('NOT VERIFIED');
    expect(result.stdout).toContain(', in 1 min');
  });
});
