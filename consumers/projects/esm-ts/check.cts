// A CommonJS TypeScript file (`.cts`, module node16): every entry point must type-check from
// `require`-style imports (TS1479 before the CommonJS build existed).
import { AuthError, createVerifier, type VerifiedToken } from '@cognito-gate/core';
import { cognitoAuth, requireAuth } from '@cognito-gate/express';
import { cognitoGate } from '@cognito-gate/fastify';
import { createRestAuthorizer, getAuth } from '@cognito-gate/lambda';
import { cognitoAuth as middyAuth } from '@cognito-gate/lambda/middy';
import { createTestIssuer } from '@cognito-gate/testing';

const verifier = createVerifier({ userPoolId: 'us-east-1_Abc123', clientId: 'app-client-id' });
export const handler = createRestAuthorizer({ verifier });
export const middleware = [cognitoAuth({ verifier }), requireAuth({ groups: 'admin' })];
export const plugin = cognitoGate;
export const middy = middyAuth({ verifier });
export const issuer: Promise<unknown> = createTestIssuer();
export function subOf(token: VerifiedToken): string {
  return token.sub;
}
export function isRejection(error: unknown): error is AuthError {
  return error instanceof AuthError;
}
export const read = getAuth;
