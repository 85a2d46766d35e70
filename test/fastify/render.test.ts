import { AUTH_ERROR_CODES, AuthError, type AuthErrorCode, type Verifier } from '@cognito-gate/core';
import { cognitoGate, errorBody } from '@cognito-gate/fastify';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';

// The contract from DESIGN.md, written out independently of the core so a drift shows up here.
const EXPECTED: Record<AuthErrorCode, { status: number; reason: string; bearer?: string }> = {
  missing_token: { status: 401, reason: 'Unauthorized' },
  invalid_request: { status: 400, reason: 'Bad Request', bearer: 'invalid_request' },
  malformed_token: { status: 401, reason: 'Unauthorized', bearer: 'invalid_token' },
  unsupported_algorithm: { status: 401, reason: 'Unauthorized', bearer: 'invalid_token' },
  unknown_key: { status: 401, reason: 'Unauthorized', bearer: 'invalid_token' },
  invalid_key: { status: 401, reason: 'Unauthorized', bearer: 'invalid_token' },
  invalid_signature: { status: 401, reason: 'Unauthorized', bearer: 'invalid_token' },
  expired: { status: 401, reason: 'Unauthorized', bearer: 'invalid_token' },
  not_yet_valid: { status: 401, reason: 'Unauthorized', bearer: 'invalid_token' },
  issued_in_future: { status: 401, reason: 'Unauthorized', bearer: 'invalid_token' },
  invalid_issuer: { status: 401, reason: 'Unauthorized', bearer: 'invalid_token' },
  invalid_client: { status: 401, reason: 'Unauthorized', bearer: 'invalid_token' },
  invalid_token_use: { status: 401, reason: 'Unauthorized', bearer: 'invalid_token' },
  invalid_claims: { status: 401, reason: 'Unauthorized', bearer: 'invalid_token' },
  revoked: { status: 401, reason: 'Unauthorized', bearer: 'invalid_token' },
  insufficient_scope: { status: 403, reason: 'Forbidden', bearer: 'insufficient_scope' },
  insufficient_group: { status: 403, reason: 'Forbidden', bearer: 'insufficient_scope' },
  forbidden: { status: 403, reason: 'Forbidden', bearer: 'insufficient_scope' },
  insufficient_user_authentication: {
    status: 401,
    reason: 'Unauthorized',
    bearer: 'insufficient_user_authentication',
  },
  jwks_unavailable: { status: 503, reason: 'Service Unavailable' },
  revocation_unavailable: { status: 503, reason: 'Service Unavailable' },
};
const CODES = Object.keys(EXPECTED) as AuthErrorCode[];
const SECRET_DETAIL = 'detail-that-must-stay-in-logs';

/** A verifier that rejects `Bearer <code>` with that AuthError, as the real one would. */
function rejectingVerifier(): Verifier {
  const fail = async (value: unknown): Promise<never> => {
    const code = String(value).replace(/^Bearer /, '') as AuthErrorCode;
    throw new AuthError(code, {
      detail: SECRET_DETAIL,
      requiredScopes: code === 'insufficient_scope' ? ['orders/read', 'orders/write'] : undefined,
      retryAfterSeconds: code.endsWith('_unavailable') ? 7 : undefined,
    });
  };
  return {
    verify: fail,
    verifyAuthorization: fail,
    verifyDirect: (value: unknown) => {
      throw new AuthError(String(value).replace(/^Bearer /, '') as AuthErrorCode, {
        detail: SECRET_DETAIL,
        requiredScopes: String(value).endsWith('insufficient_scope')
          ? ['orders/read', 'orders/write']
          : undefined,
        retryAfterSeconds: String(value).endsWith('_unavailable') ? 7 : undefined,
      });
    },
    verifySync: () => {
      throw new AuthError('malformed_token');
    },
    hydrate: async () => ({ ok: true, results: [] }),
    close: () => {},
    jwksUris: [],
    cachedTokens: 0,
  };
}

function challenge(code: AuthErrorCode, realm = 'api'): string | undefined {
  const { bearer } = EXPECTED[code];
  if (EXPECTED[code].status === 503) return undefined;
  if (bearer === undefined) return `Bearer realm="${realm}"`;
  const scope = code === 'insufficient_scope' ? ', scope="orders/read orders/write"' : '';
  return `Bearer realm="${realm}", error="${bearer}", error_description="${AUTH_ERROR_CODES[code].description}"${scope}`;
}

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function build(options: Record<string, unknown>, setup?: (app: FastifyInstance) => void) {
  app = Fastify();
  setup?.(app);
  await app.register(cognitoGate, { verifier: rejectingVerifier(), ...options });
  app.get('/guarded', { config: { auth: true } }, async () => 'never');
  app.get('/hooked', { onRequest: app.requireAuth({ groups: 'admin' }) }, async () => 'never');
  await app.ready();
  return app;
}

