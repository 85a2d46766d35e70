import type {
  AuthError,
  AuthErrorCode,
  CognitoAccessTokenClaims,
  VerifiedToken,
  Verifier,
} from '@cognito-gate/core';
import { describe, expectTypeOf, it } from 'vitest';

declare const verifier: Verifier;

describe('core types', () => {
  it('verify resolves to a VerifiedToken with typed normalised fields', () => {
    expectTypeOf(verifier.verify('t')).resolves.toEqualTypeOf<VerifiedToken>();
    expectTypeOf<VerifiedToken['groups']>().toEqualTypeOf<readonly string[]>();
    expectTypeOf<VerifiedToken['tokenUse']>().toEqualTypeOf<'id' | 'access'>();
  });

  it('custom claim shapes flow through the generic', () => {
    type Mine = CognitoAccessTokenClaims & { tenant: string };
    expectTypeOf(verifier.verify<Mine>('t'))
      .resolves.toHaveProperty('claims')
      .toHaveProperty('tenant')
      .toBeString();
  });

  it('AuthError codes are a closed union', () => {
    expectTypeOf<AuthError['code']>().toEqualTypeOf<AuthErrorCode>();
    expectTypeOf<'expired'>().toExtend<AuthErrorCode>();
    expectTypeOf<'nope'>().not.toExtend<AuthErrorCode>();
  });
});
