// The README's Lambda quickstart as a CommonJS handler writes it: no top-level await, so hydrate()
// starts the key fetch during init and the first request joins it.
const { createVerifier } = require('@cognito-gate/core');
const { createRestAuthorizer } = require('@cognito-gate/lambda');

const verifier = createVerifier({ userPoolId: process.env.USER_POOL_ID, clientId: process.env.CLIENT_ID });
verifier.hydrate();

exports.handler = createRestAuthorizer({
  verifier,
  routes: { 'DELETE /orders/{id}': { groups: 'admin' } },
});
