/**
 * `cognito-gate verify` says why it could not get the keys: the network or TLS error, in words a
 * person can act on, not "fetch failed". Real failures on loopback (a closed port, a self-signed
 * TLS server) and undici-shaped errors for what loopback cannot produce (DNS, expired certificates
 * for a public host).
 */
import type { JwksFailureCause } from '@cognito-gate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainJwksFailure } from '../../packages/cli/src/jwks-failure.js';
import type { VerifyResult as VerifyJson } from '../../packages/cli/src/verify-command.js';
import {
  closedPort,
  fetchFailed,
  makeCertificates,
  OPENSSL_AVAILABLE,
  startTlsServer,
} from '../support/jwks-failures.js';
import { type CliFixture, createCliFixture, json, type RunOptions, run } from './support.js';

let f: CliFixture;

beforeAll(async () => {
  f = await createCliFixture();
});
afterAll(() => f.cleanup());

const poolArgs = () => ['--user-pool-id', f.issuer.userPoolId, '--client-id', f.issuer.clientId];
const realFetch: RunOptions['fetch'] = (url, init) => globalThis.fetch(url, init);

async function unavailable(extra: readonly string[], options: RunOptions): Promise<VerifyJson> {
  const result = await run(
    ['verify', await f.issuer.accessToken(), ...poolArgs(), ...extra, '--json'],
    options,
  );
  expect(result.code).toBe(1);
  expect(result.stderr).toBe('');
  const body = json<VerifyJson>(result);
  expect(body).toMatchObject({ valid: false, code: 'jwks_unavailable', status: 503 });
  return body;
}

describe('verify explains a JWKS download that failed', () => {
  it('a refused connection (real loopback port): ECONNREFUSED, and what to check', async () => {
    const port = await closedPort();
    const uri = `http://127.0.0.1:${port}/jwks.json`;
    const body = await unavailable(['--jwks-uri', uri], { fetch: realFetch });
    expect(body.explanation).toBe(
      `could not load the JWKS from ${uri}: connection refused (connect ECONNREFUSED 127.0.0.1:${port}); is the server running, on that port?`,
    );
  });

  it('prints the same reason on the human-readable second line', async () => {
    const port = await closedPort();
    const uri = `http://127.0.0.1:${port}/jwks.json`;
    const token = await f.issuer.accessToken();
    const { code, stdout } = await run(['verify', token, ...poolArgs(), '--jwks-uri', uri], {
      fetch: realFetch,
    });
    expect(code).toBe(1);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('REJECTED  jwks_unavailable (503)');
    expect(lines[1]).toBe(
      `  could not load the JWKS from ${uri}: connection refused (connect ECONNREFUSED 127.0.0.1:${port}); is the server running, on that port?`,
    );
  });

  it("a Cognito host that does not resolve (undici-shaped ENOTFOUND): points at the pool id's region", async () => {
    const url = `${f.issuer.issuer}/.well-known/jwks.json`;
    const host = new URL(url).host;
    const body = await unavailable([], {
      fetch: async () => {
        throw fetchFailed('ENOTFOUND', `getaddrinfo ENOTFOUND ${host}`);
      },
    });
    expect(body.explanation).toBe(
      `could not load the JWKS from ${url}: the host name does not resolve (getaddrinfo ENOTFOUND ${host}); check the region in the user pool id`,
    );
  });

  it('an expired certificate (undici-shaped): says so, with the code', async () => {
    const body = await unavailable([], {
      fetch: async () => {
        throw fetchFailed('CERT_HAS_EXPIRED', 'certificate has expired');
      },
    });
    expect(body.explanation).toBe(
      `could not load the JWKS from ${f.issuer.issuer}/.well-known/jwks.json: the server's TLS certificate has expired (CERT_HAS_EXPIRED: certificate has expired); or this machine's clock is wrong`,
    );
  });

  it.skipIf(!OPENSSL_AVAILABLE)(
    OPENSSL_AVAILABLE
      ? 'a self-signed certificate (real TLS on 127.0.0.1): names it and the way out'
      : 'a self-signed certificate (skipped: the openssl CLI is not installed)',
    async () => {
      const certs = makeCertificates();
      const tls = await startTlsServer(certs.key, certs.localhostOnly, JSON.stringify(f.issuer.jwks));
      try {
        const uri = `${tls.url}/jwks.json`;
        const body = await unavailable(['--jwks-uri', uri], { fetch: realFetch });
        expect(body.explanation).toMatch(
          new RegExp(
            `^could not load the JWKS from ${uri.replace(/\./g, '\\.')}: the server's TLS certificate is self-signed \\(DEPTH_ZERO_SELF_SIGNED_CERT: self[- ]signed certificate\\); behind a TLS-inspecting proxy, give Node its CA with NODE_EXTRA_CA_CERTS$`,
          ),
        );
      } finally {
        await tls.close();
      }
    },
  );

  it('a body that is not JSON: the core text, without the body', async () => {
    const body = await unavailable([], {
      fetch: async () => new Response('<html>captive portal secret</html>', { status: 200 }),
    });
    expect(body.explanation).toBe(
      `could not load the JWKS from ${f.issuer.issuer}/.well-known/jwks.json: JWKS body is not JSON`,
    );
  });

  it('a JWKS with no usable key: how many were refused and why', async () => {
    const [jwk] = f.issuer.jwks.keys as Array<Record<string, unknown>>;
    const body = await unavailable([], {
      fetch: async () => new Response(JSON.stringify({ keys: [{ ...jwk, e: 'AQAD' }] })),
    });
    expect(body.explanation).toBe(
      `could not load the JWKS from ${f.issuer.issuer}/.well-known/jwks.json: JWKS contains no usable key (1 rejected, first: public exponent is not 65537)`,
    );
  });
});

