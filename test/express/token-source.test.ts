import { AuthError, cognitoAuth, type ExpressAuthOptions } from '@cognito-gate/express';
import type { TestIssuer } from '@cognito-gate/testing';
import type { Express } from 'express';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, EXPRESS_VERSIONS, localVerifier, rawRequest, testIssuer } from './support.js';

describe.each(EXPRESS_VERSIONS)('token sources with $name', ({ createApp }) => {
  let issuer: TestIssuer;
  let token: string;

  beforeAll(async () => {
    issuer = await testIssuer();
    token = await issuer.accessToken();
  });

  function appWith(options: ExpressAuthOptions): Express {
    const app = createApp();
    app.use(cognitoAuth({ verifier: localVerifier(issuer), ...options }));
    app.get('/me', (req, res) => {
      res.json({ sub: req.auth?.sub });
    });
    return app;
  }

  describe('Authorization header', () => {
    const get = (app: Express, ...headers: string[]) =>
      rawRequest(app, ['GET /me HTTP/1.1', ...headers].join('\r\n'));

    it('rejects two different Authorization headers, whatever their casing or order', async () => {
      const other = await issuer.accessToken();
      const app = appWith({});

      const twoTokens = await get(app, `Authorization: Bearer ${token}`, `Authorization: Bearer ${other}`);
      const cased = await get(app, `authorization: Bearer ${other}`, `AUTHORIZATION: Bearer ${token}`);
      const basicFirst = await get(
        app,
        'Authorization: Basic dXNlcjpwYXNz',
        `Authorization: Bearer ${token}`,
      );

      for (const res of [twoTokens, cased, basicFirst]) {
        expect(res.status).toBe(400);
        expect(JSON.parse(res.body).error).toBe('invalid_request');
        expect(res.headers['www-authenticate']).toMatch(/error="invalid_request"/);
      }
    });

    it('accepts the same Authorization header repeated verbatim', async () => {
      const res = await get(appWith({}), `Authorization: Bearer ${token}`, `authorization: Bearer ${token}`);

      expect(res.status).toBe(200);
      expect(JSON.parse(res.body).sub).toBe(issuer.user.sub);
    });

    it('honours an Authorization header that earlier middleware rewrote', async () => {
      const app = createApp();
      app.use((req, _res, next) => {
        req.headers.authorization = bearer(token);
        next();
      });
      app.use(cognitoAuth({ verifier: localVerifier(issuer) }));
      app.get('/me', (req, res) => {
        res.json({ sub: req.auth?.sub });
      });

      const res = await request(app).get('/me').set('Authorization', 'Basic dXNlcjpwYXNz');

      expect(res.status).toBe(200);
    });

    it('rejects a second Cookie header that repeats the token cookie with another value', async () => {
      const other = await issuer.accessToken();

      const res = await get(
        appWith({ cookie: 'access_token', header: false }),
        `Cookie: access_token=${token}`,
        `Cookie: theme=dark; access_token=${other}`,
      );

      expect(res.status).toBe(400);
      expect(JSON.parse(res.body).error).toBe('invalid_request');
    });
  });

  describe('cookie', () => {
    it('reads the token from the named cookie', async () => {
      const res = await request(appWith({ cookie: 'access_token' }))
        .get('/me')
        .set('Cookie', `theme=dark; access_token=${token}; lang=en`);

      expect(res.status).toBe(200);
      expect(res.body.sub).toBe(issuer.user.sub);
    });

    it('accepts a quoted and a percent-encoded value', async () => {
      const app = appWith({ cookie: 'access_token' });
      const encoded = token.replace(/\./g, '%2E');

      expect((await request(app).get('/me').set('Cookie', `access_token="${token}"`)).status).toBe(200);
      expect((await request(app).get('/me').set('Cookie', `access_token=${encoded}`)).status).toBe(200);
    });

    it('treats an empty or absent cookie as no token', async () => {
      const app = appWith({ cookie: 'access_token' });

      const empty = await request(app).get('/me').set('Cookie', 'access_token=; other=1');
      const absent = await request(app).get('/me').set('Cookie', 'access_tokens=abc');

      expect(empty.body.error).toBe('missing_token');
      expect(absent.body.error).toBe('missing_token');
    });

    it('rejects the same cookie twice with different values', async () => {
      const other = await issuer.accessToken();

      const res = await request(appWith({ cookie: 'access_token' }))
        .get('/me')
        .set('Cookie', `access_token=${token}; access_token=${other}`);

      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_request');
    });

    it('rejects broken percent-encoding as a malformed token, not a 500', async () => {
      const res = await request(appWith({ cookie: 'access_token' }))
        .get('/me')
        .set('Cookie', 'access_token=%E0%A4%A');

      expect(res.status).toBe(401);
      expect(res.body.error).toBe('malformed_token');
    });

    it('rejects a token sent in the cookie and the header at once', async () => {
      const res = await request(appWith({ cookie: 'access_token' }))
        .get('/me')
        .set('Cookie', `access_token=${token}`)
        .set('Authorization', bearer(token));

      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_request');
    });

    it('uses the cookie when the Authorization header carries another scheme', async () => {
      const res = await request(appWith({ cookie: 'access_token' }))
        .get('/me')
        .set('Cookie', `access_token=${token}`)
        .set('Authorization', 'Basic dXNlcjpwYXNz');

      expect(res.status).toBe(200);
    });

    it('ignores the Authorization header when header: false', async () => {
      const res = await request(appWith({ cookie: 'access_token', header: false }))
        .get('/me')
        .set('Authorization', bearer(token));

      expect(res.status).toBe(401);
      expect(res.body.error).toBe('missing_token');
    });
  });

  describe('query string', () => {
    it('ignores access_token in the query unless enabled', async () => {
      const res = await request(appWith({})).get(`/me?access_token=${token}`);

      expect(res.status).toBe(401);
      expect(res.body.error).toBe('missing_token');
    });

    it('reads access_token when query: true', async () => {
      const res = await request(appWith({ query: true })).get(`/me?x=1&access_token=${token}`);

      expect(res.status).toBe(200);
    });

    it('reads a custom parameter name', async () => {
      const app = appWith({ query: 'jwt' });

      expect((await request(app).get(`/me?jwt=${token}`)).status).toBe(200);
      expect((await request(app).get(`/me?access_token=${token}`)).status).toBe(401);
    });

    it('rejects the parameter given twice', async () => {
      const res = await request(appWith({ query: true })).get(
        `/me?access_token=${token}&access_token=${token}`,
      );

      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_request');
    });

    it('rejects a token in the query and the header at once', async () => {
      const res = await request(appWith({ query: true }))
        .get(`/me?access_token=${token}`)
        .set('Authorization', bearer(token));

      expect(res.status).toBe(400);
    });
  });

  describe('custom getter', () => {
    it('uses the token the getter returns', async () => {
      const app = appWith({ header: false, getToken: (req) => req.get('x-api-token') });

      expect((await request(app).get('/me').set('X-Api-Token', token)).status).toBe(200);
      expect((await request(app).get('/me')).body.error).toBe('missing_token');
    });

    it('renders an AuthError the getter throws', async () => {
      const app = appWith({
        getToken: () => {
          throw new AuthError('invalid_request');
        },
      });

      const res = await request(app).get('/me');

      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_request');
    });

    it('turns any other getter failure into invalid_request, not a 500', async () => {
      const app = appWith({
        getToken: (req) => (req.headers as unknown as { missing: { deeper: string } }).missing.deeper,
      });
      const wrongType = appWith({ getToken: () => 42 as unknown as string });

      expect((await request(app).get('/me')).status).toBe(400);
      expect((await request(wrongType).get('/me')).status).toBe(400);
    });

    it('rejects a getter answering with a promise as invalid_request, without an unhandled rejection', async () => {
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown) => unhandled.push(reason);
      process.on('unhandledRejection', onUnhandled);
      try {
        const resolving = appWith({ getToken: (() => Promise.resolve(token)) as never });
        const rejecting = appWith({ getToken: (() => Promise.reject(new Error('store down'))) as never });

        expect((await request(resolving).get('/me')).status).toBe(400);
        expect((await request(rejecting).get('/me')).body.error).toBe('invalid_request');
        await new Promise((resolve) => setTimeout(resolve, 10));
        expect(unhandled).toEqual([]);
      } finally {
        process.off('unhandledRejection', onUnhandled);
      }
    });

    it('rejects a getter token together with a header token', async () => {
      const res = await request(appWith({ getToken: () => token }))
        .get('/me')
        .set('Authorization', bearer(token));

      expect(res.status).toBe(400);
    });
  });
});
