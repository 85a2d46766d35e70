import {
  AUTH_ERROR_CODES,
  AuthError,
  type AuthErrorCode,
  authErrorHeaders,
  quoteHeaderValue,
  realmProblem,
  wwwAuthenticate,
} from '@cognito-gate/core';
import { describe, expect, it } from 'vitest';

const codes = Object.keys(AUTH_ERROR_CODES) as AuthErrorCode[];

describe('AuthError', () => {
  it.each(codes)('%s has a status, a fixed description and is an Error named AuthError', (code) => {
    const error = new AuthError(code, { detail: 'secret token text eyJ...' });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('AuthError');
    expect(error.status).toBe(error.statusCode);
    expect(error.message).toBe(error.description);
    expect(error.message).not.toContain('eyJ');
    expect(JSON.stringify(error.toJSON())).not.toContain('secret');
  });

  it('maps codes to statuses per the design table', () => {
    const byStatus = (status: number) => codes.filter((c) => AUTH_ERROR_CODES[c].status === status).sort();
    expect(byStatus(400)).toEqual(['invalid_request']);
    expect(byStatus(403)).toEqual(['forbidden', 'insufficient_group', 'insufficient_scope']);
    expect(byStatus(503)).toEqual(['jwks_unavailable', 'revocation_unavailable']);
    expect(byStatus(401)).toHaveLength(15);
  });
});

describe('wwwAuthenticate', () => {
  it('has no error attribute for missing_token', () => {
    expect(wwwAuthenticate(new AuthError('missing_token'))).toBe('Bearer realm="api"');
  });

  it.each(
    codes.filter(
      (c) =>
        AUTH_ERROR_CODES[c].status === 401 &&
        c !== 'missing_token' &&
        c !== 'insufficient_user_authentication',
    ),
  )('%s → error="invalid_token"', (code) => {
    expect(wwwAuthenticate(new AuthError(code))).toMatch(
      /^Bearer realm="api", error="invalid_token", error_description="[^"]+"$/,
    );
  });

  it('renders invalid_request, insufficient_scope with scope, and nothing for 503', () => {
    expect(wwwAuthenticate(new AuthError('invalid_request'))).toContain('error="invalid_request"');
    expect(
      wwwAuthenticate(
        new AuthError('insufficient_scope', { requiredScopes: ['orders/read', 'orders/write'] }),
        {
          realm: 'shop',
          includeDescription: false,
        },
      ),
    ).toBe('Bearer realm="shop", error="insufficient_scope", scope="orders/read orders/write"');
    expect(wwwAuthenticate(new AuthError('jwks_unavailable'))).toBeUndefined();
    expect(wwwAuthenticate(new AuthError('revocation_unavailable'))).toBeUndefined();
  });

  it('escapes quotes, backslashes and control characters in a realm', () => {
    expect(quoteHeaderValue('a"b\\c\r\nd')).toBe('"a\\"b\\\\cd"');
    expect(wwwAuthenticate(new AuthError('missing_token'), { realm: 'x", error="y' })).toBe(
      'Bearer realm="x\\", error=\\"y"',
    );
  });

  it('authErrorHeaders sets no WWW-Authenticate key at all on 503 (an undefined header value throws in Node)', () => {
    expect(Object.keys(authErrorHeaders(new AuthError('jwks_unavailable')))).toEqual(['retry-after']);
  });

  it('authErrorHeaders adds Retry-After on 503 only', () => {
    expect(authErrorHeaders(new AuthError('jwks_unavailable', { retryAfterSeconds: 7 }))).toEqual({
      'retry-after': '7',
    });
    expect(authErrorHeaders(new AuthError('expired'))).toEqual({
      'www-authenticate': expect.stringContaining('invalid_token'),
    });
    expect(new AuthError('jwks_unavailable').headers['retry-after']).toBe('5');
    expect(new AuthError('revocation_unavailable').headers).toEqual({ 'retry-after': '5' });
  });
});

describe('quoteHeaderValue', () => {
  it('keeps printable ASCII and drops everything else (Node refuses non-ASCII header values)', () => {
    expect(quoteHeaderValue(' ~az09!')).toBe('" ~az09!"');
    expect(quoteHeaderValue('caf\u00e9 \u2615\u007f\u0000\t')).toBe('"caf "');
  });
});

describe('realmProblem', () => {
  it.each([['api'], ['a'.repeat(256)], [' ~'], ['my realm!']])('accepts %j', (realm) => {
    expect(realmProblem(realm)).toBeUndefined();
  });

  it.each([
    [undefined, 'must be a non-empty string'],
    [5, 'must be a non-empty string'],
    ['', 'must be a non-empty string'],
    ['a'.repeat(257), 'must be at most 256 characters'],
    ['a"b', 'must be printable ASCII without quotes or backslashes'],
    ['a\\b', 'must be printable ASCII without quotes or backslashes'],
    ['a\nb', 'must be printable ASCII without quotes or backslashes'],
    ['\u00e9', 'must be printable ASCII without quotes or backslashes'],
    ['ok\u007f', 'must be printable ASCII without quotes or backslashes'],
  ])('refuses %j: %s', (realm, problem) => {
    expect(realmProblem(realm)).toBe(problem);
  });
});

describe('wwwAuthenticate attributes', () => {
  it('adds a scope attribute only when scopes are named', () => {
    const options = { includeDescription: false };
    expect(wwwAuthenticate(new AuthError('insufficient_scope', { requiredScopes: [] }), options)).toBe(
      'Bearer realm="api", error="insufficient_scope"',
    );
    expect(wwwAuthenticate(new AuthError('insufficient_scope'), options)).toBe(
      'Bearer realm="api", error="insufficient_scope"',
    );
  });

  it('includes the description unless told not to', () => {
    expect(wwwAuthenticate(new AuthError('expired'), { includeDescription: true })).toBe(
      'Bearer realm="api", error="invalid_token", error_description="The token has expired"',
    );
    expect(wwwAuthenticate(new AuthError('expired'), { realm: 'r', includeDescription: false })).toBe(
      'Bearer realm="r", error="invalid_token"',
    );
  });
});
