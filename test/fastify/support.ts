/**
 * Shared setup for the Fastify plugin tests: one test issuer per file, a verifier over its JWKS
 * document (no network), and an app builder that registers the plugin before any route.
 */
import { createVerifier, type Verifier, type VerifierOptions } from '@cognito-gate/core';
import { type CognitoGateOptions, cognitoGate } from '@cognito-gate/fastify';
import { createTestIssuer, type TestIssuer } from '@cognito-gate/testing';
import Fastify, { type FastifyInstance } from 'fastify';

export async function newIssuer(): Promise<TestIssuer> {
  return createTestIssuer();
}

/** Verifier options for `issuer`, keys from its JWKS document, never the network. */
export function verifierOptions(
  issuer: TestIssuer,
  overrides: Partial<VerifierOptions> = {},
): VerifierOptions {
  return {
    userPoolId: issuer.userPoolId,
    clientId: issuer.clientId,
    jwks: { keys: issuer.jwks, fetch: false },
    ...overrides,
  };
}

export function verifierFor(issuer: TestIssuer, overrides: Partial<VerifierOptions> = {}): Verifier {
  return createVerifier(verifierOptions(issuer, overrides));
}

/** An app with the plugin registered (awaited, so every later route is seen), then `routes`. */
export async function appWith(
  options: CognitoGateOptions,
  routes: (app: FastifyInstance) => unknown,
): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(cognitoGate, options);
  await routes(app);
  await app.ready();
  return app;
}

/** The handler every test route uses: who the request is, as the route saw it. */
export function whoami(request: { auth: { sub: string; groups: readonly string[] } | null }) {
  return { sub: request.auth?.sub ?? null, groups: request.auth?.groups ?? null };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
