import { type JwksServer, startJwksServer } from '@cognito-gate/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const JWKS = {
  keys: [{ alg: 'RS256', e: 'AQAB', kid: 'k1', kty: 'RSA', n: 'x'.repeat(342), use: 'sig' }],
};

let server: JwksServer;
beforeEach(async () => {
  server = await startJwksServer(() => JWKS);
});
afterEach(async () => {
  await server.close();
});

async function countBody(response: Response): Promise<{ bytes: number; reads: number }> {
  let bytes = 0;
  let reads = 0;
  for await (const chunk of response.body ?? []) {
    bytes += chunk.byteLength;
    reads += 1;
  }
  return { bytes, reads };
}

describe('down', () => {
  it('refuses connections, then serves again on the same port when lifted', async () => {
    const { jwksUri, port } = server;
    await fetch(jwksUri); // leaves a kept-alive connection that the outage must cut too

    await server.setFault({ type: 'down' });
    const refused = fetch(jwksUri);
    await expect(refused).rejects.toMatchObject({ cause: { code: 'ECONNREFUSED' } });
    expect(server.fault).toEqual({ type: 'down' });

    await server.setFault(null);
    const response = await fetch(jwksUri);

    expect(server.port).toBe(port);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(JWKS);
  });

  it('counts no request while down', async () => {
    await server.setFault({ type: 'down' });
    await fetch(server.jwksUri).catch(() => undefined);

    expect(server.requestCount).toBe(0);
  });
});

describe('status', () => {
  it('answers the status with a JSON error body by default', async () => {
    await server.setFault({ type: 'status', status: 503 });

    const response = await fetch(server.jwksUri);

    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ message: 'Service Unavailable' });
  });

  it('answers the given body', async () => {
    await server.setFault({ type: 'status', status: 403, body: 'Forbidden by policy' });

    const response = await fetch(server.jwksUri);

    expect(response.status).toBe(403);
    expect(await response.text()).toBe('Forbidden by policy');
  });
});

describe('slowHeaders', () => {
  it('writes nothing before the delay, then serves the JWKS', async () => {
    await server.setFault({ type: 'slowHeaders', delayMs: 150 });

    const started = performance.now();
    const response = await fetch(server.jwksUri);
    const elapsed = performance.now() - started;

    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(await response.json()).toEqual(JWKS);
  });

  it('lets a client timeout fire before the headers arrive', async () => {
    await server.setFault({ type: 'slowHeaders', delayMs: 250 });

    await expect(fetch(server.jwksUri, { signal: AbortSignal.timeout(50) })).rejects.toMatchObject({
      name: 'TimeoutError',
    });
  });
});

describe('trickle', () => {
  it('sends the headers at once and the valid body in small delayed chunks', async () => {
    const body = JSON.stringify(JWKS);
    await server.setFault({ type: 'trickle', chunkDelayMs: 20, chunkSize: 64 });

    const started = performance.now();
    const response = await fetch(server.jwksUri);
    const headersAfter = performance.now() - started;
    const text = await response.text();
    const bodyAfter = performance.now() - started;

    const chunks = Math.ceil(body.length / 64);
    expect(headersAfter).toBeLessThan(100);
    expect(bodyAfter).toBeGreaterThanOrEqual((chunks - 1) * 20 - 5);
    expect(text).toBe(body);
  });

  it('delivers the body over several reads', async () => {
    await server.setFault({ type: 'trickle', chunkDelayMs: 10, chunkSize: 100 });

    const { bytes, reads } = await countBody(await fetch(server.jwksUri));

    expect(bytes).toBe(JSON.stringify(JWKS).length);
    expect(reads).toBeGreaterThan(2);
  });
});

describe('html and malformed', () => {
  it('answers 200 with an HTML page', async () => {
    await server.setFault({ type: 'html' });

    const response = await fetch(server.jwksUri);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).toMatch(/^<!DOCTYPE html>/);
  });

  it('answers 200 JSON-typed content that does not parse', async () => {
    await server.setFault({ type: 'malformed' });

    const response = await fetch(server.jwksUri);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    await expect(response.json()).rejects.toThrow(SyntaxError);
  });

  it('answers the given malformed body', async () => {
    await server.setFault({ type: 'malformed', body: '{"keys": [}' });

    expect(await (await fetch(server.jwksUri)).text()).toBe('{"keys": [}');
  });
});

