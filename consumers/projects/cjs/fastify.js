// The README's Fastify quickstart as a CommonJS project writes it (no top-level await).
const Fastify = require('fastify');
const { cognitoGate } = require('@cognito-gate/fastify');

async function start() {
  const app = Fastify();
  await app.register(cognitoGate, { userPoolId: 'us-east-1_Abc123', clientId: 'app-client-id' });
  app.get('/me', { config: { auth: true } }, async (request) => ({ sub: request.auth.sub }));
  app.get('/orders', { config: { auth: { scopes: 'orders/read' } } }, async () => []);
  await app.listen({ port: Number(process.env.PORT) });
}
start();
