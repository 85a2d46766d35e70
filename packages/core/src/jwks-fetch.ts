/**
 * One JWKS download, hardened: a total deadline that covers the retry, a body cap enforced while
 * streaming (a hostile or broken endpoint cannot make us buffer 200 MB), no redirects, 200 only.
 * Failures are `JwksFetchError`s carrying their cause (`failure`: network or TLS code, status, the
 * limit hit); the cache turns them into `jwks_unavailable` when it has nothing better to serve.
 */
import { failureOfThrown, failureSentence, type JwksFailureCause, jwksFailure } from './jwks-failure.js';

/** The subset of `fetch` we use; inject one for proxies or tests. */
export type JwksFetchFunction = (url: string, init: RequestInit) => Promise<Response>;

export interface JwksFetchSettings {
  readonly fetch: JwksFetchFunction;
  readonly timeoutMs: number;
  readonly maxBytes: number;
  /** Aborts the download early (verifier closed). */
  readonly signal?: AbortSignal;
  /** Clock for HTTP-date `Retry-After` values. Default `Date.now`. */
  readonly now?: () => number;
}

/**
 * What a failed download says about the issuer: `absent` (the URL answered 403, 404 or 410: this
 * issuer publishes no keys, e.g. the global issuer of a pool without multi-Region replication) or
 * `outage` (network error, timeout, 408, 429, 5xx, a broken body: keys may exist but we cannot
 * get them now).
 */
export type JwksFailureKind = 'absent' | 'outage';

const ABSENT_STATUSES = new Set([403, 404, 410]);
/** Longest server-requested pause we honour; a hostile or broken value cannot park us for days. */
export const MAX_RETRY_AFTER_SECONDS = 300;

export class JwksFetchError extends Error {
  override readonly name = 'JwksFetchError';
  /** Worth one more attempt (network error or 5xx). */
  readonly retryable: boolean;
  readonly kind: JwksFailureKind;
  /** The server's `Retry-After`, in whole seconds (1…300), when it sent a usable one. */
  readonly retryAfterSeconds: number | undefined;
  /**
   * Why it failed, for operators (never sent to clients). When not given it is worked out from
   * `cause` (a thrown fetch error), or taken as a network failure described by `message`.
   */
  readonly failure: JwksFailureCause;
  constructor(
    message: string,
    retryable: boolean,
    cause?: unknown,
    details: {
      kind?: JwksFailureKind;
      retryAfterSeconds?: number | undefined;
      failure?: JwksFailureCause;
    } = {},
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.retryable = retryable;
    this.kind = details.kind ?? 'outage';
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.failure =
      details.failure ?? (cause === undefined ? jwksFailure('network', message) : failureOfThrown(cause));
  }
}

/** A failure not worth a retry whose message is its cause's (size cap, timeout, not JSON…). */
function failed(failure: JwksFailureCause): JwksFetchError {
  return new JwksFetchError(failure.message, false, undefined, { failure });
}

/** A thrown fetch or body-read error, with its network or TLS cause in the message. */
function thrownFailure(prefix: string, error: unknown, retryable: boolean): JwksFetchError {
  const failure = failureOfThrown(error);
  return new JwksFetchError(failureSentence(prefix, failure), retryable, error, { failure });
}

/**
 * RFC 9110 §10.2.3 `Retry-After`: delay-seconds or an HTTP date, as whole seconds from `nowMs`,
 * bounded to 1…300; `undefined` when absent or unusable.
 *
 * @example
 * retryAfterSeconds('120', Date.now()) // 120
 */
export function retryAfterSeconds(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  let seconds: number;
  if (/^\d{1,10}$/.test(text)) seconds = Number(text);
  else {
    const at = /^[A-Za-z]{3}, /.test(text) ? Date.parse(text) : Number.NaN;
    if (Number.isNaN(at)) return undefined;
    seconds = Math.ceil((at - nowMs) / 1000);
  }
  if (seconds <= 0) return undefined;
  return Math.min(seconds, MAX_RETRY_AFTER_SECONDS);
}