describe('huge', () => {
  it('streams exactly the requested number of bytes without a content-length', async () => {
    await server.setFault({ type: 'huge', bytes: 3_000_000 });

    const response = await fetch(server.jwksUri);
    const { bytes } = await countBody(response);

    expect(response.headers.get('content-length')).toBeNull();
    expect(bytes).toBe(3_000_000);
  });

  it('starts with a JSON prefix and is valid JSON once complete', async () => {
    await server.setFault({ type: 'huge', bytes: 200_000, declareLength: true });

    const response = await fetch(server.jwksUri);
    const text = await response.text();

    expect(response.headers.get('content-length')).toBe('200000');
    expect(text.startsWith('{"keys":[]')).toBe(true);
    expect(JSON.parse(text)).toMatchObject({ keys: [] });
  });

  it('truncates the prefix when fewer bytes than the prefix are asked for', async () => {
    await server.setFault({ type: 'huge', bytes: 5 });

    expect(await (await fetch(server.jwksUri)).text()).toBe('{"key');
  });

  it('stops when the client goes away and keeps serving other requests', async () => {
    await server.setFault({ type: 'huge', bytes: 1e12 });
    const controller = new AbortController();
    const response = await fetch(server.jwksUri, { signal: controller.signal });
    const reader = response.body?.getReader();
    await reader?.read();

    controller.abort();
    await server.setFault(null);
    const next = await fetch(server.jwksUri);

    expect(await next.json()).toEqual(JWKS);
  });
});

describe('redirect', () => {
  it('answers 302 with a Location header that the client can decline to follow', async () => {
    await server.setFault({ type: 'redirect', location: 'https://attacker.example/jwks.json' });

    const response = await fetch(server.jwksUri, { redirect: 'manual' });

    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('https://attacker.example/jwks.json');
  });

  it('uses the given status', async () => {
    await server.setFault({ type: 'redirect', location: '/elsewhere', status: 308 });

    expect((await fetch(server.jwksUri, { redirect: 'manual' })).status).toBe(308);
  });
});

describe('hang', () => {
  it('never answers, so only a client timeout ends the request', async () => {
    await server.setFault({ type: 'hang' });

    const started = performance.now();
    const result = fetch(server.jwksUri, { signal: AbortSignal.timeout(100) });

    await expect(result).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
    expect(server.requestCount).toBe(1);
  });
});

describe('close during a fault', () => {
  function timeoutCount(): number {
    return process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
  }

  it('resolves while a request hangs, and the hanging client sees the connection end', async () => {
    await server.setFault({ type: 'hang' });
    const pending = fetch(server.jwksUri);
    await waitFor(() => server.requestCount === 1);

    const started = performance.now();
    await server.close();

    expect(performance.now() - started).toBeLessThan(200);
    await expect(pending).rejects.toThrow(TypeError);
  });

  it('resolves while a trickle is in progress and leaves no timer behind', async () => {
    const before = timeoutCount();
    await server.setFault({ type: 'trickle', chunkDelayMs: 60_000, chunkSize: 8 });
    const response = await fetch(server.jwksUri);
    const pending = response.text();
    const during = timeoutCount();

    await server.close();

    await expect(pending).rejects.toThrow();
    expect(during).toBe(before + 1);
    expect(timeoutCount()).toBe(before);
  });

  it('cancels a pending slowHeaders timer', async () => {
    const before = timeoutCount();
    await server.setFault({ type: 'slowHeaders', delayMs: 60_000 });
    const pending = fetch(server.jwksUri);
    await waitFor(() => server.requestCount === 1);

    await server.close();

    await expect(pending).rejects.toThrow(TypeError);
    expect(timeoutCount()).toBe(before);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i += 1) await new Promise((resolve) => setTimeout(resolve, 5));
  if (!condition()) throw new Error('condition not met within 500ms');
}
