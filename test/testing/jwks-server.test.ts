import { type JwksServer, startJwksServer } from '@cognito-gate/testing';
import { afterEach, describe, expect, it } from 'vitest';

const JWKS = { keys: [{ kty: 'RSA', kid: 'k1', e: 'AQAB', n: 'abc', alg: 'RS256', use: 'sig' }] };

describe('startJwksServer', () => {
  let server: JwksServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('serves the document from getJwks as JSON at /.well-known/jwks.json on 127.0.0.1', async () => {
    server = await startJwksServer(() => JWKS);

    const response = await fetch(server.jwksUri);

    expect(server.jwksUri).toBe(`http://127.0.0.1:${server.port}/.well-known/jwks.json`);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('content-length')).toBe(String(JSON.stringify(JWKS).length));
    expect(await response.json()).toEqual(JWKS);
  });

  it('asks getJwks at every request, so changes show up immediately', async () => {
    let kid = 'first';
    server = await startJwksServer(() => ({ keys: [{ kid }] }));

    const first = await (await fetch(server.jwksUri)).json();
    kid = 'second';
    const second = await (await fetch(server.jwksUri)).json();

    expect(first).toEqual({ keys: [{ kid: 'first' }] });
    expect(second).toEqual({ keys: [{ kid: 'second' }] });
  });

  it('serves a custom path, ignores the query string and answers 404 elsewhere', async () => {
    server = await startJwksServer(() => JWKS, { path: '/pool/.well-known/jwks.json' });

    const found = await fetch(`${server.jwksUri}?cache-buster=1`);
    const missing = await fetch(`${server.url}/.well-known/jwks.json`);

    expect(found.status).toBe(200);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ message: 'Not Found' });
  });

  it('answers 405 to methods other than GET and HEAD', async () => {
    server = await startJwksServer(() => JWKS);

    const post = await fetch(server.jwksUri, { method: 'POST', body: '{}' });
    const head = await fetch(server.jwksUri, { method: 'HEAD' });

    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('listens on the requested port', async () => {
    const probe = await startJwksServer(() => JWKS);
    const port = probe.port;
    await probe.close();

    server = await startJwksServer(() => JWKS, { port });

    expect(server.port).toBe(port);
    expect((await fetch(server.jwksUri)).status).toBe(200);
  });

  it('counts every request, whatever its path or outcome, until reset', async () => {
    server = await startJwksServer(() => JWKS);

    await fetch(server.jwksUri);
    await fetch(`${server.url}/elsewhere`);
    await server.setFault({ type: 'status', status: 500 });
    await fetch(server.jwksUri);
    const counted = server.requestCount;
    server.resetCount();

    expect(counted).toBe(3);
    expect(server.requestCount).toBe(0);
  });

  it('records the headers of the last request', async () => {
    server = await startJwksServer(() => JWKS);

    expect(server.lastRequestHeaders).toBeUndefined();
    await fetch(server.jwksUri, { headers: { 'user-agent': 'cognito-gate/1.0', 'x-test': 'yes' } });

    expect(server.lastRequestHeaders).toMatchObject({ 'user-agent': 'cognito-gate/1.0', 'x-test': 'yes' });
  });

  it('serves an arbitrary document set with setJwks until it is reset with undefined', async () => {
    server = await startJwksServer(() => JWKS);

    server.setJwks({ keys: 'not an array' });
    const replaced = await (await fetch(server.jwksUri)).json();
    server.setJwks(null);
    const nullBody = await (await fetch(server.jwksUri)).text();
    server.setJwks(undefined);
    const restored = await (await fetch(server.jwksUri)).json();

    expect(replaced).toEqual({ keys: 'not an array' });
    expect(nullBody).toBe('null');
    expect(restored).toEqual(JWKS);
  });

  it('closes idempotently, refuses connections afterwards and refuses new faults', async () => {
    server = await startJwksServer(() => JWKS);
    const { jwksUri } = server;
    await fetch(jwksUri);

    await server.close();
    await server.close();

    await expect(fetch(jwksUri)).rejects.toMatchObject({ cause: { code: 'ECONNREFUSED' } });
    await expect(server.setFault(null)).rejects.toThrow(/closed/);
  });
});
