/**
 * The example API, the Fastify twin of examples/express-api: a public health check, a public
 * catalogue that greets signed-in users, and routes restricted to authenticated users, a group and a
 * scope. Authentication is on by default and each route states what it needs in `config.auth`. Built
 * by a factory that takes the verifier, so tests (and the demo) run it against a local test issuer.
 */
import type { Verifier } from '@cognito-gate/core';
import { cognitoGate } from '@cognito-gate/fastify';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';

export interface AppOptions {
  /** Whose tokens to trust: `createVerifier({ userPoolId, clientId })`, or a test issuer's. */
  readonly verifier: Verifier;
  /** Fastify's logger option. Default off. */
  readonly logger?: FastifyServerOptions['logger'];
}

const PRODUCTS = [
  { id: 'p-1', name: 'Blue mug' },
  { id: 'p-2', name: 'Red teapot' },
];

/**
 * Build the API (not yet listening). The verifier stays the caller's to close.
 *
 * @example
 * const app = await buildApp({ verifier: createVerifier({ userPoolId, clientId }) });
 * await app.listen({ port: 3000 });
 */
export async function buildApp({ verifier, logger = false }: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger });

  // Awaited, so the plugin sees every route declared below. defaultAuth: a route that forgets to
  // say what it needs is protected rather than open.
  await app.register(cognitoGate, { verifier, defaultAuth: true });

  app.get('/health', { config: { auth: false } }, async () => ({ status: 'ok' }));

  // Optional: anonymous callers are served, an invalid token is still rejected.
  app.get('/products', { config: { auth: 'optional' } }, async (request) => ({
    products: PRODUCTS,
    greeting: request.auth ? `Hello, ${request.auth.username ?? 'client'}` : null,
  }));

  // No config: the default applies (any valid token).
  app.get('/me', async (request) => {
    const { sub, username, groups, scopes, isMachine } = request.auth!;
    return { sub, username: username ?? null, groups, scopes, isMachine };
  });

  app.get('/admin/users', { config: { auth: { groups: 'admin' } } }, async () => ({
    users: [{ username: 'alice' }, { username: 'bob' }],
  }));

  app.get(
    '/orders',
    { config: { auth: { scopes: { anyOf: ['orders/read', 'orders/admin'] } } } },
    async (request) => ({ orders: [], requestedBy: request.auth!.sub }),
  );

  app.post<{ Body: { item?: unknown } | undefined }>(
    '/orders',
    { config: { auth: { scopes: 'orders/write' } } },
    async (request, reply) => {
      reply.code(201);
      return { id: 'o-1', item: String(request.body?.item ?? ''), createdBy: request.auth!.sub };
    },
  );

  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: 'not_found' }));

  return app;
}
