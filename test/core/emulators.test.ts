/**
 * `emulatorPool`: the pool settings for moto, cognito-local and LocalStack, and tokens shaped like
 * each emulator's verified through them (the real emulators run in test/interop).
 */
import {
  ConfigurationError,
  createVerifier,
  type EmulatorPoolOptions,
  emulatorPool,
} from '@cognito-gate/core';
import { createTestIssuer, type TestIssuer } from '@cognito-gate/testing';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

let issuer: TestIssuer;

beforeAll(async () => {
  issuer = await createTestIssuer();
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('emulatorPool', () => {
  it('moto: the real Cognito issuer, the JWKS from the emulator', () => {
    expect(
      emulatorPool({
        kind: 'moto',
        endpoint: 'http://127.0.0.1:5000/',
        userPoolId: 'us-east-1_abc',
        clientId: 'c',
      }),
    ).toEqual({
      userPoolId: 'us-east-1_abc',
      clientId: 'c',
      jwksUri: 'http://127.0.0.1:5000/us-east-1_abc/.well-known/jwks.json',
    });
  });

  it('cognito-local: its own issuer, on localhost:9229 by default', () => {
    expect(emulatorPool({ kind: 'cognito-local', userPoolId: 'local_AbC12345' })).toEqual({
      userPoolId: 'local_AbC12345',
      issuer: 'http://localhost:9229/local_AbC12345',
      jwksUri: 'http://localhost:9229/local_AbC12345/.well-known/jwks.json',
    });
  });

  it('LocalStack: localhost.localstack.cloud:4566 by default, or the issuer it is configured to write', () => {
    expect(emulatorPool({ kind: 'localstack', userPoolId: 'us-east-1_abc' })).toMatchObject({
      issuer: 'http://localhost.localstack.cloud:4566/us-east-1_abc',
      jwksUri: 'http://localhost.localstack.cloud:4566/us-east-1_abc/.well-known/jwks.json',
    });
    expect(
      emulatorPool({
        kind: 'localstack',
        endpoint: 'http://localhost:4566',
        userPoolId: 'us-east-1_abc',
        issuer: 'https://cognito-idp.localhost.localstack.cloud/us-east-1_abc',
      }),
    ).toMatchObject({
      issuer: 'https://cognito-idp.localhost.localstack.cloud/us-east-1_abc',
      jwksUri: 'http://localhost:4566/us-east-1_abc/.well-known/jwks.json',
    });
  });

  it('leaves clientId out when not given, so the verifier-wide one applies', async () => {
    const verifier = createVerifier({
      userPoolId: [emulatorPool({ kind: 'moto', userPoolId: issuer.userPoolId })],
      clientId: 'someone-else',
      jwks: { keys: issuer.jwks, fetch: false },
    });

    await expect(verifier.verify(await issuer.accessToken())).rejects.toMatchObject({
      code: 'invalid_client',
    });
  });

  it.each<[string, unknown]>([
    ['an unknown kind', { kind: 'keycloak', userPoolId: 'p' }],
    ['an unknown option', { kind: 'moto', userPoolId: 'us-east-1_abc', region: 'x' }],
    ['an empty pool id', { kind: 'cognito-local', userPoolId: '' }],
    ['a pool id with a slash', { kind: 'cognito-local', userPoolId: 'a/b' }],
    ['an issuer for moto', { kind: 'moto', userPoolId: 'us-east-1_abc', issuer: 'http://localhost:5000/x' }],
    ['no object', null],
  ])('refuses %s', (_name, options) => {
    expect(() => emulatorPool(options as EmulatorPoolOptions)).toThrow(ConfigurationError);
  });
});

describe('tokens shaped like each emulator', () => {
  it('moto: Cognito iss, a moto-style pool id, JWKS from the emulator', async () => {
    const verifier = createVerifier({
      userPoolId: [
        emulatorPool({ kind: 'moto', endpoint: 'http://127.0.0.1:5000', userPoolId: issuer.userPoolId }),
      ],
      clientId: issuer.clientId,
      jwks: { keys: issuer.jwks, fetch: false },
    });
    const session = await issuer.signIn({ groups: ['admin'] });

    await expect(verifier.verify(session.accessToken, { groups: 'admin' })).resolves.toMatchObject({
      issuer: issuer.issuer,
    });
  });

  it('cognito-local: http://localhost:9229/local_… issuer, local_ pool id', async () => {
    const pool = emulatorPool({
      kind: 'cognito-local',
      userPoolId: 'local_AbC12345',
      clientId: issuer.clientId,
    });
    const verifier = createVerifier({ userPoolId: [pool], jwks: { keys: issuer.jwks, fetch: false } });
    const token = await issuer.accessToken({ iss: 'http://localhost:9229/local_AbC12345' });

    await expect(verifier.verify(token)).resolves.toMatchObject({ userPoolId: 'local_AbC12345' });
    await expect(verifier.verify(await issuer.accessToken())).rejects.toMatchObject({
      code: 'invalid_issuer',
    });
  });

  it('LocalStack: needs insecureHttpHosts for its non-loopback host', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const pool = emulatorPool({
      kind: 'localstack',
      userPoolId: issuer.userPoolId,
      clientId: issuer.clientId,
    });
    const options = { userPoolId: [pool], jwks: { keys: issuer.jwks, fetch: false as const } };

    expect(() => createVerifier(options)).toThrow(ConfigurationError);
    const verifier = createVerifier({ ...options, insecureHttpHosts: ['localhost.localstack.cloud'] });
    const token = await issuer.accessToken({
      iss: `http://localhost.localstack.cloud:4566/${issuer.userPoolId}`,
    });
    await expect(verifier.verify(token)).resolves.toMatchObject({ userPoolId: issuer.userPoolId });
  });
});
