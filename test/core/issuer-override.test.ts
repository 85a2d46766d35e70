/**
 * The per-pool `issuer` override (local emulators): only that exact `iss` is accepted for the pool,
 * it needs an explicit JWKS URL, the pool id is a free label, and every other check is unchanged.
 */
import { ConfigurationError, createVerifier, type VerifierOptions } from '@cognito-gate/core';
import { createTestIssuer, generateSigningKey, type TestIssuer } from '@cognito-gate/testing';
import { beforeAll, describe, expect, it } from 'vitest';

const LOCAL_POOL = 'local_AbC12345';
const LOCAL_ISS = `http://localhost:9229/${LOCAL_POOL}`;
const LOCAL_JWKS = `${LOCAL_ISS}/.well-known/jwks.json`;

let issuer: TestIssuer;

beforeAll(async () => {
  issuer = await createTestIssuer();
});

function localVerifier(extra: Partial<VerifierOptions> = {}) {
  return createVerifier({
    userPoolId: [{ userPoolId: LOCAL_POOL, issuer: LOCAL_ISS, jwksUri: LOCAL_JWKS }],
    clientId: issuer.clientId,
    jwks: { keys: issuer.jwks, fetch: false },
    ...extra,
  });
}

describe('a pool with an issuer override', () => {
  it('accepts tokens whose iss is exactly the override, with a pool id Cognito would refuse', async () => {
    const auth = await localVerifier().verify(
      await issuer.accessToken({ iss: LOCAL_ISS, groups: ['admin'] }),
      {
        groups: 'admin',
      },
    );

    expect(auth).toMatchObject({ issuer: LOCAL_ISS, userPoolId: LOCAL_POOL, groups: ['admin'] });
  });

  it.each([
    [
      'the regional Cognito issuer of the same id',
      `https://cognito-idp.us-east-1.amazonaws.com/${LOCAL_POOL}`,
    ],
    ['a trailing slash', `${LOCAL_ISS}/`],
    ['another host', `http://127.0.0.1:9229/${LOCAL_POOL}`],
    ['https instead of http', `https://localhost:9229/${LOCAL_POOL}`],
    ['another case', LOCAL_ISS.toUpperCase()],
  ])('rejects %s as invalid_issuer', async (_name, iss) => {
    await expect(localVerifier().verify(await issuer.accessToken({ iss }))).rejects.toMatchObject({
      code: 'invalid_issuer',
    });
  });

  it('accepts only the override for a Cognito-shaped pool id, not its derived issuers', async () => {
    const override = `http://localhost.localstack.cloud:4566/${issuer.userPoolId}`;
    const verifier = createVerifier({
      userPoolId: [
        { userPoolId: issuer.userPoolId, issuer: override, jwksUri: `${override}/.well-known/jwks.json` },
      ],
      clientId: issuer.clientId,
      insecureHttpHosts: ['localhost.localstack.cloud'],
      jwks: { keys: issuer.jwks, fetch: false },
    });

    await expect(verifier.verify(await issuer.accessToken({ iss: override }))).resolves.toMatchObject({
      issuer: override,
    });
    for (const iss of [issuer.issuer, issuer.globalIssuer]) {
      await expect(verifier.verify(await issuer.accessToken({ iss }))).rejects.toMatchObject({
        code: 'invalid_issuer',
      });
    }
  });

  it('changes nothing for the other pools of the verifier', async () => {
    const verifier = createVerifier({
      userPoolId: [
        { userPoolId: LOCAL_POOL, issuer: LOCAL_ISS, jwksUri: LOCAL_JWKS },
        { userPoolId: issuer.userPoolId },
      ],
      clientId: issuer.clientId,
      jwks: { keys: issuer.jwks, fetch: false },
    });

    await expect(verifier.verify(await issuer.accessToken())).resolves.toMatchObject({
      userPoolId: issuer.userPoolId,
      issuer: issuer.issuer,
    });
    await expect(verifier.verify(await issuer.accessToken({ iss: LOCAL_ISS }))).resolves.toMatchObject({
      userPoolId: LOCAL_POOL,
    });
    expect(verifier.jwksUris).toContain(LOCAL_JWKS);
  });

  it('keeps every other check: client, token_use, expiry, signature, key', async () => {
    const verifier = localVerifier();
    const stranger = await generateSigningKey();
    const now = Math.floor(Date.now() / 1000);

    await expect(
      verifier.verify(await issuer.accessToken({ iss: LOCAL_ISS, client_id: 'other' })),
    ).rejects.toMatchObject({
      code: 'invalid_client',
    });
    await expect(verifier.verify(await issuer.idToken({ iss: LOCAL_ISS }))).rejects.toMatchObject({
      code: 'invalid_token_use',
    });
    await expect(
      verifier.verify(await issuer.accessToken({ iss: LOCAL_ISS, issuedAt: now - 7200, expiresIn: 3600 })),
    ).rejects.toMatchObject({ code: 'expired' });
    const claims = {
      iss: LOCAL_ISS,
      token_use: 'access',
      sub: 's',
      client_id: issuer.clientId,
      exp: now + 60,
    };
    await expect(
      verifier.verify(
        await issuer.sign({ kid: issuer.keyIds.access, alg: 'RS256' }, claims, { key: stranger.privateKey }),
      ),
    ).rejects.toMatchObject({ code: 'invalid_signature' });
    await expect(
      verifier.verify(
        await issuer.sign({ kid: stranger.kid, alg: 'RS256' }, claims, { key: stranger.privateKey }),
      ),
    ).rejects.toMatchObject({ code: 'unknown_key' });
    await expect(
      verifier.verify(await issuer.sign({ kid: issuer.keyIds.access, alg: 'HS256' }, claims)),
    ).rejects.toMatchObject({ code: 'unsupported_algorithm' });
  });
});

