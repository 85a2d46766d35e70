import { readdirSync } from 'node:fs';
import { AuthError, createVerifier } from '@cognito-gate/core';
import { expect, it } from 'vitest';
import { describeShared, hasShared, readShared, SHARED_DIR } from '../support/shared.js';

interface RealFixture {
  token: string;
  jwks: unknown;
  tokenUse: 'id' | 'access';
  userPoolId: string;
  clientId: string;
  exp: number;
}

const files = hasShared
  ? readdirSync(`${SHARED_DIR}/fixtures/real`).filter((f) => /^cognito-\d+\.json$/.test(f))
  : [];

function verifierFor(fixture: RealFixture, nowSeconds: number) {
  return createVerifier({
    userPoolId: fixture.userPoolId,
    clientId: fixture.clientId,
    tokenUse: fixture.tokenUse,
    jwks: { keys: fixture.jwks, fetch: false },
    now: () => nowSeconds * 1000,
  });
}

describeShared('real Cognito tokens (fixtures/real/cognito-*.json)', () => {
  it('finds the fixtures', () => {
    expect(files.length).toBeGreaterThanOrEqual(11);
  });

  it.each(files)('%s verifies just before its exp', async (file) => {
    const fixture = readShared<RealFixture>(`fixtures/real/${file}`);
    const auth = await verifierFor(fixture, fixture.exp - 10).verify(fixture.token);
    expect(auth.tokenUse).toBe(fixture.tokenUse);
    expect(auth.clientId).toBe(fixture.clientId);
    expect(auth.userPoolId).toBe(fixture.userPoolId);
    expect(auth.expiresAt.getTime()).toBe(fixture.exp * 1000);
  });

  it.each(files)('%s is expired at its exp', async (file) => {
    const fixture = readShared<RealFixture>(`fixtures/real/${file}`);
    const error = await verifierFor(fixture, fixture.exp)
      .verify(fixture.token)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).code).toBe('expired');
  });

  it.each(files)('%s fails with the other token_use', async (file) => {
    const fixture = readShared<RealFixture>(`fixtures/real/${file}`);
    const verifier = createVerifier({
      userPoolId: fixture.userPoolId,
      clientId: fixture.clientId,
      tokenUse: fixture.tokenUse === 'id' ? 'access' : 'id',
      jwks: { keys: fixture.jwks, fetch: false },
      now: () => (fixture.exp - 10) * 1000,
    });
    await expect(verifier.verify(fixture.token)).rejects.toMatchObject({ code: 'invalid_token_use' });
  });
});
