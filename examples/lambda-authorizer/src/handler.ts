/**
 * The Lambda entry point (bundled to dist/handler.mjs). Everything expensive happens once, at init:
 * the verifier is created outside the handler, with the pool's keys either shipped in the bundle or
 * fetched now. A failed fetch is tolerated: `hydrate()` never throws, and the first request fetches
 * again (a JWKS outage then answers 500, never Allow).
 */
import { createVerifier } from '@cognito-gate/core';
import { createAuthorizer } from './authorizer.js';
import { bundledJwks } from './bundled-jwks.js';

function requiredEnv(name: string): string {
  const value = process.env[name];
  // Fail the init, loudly: an authorizer without a pool must not start.
  if (value === undefined || value === '') throw new Error(`${name} is not set`);
  return value;
}

const verifier = createVerifier({
  userPoolId: requiredEnv('USER_POOL_ID'),
  clientId: requiredEnv('CLIENT_ID'),
  jwks: bundledJwks === undefined ? {} : { keys: bundledJwks },
});

if (bundledJwks === undefined && process.env.HYDRATE_JWKS !== 'false') {
  const report = await verifier.hydrate();
  if (!report.ok) {
    console.warn(
      JSON.stringify({ level: 'WARN', message: 'JWKS prefetch failed; retrying on first request' }),
    );
  }
}

export const handler = createAuthorizer(verifier);
