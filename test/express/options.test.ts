import { ConfigurationError } from '@cognito-gate/core';
import { type CognitoAuthOptions, cognitoAuth } from '@cognito-gate/express';
import type { TestIssuer } from '@cognito-gate/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { localVerifier, testIssuer } from './support.js';

describe('cognitoAuth() options', () => {
  let issuer: TestIssuer;
  let pool: { userPoolId: string; clientId: string };

  beforeAll(async () => {
    issuer = await testIssuer();
    pool = { userPoolId: issuer.userPoolId, clientId: issuer.clientId };
  });

  const build = (options: unknown) => () => cognitoAuth(options as CognitoAuthOptions);

  it('creates a verifier from verifier options and exposes it', () => {
    const auth = cognitoAuth({ ...pool, jwks: { keys: issuer.jwks, fetch: false }, mode: 'optional' });

    expect(typeof auth).toBe('function');
    expect(auth.name).toBe('cognitoAuthMiddleware');
    expect(auth.verifier.jwksUris).toEqual([
      `https://cognito-idp.us-east-1.amazonaws.com/${issuer.userPoolId}/.well-known/jwks.json`,
      `https://issuer-cognito-idp.us-east-1.amazonaws.com/${issuer.userPoolId}/.well-known/jwks.json`,
    ]);
  });

  it('uses an existing verifier as it is', () => {
    const verifier = localVerifier(issuer);

    expect(cognitoAuth({ verifier }).verifier).toBe(verifier);
  });

  it('reports verifier mistakes at startup, through the core', () => {
    expect(build({ userPoolId: issuer.userPoolId })).toThrow(/clientId is required/);
    expect(build({ ...pool, clientld: 'typo' })).toThrow(/unknown option clientld/);
    expect(build({ userPoolId: 'not-a-pool', clientId: 'x' })).toThrow(ConfigurationError);
  });

  it('refuses a verifier together with verifier options', () => {
    expect(build({ verifier: localVerifier(issuer), clientId: 'x' })).toThrow(/unknown option clientId/);
    expect(build({ verifier: { verify: 'no' } })).toThrow(/verifier must be a verifier/);
    // verifyDirect is what every request calls: a look-alike without it must fail now, not per request.
    expect(build({ verifier: { verify: async () => ({}) } })).toThrow(/verifier must be a verifier/);
  });

  it.each([
    [{ mode: 'lenient' }, /mode must be/],
    [{ errors: 'throw' }, /errors must be/],
    [{ realm: '' }, /realm must be/],
    [{ realm: 'orders "api"' }, /realm must be printable ASCII without quotes/],
    [{ realm: 'back\\slash' }, /realm must be printable ASCII without quotes/],
    [{ realm: 'caf\u00e9' }, /realm must be printable ASCII/],
    [{ realm: 'line\r\nbreak' }, /realm must be printable ASCII/],
    [{ realm: 'r'.repeat(257) }, /realm must be at most 256 characters/],
    [{ realm: 42 }, /realm must be a non-empty string/],
    [{ preflight: 'next' }, /preflight must be 'authenticate' or 'respond'/],
    [{ onReject: 'log' }, /onReject must be a function/],
    [{ header: 'yes' }, /header must be a boolean/],
    [{ cookie: 'bad name' }, /cookie must be a cookie name/],
    [{ cookie: '' }, /cookie must be a cookie name/],
    [{ query: '' }, /query must be/],
    [{ getToken: 'x-token' }, /getToken must be a function/],
    [{ header: false }, /every token source is disabled/],
    [{ exclude: '/health' }, /exclude must be an array/],
    [{ exclude: ['health'] }, /must start with "\/"/],
    [{ exclude: [42] }, /exclude entries must be/],
  ])('rejects %j at startup', (adapterOptions, message) => {
    const fail = build({ ...pool, jwks: { keys: issuer.jwks, fetch: false }, ...adapterOptions });

    expect(fail).toThrow(ConfigurationError);
    expect(fail).toThrow(message);
  });

  it('validates adapter options before creating a verifier', () => {
    expect(build({ ...pool, jwks: { fetch: 'not-a-function' }, mode: 'nope' })).toThrow(/mode must be/);
  });

  it('throws when called without an options object', () => {
    expect(build(undefined)).toThrow(/options must be an object/);
  });
});
