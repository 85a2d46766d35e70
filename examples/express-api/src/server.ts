/**
 * Runs the example API against a real Cognito user pool:
 *   USER_POOL_ID=us-east-1_Abc123 CLIENT_ID=app-client-id PORT=3000 npm start
 * JWKS_URI overrides where keys are fetched (a local test issuer, for the demo).
 */
import { createVerifier } from '@cognito-gate/core';
import { createApp } from './app.js';

const { USER_POOL_ID, CLIENT_ID, JWKS_URI, PORT = '3000' } = process.env;
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

const server = createApp({ verifier }).listen(Number(PORT), () => {
  console.log(`example-express-api listening on http://localhost:${PORT}`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close();
    verifier.close();
  });
}
