/**
 * The codes table is public API: what each code answers (status, RFC 6750 attribute, client-safe
 * text) must not drift. Codes added later get their own rows; these must keep their answers.
 */
import { AUTH_ERROR_CODES, AuthError, isAuthError } from '@cognito-gate/core';
import { describe, expect, it } from 'vitest';

describe('AUTH_ERROR_CODES', () => {
  it.each([
    ['missing_token', 401, undefined, 'Authentication required'],
    ['invalid_request', 400, 'invalid_request', 'Malformed Authorization header'],
    ['malformed_token', 401, 'invalid_token', 'The token is malformed'],
    ['unsupported_algorithm', 401, 'invalid_token', 'The token algorithm is not accepted'],
    ['unknown_key', 401, 'invalid_token', 'The token signing key is unknown'],
    ['invalid_key', 401, 'invalid_token', 'The token signing key is not acceptable'],
    ['invalid_signature', 401, 'invalid_token', 'The token signature is invalid'],
    ['expired', 401, 'invalid_token', 'The token has expired'],
    ['not_yet_valid', 401, 'invalid_token', 'The token is not valid yet'],
    ['issued_in_future', 401, 'invalid_token', 'The token was issued in the future'],
    ['invalid_issuer', 401, 'invalid_token', 'The token issuer is not accepted'],
    ['invalid_client', 401, 'invalid_token', 'The token was issued to another client'],
    ['invalid_token_use', 401, 'invalid_token', 'The token type is not accepted here'],
    ['invalid_claims', 401, 'invalid_token', 'The token claims are invalid'],
    ['revoked', 401, 'invalid_token', 'The token has been revoked'],
    ['insufficient_scope', 403, 'insufficient_scope', 'Insufficient scope'],
    ['insufficient_group', 403, 'insufficient_scope', 'Insufficient group membership'],
    ['forbidden', 403, 'insufficient_scope', 'Access to this resource is forbidden'],
    ['jwks_unavailable', 503, undefined, 'Token keys are temporarily unavailable'],
    ['revocation_unavailable', 503, undefined, 'Token revocation status is temporarily unavailable'],
  ] as const)('%s → %i, error=%s, "%s"', (code, status, bearer, description) => {
    expect(AUTH_ERROR_CODES[code]).toEqual({ status, bearer, description });
    const error = new AuthError(code);
    expect([error.status, error.statusCode, error.bearerError, error.description, error.message]).toEqual([
      status,
      status,
      bearer,
      description,
      description,
    ]);
    expect(error.toJSON()).toEqual({ error: code, error_description: description });
  });

  it('is frozen', () => {
    expect(Object.isFrozen(AUTH_ERROR_CODES)).toBe(true);
  });
});

describe('AuthError options', () => {
  it('keeps a cause only when one is given', () => {
    const cause = new Error('root');
    expect(new AuthError('malformed_token', { cause }).cause).toBe(cause);
    expect(Object.hasOwn(new AuthError('malformed_token'), 'cause')).toBe(false);
  });

  it('is unexpected only when told so', () => {
    expect(new AuthError('malformed_token').unexpected).toBe(false);
    expect(new AuthError('malformed_token', { unexpected: true }).unexpected).toBe(true);
    expect(new AuthError('malformed_token', { unexpected: 1 as never }).unexpected).toBe(false);
  });

  it('carries Retry-After on the 503s only, 5 s unless told otherwise', () => {
    expect(new AuthError('jwks_unavailable').retryAfterSeconds).toBe(5);
    expect(new AuthError('revocation_unavailable').retryAfterSeconds).toBe(5);
    expect(new AuthError('revocation_unavailable', { retryAfterSeconds: 9 }).retryAfterSeconds).toBe(9);
    expect(new AuthError('jwks_unavailable', { retryAfterSeconds: 0 }).retryAfterSeconds).toBe(0);
    expect(new AuthError('expired', { retryAfterSeconds: 7 }).retryAfterSeconds).toBeUndefined();
    expect(new AuthError('expired').headers).not.toHaveProperty('retry-after');
  });

  it('keeps detail and requiredScopes as given', () => {
    const error = new AuthError('insufficient_scope', { detail: 'd', requiredScopes: ['a'] });
    expect([error.detail, error.requiredScopes, error.expose, error.name]).toEqual([
      'd',
      ['a'],
      true,
      'AuthError',
    ]);
  });
});

describe('isAuthError', () => {
  const lookalike = (name: string, code: unknown) => Object.assign(new Error('x'), { name, code });

  it('recognises our errors and those of another copy of the package by shape', () => {
    expect(isAuthError(new AuthError('expired'))).toBe(true);
    expect(isAuthError(lookalike('AuthError', 'expired'))).toBe(true);
  });

  it.each([
    ['another name', lookalike('TypeError', 'expired')],
    ['an unknown code', lookalike('AuthError', 'nope')],
    ['a code inherited from Object.prototype', lookalike('AuthError', 'toString')],
    ['a non-string code', lookalike('AuthError', 401)],
    ['a code that only converts to a known one', lookalike('AuthError', { toString: () => 'expired' })],
    ['a plain object', { name: 'AuthError', code: 'expired' }],
    ['undefined', undefined],
  ])('refuses %s', (_name, value) => {
    expect(isAuthError(value)).toBe(false);
  });
});
