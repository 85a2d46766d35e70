/**
 * JWKS failures carry their cause (network or TLS code, HTTP status, limit hit) to the operator:
 * the AuthError's `detail`, the `hydrate()` report and the `jwks_fetch_failure` event. The cause
 * adds information only: codes, statuses and Retry-After stay what they were, and nothing of it
 * reaches the client-facing fields. No internet: loopback servers, a closed port, TLS servers on
 * 127.0.0.1 with certificates made at test time, and fetch errors shaped like undici's.
 */
import {
  AuthError,
  createVerifier,
  type HydrateResult,
  type JwksEvent,
  type JwksFailureCause,
  type JwksFetchFunction,
  type VerifierOptions,
} from '@cognito-gate/core';
import { startJwksServer } from '@cognito-gate/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import { cleanFailureText, failureOfThrown } from '../../packages/core/src/jwks-failure.js';
import {
  type Certificates,
  closedPort,
  fetchFailed,
  fetchTrusting,
  happyEyeballsRefused,
  makeCertificates,
  OPENSSL_AVAILABLE,
  startDroppingServer,
  startTlsServer,
} from '../support/jwks-failures.js';
import { accessClaims, CLIENT_ID, makeKey, NOW, POOL_ID, signJwt } from '../support/signer.js';

const key = makeKey('cause-key');
const token = signJwt({ kid: key.kid, alg: 'RS256' }, accessClaims(), key);
let server: Awaited<ReturnType<typeof startJwksServer>>;

beforeAll(async () => {
  server = await startJwksServer(() => ({ keys: [key.jwk] }));
});
afterAll(() => server.close());
beforeEach(async () => {
  await server.setFault(null);
  server.setJwks(undefined);
  server.resetCount();
});

interface Outcome {
  readonly error: AuthError;
  readonly event: Extract<JwksEvent, { type: 'jwks_fetch_failure' }>;
  readonly hydrated: HydrateResult;
  readonly hydrateOk: boolean;
}

/**
 * Fail once through `hydrate()` and once through `verify()` (two verifiers, so both fetch), and
 * return the report entry, the failure event and the AuthError.
 */
async function failure(jwks: NonNullable<VerifierOptions['jwks']>): Promise<Outcome> {
  const make = (events: JwksEvent[]) =>
    createVerifier({
      userPoolId: POOL_ID,
      clientId: CLIENT_ID,
      now: () => NOW * 1000,
      onEvent: (e) => events.push(e),
      jwks: { uri: server.jwksUri, timeoutMs: 1500, ...jwks },
    });
  const hydrating = make([]);
  const report = await hydrating.hydrate();
  hydrating.close();
  const events: JwksEvent[] = [];
  const verifying = make(events);
  const error = await verifying.verify(token).then(
    () => expect.fail('verify() should have failed'),
    (e: unknown) => e,
  );
  verifying.close();
  expect(error).toBeInstanceOf(AuthError);
  const event = events.find((e) => e.type === 'jwks_fetch_failure');
  expect(event).toBeDefined();
  expect(report.results).toHaveLength(1);
  return {
    error: error as AuthError,
    event: event as Outcome['event'],
    hydrated: report.results[0]!,
    hydrateOk: report.ok,
  };
}

/** The cause is the same everywhere, and the client-facing fields say nothing of it. */
function expectCauseEverywhere(
  outcome: Outcome,
  cause: Partial<JwksFailureCause>,
  text: string | RegExp,
): void {
  const { error, event, hydrated } = outcome;
  expect(event.cause).toMatchObject(cause);
  expect(hydrated).toMatchObject({ ok: false, cause });
  expect(outcome.hydrateOk).toBe(false);
  expect(event.error).toMatch(text);
  expect(hydrated.error).toMatch(text);
  expect(error.detail).toMatch(text);
  const clientFacing = JSON.stringify([error.message, error.description, error.toJSON(), error.headers]);
  for (const secret of [cause.code, event.cause.message, server.jwksUri]) {
    if (secret !== undefined) expect(clientFacing).not.toContain(secret);
  }
}

function expect503(error: AuthError): void {
  expect(error).toMatchObject({ code: 'jwks_unavailable', status: 503 });
  expect(error.headers).toEqual({ 'retry-after': String(error.retryAfterSeconds) });
}