describe('issuer override options', () => {
  const base = { clientId: 'c', jwks: { fetch: false as const } };

  it('needs an explicit JWKS URL for the pool', () => {
    expect(() =>
      createVerifier({ ...base, userPoolId: [{ userPoolId: LOCAL_POOL, issuer: LOCAL_ISS }] }),
    ).toThrow(/local_AbC12345 has an issuer override, so it needs an explicit JWKS URL/);
  });

  it('accepts the verifier-wide jwks.uri as that explicit URL', () => {
    const verifier = createVerifier({
      clientId: 'c',
      userPoolId: [{ userPoolId: LOCAL_POOL, issuer: LOCAL_ISS }],
      jwks: { uri: LOCAL_JWKS, fetch: false },
    });

    expect(verifier.jwksUris).toEqual([LOCAL_JWKS]);
  });

  it('still applies the pool id syntax rule to pools without an override', () => {
    expect(() => createVerifier({ ...base, userPoolId: LOCAL_POOL })).toThrow(ConfigurationError);
    expect(() =>
      createVerifier({ ...base, userPoolId: [{ userPoolId: LOCAL_POOL, jwksUri: LOCAL_JWKS }] }),
    ).toThrow(/userPoolId must look like/);
  });

  it.each([
    ['an empty string', ''],
    ['a number', 42],
    ['not a URL', 'local_AbC12345'],
    ['plain http on a remote host', 'http://cognito.example/local_AbC12345'],
    ['credentials', 'https://user:pw@cognito.example/p'],
    ['a query', 'https://cognito.example/p?x=1'],
    ['a fragment', 'https://cognito.example/p#x'],
    ['an empty query mark', 'https://cognito.example/p?'],
  ])('refuses an issuer that is %s', (_name, value) => {
    expect(() =>
      createVerifier({
        ...base,
        userPoolId: [{ userPoolId: LOCAL_POOL, issuer: value as string, jwksUri: LOCAL_JWKS }],
      }),
    ).toThrow(ConfigurationError);
  });

  it('refuses an empty pool id label', () => {
    expect(() =>
      createVerifier({ ...base, userPoolId: [{ userPoolId: '', issuer: LOCAL_ISS, jwksUri: LOCAL_JWKS }] }),
    ).toThrow(/userPoolId must be a non-empty string/);
  });

  it('refuses two pools with the same issuer', () => {
    const pool = { userPoolId: LOCAL_POOL, issuer: LOCAL_ISS, jwksUri: LOCAL_JWKS };
    expect(() =>
      createVerifier({ ...base, userPoolId: [pool, { ...pool, userPoolId: 'local_Other123' }] }),
    ).toThrow(/configured twice/);
  });

  it('accepts an https issuer on any host', () => {
    const iss = 'https://idp.dev.example/local_AbC12345';
    expect(() =>
      createVerifier({
        ...base,
        userPoolId: [{ userPoolId: LOCAL_POOL, issuer: iss, jwksUri: `${iss}/.well-known/jwks.json` }],
      }),
    ).not.toThrow();
  });
});
