import { AuthError, cognitoAuth, isAuthError, requireAuth, sendAuthError } from '@cognito-gate/express';
import type { TestIssuer } from '@cognito-gate/testing';
import type { ErrorRequestHandler } from 'express';
import request from 'supertest';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { bearer, EXPRESS_VERSIONS, localVerifier, testIssuer } from './support.js';

describe.each(EXPRESS_VERSIONS)("errors: 'next' with $name", ({ createApp }) => {
  let issuer: TestIssuer;

  beforeAll(async () => {
    issuer = await testIssuer();
  });

  it('hands the AuthError to a custom error handler with status, statusCode and headers', async () => {
    const seen: unknown[] = [];
    const app = createApp();
    app.use(cognitoAuth({ verifier: localVerifier(issuer), errors: 'next', realm: 'shop' }));
    app.get('/orders', requireAuth({ scopes: 'orders/read' }), (_req, res) => {
      res.json({ ok: true });
    });
    const handler: ErrorRequestHandler = (err, _req, res, _next) => {
      seen.push(err);
      if (!isAuthError(err)) {
        res.status(500).end();
        return;
      }
      res.status(err.statusCode).set(err.headers).json({ problem: err.code, status: err.status });
    };
    app.use(handler);

    const missing = await request(app).get('/orders');
    const scope = await request(app)
      .get('/orders')
      .set('Authorization', bearer(await issuer.accessToken()));

    expect(missing.status).toBe(401);
    expect(missing.body).toEqual({ problem: 'missing_token', status: 401 });
    expect(missing.headers['www-authenticate']).toBe('Bearer realm="shop"');
    expect(scope.status).toBe(403);
    expect(scope.body).toEqual({ problem: 'insufficient_scope', status: 403 });
    expect(scope.headers['www-authenticate']).toBe(
      'Bearer realm="shop", error="insufficient_scope", error_description="Insufficient scope", scope="orders/read"',
    );
    expect(seen).toHaveLength(2);
    expect(seen[0]).toBeInstanceOf(AuthError);
  });

  it("lets Express's default error handler render status and WWW-Authenticate", async () => {
    const app = createApp();
    app.use(cognitoAuth({ verifier: localVerifier(issuer), errors: 'next' }));
    app.get('/me', (_req, res) => {
      res.json({ ok: true });
    });
    const expired = await issuer.accessToken({ issuedAt: Math.floor(Date.now() / 1000) - 7200 });

    const res = await request(app).get('/me').set('Authorization', bearer(expired));

    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="api", error="invalid_token", error_description="The token has expired"',
    );
    for (const segment of expired.split('.')) expect(res.text).not.toContain(segment);
  });

  it('passes Retry-After on a JWKS outage to the error handler', async () => {
    const app = createApp();
    const verifier = localVerifier(issuer, {
      jwks: { fetch: async () => new Response('', { status: 503 }) },
    });
    app.use(cognitoAuth({ verifier, errors: 'next' }));
    app.get('/me', (_req, res) => {
      res.json({ ok: true });
    });

    const res = await request(app)
      .get('/me')
      .set('Authorization', bearer(await issuer.accessToken()));

    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('10');
    expect(res.headers['www-authenticate']).toBeUndefined();
  });

  it('lets the error handler reuse sendAuthError after logging', async () => {
    const log = vi.fn();
    const app = createApp();
    app.use(cognitoAuth({ verifier: localVerifier(issuer), errors: 'next' }));
    app.get('/me', (_req, res) => {
      res.json({ ok: true });
    });
    app.use(((err, _req, res, next) => {
      if (!isAuthError(err)) return next(err);
      log(err.code, err.detail);
      sendAuthError(res, err);
    }) as ErrorRequestHandler);

    const res = await request(app).get('/me').set('Authorization', 'Bearer a.b');

    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'malformed_token', error_description: 'The token is malformed' });
    expect(log).toHaveBeenCalledWith('malformed_token', 'token does not have 3 segments');
  });
});

describe.each(EXPRESS_VERSIONS)('onReject with $name', ({ createApp }) => {
  it('sees every rejection with its internal detail, which never reaches the client', async () => {
    const issuer = await testIssuer();
    const rejections: Array<[string, string | undefined, string]> = [];
    const app = createApp();
    app.use(
      cognitoAuth({
        verifier: localVerifier(issuer),
        onReject: (error, req) => rejections.push([error.code, error.detail, req.path]),
      }),
    );

    const res = await request(app).get('/x').set('Authorization', 'Bearer a.b');

    expect(rejections).toEqual([['malformed_token', 'token does not have 3 segments', '/x']]);
    expect(res.text).not.toContain('segments');
  });
});
