import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuthError, createOidcVerifier, type OidcVerifierOptions } from '@cognito-gate/core';
import { describe, expect, it } from 'vitest';
import { AUDIENCE, atClaims, makeOidcKey, OIDC_ISSUER, signOidc } from '../support/oidc-signer.js';
import { NOW } from '../support/signer.js';

const key = makeOidcKey('ES256');
const JWKS_URI = 'https://keys.partner.example/jwks';
const DISCOVERY = `${OIDC_ISSUER}/.well-known/openid-configuration`;
const token = signOidc({ typ: 'at+jwt' }, atClaims(), key);

interface FakeIdp {
  readonly calls: string[];
  discovery: unknown;
  status: number;
  headers: Record<string, string>;
  fetch: (url: string, init: RequestInit) => Promise<Response>;
}

function fakeIdp(): FakeIdp {
  const idp: FakeIdp = {
    calls: [],
    discovery: { issuer: OIDC_ISSUER, jwks_uri: JWKS_URI },
    status: 200,
    headers: {},
    fetch: async (url, init) => {
      idp.calls.push(url);
      expect(init.redirect).toBe('manual');
      if (url === DISCOVERY) {
        return new Response(JSON.stringify(idp.discovery), { status: idp.status, headers: idp.headers });
      }
      if (url === JWKS_URI || url.startsWith('http://127.0.0.1')) {
        return new Response(JSON.stringify({ keys: [key.jwk] }));
      }
      return new Response('not here', { status: 404 });
    },
  };
  return idp;
}

function clock(start = NOW * 1000) {
  const state = { ms: start };
  return { state, now: () => state.ms };
}

function verifier(idp: FakeIdp, now: () => number, overrides: Partial<OidcVerifierOptions> = {}) {
  return createOidcVerifier({
    issuer: OIDC_ISSUER,
    audience: AUDIENCE,
    algorithms: ['ES256'],
    jwks: { fetch: idp.fetch, ttlSeconds: 600, maxStaleSeconds: 3600, cooldownSeconds: 10 },
    now,
    ...overrides,
  });
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'accepted';
  } catch (error) {
    expect(error).toBeInstanceOf(AuthError);
    return (error as AuthError).code;
  }
}

