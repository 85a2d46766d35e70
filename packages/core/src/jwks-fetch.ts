/**
 * One JWKS download, hardened: a total deadline that covers the retry, a body cap enforced while
 * streaming (a hostile or broken endpoint cannot make us buffer 200 MB), no redirects, 200 only.
 * Failures are `JwksFetchError`s; the cache turns them into `jwks_unavailable` when it has nothing
 * better to serve.
 */

/** The subset of `fetch` we use; inject one for proxies or tests. */
export type JwksFetchFunction = (url: string, init: RequestInit) => Promise<Response>;

export interface JwksFetchSettings {
  readonly fetch: JwksFetchFunction;
  readonly timeoutMs: number;
  readonly maxBytes: number;
  /** Aborts the download early (verifier closed). */
  readonly signal?: AbortSignal;
}

export class JwksFetchError extends Error {
  override readonly name = 'JwksFetchError';
  /** Worth one more attempt (network error or 5xx). */
  readonly retryable: boolean;
  constructor(message: string, retryable: boolean, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.retryable = retryable;
  }
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
    throw new JwksFetchError(`JWKS body of ${declared} bytes exceeds the ${maxBytes}-byte cap`, false);
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
      throw new JwksFetchError(`JWKS body exceeds the ${maxBytes}-byte cap`, false);
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
    throw new JwksFetchError('JWKS request failed', !signal.aborted, error);
  }
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => {});
    throw new JwksFetchError(`JWKS endpoint answered ${response.status}`, response.status >= 500);
  }
  let text: string;
  try {
    text = await readCappedText(response, settings.maxBytes);
  } catch (error) {
    if (error instanceof JwksFetchError) throw error;
    throw new JwksFetchError('JWKS body could not be read', false, error);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new JwksFetchError('JWKS body is not JSON', false);
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
  const deadline = AbortSignal.timeout(settings.timeoutMs);
  const signal = settings.signal === undefined ? deadline : AbortSignal.any([deadline, settings.signal]);
  try {
    try {
      return await attempt(url, settings, signal);
    } catch (error) {
      if (!(error instanceof JwksFetchError) || !error.retryable || signal.aborted) throw error;
      return await attempt(url, settings, signal);
    }
  } catch (error) {
    if (deadline.aborted)
      throw new JwksFetchError(`JWKS fetch timed out after ${settings.timeoutMs} ms`, false, error);
    if (error instanceof JwksFetchError) throw error;
    throw new JwksFetchError('JWKS fetch failed', false, error);
  }
}
