import type {
  AuthError,
  AuthRules,
  CognitoAccessTokenClaims,
  CognitoClaims,
  VerifiedToken,
  Verifier,
  VerifierOptions,
} from '@cognito-gate/core';
import { describe, expectTypeOf, it } from 'vitest';

declare const verifier: Verifier;

/** What a V2/V3 pre token generation trigger may add: JSON values of any shape. */
type TriggerClaims = CognitoAccessTokenClaims & {
  readonly tenant: { readonly id: string; readonly plan: 'free' | 'pro' };
  readonly roles: readonly string[];
  readonly beta: boolean;
  readonly quota: number;
};

describe('trigger claims through the claims generic', () => {
  it('types objects, lists and primitives on verify, verifyDirect, verifySync and verifyAuthorization', () => {
    expectTypeOf(verifier.verify<TriggerClaims>('t'))
      .resolves.toHaveProperty('claims')
      .toEqualTypeOf<TriggerClaims>();
    expectTypeOf(verifier.verifySync<TriggerClaims>('t').claims.tenant.plan).toEqualTypeOf<'free' | 'pro'>();
    expectTypeOf(verifier.verifySync<TriggerClaims>('t').claims.roles).toEqualTypeOf<readonly string[]>();
    expectTypeOf(verifier.verifySync<TriggerClaims>('t').claims.beta).toBeBoolean();
    expectTypeOf(verifier.verifyDirect<TriggerClaims>('t')).toEqualTypeOf<
      VerifiedToken<TriggerClaims> | Promise<VerifiedToken<TriggerClaims>>
    >();
    expectTypeOf(verifier.verifyAuthorization<TriggerClaims>('Bearer t')).resolves.toEqualTypeOf<
      VerifiedToken<TriggerClaims>
    >();
  });

  it('keeps the Cognito claims and leaves undeclared claims unknown', () => {
    const claims = verifier.verifySync<TriggerClaims>('t').claims;
    expectTypeOf(claims.client_id).toBeString();
    expectTypeOf(claims.token_use).toEqualTypeOf<'access'>();
    expectTypeOf(claims.somethingElse).toBeUnknown();
    expectTypeOf(verifier.verifySync('t').claims).toEqualTypeOf<CognitoClaims>();
  });

  it('types a resource-bound aud on access tokens', () => {
    expectTypeOf<CognitoAccessTokenClaims['aud']>().toEqualTypeOf<string | readonly string[] | undefined>();
  });

  it('rejects trigger shapes that are not claim sets', () => {
    // @ts-expect-error: the claims generic must be an object of claims
    verifier.verifySync<string>('t');
  });
});

describe('rules for trigger claims and step-up', () => {
  it('accepts predicates over unknown values (narrow them: the verifier does not check trigger shapes)', () => {
    expectTypeOf<{
      claims: {
        roles: (value: unknown) => boolean;
        tenant: (value: unknown, auth: VerifiedToken) => boolean;
      };
    }>().toExtend<AuthRules>();
    expectTypeOf<{ claims: { roles: string[] } }>().not.toExtend<AuthRules>();
    expectTypeOf<{ claims: { tenant: { id: string } } }>().not.toExtend<AuthRules>();
  });

  it('types the step-up rules', () => {
    expectTypeOf<{ acr: 'urn:acr:mfa'; amr: { anyOf: ['mfa', 'hwk'] }; maxAge: 300 }>().toExtend<AuthRules>();
    expectTypeOf<{ acr: readonly string[]; amr: readonly string[] }>().toExtend<AuthRules>();
    expectTypeOf<{ maxAge: '300' }>().not.toExtend<AuthRules>();
    expectTypeOf<{ acr: { anyOf: string[] } }>().not.toExtend<AuthRules>();
  });

  it('types the audience option and the step-up error', () => {
    expectTypeOf<{ audience: string }>().toExtend<Partial<VerifierOptions>>();
    expectTypeOf<{ audience: readonly string[] }>().toExtend<Partial<VerifierOptions>>();
    expectTypeOf<{ audience: number }>().not.toExtend<Partial<VerifierOptions>>();
    expectTypeOf<'insufficient_user_authentication'>().toExtend<AuthError['code']>();
    expectTypeOf<AuthError['acrValues']>().toEqualTypeOf<readonly string[] | undefined>();
    expectTypeOf<AuthError['maxAge']>().toEqualTypeOf<number | undefined>();
  });
});
