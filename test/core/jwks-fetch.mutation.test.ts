/**
 * Edges of the JWKS download a mutation run found unguarded: the error's shape, Retry-After
 * parsing, the body cap at its boundary, bodiless answers, what a broken custom fetch yields, and
 * the deadline timer left behind. Injected fetch functions only, no network; fake timers for the
 * deadline.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  fetchJwks,
  JwksFetchError,
  type JwksFetchFunction,
  MAX_RETRY_AFTER_SECONDS,
  readCappedText,
  retryAfterSeconds,
} from '../../packages/core/src/jwks-fetch.js';

const URL_ = 'http://127.0.0.1:1/.well-known/jwks.json';

/** A fetch that answers every call with `answer()` and remembers its calls. */
function fakeFetch(answer: () => unknown): JwksFetchFunction & { calls: RequestInit[] } {
  const calls: RequestInit[] = [];
  const fn = async (_url: string, init: RequestInit) => {
    calls.push(init);
    return answer() as Response;
  };
  return Object.assign(fn, { calls });
}

async function failure(promise: Promise<unknown>): Promise<JwksFetchError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(JwksFetchError);
  return error as JwksFetchError;
}

/** A body stream of `size` bytes with no content-length. */
function streamOf(size: number): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(' '.repeat(size)));
      controller.close();
    },
  });
}

afterEach(() => {
  vi.useRealTimers();
});

describe('JwksFetchError', () => {
  it('is named for its class and defaults to an outage caused by the network', () => {
    // Act
    const error = new JwksFetchError('socket hang up', true);

    // Assess
    expect(error.name).toBe('JwksFetchError');
    expect(error.kind).toBe('outage');
    expect('cause' in error).toBe(false);
    expect(error.failure).toStrictEqual({ kind: 'network', message: 'socket hang up' });
  });

  it('keeps a given cause and works its failure out from it', () => {
    // Prepare
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });

    // Act
    const error = new JwksFetchError('JWKS request failed', true, cause);

    // Assess
    expect(error.cause).toBe(cause);
    expect(error.failure).toStrictEqual({
      kind: 'network',
      code: 'ECONNREFUSED',
      message: 'connect ECONNREFUSED 127.0.0.1:1',
    });
  });
});

describe('retryAfterSeconds', () => {
  const now = Date.parse('Wed, 21 Oct 2026 07:28:00 GMT');

  it('reads delay-seconds around which there is whitespace', () => {
    expect(retryAfterSeconds(' 120 ', now)).toBe(120);
  });

  it('refuses zero', () => {
    expect(retryAfterSeconds('0', now)).toBeUndefined();
  });

  it('refuses a date in the past', () => {
    expect(retryAfterSeconds('Wed, 21 Oct 2026 07:27:00 GMT', now)).toBeUndefined();
  });

  it('reads a date in the future, capped', () => {
    expect(retryAfterSeconds('Wed, 21 Oct 2026 07:29:00 GMT', now)).toBe(60);
    expect(retryAfterSeconds('Thu, 22 Oct 2026 07:28:00 GMT', now)).toBe(MAX_RETRY_AFTER_SECONDS);
  });

  it('refuses a date that does not start with the day name', () => {
    expect(retryAfterSeconds('x Wed, 21 Oct 2026 07:29:00 GMT', now)).toBeUndefined();
  });
});

describe('readCappedText', () => {
  it('reads a body that declares exactly the cap', async () => {
    const response = new Response('{"keys":[]}', { headers: { 'content-length': '11' } });
    expect(await readCappedText(response, 11)).toBe('{"keys":[]}');
  });

  it('refuses a declared length over the cap before reading, naming that length', async () => {
    // Prepare
    const response = new Response('{"keys":[]}', { headers: { 'content-length': '11' } });

    // Act
    const error = await failure(readCappedText(response, 10));

    // Assess
    expect(error.failure).toStrictEqual({
      kind: 'too_large',
      message: 'JWKS body of 11 bytes exceeds the 10-byte cap',
    });
    expect(error.retryable).toBe(false);
  });

  it('refuses a declared length over the cap when there is no body', async () => {
    const response = new Response(null, { headers: { 'content-length': '100' } });
    const error = await failure(readCappedText(response, 10));
    expect(error.failure.kind).toBe('too_large');
  });

  it('reads an empty string from a response without a body', async () => {
    expect(await readCappedText(new Response(null), 10)).toBe('');
  });

  it('reads a streamed body of exactly the cap', async () => {
    expect(await readCappedText(new Response(streamOf(16)), 16)).toBe(' '.repeat(16));
  });

  it('refuses a streamed body one byte over the cap', async () => {
    const error = await failure(readCappedText(new Response(streamOf(17)), 16));
    expect(error.failure).toStrictEqual({ kind: 'too_large', message: 'JWKS body exceeds the 16-byte cap' });
  });
});