describe('network failures name their system error code', () => {
  it('a refused connection (real loopback port): ECONNREFUSED, still a 503', async () => {
    const port = await closedPort();
    const uri = `http://127.0.0.1:${port}/jwks.json`;
    const outcome = await failure({ uri });
    expectCauseEverywhere(
      outcome,
      { kind: 'network', code: 'ECONNREFUSED', message: `connect ECONNREFUSED 127.0.0.1:${port}` },
      `JWKS request failed: connect ECONNREFUSED 127.0.0.1:${port}`,
    );
    expect(outcome.hydrated.uri).toBe(uri);
    expect503(outcome.error);
    expect(outcome.error.retryAfterSeconds).toBe(10);
  });

  it('a DNS failure (undici-shaped): ENOTFOUND with the host name', async () => {
    const fetch: JwksFetchFunction = async () => {
      throw fetchFailed('ENOTFOUND', 'getaddrinfo ENOTFOUND cognito-idp.us-east-7.amazonaws.com');
    };
    const outcome = await failure({ fetch });
    expectCauseEverywhere(
      outcome,
      {
        kind: 'network',
        code: 'ENOTFOUND',
        message: 'getaddrinfo ENOTFOUND cognito-idp.us-east-7.amazonaws.com',
      },
      'JWKS request failed: getaddrinfo ENOTFOUND cognito-idp.us-east-7.amazonaws.com',
    );
    expect503(outcome.error);
  });

  it('every address refused (happy eyeballs AggregateError, empty message): the first attempt', async () => {
    const outcome = await failure({
      fetch: async () => {
        throw happyEyeballsRefused(443);
      },
    });
    expectCauseEverywhere(
      outcome,
      { kind: 'network', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED ::1:443' },
      'JWKS request failed: connect ECONNREFUSED ::1:443',
    );
  });

  it('a reset (undici-shaped ECONNRESET) is retried once, as before, and named', async () => {
    let calls = 0;
    const outcome = await failure({
      fetch: async () => {
        calls++;
        throw fetchFailed('ECONNRESET', 'read ECONNRESET');
      },
    });
    expect(calls).toBe(4); // two verifiers, one retry each
    expectCauseEverywhere(
      outcome,
      { kind: 'network', code: 'ECONNRESET' },
      'JWKS request failed: read ECONNRESET',
    );
  });

  it('a connection dropped mid-body (real loopback): the socket error, no retry', async () => {
    const dropping = await startDroppingServer();
    try {
      const outcome = await failure({ uri: dropping.url });
      expectCauseEverywhere(
        outcome,
        { kind: 'network', code: 'UND_ERR_SOCKET', message: 'other side closed' },
        'JWKS body could not be read: other side closed (UND_ERR_SOCKET)',
      );
    } finally {
      await dropping.close();
    }
  });
});

const TLS_SUITE = OPENSSL_AVAILABLE
  ? 'TLS failures name the certificate problem'
  : 'TLS failures (skipped: the openssl CLI is not installed, so no test certificate can be made)';

describe.skipIf(!OPENSSL_AVAILABLE)(TLS_SUITE, () => {
  let certs: Certificates;
  beforeAll(() => {
    certs = makeCertificates();
  });

  it('an expired certificate (real TLS, default fetch): CERT_HAS_EXPIRED', async () => {
    const tls = await startTlsServer(certs.key, certs.expired, JSON.stringify({ keys: [key.jwk] }));
    try {
      const outcome = await failure({ uri: `${tls.url}/jwks.json` });
      expectCauseEverywhere(
        outcome,
        { kind: 'tls', code: 'CERT_HAS_EXPIRED', message: 'certificate has expired' },
        'JWKS request failed: certificate has expired (CERT_HAS_EXPIRED)',
      );
      expect503(outcome.error);
    } finally {
      await tls.close();
    }
  });

  it('a self-signed certificate (real TLS, default fetch): DEPTH_ZERO_SELF_SIGNED_CERT', async () => {
    const tls = await startTlsServer(certs.key, certs.localhostOnly, JSON.stringify({ keys: [key.jwk] }));
    try {
      const outcome = await failure({ uri: `${tls.url}/jwks.json` });
      expectCauseEverywhere(
        outcome,
        { kind: 'tls', code: 'DEPTH_ZERO_SELF_SIGNED_CERT' },
        /^JWKS request failed: self[- ]signed certificate \(DEPTH_ZERO_SELF_SIGNED_CERT\)$/,
      );
    } finally {
      await tls.close();
    }
  });

  it('a trusted certificate for another name (real TLS): ERR_TLS_CERT_ALTNAME_INVALID', async () => {
    const tls = await startTlsServer(certs.key, certs.localhostOnly, JSON.stringify({ keys: [key.jwk] }));
    try {
      const trusting = fetchTrusting(certs.localhostOnly);
      // Control: the same fetch, trusting the same certificate, works when the name matches.
      const control = await trusting(`${tls.url.replace('127.0.0.1', 'localhost')}/jwks.json`, {});
      expect(control.status).toBe(200);
      const outcome = await failure({ uri: `${tls.url}/jwks.json`, fetch: trusting });
      expectCauseEverywhere(
        outcome,
        { kind: 'tls', code: 'ERR_TLS_CERT_ALTNAME_INVALID' },
        /^JWKS request failed: Hostname\/IP does not match certificate's altnames: IP: 127\.0\.0\.1 is not in the cert's list/,
      );
    } finally {
      await tls.close();
    }
  });
});

describe('answers that are not a usable JWKS name what was wrong', () => {
  it('a 503 (retried once): the status, still a 503 with the same Retry-After', async () => {
    await server.setFault({ type: 'status', status: 503 });
    const outcome = await failure({});
    expectCauseEverywhere(outcome, { kind: 'status', status: 503 }, /^JWKS endpoint answered 503$/);
    expect(outcome.event.cause).toEqual({
      kind: 'status',
      status: 503,
      message: 'JWKS endpoint answered 503',
    });
    expect(server.requestCount).toBe(4);
    expect503(outcome.error);
  });

  it('a 404: the status, still a 401 unknown_key (the issuer publishes no keys)', async () => {
    await server.setFault({ type: 'status', status: 404, body: '{"secret":"body text"}' });
    const outcome = await failure({});
    expectCauseEverywhere(outcome, { kind: 'status', status: 404 }, /answered 404/);
    expect(outcome.error).toMatchObject({ code: 'unknown_key', status: 401 });
    expect(outcome.error.detail).toBe('issuer publishes no keys (JWKS endpoint answered 404)');
    expect(JSON.stringify(outcome)).not.toContain('body text');
  });

  it('a redirect: its status, and that redirects are not followed', async () => {
    await server.setFault({ type: 'redirect', location: 'https://elsewhere.example/jwks.json?sig=s3cret' });
    const outcome = await failure({});
    expectCauseEverywhere(
      outcome,
      { kind: 'status', status: 302, message: 'JWKS endpoint answered 302 (redirects are not followed)' },
      'JWKS endpoint answered 302',
    );
    expect(JSON.stringify(outcome)).not.toContain('s3cret');
  });

  it('no answer in time: timeout, with the limit', async () => {
    await server.setFault({ type: 'hang' });
    const outcome = await failure({ timeoutMs: 150 });
    expectCauseEverywhere(
      outcome,
      { kind: 'timeout', message: 'JWKS fetch timed out after 150 ms' },
      'JWKS fetch timed out after 150 ms',
    );
    expect503(outcome.error);
  });

  it.each([true, false])(
    'a body over maxBytes (declared length: %s): too_large, with the cap',
    async (declared) => {
      await server.setFault({ type: 'huge', bytes: 256 * 1024, declareLength: declared });
      const outcome = await failure({ maxBytes: 16 * 1024 });
      expectCauseEverywhere(outcome, { kind: 'too_large' }, /exceeds the 16384-byte cap/);
    },
  );

  it('an HTML page: not_json, without copying the body', async () => {
    await server.setFault({ type: 'html' });
    const outcome = await failure({});
    expectCauseEverywhere(
      outcome,
      { kind: 'not_json', message: 'JWKS body is not JSON' },
      'JWKS body is not JSON',
    );
    expect(JSON.stringify(outcome)).not.toMatch(/<html|<body/i);
  });

  it('JSON without a keys array: invalid_jwks', async () => {
    server.setJwks({ message: 'hello' });
    const outcome = await failure({});
    expectCauseEverywhere(
      outcome,
      { kind: 'invalid_jwks', message: 'JWKS document has no keys array' },
      'JWKS document has no keys array',
    );
    expect503(outcome.error);
  });

  it('a JWKS whose keys all fail the policy: invalid_jwks, with how many and the first reason', async () => {
    server.setJwks({ keys: [makeKey('small', 1024).jwk, { ...key.jwk, kid: 'k2', e: 'AQAD' }] });
    const outcome = await failure({});
    expectCauseEverywhere(
      outcome,
      {
        kind: 'invalid_jwks',
        message: 'JWKS contains no usable key (2 rejected, first: modulus is 1024 bits)',
      },
      'JWKS contains no usable key (2 rejected, first: modulus is 1024 bits)',
    );
  });

  it('an empty keys array: invalid_jwks', async () => {
    server.setJwks({ keys: [] });
    const outcome = await failure({});
    expectCauseEverywhere(
      outcome,
      { kind: 'invalid_jwks' },
      'JWKS contains no usable key (no member with a kid)',
    );
  });

  it('a custom fetch resolving to something else than a Response: invalid_response', async () => {
    const outcome = await failure({ fetch: async () => undefined as unknown as Response });
    expectCauseEverywhere(
      outcome,
      { kind: 'invalid_response', message: 'JWKS fetch did not resolve to a Response' },
      'JWKS fetch did not resolve to a Response',
    );
    expect503(outcome.error);
  });

  it('a verifier closed during hydrate(): aborted', async () => {
    await server.setFault({ type: 'hang' });
    const verifier = createVerifier({
      userPoolId: POOL_ID,
      clientId: CLIENT_ID,
      jwks: { uri: server.jwksUri, timeoutMs: 5000 },
    });
    const pending = verifier.hydrate();
    await new Promise((resolve) => setTimeout(resolve, 50));
    verifier.close();
    const report = await pending;
    expect(report.results[0]).toMatchObject({
      ok: false,
      error: 'JWKS request failed: aborted',
      cause: { kind: 'aborted' },
    });
  });
});

describe('the cause is safe to log and stable', () => {
  it('cuts credentials, query and fragment from URLs a custom fetch puts in its error', async () => {
    const outcome = await failure({
      fetch: async () => {
        throw new Error('GET https://user:pa55word@idp.example/jwks.json?X-Amz-Signature=abc123#frag failed');
      },
    });
    expectCauseEverywhere(
      outcome,
      { kind: 'network', message: 'GET https://idp.example/jwks.json failed' },
      'JWKS request failed: GET https://idp.example/jwks.json failed',
    );
    expect(JSON.stringify(outcome)).not.toMatch(/pa55word|abc123|frag|user:/);
  });

  it('keeps one line of at most 200 characters, and ignores codes that are not codes', () => {
    const cause = failureOfThrown(
      Object.assign(new Error(`line one\nline two\r\n${'x'.repeat(5000)}`), { code: 'rm -rf /; not a code' }),
    );
    expect(cause.message.length).toBeLessThanOrEqual(200);
    expect(cause.message).toMatch(/^line one line two x+…$/);
    expect(cause).not.toHaveProperty('code');
    expect(cause.kind).toBe('network');
  });

  it('survives hostile errors: throwing getters, cycles, non-errors', () => {
    const hostile = Object.defineProperty({}, 'code', {
      get() {
        throw new Error('boom');
      },
    });
    expect(failureOfThrown(hostile)).toEqual({
      kind: 'network',
      message: 'fetch threw an object without a message',
    });
    const cyclic: { message: string; code: string; cause?: unknown } = { message: 'loop', code: 'ELOOP' };
    cyclic.cause = cyclic;
    expect(failureOfThrown(cyclic)).toEqual({ kind: 'network', code: 'ELOOP', message: 'loop' });
    expect(failureOfThrown(null)).toEqual({ kind: 'network', message: 'fetch threw null' });
    expect(failureOfThrown('socket hang up')).toEqual({ kind: 'network', message: 'socket hang up' });
    expect(failureOfThrown(42)).toEqual({ kind: 'network', message: 'fetch threw a number' });
  });

  it.each([
    ['CERT_HAS_EXPIRED', 'tls'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'tls'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'tls'],
    ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'tls'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'tls'],
    ['HOSTNAME_MISMATCH', 'tls'],
    ['ENOTFOUND', 'network'],
    ['EAI_AGAIN', 'network'],
    ['ECONNREFUSED', 'network'],
    ['ECONNRESET', 'network'],
    ['ETIMEDOUT', 'network'],
    ['UND_ERR_CONNECT_TIMEOUT', 'network'],
  ])('classifies %s as %s', (code, kind) => {
    expect(failureOfThrown(fetchFailed(code, `failure ${code}`))).toEqual({
      kind,
      code,
      message: `failure ${code}`,
    });
  });

  it('is frozen: a hook cannot change what hydrate() reports later', async () => {
    const events: JwksEvent[] = [];
    const port = await closedPort();
    const verifier = createVerifier({
      userPoolId: POOL_ID,
      clientId: CLIENT_ID,
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'jwks_fetch_failure') {
          expect(() => Object.assign(e.cause, { code: 'CHANGED' })).toThrow(TypeError);
        }
      },
      jwks: { uri: `http://127.0.0.1:${port}/jwks.json` },
    });
    const report = await verifier.hydrate();
    verifier.close();
    expect(events.some((e) => e.type === 'jwks_fetch_failure')).toBe(true);
    expect(report.results[0]?.cause?.code).toBe('ECONNREFUSED');
    expect(Object.isFrozen(report.results[0]?.cause)).toBe(true);
  });

  it('reaches verifySync() too: after a failed hydrate(), its 503 detail says why', async () => {
    await server.setFault({ type: 'status', status: 502 });
    const verifier = createVerifier({
      userPoolId: POOL_ID,
      clientId: CLIENT_ID,
      now: () => NOW * 1000,
      jwks: { uri: server.jwksUri },
    });
    const cold = (() => {
      try {
        verifier.verifySync(token);
      } catch (error) {
        return error as AuthError;
      }
    })();
    await verifier.hydrate();
    const afterFailure = (() => {
      try {
        verifier.verifySync(token);
      } catch (error) {
        return error as AuthError;
      }
    })();
    verifier.close();
    expect(cold).toMatchObject({
      code: 'jwks_unavailable',
      detail: 'key not loaded yet; use verify() or hydrate() first',
    });
    expect(afterFailure).toMatchObject({
      code: 'jwks_unavailable',
      status: 503,
      detail: 'key not loaded: JWKS endpoint answered 502',
    });
    expect(JSON.stringify(afterFailure?.toJSON())).not.toContain('502');
  });

  it('is cleared by a success: hydrate() then reports the keys, no cause', async () => {
    await server.setFault({ type: 'status', status: 500 });
    let now = NOW * 1000;
    const verifier = createVerifier({
      userPoolId: POOL_ID,
      clientId: CLIENT_ID,
      now: () => now,
      jwks: { uri: server.jwksUri },
    });
    expect((await verifier.hydrate()).results[0]).toMatchObject({ ok: false, cause: { status: 500 } });
    await server.setFault(null);
    now += 60_000;
    const healed = (await verifier.hydrate()).results[0];
    verifier.close();
    expect(healed).toEqual({ uri: server.jwksUri, ok: true, keys: 1 });
  });

  it('cleanFailureText leaves plain text alone and marks unparsable URLs', () => {
    expect(cleanFailureText('connect ECONNREFUSED 127.0.0.1:443')).toBe('connect ECONNREFUSED 127.0.0.1:443');
    expect(cleanFailureText('see http://[bad/jwks')).toBe('see [url]');
  });

  it('has typed fields', () => {
    expectTypeOf<HydrateResult['cause']>().toEqualTypeOf<JwksFailureCause | undefined>();
    expectTypeOf<
      Extract<JwksEvent, { type: 'jwks_fetch_failure' }>['cause']
    >().toEqualTypeOf<JwksFailureCause>();
    expectTypeOf<JwksFailureCause['kind']>().toEqualTypeOf<
      | 'network'
      | 'tls'
      | 'status'
      | 'timeout'
      | 'too_large'
      | 'not_json'
      | 'invalid_jwks'
      | 'invalid_response'
      | 'aborted'
    >();
  });
});
