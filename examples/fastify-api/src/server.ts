/**
 * Runs the example API against a real Cognito user pool:
 *   USER_POOL_ID=us-east-1_Abc123 CLIENT_ID=app-client-id PORT=3000 npm start
 * JWKS_URI overrides where keys are fetched (a local test issuer, for the demo); HOST defaults to
 * 127.0.0.1 (set 0.0.0.0 in a container).
 */
import { createVerifier } from '@cognito-gate/core';
import { buildApp } from './app.js';

const { USER_POOL_ID, CLIENT_ID, JWKS_URI, PORT = '3000', HOST = '127.0.0.1' } = process.env;
if (!USER_POOL_ID || !CLIENT_ID) {
  console.error('Set USER_POOL_ID and CLIENT_ID (the user pool and app client whose tokens to accept).');
  process.exit(1);
}

const verifier = createVerifier({
  userPoolId: USER_POOL_ID,
  clientId: CLIENT_ID,
  ...(JWKS_URI ? { jwks: { uri: JWKS_URI } } : {}),
});

// Fetch the signing keys before taking traffic, so the first request does not wait for them.
const report = await verifier.hydrate();
if (!report.ok) console.warn('JWKS not loaded yet; the first requests will retry the download.');

const app = await buildApp({ verifier, logger: true });
await app.listen({ port: Number(PORT), host: HOST });

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    // The app was given the verifier, so closing the app leaves it open: close it afterwards.
    void app.close().finally(() => verifier.close());
  });
}
