import { AuthError, ConfigurationError, type Verifier } from '@cognito-gate/core';
import { authErrorResponse } from '@cognito-gate/lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { cognitoAuth } from '../../packages/lambda/src/middy.js';
import { createFixture } from './support.js';

const BAD_REALMS = [
  ['a quote', 'api" error="forged'],
  ['a backslash', 'a\\b'],
  ['a line break', 'api\r\nset-cookie: x=1'],
  ['non-ASCII', 'Zürich'],
  ['an empty string', ''],
  ['300 characters', 'r'.repeat(300)],
  ['a number', 42],
] as const;

describe('authErrorResponse', () => {
  it('renders the status, the RFC 6750 challenge with the realm, and a fixed body', () => {
    const response = authErrorResponse(new AuthError('expired'), { realm: 'orders' });
    expect(response).toEqual({
      statusCode: 401,
      headers: {
        'www-authenticate':
          'Bearer realm="orders", error="invalid_token", error_description="The token has expired"',
        'content-type': 'application/json',
        'cache-control': 'no-store',
      },
      body: '{"error":"expired","error_description":"The token has expired"}',
    });
  });

  it.each(BAD_REALMS)('refuses a realm with %s as a ConfigurationError', (_, realm) => {
    expect(() => authErrorResponse(new AuthError('expired'), { realm: realm as string })).toThrow(
      ConfigurationError,
    );
  });
});

describe('cognitoAuth realm', () => {
  let verifier: Verifier;
  beforeAll(async () => {
    ({ verifier } = await createFixture());
  });

  it.each(BAD_REALMS)('refuses a realm with %s when the middleware is created', (_, realm) => {
    expect(() => cognitoAuth({ verifier, realm: realm as string })).toThrow(ConfigurationError);
  });
});
