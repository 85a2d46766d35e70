/**
 * Child process entry of the HTTP benchmark: `node server.js <framework> <variant>` with the JWKS
 * details in BENCH_CONTEXT. Listens on an ephemeral loopback port and prints it as JSON.
 */
import type { AddressInfo } from 'node:net';
import { type AppContext, expressApp, fastifyApp } from './apps.js';

const [framework, variant] = process.argv.slice(2);
const ctx = JSON.parse(process.env.BENCH_CONTEXT ?? '{}') as AppContext;

if (framework === 'express') {
  const server = expressApp(variant!, ctx).listen(0, '127.0.0.1', () => {
    process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
  });
} else {
  const app = await fastifyApp(variant!, ctx);
  await app.listen({ port: 0, host: '127.0.0.1' });
  process.stdout.write(`${JSON.stringify({ port: (app.server.address() as AddressInfo).port })}\n`);
}
process.on('SIGTERM', () => process.exit(0));
