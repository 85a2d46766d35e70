import { ConfigurationError } from '@cognito-gate/core';
import {
  createRestAuthorizer,
  type RestRequestAuthorizerEvent,
  type RestTokenAuthorizerEvent,
} from '@cognito-gate/lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFixture, expectUnauthorized, type Fixture } from './support.js';

describe('createRestAuthorizer token handling', () => {
  let f: Fixture;
  const methodArn = 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/pets';
  const tokenEvent = (authorizationToken: string): RestTokenAuthorizerEvent => ({
    type: 'TOKEN',
    authorizationToken,
    methodArn,
  });
  beforeAll(async () => {
    f = await createFixture();
  });

  it.each(['Bearer ', 'bearer ', 'BEARER ', '  Bearer   '])(
    'strips the scheme %j case-insensitively',
    async (prefix) => {
      const token = await f.issuer.accessToken();
      const result = await createRestAuthorizer({ verifier: f.verifier })(tokenEvent(`${prefix}${token}`));
      expect(result.policyDocument.Statement[0]!.Effect).toBe('Allow');
    },
  );

  it('accepts a bare token by default and refuses it with acceptBareToken: false', async () => {
    const token = await f.issuer.accessToken();
    expect((await createRestAuthorizer({ verifier: f.verifier })(tokenEvent(token))).principalId).toBe(
      f.issuer.user.sub,
    );
    const strict = createRestAuthorizer({ verifier: f.verifier, acceptBareToken: false });
    await expectUnauthorized(strict(tokenEvent(token)));
    expect((await strict(tokenEvent(`Bearer ${token}`))).principalId).toBe(f.issuer.user.sub);
  });

  it.each([
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['the scheme alone', 'Bearer'],
    ['two tokens', 'Bearer a.b.c d.e.f'],
    ['an empty header', ''],
  ])('throws Unauthorized for %s', async (_, value) => {
    await expectUnauthorized(createRestAuthorizer({ verifier: f.verifier })(tokenEvent(value)));
  });

  it('throws Unauthorized for an expired token, an ID token, and a token of another client', async () => {
    const authorizer = createRestAuthorizer({ verifier: f.verifier });
    await expectUnauthorized(authorizer(tokenEvent(await f.issuer.accessToken({ expiresIn: -60 }))));
    await expectUnauthorized(authorizer(tokenEvent(await f.issuer.idToken())));
    await expectUnauthorized(
      authorizer(tokenEvent(await f.issuer.accessToken({ client_id: 'someone-else' }))),
    );
  });

  it('uses the app client id as principalId for machine-to-machine tokens', async () => {
    const result = await createRestAuthorizer({ verifier: f.verifier })(
      tokenEvent(await f.issuer.m2mToken()),
    );
    expect(result.principalId).toBe(f.issuer.clientId);
    expect(result.context).not.toHaveProperty('username');
  });

  it('refuses repeated Authorization headers in a REQUEST event', async () => {
    const token = await f.issuer.accessToken();
    const event: RestRequestAuthorizerEvent = {
      type: 'REQUEST',
      methodArn,
      headers: { Authorization: `Bearer ${token}` },
      multiValueHeaders: { Authorization: [`Bearer ${token}`, 'Bearer other'] },
    };
    await expectUnauthorized(createRestAuthorizer({ verifier: f.verifier })(event));
  });

  it('reads the token from a configured query parameter', async () => {
    const token = await f.issuer.accessToken();
    const authorizer = createRestAuthorizer({ verifier: f.verifier, identity: { query: 'access_token' } });
    const event: RestRequestAuthorizerEvent = {
      type: 'REQUEST',
      methodArn,
      queryStringParameters: { access_token: token },
    };
    expect((await authorizer(event)).principalId).toBe(f.issuer.user.sub);
  });

  it('validates options when created, not per request', () => {
    const make = (options: object) => () => createRestAuthorizer({ verifier: f.verifier, ...options });
    expect(make({ policyscope: 'stage' })).toThrow(ConfigurationError);
    expect(make({ policyScope: 'route' })).toThrow(ConfigurationError);
    expect(make({ routes: { '/orders': {} } })).toThrow(ConfigurationError);
    expect(make({ rules: { group: 'admin' } })).toThrow(ConfigurationError);
    expect(make({ identity: { body: 'token' } })).toThrow(ConfigurationError);
    expect(() => createRestAuthorizer({ verifier: { userPoolId: 'nope' } })).toThrow(ConfigurationError);
  });
});
