import type { AuthRules, CognitoClaims, VerifiedToken, Verifier } from '@cognito-gate/core';
import {
  type AuthHook,
  type CognitoGateOptions,
  cognitoGate,
  type RequestAuth,
  type RouteAuth,
} from '@cognito-gate/fastify';
import fastifyAuth from '@fastify/auth';
import Fastify, { type FastifyContextConfig, type FastifyRequest } from 'fastify';
import { describe, expectTypeOf, it } from 'vitest';

// The augmentation a user writes to type their custom claims. Module augmentation is global to the
// type-check program, so this file checks the augmented shape (it does not widen anything else).
declare module '@cognito-gate/fastify' {
  interface CognitoGateTypes {
    claims: CognitoClaims & { readonly 'custom:tenant'?: string };
  }
}

declare const verifier: Verifier;
const app = Fastify();

describe('@cognito-gate/fastify types', () => {
  it('request.auth is the verified token or null, with the augmented claims', () => {
    app.get('/me', { config: { auth: true } }, async (request) => {
      expectTypeOf(request.auth).toEqualTypeOf<RequestAuth | null>();
      expectTypeOf(request.auth).toExtend<VerifiedToken<CognitoClaims> | null>();
      expectTypeOf(request.auth!.groups).toEqualTypeOf<readonly string[]>();
      expectTypeOf(request.auth!.claims['custom:tenant']).toEqualTypeOf<string | undefined>();
      return request.auth!.sub;
    });
  });

  it('route config.auth is typed as RouteAuth, in route options and on the request', () => {
    expectTypeOf<FastifyContextConfig['auth']>().toEqualTypeOf<RouteAuth | undefined>();
    app.get('/a', { config: { auth: true } }, async () => 'a');
    app.get('/b', { config: { auth: false } }, async () => 'b');
    app.get('/c', { config: { auth: 'optional' } }, async () => 'c');
    app.get(
      '/d',
      { config: { auth: { groups: { anyOf: ['admin'] }, scopes: 'orders/read' } } },
      async () => 'd',
    );
    expectTypeOf<FastifyRequest['routeOptions']['config']['auth']>().toEqualTypeOf<RouteAuth | undefined>();
    // Fastify infers a route's config type from the literal, so a wrong inline value is caught when
    // the route is added (onRoute throws at startup); a typed config object is checked by tsc.
    // @ts-expect-error a bare group name is not a RouteAuth
    const wrong: FastifyContextConfig = { auth: 'admin' };
    // @ts-expect-error unknown rule
    const unknownRule: FastifyContextConfig = { auth: { group: 'admin' } };
    expectTypeOf(wrong).toEqualTypeOf(unknownRule);
  });

  it('authenticate and requireAuth fit onRequest, preHandler and @fastify/auth, on typed routes too', () => {
    expectTypeOf(app.authenticate).toEqualTypeOf<AuthHook>();
    expectTypeOf(app.requireAuth).parameter(0).toEqualTypeOf<AuthRules | undefined>();
    expectTypeOf(app.cognitoVerifier).toEqualTypeOf<Verifier>();
    app.post<{ Body: { id: number } }>(
      '/orders',
      { onRequest: app.authenticate, preHandler: [app.requireAuth({ scopes: 'orders/write' })] },
      async (request) => request.body.id,
    );
    app.register(fastifyAuth).after(() => {
      app.get(
        '/either',
        { preHandler: app.auth([app.authenticate, app.requireAuth({ groups: 'x' })]) },
        async () => 1,
      );
    });
  });

  it('options are verifier options or a verifier, plus plugin options', () => {
    app.register(cognitoGate, { userPoolId: 'us-east-1_Abc123', clientId: 'abc', defaultAuth: true });
    app.register(cognitoGate, {
      verifier,
      errorMode: 'throw',
      realm: 'orders',
      defaultAuth: { groups: 'staff' },
    });
    app.register(cognitoGate, {
      userPoolId: ['us-east-1_Abc123'],
      clientId: null,
      getToken: (request: FastifyRequest) => request.headers['x-token'] as string | undefined,
      hydrate: true,
    });
    // @ts-expect-error a verifier excludes verifier options
    app.register(cognitoGate, { verifier, userPoolId: 'us-east-1_Abc123' });
    // @ts-expect-error errorMode is 'reply' or 'throw'
    app.register(cognitoGate, { verifier, errorMode: 'log' });
    expectTypeOf<{ verifier: Verifier; tokenUse: 'id' }>().not.toExtend<CognitoGateOptions>();
  });
});
