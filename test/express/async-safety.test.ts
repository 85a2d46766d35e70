import { AuthError, type Verifier } from '@cognito-gate/core';
import { cognitoAuth, type ExpressAuthOptions } from '@cognito-gate/express';
import type { TestIssuer } from '@cognito-gate/testing';
import type { Express, NextFunction, Request, Response } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { NOT_VERIFIED_ANSWERS } from '../support/verifier-answers.js';
import { bearer, EXPRESS_VERSIONS, localVerifier, testIssuer } from './support.js';

/** A verifier whose verify() misbehaves the way a hand-written or mocked one might. */
function brokenVerifier(verify: () => Promise<never>): Verifier {
  return {
    verify,
    verifyAuthorization: verify,
    verifyDirect: verify,
    verifySync: vi.fn(),
    hydrate: vi.fn(),
    close: vi.fn(),
    jwksUris: [],
    cachedTokens: 0,
  } as unknown as Verifier;
}

describe.each(EXPRESS_VERSIONS)('promise safety with $name', ({ createApp }) => {
  let issuer: TestIssuer;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    issuer = await testIssuer();
    process.on('unhandledRejection', onUnhandled);
  });

  afterAll(() => {
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled).toEqual([]);
  });

  /** An app that counts how often the middleware continues, to prove it happens at most once. */
  function countingApp(options: ExpressAuthOptions & { verifier: Verifier }) {
    const calls: unknown[] = [];
    const auth = cognitoAuth(options);
    const app: Express = createApp();
    app.use((req: Request, res: Response, next: NextFunction) => {
      const result = auth(req, res, (error?: unknown) => {
        calls.push(error);
        next(error);
      });
      // Express 4 drops returned promises: the middleware must not return one that could reject.
      calls.push(result === undefined ? 'returned undefined' : 'returned a value');
    });
    app.get('/me', (_req, res) => {
      res.json({ ok: true });
    });
    return { app, calls };
  }

  it('turns a verifier rejecting with a non-AuthError into one next(err), a 500 and no crash', async () => {
    const bug = new TypeError('cannot read properties of undefined');
    const { app, calls } = countingApp({ verifier: brokenVerifier(() => Promise.reject(bug)) });

    const res = await request(app).get('/me').set('Authorization', 'Bearer a.b.c');

    expect(res.status).toBe(500);
    expect(calls).toEqual(['returned undefined', bug]);
  });

  it('handles a verifier that throws synchronously', async () => {
    const verify = () => {
      throw new Error('sync failure');
    };
    const { app } = countingApp({ verifier: brokenVerifier(verify as never) });

    const res = await request(app).get('/me').set('Authorization', 'Bearer a.b.c');

    expect(res.status).toBe(500);
  });

  it('answers a JWKS outage with 503 instead of hanging', async () => {
    const verifier = localVerifier(issuer, {
      jwks: { fetch: () => Promise.reject(new Error('ECONNRESET')) },
    });
    const { app, calls } = countingApp({ verifier });

    const res = await request(app)
      .get('/me')
      .set('Authorization', bearer(await issuer.accessToken()));

    expect(res.status).toBe(503);
    expect(calls).toEqual(['returned undefined']);
  });

  it('continues exactly once after a successful verification', async () => {
    const { app, calls } = countingApp({ verifier: localVerifier(issuer) });

    const res = await request(app)
      .get('/me')
      .set('Authorization', bearer(await issuer.accessToken()));

    expect(res.status).toBe(200);
    // A cached or preloaded-key verification continues before the middleware returns.
    expect(calls).toEqual([undefined, 'returned undefined']);
  });

  it('still answers 401 when the onReject hook throws', async () => {
    const { app, calls } = countingApp({
      verifier: localVerifier(issuer),
      onReject: () => {
        throw new Error('logger down');
      },
    });

    const res = await request(app).get('/me');

    expect(res.status).toBe(401);
    expect(calls).toEqual(['returned undefined']);
  });

  it('renders its fixed body whatever the json settings of the app', async () => {
    const { app } = countingApp({ verifier: localVerifier(issuer) });
    app.set('json replacer', () => {
      throw new Error('replacer bug');
    });

    const res = await request(app).get('/me');

    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'missing_token', error_description: 'Authentication required' });
  });

  it('passes a failure to send the error response on to Express instead of hanging', async () => {
    const sendFailure = new Error('send patched by another middleware');
    const calls: unknown[] = [];
    const auth = cognitoAuth({ verifier: localVerifier(issuer) });
    const app = createApp();
    app.use((req: Request, res: Response, next: NextFunction) => {
      res.send = () => {
        throw sendFailure;
      };
      auth(req, res, (error?: unknown) => {
        calls.push(error);
        next(error);
      });
    });

    const res = await request(app).get('/me');

    expect(res.status).toBe(401);
    expect(calls).toEqual([sendFailure]);
  });

  it('survives a burst of concurrent failing requests', async () => {
    const { app } = countingApp({ verifier: brokenVerifier(() => Promise.reject(new Error('flaky'))) });

    const responses = await Promise.all(
      Array.from({ length: 20 }, () => request(app).get('/me').set('Authorization', 'Bearer a.b.c')),
    );

    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(500));
  });
});