describe('reply mode (default)', () => {
  it.each(CODES)('answers %s with its status, RFC 6750 header and Fastify error body', async (code) => {
    const server = await build({});
    const response = await server.inject({ url: '/guarded', headers: { authorization: `Bearer ${code}` } });

    expect(response.statusCode).toBe(EXPECTED[code].status);
    expect(response.headers['www-authenticate']).toBe(challenge(code));
    expect(response.headers['retry-after']).toBe(EXPECTED[code].status === 503 ? '7' : undefined);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.json()).toEqual({
      statusCode: EXPECTED[code].status,
      code,
      error: EXPECTED[code].reason,
      message: AUTH_ERROR_CODES[code].description,
    });
    expect(response.body).not.toContain(SECRET_DETAIL);
  });

  it('uses the configured realm', async () => {
    const server = await build({ realm: 'orders v2' });
    const response = await server.inject({ url: '/guarded', headers: { authorization: 'Bearer expired' } });
    expect(response.headers['www-authenticate']).toMatch(/^Bearer realm="orders v2", error="invalid_token"/);
  });

  it('keeps a route response schema from reshaping the error body', async () => {
    app = Fastify();
    await app.register(cognitoGate, { verifier: rejectingVerifier() });
    app.get(
      '/schema',
      {
        config: { auth: true },
        schema: { response: { '4xx': { type: 'object', properties: { only: { type: 'string' } } } } },
      },
      async () => 'never',
    );
    const response = await app.inject({ url: '/schema', headers: { authorization: 'Bearer expired' } });
    expect(response.json()).toMatchObject({ code: 'expired', statusCode: 401 });
  });

  it('never calls the application error handler', async () => {
    const seen: unknown[] = [];
    const server = await build({}, (instance) =>
      instance.setErrorHandler((error, _request, reply) => {
        seen.push(error);
        return reply.code(500).send({ oops: true });
      }),
    );
    const response = await server.inject({ url: '/guarded', headers: { authorization: 'Bearer revoked' } });
    expect(response.statusCode).toBe(401);
    expect(seen).toEqual([]);
  });
});

describe('throw mode', () => {
  it.each(CODES)('Fastify default error handler renders %s exactly as reply mode does', async (code) => {
    const server = await build({ errorMode: 'throw' });
    const response = await server.inject({ url: '/guarded', headers: { authorization: `Bearer ${code}` } });

    expect(response.statusCode).toBe(EXPECTED[code].status);
    expect(response.headers['www-authenticate']).toBe(challenge(code));
    expect(response.headers['retry-after']).toBe(EXPECTED[code].status === 503 ? '7' : undefined);
    expect(response.json()).toEqual(errorBody(new AuthError(code)));
    expect(response.body).not.toContain(SECRET_DETAIL);
  });

  it('hands the AuthError, with statusCode and headers, to the application error handler', async () => {
    const seen: AuthError[] = [];
    const server = await build({ errorMode: 'throw', realm: 'orders' }, (instance) =>
      instance.setErrorHandler<AuthError>((error, _request, reply) => {
        seen.push(error);
        return reply
          .code(error.statusCode)
          .type('application/problem+json')
          .send({ type: 'about:blank', status: error.statusCode, title: error.code });
      }),
    );
    const response = await server.inject({ url: '/guarded', headers: { authorization: 'Bearer forbidden' } });

    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual({ type: 'about:blank', status: 403, title: 'forbidden' });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBeInstanceOf(AuthError);
    expect(seen[0]?.statusCode).toBe(403);
    expect(seen[0]?.headers['www-authenticate']).toMatch(
      /^Bearer realm="orders", error="insufficient_scope"/,
    );
  });

  it('applies the configured realm through the default error handler', async () => {
    const server = await build({ errorMode: 'throw', realm: 'orders' });
    const response = await server.inject({ url: '/guarded', headers: { authorization: 'Bearer expired' } });
    expect(response.headers['www-authenticate']).toBe(challenge('expired', 'orders'));
  });
});

describe('hooks from requireAuth() and authenticate', () => {
  it.each(['missing_token', 'insufficient_group', 'jwks_unavailable'] as const)(
    'reject with %s, rendered by the error handler like reply mode',
    async (code) => {
      const server = await build({ realm: 'orders' });
      const response = await server.inject({ url: '/hooked', headers: { authorization: `Bearer ${code}` } });
      expect(response.statusCode).toBe(EXPECTED[code].status);
      expect(response.headers['www-authenticate']).toBe(challenge(code, 'orders'));
      expect(response.json()).toEqual(errorBody(new AuthError(code)));
    },
  );
});
