/**
 * The Fastify plugin. Wrapped with `fastify-plugin`, so its decorators and hooks land in the context
 * that registers it: `request.auth`, `fastify.authenticate`, `fastify.requireAuth`,
 * `fastify.cognitoVerifier`, and an `onRoute` hook that compiles each route's `config.auth` when the
 * route is added and gives that route its own `onRequest` hook. Public routes get no hook at all.
 *
 * Encapsulation: `onRoute` sees the routes added after the plugin loaded, in its context and in
 * child contexts registered after it. Register it first (`await app.register(...)`) at the level
 * whose routes it protects.
 */
import type { FastifyInstance, onRequestHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { createAuthHooks, type RouteHook } from './hooks.js';
import { type CognitoGateOptions, resolvePluginOptions } from './options.js';
import { routePolicy } from './route-policy.js';

type HookList = onRequestHookHandler | onRequestHookHandler[] | undefined;

/** Prepend `hook` to a route's `onRequest` hooks, without touching the caller's array. */
function withHook(existing: HookList, hook: RouteHook): onRequestHookHandler[] {
  const ours = hook as unknown as onRequestHookHandler;
  // A new array every time: Fastify clones route options shallowly for the automatic HEAD route,
  // so pushing into the caller's array would add the hook to both routes twice.
  if (existing === undefined) return [ours];
  return Array.isArray(existing) ? [ours, ...existing] : [ours, existing];
}

async function cognitoGatePlugin(fastify: FastifyInstance, options: CognitoGateOptions): Promise<void> {
  const resolved = resolvePluginOptions(options);
  const { verifier } = resolved;
  const hooks = createAuthHooks(resolved);

  fastify.decorateRequest('auth', null);
  fastify.decorate('authenticate', hooks.authenticate);
  fastify.decorate('requireAuth', hooks.requireAuth);
  fastify.decorate('cognitoVerifier', verifier);

  fastify.addHook('onRoute', (route) => {
    const policy = routePolicy(route.config, route.method, route.url ?? route.path, resolved.defaultPolicy);
    const hook = hooks.forPolicy(policy);
    if (hook !== undefined) route.onRequest = withHook(route.onRequest as HookList, hook);
  });

  if (resolved.hydrate) {
    fastify.addHook('onReady', async () => {
      const report = await verifier.hydrate();
      if (!report.ok) {
        // Not fatal: known keys may come later, and a cold JWKS costs latency, not correctness.
        fastify.log.warn({ jwks: report.results }, 'cognito-gate: JWKS prefetch failed');
      }
    });
  }

  // A verifier passed in belongs to its owner, who may share it with other apps.
  if (resolved.ownsVerifier) {
    fastify.addHook('onClose', async () => {
      verifier.close();
    });
  }
}

/**
 * Protect Fastify routes with Amazon Cognito tokens.
 *
 * @example
 * await app.register(cognitoGate, { userPoolId: 'us-east-1_Abc123', clientId: 'app-client-id' });
 * app.get('/me', { config: { auth: true } }, (request) => ({ sub: request.auth!.sub }));
 * app.get('/admin', { config: { auth: { groups: 'admin' } } }, handler);
 */
export const cognitoGate = fp(cognitoGatePlugin, { name: '@cognito-gate/fastify', fastify: '5.x' });
