import type { CognitoAccessTokenClaims, VerifiedToken } from '@cognito-gate/core';
import {
  type CognitoAuthMiddleware,
  cognitoAuth,
  type ExpressAuthOptions,
  type PreflightMode,
  type RequestAuth,
  requireAuth,
  type Verifier,
} from '@cognito-gate/express';
import express, { type Request, type RequestHandler } from 'express';
import { describe, expectTypeOf, it } from 'vitest';
import type { AuthSlotOf, ClaimsOf } from '../../packages/express/src/types.js';

// What an application writes to type its custom claims (here: a pre token generation trigger adds a
// tenant). The augmentation applies to this whole type-check program, as it would in an app.
type AppClaims = CognitoAccessTokenClaims & { readonly 'custom:tenant': string };
declare module '@cognito-gate/express' {
  interface CognitoAuthTypes {
    claims: AppClaims;
  }
}

declare const verifier: Verifier;

describe('req.auth', () => {
  it('is the verified token with the declared claims, or undefined', () => {
    const app = express();
    app.use(cognitoAuth({ verifier }));
    app.get('/me', (req, res) => {
      expectTypeOf(req.auth).toEqualTypeOf<VerifiedToken<AppClaims> | undefined>();
      expectTypeOf(req.auth?.groups).toEqualTypeOf<readonly string[] | undefined>();
      if (req.auth === undefined) return;
      expectTypeOf(req.auth.groups).toEqualTypeOf<readonly string[]>();
      expectTypeOf(req.auth.scopes).toEqualTypeOf<readonly string[]>();
      expectTypeOf(req.auth.sub).toBeString();
      expectTypeOf(req.auth.claims['custom:tenant']).toBeString();
      expectTypeOf(req.auth.expiresAt).toEqualTypeOf<Date>();
      res.json({ sub: req.auth.sub });
    });
  });

  it('is typed on the Request type itself, so helpers taking a Request see it', () => {
    expectTypeOf<Request['auth']>().toEqualTypeOf<RequestAuth | undefined>();
    // @ts-expect-error: possibly undefined without narrowing or `authRequired: true`
    ((req: Request) => req.auth.groups)(undefined as never);
  });

  it('is always present when the application declares authRequired: true', () => {
    expectTypeOf<AuthSlotOf<{ authRequired: true }>>().toEqualTypeOf<VerifiedToken>();
    expectTypeOf<AuthSlotOf<{ authRequired: true }>['groups']>().toEqualTypeOf<readonly string[]>();
    expectTypeOf<AuthSlotOf<{}>>().toEqualTypeOf<VerifiedToken | undefined>();
    expectTypeOf<ClaimsOf<{ claims: AppClaims }>>().toEqualTypeOf<AppClaims>();
  });
});

describe('middleware types', () => {
  it('cognitoAuth() is a request handler that exposes its verifier', () => {
    const auth = cognitoAuth({ userPoolId: 'us-east-1_Abc123', clientId: 'client', mode: 'optional' });
    expectTypeOf(auth).toEqualTypeOf<CognitoAuthMiddleware>();
    expectTypeOf(auth).toExtend<RequestHandler>();
    expectTypeOf(auth.verifier).toEqualTypeOf<Verifier>();
  });

  it('requireAuth() takes typed rules, and options only for standalone use', () => {
    expectTypeOf(requireAuth()).toEqualTypeOf<RequestHandler>();
    expectTypeOf(
      requireAuth({ groups: { anyOf: ['a', 'b'] }, scopes: ['x'] }),
    ).toEqualTypeOf<RequestHandler>();
    expectTypeOf(requireAuth({ groups: 'admin' }, { verifier })).toEqualTypeOf<CognitoAuthMiddleware>();
    // @ts-expect-error: `group` is not a rule
    requireAuth({ group: 'admin' });
    // @ts-expect-error: mode takes 'required' or 'optional'
    cognitoAuth({ verifier, mode: 'lenient' });
    // @ts-expect-error: a verifier and verifier options are exclusive
    cognitoAuth({ verifier, userPoolId: 'us-east-1_Abc123' });
  });

  it("cognitoAuth() takes preflight: 'authenticate' or 'respond', never a pass-through", () => {
    expectTypeOf<NonNullable<ExpressAuthOptions['preflight']>>().toEqualTypeOf<PreflightMode>();
    expectTypeOf<PreflightMode>().toEqualTypeOf<'authenticate' | 'respond'>();
    cognitoAuth({ verifier, preflight: 'respond' });
    // @ts-expect-error: there is no mode that hands a preflight on unauthenticated
    cognitoAuth({ verifier, preflight: 'next' });
  });

  it('types the custom token getter and exclusion predicate with the Express request', () => {
    cognitoAuth({
      verifier,
      getToken: (req) => {
        expectTypeOf(req).toEqualTypeOf<Request>();
        return req.get('x-token');
      },
      exclude: (req) => req.path === '/health',
      onReject: (error, req) => {
        expectTypeOf(error.code).toBeString();
        expectTypeOf(req).toEqualTypeOf<Request>();
      },
    });
  });
});
