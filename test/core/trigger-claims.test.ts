/**
 * Claims a pre token generation trigger (V2/V3) adds to access tokens: strings, numbers, booleans,
 * arrays and JSON objects. They come through verification as signed (deeply frozen), predicates in
 * `claims` rules can read them, and exact-value rules stay exact: no "contains" for lists, and
 * non-primitive exact values are refused at compile.
 */
import {
  AuthError,
  type CognitoAccessTokenClaims,
  ConfigurationError,
  compileRules,
  createVerifier,
  type Verifier,
} from '@cognito-gate/core';
import { createTestIssuer, type TestIssuer } from '@cognito-gate/testing';
import { beforeAll, describe, expect, it } from 'vitest';

type TriggerClaims = CognitoAccessTokenClaims & {
  readonly tenant: {
    readonly id: string;
    readonly plan: 'free' | 'pro';
    readonly limits: { readonly seats: number };
  };
  readonly roles: readonly string[];
  readonly beta: boolean;
  readonly quota: number;
};

const TRIGGER = {
  tenant: { id: 't-42', plan: 'pro', limits: { seats: 25 } },
  roles: ['approver', 'viewer'],
  beta: true,
  quota: 1000,
};

let issuer: TestIssuer;
let verifier: Verifier;
beforeAll(async () => {
  issuer = await createTestIssuer();
  verifier = createVerifier({
    userPoolId: issuer.userPoolId,
    clientId: issuer.clientId,
    jwks: { keys: issuer.jwks, fetch: false },
  });
});

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    expect(error).toBeInstanceOf(AuthError);
    return (error as AuthError).code;
  }
}

describe('claims added by a pre token generation trigger', () => {
  it('come through as signed, typed by the claims generic, and deeply frozen', async () => {
    const auth = await verifier.verify<TriggerClaims>(await issuer.accessToken({ ...TRIGGER }));
    expect(auth.claims.tenant).toEqual(TRIGGER.tenant);
    expect(auth.claims.tenant.limits.seats).toBe(25);
    expect(auth.claims.roles).toEqual(['approver', 'viewer']);
    expect(auth.claims.beta).toBe(true);
    expect(auth.claims.quota).toBe(1000);
    expect(Object.isFrozen(auth.claims.tenant)).toBe(true);
    expect(Object.isFrozen(auth.claims.tenant.limits)).toBe(true);
    expect(Object.isFrozen(auth.claims.roles)).toBe(true);
  });

  it('can be read by predicate rules: lists and objects', async () => {
    const token = await issuer.accessToken({ ...TRIGGER });
    const hasRole = (role: string) => (value: unknown) => Array.isArray(value) && value.includes(role);
    const tenantOn = (plan: string) => (value: unknown) =>
      typeof value === 'object' && value !== null && (value as { plan?: unknown }).plan === plan;
    expect(await code(verifier.verify(token, { claims: { roles: hasRole('approver') } }))).toBe('ok');
    expect(await code(verifier.verify(token, { claims: { roles: hasRole('admin') } }))).toBe('forbidden');
    expect(await code(verifier.verify(token, { claims: { tenant: tenantOn('pro') } }))).toBe('ok');
    expect(await code(verifier.verify(token, { claims: { tenant: tenantOn('free') } }))).toBe('forbidden');
    expect(
      await code(
        verifier.verify(token, { claims: { quota: (v) => typeof v === 'number' && v >= 500, beta: true } }),
      ),
    ).toBe('ok');
  });

  it('hands predicates the token too, with the typed claims behind it', async () => {
    const token = await issuer.accessToken({ ...TRIGGER });
    const seatsFor = (minimum: number) => (_value: unknown, auth: { claims: unknown }) =>
      ((auth.claims as TriggerClaims).tenant?.limits?.seats ?? 0) >= minimum;
    expect(await code(verifier.verify(token, { claims: { tenant: seatsFor(10) } }))).toBe('ok');
    expect(await code(verifier.verify(token, { claims: { tenant: seatsFor(100) } }))).toBe('forbidden');
  });

  it('denies when a predicate tries to change a claim (claims are frozen; the throw denies)', async () => {
    const token = await issuer.accessToken({ ...TRIGGER });
    const mutate = (value: unknown) => {
      (value as string[]).push('admin');
      return true;
    };
    expect(await code(verifier.verify(token, { claims: { roles: mutate } }))).toBe('forbidden');
    const auth = await verifier.verify<TriggerClaims>(token);
    expect(auth.claims.roles).toEqual(['approver', 'viewer']);
  });

  it('keeps exact-value rules exact: a string never matches a list that contains it', async () => {
    const token = await issuer.accessToken({ ...TRIGGER, plan: 'pro' });
    expect(await code(verifier.verify(token, { claims: { roles: 'approver' } }))).toBe('forbidden');
    expect(await code(verifier.verify(token, { claims: { plan: 'pro', quota: 1000, beta: true } }))).toBe(
      'ok',
    );
    expect(await code(verifier.verify(token, { claims: { quota: '1000' } }))).toBe('forbidden');
  });

  it('refuses list and object exact values at compile: they would never match', () => {
    expect(() => compileRules({ claims: { roles: ['approver'] as unknown as string } })).toThrow(
      ConfigurationError,
    );
    expect(() => compileRules({ claims: { tenant: { id: 't-42' } as unknown as string } })).toThrow(
      ConfigurationError,
    );
  });

  it('are never mistaken for the claims the verifier normalises', async () => {
    // A trigger that writes `cognito:groups` with a non-string is refused, not read as "no groups".
    expect(
      await code(
        issuer.accessToken({ claims: { 'cognito:groups': ['ok', 7] } }).then((t) => verifier.verify(t)),
      ),
    ).toBe('invalid_claims');
    // A trigger claim named like a rule key is just a claim.
    const token = await issuer.accessToken({ groups: ['staff'], scopes: ['orders/read'], maxAge: 1 });
    const auth = await verifier.verify(token, { groups: 'staff', claims: { maxAge: 1 } });
    expect(auth.groups).toEqual(['staff']);
  });
});
