/**
 * Shared fixtures for the Express adapter suites: both Express majors, a test issuer with a verifier
 * that never touches the network, and helpers to read what a response exposes.
 */
import { createVerifier, type Verifier, type VerifierOptions } from '@cognito-gate/core';
import { createTestIssuer, type TestIssuer } from '@cognito-gate/testing';
import express5, { type Express } from 'express';
import express4 from 'express4';

/** Every suite runs once per Express major (`describe.each(EXPRESS_VERSIONS)`). */
export const EXPRESS_VERSIONS: ReadonlyArray<{ readonly name: string; readonly createApp: () => Express }> = [
  { name: 'Express 5', createApp: () => express5() },
  { name: 'Express 4', createApp: () => express4() as unknown as Express },
];

let shared: Promise<TestIssuer> | undefined;

/** One issuer per test file: key generation is the slow part. */
export function testIssuer(): Promise<TestIssuer> {
  shared ??= createTestIssuer();
  return shared;
}

/** A verifier for the issuer's tokens with the JWKS given up front and fetching turned off. */
export function localVerifier(issuer: TestIssuer, options: Partial<VerifierOptions> = {}): Verifier {
  return createVerifier({
    userPoolId: issuer.userPoolId,
    clientId: issuer.clientId,
    jwks: { keys: issuer.jwks, fetch: false },
    ...options,
  });
}

/** The claims of a minted token, to build hostile variants of it with `issuer.sign`. */
export function payloadOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

/** `Authorization` header value for a token. */
export function bearer(token: string): string {
  return `Bearer ${token}`;
}