describe('OIDC discovery', () => {
  it('finds the JWKS through <issuer>/.well-known/openid-configuration, once', async () => {
    const idp = fakeIdp();
    const { now } = clock();
    const v = verifier(idp, now);
    const [a, b] = await Promise.all([v.verify(token), v.verify(token)]);
    expect(a.issuer).toBe(OIDC_ISSUER);
    expect(b.sub).toBe(a.sub);
    expect(idp.calls).toEqual([DISCOVERY, JWKS_URI]);
    expect(v.jwksUris).toEqual([JWKS_URI]);
  });

  it('drops one trailing slash of the issuer when building the discovery URL', async () => {
    const idp = fakeIdp();
    idp.discovery = { issuer: `${OIDC_ISSUER}/`, jwks_uri: JWKS_URI };
    const v = verifier(idp, clock().now, { issuer: `${OIDC_ISSUER}/` });
    const slashed = signOidc({}, atClaims({ iss: `${OIDC_ISSUER}/` }), key);
    expect(await codeOf(v.verify(slashed))).toBe('accepted');
    expect(idp.calls[0]).toBe(DISCOVERY);
  });

  it.each<[string, unknown]>([
    ['another issuer', { issuer: 'https://evil.example', jwks_uri: JWKS_URI }],
    ['the issuer with a trailing slash', { issuer: `${OIDC_ISSUER}/`, jwks_uri: JWKS_URI }],
    ['the issuer in another case', { issuer: OIDC_ISSUER.toUpperCase(), jwks_uri: JWKS_URI }],
    ['no jwks_uri', { issuer: OIDC_ISSUER }],
    ['an http jwks_uri off loopback', { issuer: OIDC_ISSUER, jwks_uri: 'http://keys.partner.example/jwks' }],
    ['a jwks_uri with credentials', { issuer: OIDC_ISSUER, jwks_uri: 'https://u:p@keys.partner.example/' }],
    ['a JSON array', [OIDC_ISSUER]],
  ])('refuses a document naming %s: jwks_unavailable, reported by hydrate()', async (_name, document) => {
    const idp = fakeIdp();
    idp.discovery = document;
    const v = verifier(idp, clock().now);
    expect(await codeOf(v.verify(token))).toBe('jwks_unavailable');
    expect(idp.calls).toEqual([DISCOVERY]);
    const report = await verifier(idp, clock().now).hydrate();
    expect(report.ok).toBe(false);
    expect(report.results[0]).toMatchObject({ uri: DISCOVERY, ok: false });
    expect(report.results[0]!.error).toMatch(/^discovery failed: discovery/);
  });

  it('does not follow redirects and reports the status', async () => {
    const idp = fakeIdp();
    idp.status = 302;
    idp.headers = { location: 'https://evil.example/.well-known/openid-configuration' };
    const report = await verifier(idp, clock().now).hydrate();
    expect(report.results[0]!.error).toMatch(/302.*redirects are not followed/);
    expect(idp.calls).toEqual([DISCOVERY]);
  });

  it('caps the document size with jwks.maxBytes', async () => {
    const idp = fakeIdp();
    idp.discovery = { issuer: OIDC_ISSUER, jwks_uri: JWKS_URI, padding: 'x'.repeat(4096) };
    const v = verifier(idp, clock().now, { jwks: { fetch: idp.fetch, maxBytes: 1024 } });
    const report = await v.hydrate();
    expect(report.results[0]!.cause?.kind).toBe('too_large');
  });

  it('retries a failed discovery at most once per cooldown, then recovers', async () => {
    const idp = fakeIdp();
    idp.status = 503;
    const { state, now } = clock();
    const v = verifier(idp, now);
    expect(await codeOf(v.verify(token))).toBe('jwks_unavailable');
    const afterFirst = idp.calls.length;
    expect(await codeOf(v.verify(token))).toBe('jwks_unavailable');
    expect(idp.calls.length).toBe(afterFirst);
    idp.status = 200;
    state.ms += 10_000;
    expect(await codeOf(v.verify(token))).toBe('accepted');
  });

  it('honours Retry-After on a failing discovery endpoint', async () => {
    const idp = fakeIdp();
    idp.status = 503;
    idp.headers = { 'retry-after': '60' };
    const { state, now } = clock();
    const v = verifier(idp, now);
    await codeOf(v.verify(token));
    const calls = idp.calls.length;
    idp.status = 200;
    idp.headers = {};
    state.ms += 30_000;
    expect(await codeOf(v.verify(token))).toBe('jwks_unavailable');
    expect(idp.calls.length).toBe(calls);
    state.ms += 31_000;
    expect(await codeOf(v.verify(token))).toBe('accepted');
  });

  it('refreshes after the TTL in the background and serves the last good answer while refreshes fail', async () => {
    const idp = fakeIdp();
    const { state, now } = clock();
    const v = verifier(idp, now, {
      cache: false,
      jwks: { fetch: idp.fetch, ttlSeconds: 600, maxStaleSeconds: 3600, cooldownSeconds: 10 },
    });
    await v.verify(token);
    idp.status = 500;
    state.ms += 601_000;
    const late = signOidc({}, atClaims({ exp: NOW + 100_000 }), key);
    expect(await codeOf(v.verify(late))).toBe('accepted');
    await new Promise((resolve) => setImmediate(resolve));
    expect(idp.calls.filter((u) => u === DISCOVERY).length).toBeGreaterThan(1);
    // Past TTL + max-stale neither the document nor the keys are usable any more.
    state.ms += 3_700_000;
    expect(await codeOf(v.verify(late))).toBe('jwks_unavailable');
  });

  it('follows a jwks_uri change at the next refresh', async () => {
    const idp = fakeIdp();
    const { state, now } = clock();
    const v = verifier(idp, now, { cache: false });
    await v.verify(token);
    idp.discovery = { issuer: OIDC_ISSUER, jwks_uri: 'http://127.0.0.1:1/jwks' };
    state.ms += 601_000;
    await v.verify(token);
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(v.jwksUris).toEqual(['http://127.0.0.1:1/jwks']);
  });

  it('skips discovery with an explicit JWKS URL, or a discovery URL of its own', async () => {
    const idp = fakeIdp();
    const direct = verifier(idp, clock().now, { jwks: { fetch: idp.fetch, uri: JWKS_URI } });
    expect(await codeOf(direct.verify(token))).toBe('accepted');
    expect(idp.calls).toEqual([JWKS_URI]);
    const custom = fakeIdp();
    const wrapped: FakeIdp['fetch'] = (url, init) =>
      custom.fetch(url === 'https://meta.partner.example/oidc' ? DISCOVERY : url, init);
    const v = verifier(custom, clock().now, {
      discovery: { uri: 'https://meta.partner.example/oidc' },
      jwks: { fetch: wrapped },
    });
    expect(await codeOf(v.verify(token))).toBe('accepted');
  });

  it('verifySync says jwks_unavailable before discovery, and works after hydrate()', async () => {
    const idp = fakeIdp();
    const v = verifier(idp, clock().now);
    expect(() => v.verifySync(token)).toThrow(expect.objectContaining({ code: 'jwks_unavailable' }));
    expect((await v.hydrate()).ok).toBe(true);
    expect(v.verifySync(token).issuer).toBe(OIDC_ISSUER);
  });

  it('works against a loopback HTTP identity provider', async () => {
    const server = createServer((req, res) => {
      const { port } = server.address() as AddressInfo;
      const issuer = `http://127.0.0.1:${port}/realms/test`;
      res.setHeader('content-type', 'application/json');
      if (req.url === '/realms/test/.well-known/openid-configuration') {
        res.end(JSON.stringify({ issuer, jwks_uri: `http://127.0.0.1:${port}/realms/test/certs` }));
      } else if (req.url === '/realms/test/certs') {
        res.end(JSON.stringify({ keys: [key.jwk] }));
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const issuer = `http://127.0.0.1:${port}/realms/test`;
      const v = createOidcVerifier({
        issuer,
        audience: AUDIENCE,
        algorithms: ['ES256'],
        now: () => NOW * 1000,
      });
      const auth = await v.verify(signOidc({ typ: 'at+jwt' }, atClaims({ iss: issuer }), key));
      expect(auth.issuer).toBe(issuer);
      expect(v.jwksUris).toEqual([`${issuer}/certs`]);
      v.close();
    } finally {
      server.close();
    }
  });
});