describe('explainJwksFailure', () => {
  const source = 'https://idp.example/jwks.json';
  it.each<[JwksFailureCause, string | undefined]>([
    [
      { kind: 'network', code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND idp.example' },
      'the host name does not resolve (getaddrinfo ENOTFOUND idp.example); check the URL',
    ],
    [
      { kind: 'network', code: 'ECONNRESET', message: 'read ECONNRESET' },
      'the connection was reset (read ECONNRESET); a proxy or firewall may be cutting it',
    ],
    [
      { kind: 'network', code: 'UND_ERR_SOCKET', message: 'other side closed' },
      'the server closed the connection (UND_ERR_SOCKET: other side closed)',
    ],
    [{ kind: 'network', code: 'EPROTO', message: 'odd' }, 'network error (EPROTO: odd)'],
    [
      {
        kind: 'tls',
        code: 'ERR_TLS_CERT_ALTNAME_INVALID',
        message: "Hostname/IP does not match certificate's altnames",
      },
      "the server's TLS certificate is for another host name (ERR_TLS_CERT_ALTNAME_INVALID: Hostname/IP does not match certificate's altnames); check the URL",
    ],
    [
      { kind: 'tls', code: 'ERR_SSL_WRONG_VERSION_NUMBER', message: 'wrong version number' },
      'TLS error (ERR_SSL_WRONG_VERSION_NUMBER: wrong version number)',
    ],
    [
      { kind: 'timeout', message: 'JWKS fetch timed out after 3000 ms' },
      'no complete answer in time (JWKS fetch timed out after 3000 ms)',
    ],
    [
      { kind: 'aborted', message: 'the verifier was closed during the download' },
      'the download was cancelled',
    ],
    [{ kind: 'status', status: 500, message: 'JWKS endpoint answered 500' }, undefined],
    [{ kind: 'too_large', message: 'JWKS body exceeds the 1-byte cap' }, undefined],
  ])('%j', (cause, expected) => {
    expect(explainJwksFailure(cause, source)).toBe(expected);
  });
});
