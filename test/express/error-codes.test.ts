import { AUTH_ERROR_CODES, type AuthErrorCode, createDenyList, createVerifier } from '@cognito-gate/core';
import { cognitoAuth, requireAuth } from '@cognito-gate/express';
import type { TestIssuer } from '@cognito-gate/testing';
import type { Express } from 'express';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, EXPRESS_VERSIONS, localVerifier, payloadOf, testIssuer } from './support.js';

interface Case {
  readonly code: AuthErrorCode;
  readonly path?: string;
  /** The Authorization header value; the token inside it must never come back. */
  readonly authorization: (issuer: TestIssuer) => Promise<string | undefined>;
}

const now = () => Math.floor(Date.now() / 1000);
const signed = async (issuer: TestIssuer, header: Record<string, unknown>, claims = {}, key?: 'id') =>
  bearer(await issuer.sign(header, { ...payloadOf(await issuer.accessToken()), ...claims }, { key }));

const CASES: readonly Case[] = [
  { code: 'missing_token', authorization: async () => undefined },
  { code: 'invalid_request', authorization: async () => 'Bearer' },
  { code: 'malformed_token', authorization: async () => 'Bearer not.a-jwt' },
  {
    code: 'unsupported_algorithm',
    authorization: (issuer) => signed(issuer, { alg: 'HS256', kid: issuer.keyIds.access }),
  },
  {
    code: 'unknown_key',
    authorization: (issuer) => signed(issuer, { alg: 'RS256', kid: 'not-in-the-jwks' }),
  },
  { code: 'invalid_key', authorization: (issuer) => signed(issuer, { alg: 'RS256', kid: 'encryption-key' }) },
  {
    code: 'invalid_signature',
    authorization: (issuer) => signed(issuer, { alg: 'RS256', kid: issuer.keyIds.access }, {}, 'id'),
  },
  {
    code: 'expired',
    authorization: async (issuer) =>
      bearer(await issuer.accessToken({ issuedAt: now() - 7200, expiresIn: 3600 })),
  },
  {
    code: 'not_yet_valid',
    authorization: async (issuer) => bearer(await issuer.accessToken({ nbf: now() + 3600 })),
  },
  {
    code: 'issued_in_future',
    authorization: async (issuer) => bearer(await issuer.accessToken({ issuedAt: now() + 3600 })),
  },
  {
    code: 'invalid_issuer',
    authorization: async (issuer) =>
      bearer(
        await issuer.accessToken({ iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other' }),
      ),
  },
  {
    code: 'invalid_client',
    authorization: async (issuer) => bearer(await issuer.accessToken({ client_id: 'another-client' })),
  },
  { code: 'invalid_token_use', authorization: async (issuer) => bearer(await issuer.idToken()) },
  {
    code: 'invalid_claims',
    authorization: async (issuer) =>
      bearer(await issuer.accessToken({ claims: { 'cognito:groups': 'admin' } })),
  },
  {
    code: 'revoked',
    authorization: async (issuer) => bearer(await issuer.accessToken({ jti: 'revoked-jti' })),
  },
  {
    code: 'insufficient_scope',
    path: '/orders',
    authorization: async (issuer) => bearer(await issuer.accessToken({ scopes: ['profile'] })),
  },
  {
    code: 'insufficient_group',
    path: '/admin',
    authorization: async (issuer) => bearer(await issuer.accessToken({ groups: ['staff'] })),
  },
  {
    code: 'forbidden',
    path: '/tenant',
    authorization: async (issuer) => bearer(await issuer.accessToken({ 'custom:tenant': 'globex' })),
  },
  {
    code: 'insufficient_user_authentication',
    path: '/transfer',
    authorization: async (issuer) => bearer(await issuer.accessToken({ acr: 'urn:pwd' })),
  },
  {
    code: 'jwks_unavailable',
    path: '/outage/me',
    authorization: async (issuer) => bearer(await issuer.accessToken()),
  },
  {
    code: 'revocation_unavailable',
    path: '/stale/me',
    authorization: async (issuer) => bearer(await issuer.accessToken()),
  },
];

/** The challenge RFC 6750 prescribes for each status, spelled out rather than computed. */
function expectedChallenge(code: AuthErrorCode): string | undefined {
  const description = AUTH_ERROR_CODES[code].description;
  switch (AUTH_ERROR_CODES[code].status) {
    case 400:
      return `Bearer realm="api", error="invalid_request", error_description="${description}"`;
    case 401:
      if (code === 'insufficient_user_authentication') {
        return `Bearer realm="api", error="insufficient_user_authentication", error_description="${description}", acr_values="urn:mfa", max_age="900"`;
      }
      return code === 'missing_token'
        ? 'Bearer realm="api"'
        : `Bearer realm="api", error="invalid_token", error_description="${description}"`;
    case 403:
      return code === 'insufficient_scope'
        ? `Bearer realm="api", error="insufficient_scope", error_description="${description}", scope="orders/read"`
        : `Bearer realm="api", error="insufficient_scope", error_description="${description}"`;
    default:
      return undefined;
  }
}

describe.each(EXPRESS_VERSIONS)('error responses with $name', ({ createApp }) => {
  let issuer: TestIssuer;
  let app: Express;

  beforeAll(async () => {
    issuer = await testIssuer();
    const accessKey = issuer.jwks.keys.find((key) => key.kid === issuer.keyIds.access)!;
    const verifier = createVerifier({
      userPoolId: issuer.userPoolId,
      clientId: issuer.clientId,
      jwks: {
        keys: { keys: [...issuer.jwks.keys, { ...accessKey, kid: 'encryption-key', use: 'enc' }] },
        fetch: false,
      },
      isRevoked: (token) => token.claims.jti === 'revoked-jti',
    });
    const outage = createVerifier({
      userPoolId: issuer.userPoolId,
      clientId: issuer.clientId,
      jwks: { fetch: () => Promise.reject(new Error('connect ECONNREFUSED')), cooldownSeconds: 3 },
    });
    // A deny-list whose store never answered: past its staleness bound from the start.
    const unreachable = createDenyList({
      store: {
        push: true,
        load: () => Promise.reject(new Error('connect ECONNREFUSED')),
        add: () => Promise.reject(new Error('connect ECONNREFUSED')),
        subscribe: () => () => {},
        close: () => Promise.resolve(),
      },
      refreshIntervalMs: 4000,
    });
    await unreachable.ready();
    const stale = createVerifier({
      userPoolId: issuer.userPoolId,
      clientId: issuer.clientId,
      jwks: { keys: issuer.jwks, fetch: false },
      denyList: unreachable,
    });
    app = createApp();
    app.use('/outage', cognitoAuth({ verifier: outage }));
    app.use('/stale', cognitoAuth({ verifier: stale }));
    app.use(cognitoAuth({ verifier }));
    const ok = (_req: unknown, res: { json: (body: unknown) => void }) => res.json({ ok: true });
    app.get('/me', ok);
    app.get('/outage/me', ok);
    app.get('/stale/me', ok);
    app.get('/orders', requireAuth({ scopes: 'orders/read' }), ok);
    app.get('/admin', requireAuth({ groups: 'admin' }), ok);
    app.get('/tenant', requireAuth({ claims: { 'custom:tenant': 'acme' } }), ok);
    app.get('/transfer', requireAuth({ acr: 'urn:mfa', maxAge: 900 }), ok);
  });

  it('covers every AuthError code', () => {
    expect(CASES.map((c) => c.code).sort()).toEqual(Object.keys(AUTH_ERROR_CODES).sort());
  });

  it.each(CASES)('answers $code with its status, RFC 6750 headers and a JSON body', async (testCase) => {
    const authorization = await testCase.authorization(issuer);
    const call = request(app).get(testCase.path ?? '/me');
    if (authorization !== undefined) call.set('Authorization', authorization);

    const res = await call;

    const info = AUTH_ERROR_CODES[testCase.code];
    expect(res.status).toBe(info.status);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({ error: testCase.code, error_description: info.description });
    expect(res.headers['www-authenticate']).toBe(expectedChallenge(testCase.code));
    if (testCase.code === 'jwks_unavailable') expect(res.headers['retry-after']).toBe('3');
    else if (testCase.code === 'revocation_unavailable') expect(res.headers['retry-after']).toBe('4');
    else expect(res.headers['retry-after']).toBeUndefined();
    const token = authorization?.split(' ')[1];
    if (token !== undefined && token.length > 0) {
      const exposed = JSON.stringify(res.headers) + res.text;
      for (const segment of token.split('.')) expect(exposed).not.toContain(segment);
      expect(exposed).not.toContain(issuer.user.username);
      expect(exposed).not.toContain(issuer.userPoolId);
    }
  });

  it('lets a valid token through and sets req.auth', async () => {
    const verifier = localVerifier(issuer);
    const local = createApp();
    local.use(cognitoAuth({ verifier }));
    local.get('/me', (req, res) => res.json({ sub: req.auth?.sub, groups: req.auth?.groups }));

    const res = await request(local)
      .get('/me')
      .set('Authorization', bearer(await issuer.accessToken({ groups: ['admin'] })));

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ sub: issuer.user.sub, groups: ['admin'] });
  });

  it('uses the configured realm in challenges', async () => {
    const local = createApp();
    local.use(cognitoAuth({ verifier: localVerifier(issuer), realm: 'orders v2' }));

    const res = await request(local).get('/me').set('Authorization', 'Bearer not.a-jwt');

    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="orders v2", error="invalid_token", error_description="The token is malformed"',
    );
  });

  it('treats another scheme as no token at all', async () => {
    const res = await request(app).get('/me').set('Authorization', 'Basic dXNlcjpwYXNz');

    expect(res.status).toBe(401);
    expect(res.body.error).toBe('missing_token');
    expect(res.headers['www-authenticate']).toBe('Bearer realm="api"');
  });

  it('answers two bearer tokens in one header with invalid_request', async () => {
    const token = await issuer.accessToken();

    const res = await request(app).get('/me').set('Authorization', `Bearer ${token} ${token}`);

    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
  });
});