describe.each(EXPRESS_VERSIONS)('what a verifier answers with $name', ({ createApp }) => {
  let issuer: TestIssuer;
  let real: Verifier;
  let token: string;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    issuer = await testIssuer();
    real = localVerifier(issuer);
    token = await issuer.accessToken();
    process.on('unhandledRejection', onUnhandled);
  });

  afterAll(() => {
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled).toEqual([]);
  });

  /** A `{ verifier }` wrapper whose verifyDirect answers with `answer(realResult)`. */
  function wrapped(answer: (result: unknown) => unknown): Verifier {
    return {
      ...real,
      verify: real.verify,
      verifyDirect: (t: string) => answer(real.verifyDirect(t)),
    } as Verifier;
  }

  function appWith(verifier: Verifier) {
    const reached: unknown[] = [];
    const errors: unknown[] = [];
    const app: Express = createApp();
    app.use(cognitoAuth({ verifier }));
    app.get('/me', (req, res) => {
      reached.push(req.auth);
      res.json({ sub: req.auth?.sub });
    });
    app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
      errors.push(error);
      res.status(500).json({ error: 'server_error' });
    });
    return { app, reached, errors };
  }

  it.each(NOT_VERIFIED_ANSWERS)(
    'fails closed on %s: next(err), a 500, and the route is never reached',
    async (_name, answer) => {
      const { app, reached, errors } = appWith(wrapped(answer));

      const res = await request(app).get('/me').set('Authorization', bearer(token));

      expect(res.status).toBe(500);
      expect(reached).toEqual([]);
      expect(errors).toHaveLength(1);
      expect(String((errors[0] as Error).message)).toMatch(/not a verification result/);
    },
  );

  it('awaits a thenable that is not a native Promise', async () => {
    const { app, reached } = appWith(
      wrapped((result) => ({ then: (ok: (v: unknown) => void) => setTimeout(() => ok(result), 1) })),
    );

    const res = await request(app).get('/me').set('Authorization', bearer(token));

    expect(res.status).toBe(200);
    expect(res.body.sub).toBe(issuer.user.sub);
    expect(reached).toHaveLength(1);
  });

  it('renders an AuthError a thenable rejects with, and survives a then() that throws', async () => {
    const rejecting = appWith(
      wrapped(() => ({ then: (_ok: unknown, fail: (e: unknown) => void) => fail(new AuthError('revoked')) })),
    );
    const throwing = appWith(
      wrapped(() => ({
        then: () => {
          throw new Error('broken thenable');
        },
      })),
    );

    const revoked = await request(rejecting.app).get('/me').set('Authorization', bearer(token));
    const broken = await request(throwing.app).get('/me').set('Authorization', bearer(token));

    expect(revoked.status).toBe(401);
    expect(revoked.body.error).toBe('revoked');
    expect(broken.status).toBe(500);
    expect(throwing.reached).toEqual([]);
  });

  it('still answers 401 when an async onReject hook rejects, with no unhandled rejection', async () => {
    const app: Express = createApp();
    app.use(cognitoAuth({ verifier: real, onReject: () => Promise.reject(new Error('logger down')) }));

    const res = await request(app).get('/me');
    await new Promise((resolve) => setTimeout(resolve, 10));

    expect(res.status).toBe(401);
    expect(unhandled).toEqual([]);
  });
});