describe('fetchJwks', () => {
  const settings = { timeoutMs: 5_000, maxBytes: 1024 };

  it('works without a caller signal and asks for JSON', async () => {
    // Prepare
    const fetch = fakeFetch(() => Response.json({ keys: [] }));

    // Act
    const doc = await fetchJwks(URL_, { ...settings, fetch });

    // Assess
    expect(doc).toStrictEqual({ keys: [] });
    expect(fetch.calls).toHaveLength(1);
    expect(fetch.calls[0]?.headers).toStrictEqual({ accept: 'application/json' });
  });

  it.each([
    [404, 'absent', 'JWKS endpoint answered 404'],
    [403, 'absent', 'JWKS endpoint answered 403'],
    [410, 'absent', 'JWKS endpoint answered 410'],
    [400, 'outage', 'JWKS endpoint answered 400'],
    [300, 'outage', 'JWKS endpoint answered 300 (redirects are not followed)'],
    [399, 'outage', 'JWKS endpoint answered 399 (redirects are not followed)'],
    [299, 'outage', 'JWKS endpoint answered 299'],
  ])('reports a bodiless %i as %s: %s', async (status, kind, message) => {
    // Prepare
    const fetch = fakeFetch(() => new Response(null, { status }));

    // Act
    const error = await failure(fetchJwks(URL_, { ...settings, fetch }));

    // Assess
    expect(error.kind).toBe(kind);
    expect(error.message).toBe(message);
    expect(error.failure).toStrictEqual({ kind: 'status', status, message });
    expect(fetch.calls).toHaveLength(1);
  });

  it('reports a download the caller aborted as aborted and not worth a retry', async () => {
    // Prepare
    const caller = new AbortController();
    const fetch: JwksFetchFunction = async () => {
      caller.abort();
      throw new DOMException('This operation was aborted', 'AbortError');
    };

    // Act
    const error = await failure(fetchJwks(URL_, { ...settings, fetch, signal: caller.signal }));

    // Assess
    expect(error.retryable).toBe(false);
    expect(error.message).toBe('JWKS request failed: aborted');
    expect(error.failure).toStrictEqual({
      kind: 'aborted',
      message: 'the verifier was closed during the download',
    });
  });

  it('does not retry a body that breaks while being read', async () => {
    // Prepare
    const fetch = fakeFetch(
      () =>
        new Response(
          new ReadableStream({
            pull(controller) {
              controller.error(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }));
            },
          }),
        ),
    );

    // Act
    const error = await failure(fetchJwks(URL_, { ...settings, fetch }));

    // Assess
    expect(fetch.calls).toHaveLength(1);
    expect(error.retryable).toBe(false);
    expect(error.failure).toStrictEqual({
      kind: 'network',
      code: 'UND_ERR_SOCKET',
      message: 'other side closed',
    });
  });

  it('reports a Response-like object that breaks when read as an invalid response', async () => {
    // Prepare: a status but no headers to read Retry-After from.
    const fetch = fakeFetch(() => ({ status: 503 }));

    // Act
    const error = await failure(fetchJwks(URL_, { ...settings, fetch }));

    // Assess
    expect(error.retryable).toBe(false);
    expect(error.failure.kind).toBe('invalid_response');
    expect(error.failure.message).not.toBe('');
    expect(error.message).toBe(`JWKS fetch failed: ${error.failure.message}`);
  });

  it('stops its deadline timer once the download is done', async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const fetch = fakeFetch(() => Response.json({ keys: [] }));

    // Act
    await fetchJwks(URL_, { ...settings, fetch });

    // Assess
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(settings.timeoutMs + 1);
    expect(fetch.calls[0]?.signal?.aborted).toBe(false);
  });
});