/**
 * A response body as text, refusing to buffer more than `maxBytes` (checked against
 * `content-length` first, then while streaming). Throws JwksFetchError past the cap.
 *
 * @example
 * const text = await readCappedText(await fetch(url), 512 * 1024);
 */
export async function readCappedText(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw failed(jwksFailure('too_large', `JWKS body of ${declared} bytes exceeds the ${maxBytes}-byte cap`));
  }
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw failed(jwksFailure('too_large', `JWKS body exceeds the ${maxBytes}-byte cap`));
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

async function attempt(url: string, settings: JwksFetchSettings, signal: AbortSignal): Promise<unknown> {
  let response: Response;
  try {
    response = await settings.fetch(url, {
      redirect: 'manual',
      signal,
      headers: { accept: 'application/json' },
    });
  } catch (error) {
    if (signal.aborted) {
      // Closed verifier or deadline (fetchJwks reports the deadline as a timeout).
      throw new JwksFetchError('JWKS request failed: aborted', false, error, {
        failure: jwksFailure('aborted', 'the verifier was closed during the download'),
      });
    }
    throw thrownFailure('JWKS request failed', error, true);
  }
  if (typeof (response as { status?: unknown } | null)?.status !== 'number') {
    throw failed(jwksFailure('invalid_response', 'JWKS fetch did not resolve to a Response'));
  }
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => {});
    const status = response.status;
    const redirect = status >= 300 && status < 400 ? ' (redirects are not followed)' : '';
    const failure = jwksFailure('status', `JWKS endpoint answered ${status}${redirect}`, { status });
    throw new JwksFetchError(failure.message, status >= 500, undefined, {
      kind: ABSENT_STATUSES.has(status) ? 'absent' : 'outage',
      retryAfterSeconds: retryAfterSeconds(response.headers.get('retry-after'), (settings.now ?? Date.now)()),
      failure,
    });
  }
  let text: string;
  try {
    text = await readCappedText(response, settings.maxBytes);
  } catch (error) {
    if (error instanceof JwksFetchError) throw error;
    throw thrownFailure('JWKS body could not be read', error, false);
  }
  try {
    return JSON.parse(text);
  } catch {
    // The body itself is never copied: it may be an HTML error page, or anything at all.
    throw failed(jwksFailure('not_json', 'JWKS body is not JSON'));
  }
}

/**
 * Download and parse a JWKS document, retrying once on a network error or a 5xx, all within
 * `timeoutMs`.
 *
 * @example
 * const doc = await fetchJwks('https://cognito-idp.us-east-1.amazonaws.com/us-east-1_x/.well-known/jwks.json',
 *   { fetch, timeoutMs: 3000, maxBytes: 512 * 1024 });
 */
export async function fetchJwks(url: string, settings: JwksFetchSettings): Promise<unknown> {
  const deadline = new AbortController();
  const signal =
    settings.signal === undefined ? deadline.signal : AbortSignal.any([deadline.signal, settings.signal]);
  const timedOut = () =>
    failed(jwksFailure('timeout', `JWKS fetch timed out after ${settings.timeoutMs} ms`));
  // The deadline is enforced here, not only through the signal: a custom fetch (or a body stream)
  // that ignores the signal must not keep verifications waiting past timeoutMs.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expiry = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      deadline.abort();
      reject(timedOut());
    }, settings.timeoutMs);
  });
  const work = async (): Promise<unknown> => {
    try {
      try {
        return await attempt(url, settings, signal);
      } catch (error) {
        if (!(error instanceof JwksFetchError) || !error.retryable || signal.aborted) throw error;
        return await attempt(url, settings, signal);
      }
    } catch (error) {
      if (deadline.signal.aborted) throw timedOut();
      if (error instanceof JwksFetchError) throw error;
      // A Response-like object that broke when read (a custom fetch's doing).
      const failure = jwksFailure('invalid_response', error instanceof Error ? error.message : String(error));
      throw new JwksFetchError(failureSentence('JWKS fetch failed', failure), false, error, { failure });
    }
  };
  const running = work();
  // Whatever the abandoned attempt does later must not surface as an unhandled rejection.
  running.catch(() => {});
  try {
    return await Promise.race([running, expiry]);
  } finally {
    clearTimeout(timer);
  }
}
