/**
 * The example API: one public health check, a public catalogue that greets signed-in users, and
 * routes restricted to authenticated users, a group and a scope. Built by a factory that takes the
 * verifier, so tests (and the demo) run it against a local test issuer instead of a real user pool.
 */
import type { Verifier } from '@cognito-gate/core';
import { cognitoAuth, requireAuth } from '@cognito-gate/express';
import express, { type Express } from 'express';

export interface AppOptions {
  /** Whose tokens to trust: `createVerifier({ userPoolId, clientId })`, or a test issuer's. */
  readonly verifier: Verifier;
}

const PRODUCTS = [
  { id: 'p-1', name: 'Blue mug' },
  { id: 'p-2', name: 'Red teapot' },
];

/**
 * Build the API.
 *
 * @example
 * const app = createApp({ verifier: createVerifier({ userPoolId, clientId }) });
 * app.listen(3000);
 */
export function createApp({ verifier }: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json());

  // Optional at the application level: anonymous requests reach the public routes, an invalid
  // token is rejected everywhere, and each protected route states what it requires.
  app.use(cognitoAuth({ verifier, mode: 'optional', exclude: ['/health'] }));

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/products', (req, res) => {
    res.json({ products: PRODUCTS, greeting: req.auth ? `Hello, ${req.auth.username ?? 'client'}` : null });
  });

  app.get('/me', requireAuth(), (req, res) => {
    const { sub, username, groups, scopes, isMachine } = req.auth!;
    res.json({ sub, username: username ?? null, groups, scopes, isMachine });
  });

  app.get('/admin/users', requireAuth({ groups: 'admin' }), (_req, res) => {
    res.json({ users: [{ username: 'alice' }, { username: 'bob' }] });
  });

  app.get('/orders', requireAuth({ scopes: { anyOf: ['orders/read', 'orders/admin'] } }), (req, res) => {
    res.json({ orders: [], requestedBy: req.auth!.sub });
  });

  app.post('/orders', requireAuth({ scopes: 'orders/write' }), (req, res) => {
    res.status(201).json({ id: 'o-1', item: String(req.body?.item ?? ''), createdBy: req.auth!.sub });
  });

  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found' });
  });

  return app;
}
