// An application that mixes the two builds: the verifier and rules come from `require`, the
// Express adapter from `import`. One verifier's state, compiled rules and errors must work across.
const assert = require('node:assert/strict');
const { createVerifier, compileRules, AuthError } = require('@cognito-gate/core');
const { createTestIssuer } = require('@cognito-gate/testing');

async function main() {
  const esmCore = await import('@cognito-gate/core');
  const { cognitoAuth, requireAuth } = await import('@cognito-gate/express');
  assert.notEqual(esmCore.createVerifier, createVerifier, 'expected two copies of core');

  const issuer = await createTestIssuer();
  const verifier = createVerifier({
    userPoolId: issuer.userPoolId,
    clientId: issuer.clientId,
    jwks: { keys: issuer.jwks, fetch: false },
  });
  const admins = compileRules({ groups: 'admin' });
  const admin = await issuer.accessToken({ groups: ['admin'] });
  assert.deepEqual((await verifier.verify(admin, esmCore.compileRules({ groups: 'admin' }))).groups, [
    'admin',
  ]);
  const esmVerifier = esmCore.createVerifier({
    userPoolId: issuer.userPoolId,
    clientId: issuer.clientId,
    jwks: { keys: issuer.jwks, fetch: false },
  });
  await esmVerifier.verify(admin, admins);

  const denied = await verifier.verify(await issuer.accessToken(), admins).catch((error) => error);
  assert.ok(denied instanceof esmCore.AuthError, 'a CommonJS AuthError is an instanceof the ESM class');
  assert.ok(denied instanceof AuthError);
  assert.equal(esmCore.isAuthError(denied), true);

  const express = require('express');
  const app = express();
  app.use(cognitoAuth({ verifier }));
  app.get('/admin', requireAuth({ groups: 'admin' }), (req, res) => res.json({ sub: req.auth.sub }));
  const server = app.listen(0);
  await new Promise((ok) => server.once('listening', ok));
  const url = `http://127.0.0.1:${server.address().port}/admin`;
  const allowed = await fetch(url, { headers: { authorization: `Bearer ${admin}` } });
  assert.equal(allowed.status, 200);
  const other = await fetch(url, { headers: { authorization: `Bearer ${await issuer.accessToken()}` } });
  assert.equal(other.status, 403);
  server.close();
  verifier.close();
  esmVerifier.close();
  console.log('ok mixed import/require: one verifier, rules and errors across both builds');
}
main().catch((error) => {
  console.error(error);
  process.exit(1);
});
