/**
 * Runs one quickstart against the test issuer and checks what it answers. Copied into each consumer
 * project, so `@cognito-gate/testing` is the installed tarball. The quickstarts name the pool
 * `us-east-1_Abc123` and fetch its real JWKS URL; `fetch` answers that URL with the issuer's keys
 * and refuses every other one, so nothing leaves the machine.
 *
 *   node driver.mjs <express|fastify|lambda|standalone> <module to import>
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createTestIssuer } from '@cognito-gate/testing';

const [kind, modulePath] = process.argv.slice(2);
const POOL = 'us-east-1_Abc123';
const JWKS_URL = `https://cognito-idp.us-east-1.amazonaws.com/${POOL}/.well-known/jwks.json`;

const issuer = await createTestIssuer({ userPoolId: POOL, clientId: 'app-client-id' });
globalThis.fetch = async (url) => {
  if (String(url) !== JWKS_URL) throw new Error(`consumer check: no network (${url})`);
  return new Response(JSON.stringify(issuer.jwks), { headers: { 'content-type': 'application/json' } });
};

async function freePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((ok) => server.once('listening', ok));
  const { port } = server.address();
  await new Promise((ok) => server.close(ok));
  return port;
}

process.env.PORT = String(await freePort());
process.env.USER_POOL_ID = POOL;
process.env.CLIENT_ID = 'app-client-id';
const loaded = await import(pathToFileURL(resolve(modulePath)).href);
const app = loaded.handler === undefined && loaded.default !== undefined ? loaded.default : loaded;

const user = await issuer.accessToken({ groups: ['reader'], scopes: ['orders/read'] });
const admin = await issuer.accessToken({ groups: ['admin'] });
const expired = await issuer.accessToken({ issuedAt: Math.floor(Date.now() / 1000) - 7200 });

async function get(path, token) {
  const headers = token === undefined ? {} : { authorization: `Bearer ${token}` };
  for (let attempt = 0; ; attempt += 1) {
    try {
      const response = await fetchLoopback(`http://127.0.0.1:${process.env.PORT}${path}`, headers);
      return response;
    } catch (error) {
      if (attempt >= 50) throw error; // the server is still starting: 50 × 100 ms
      await new Promise((ok) => setTimeout(ok, 100));
    }
  }
}

// The patched fetch refuses everything; loopback requests go through node:http.
async function fetchLoopback(url, headers) {
  const { request } = await import('node:http');
  return new Promise((ok, fail) => {
    request(url, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => ok({ status: res.statusCode, headers: res.headers, body }));
    })
      .on('error', fail)
      .end();
  });
}

const checks = {
  async express() {
    assert.equal((await get('/health')).status, 200);
    const anonymous = await get('/me');
    assert.equal(anonymous.status, 401);
    assert.match(anonymous.headers['www-authenticate'], /^Bearer /);
    const me = await get('/me', user);
    assert.equal(me.status, 200);
    assert.equal(JSON.parse(me.body).sub, issuer.user.sub);
    assert.equal((await get('/admin', user)).status, 403);
    assert.equal((await get('/admin', admin)).status, 200);
    assert.equal(JSON.parse((await get('/me', expired)).body).error, 'expired');
  },
  async fastify() {
    assert.equal((await get('/me')).status, 401);
    assert.equal(JSON.parse((await get('/me', admin)).body).sub, issuer.user.sub);
    assert.equal((await get('/orders', admin)).status, 403);
    assert.equal((await get('/orders', user)).status, 200);
  },
  async standalone() {
    assert.equal((await get('/')).status, 401);
    assert.equal((await get('/', admin)).status, 403);
    const ok = await get('/', user);
    assert.equal(ok.status, 200);
    assert.equal(JSON.parse(ok.body).sub, issuer.user.sub);
    assert.equal(JSON.parse((await get('/', expired)).body).error, 'expired');
  },
  async lambda() {
    const arn = 'arn:aws:execute-api:us-east-1:123456789012:abcdef1234/prod';
    const event = (token) => ({
      type: 'TOKEN',
      authorizationToken: `Bearer ${token}`,
      methodArn: `${arn}/GET/orders`,
    });
    const denied = (policy) => policy.policyDocument.Statement.filter((s) => s.Effect === 'Deny');
    const forUser = await app.handler(event(user));
    assert.equal(forUser.principalId, issuer.user.sub);
    assert.deepEqual(
      denied(forUser).flatMap((s) => s.Resource),
      [`${arn}/DELETE/orders/*`],
    );
    assert.deepEqual(denied(await app.handler(event(admin))), []);
    await assert.rejects(app.handler(event(expired)), { message: 'Unauthorized' });
  },
};

const check = checks[kind];
if (check === undefined) throw new Error(`unknown quickstart ${kind}`);
await check();
console.log(`ok ${kind} (${modulePath})`);
process.exit(0); // the quickstarts' servers would keep the process alive
