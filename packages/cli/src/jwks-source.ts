/**
 * Where `verify` gets its keys: a JWKS file (offline), an explicit URL (local emulators), or the
 * pool's own endpoint. Fetching and key handling stay in the core verifier; this module only sets
 * it up, and remembers which kids a downloaded JWKS held so an `unknown_key` rejection can list them,
 * and why a download failed (the verifier's `jwks_fetch_failure` event) so a `jwks_unavailable` one
 * can say it.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  type JwksEvent,
  type JwksFailureCause,
  type JwksFetchFunction,
  type JwksOptions,
  readCappedText,
} from '@cognito-gate/core';
import { UsageError } from './args.js';
import type { CliIo } from './io.js';

export interface JwksSource {
  /** The `jwks` option for `createVerifier`. */
  readonly options: JwksOptions;
  /** The file or URL the token's keys come from; `issuerJwksUri` is the JWKS URL of its issuer. */
  describe(issuerJwksUri: string): string;
  /**
   * The kids that source held, when known. Ask only after the verifier finished reading the JWKS
   * (for an `unknown_key` rejection it has), or the answer may wait on a download.
   */
  kids(issuerJwksUri: string): Promise<readonly string[] | undefined>;
  /** The verifier's `onEvent`: remembers why downloads failed. */
  readonly onEvent?: (event: JwksEvent) => void;
  /** Why the last download of the token's keys failed (network or TLS code, status…), if one did. */
  failure(issuerJwksUri: string): JwksFailureCause | undefined;
}

/** Same cap as the verifier's default: the copy is never allowed to buffer more than the original. */
const MAX_JWKS_BYTES = 512 * 1024;

async function kidsFromBody(response: Response): Promise<string[] | undefined> {
  try {
    return kidsOf(JSON.parse(await readCappedText(response, MAX_JWKS_BYTES)));
  } catch {
    // Only used to explain a rejection: an unreadable copy just means no kid list.
    return undefined;
  }
}

function kidsOf(document: unknown): string[] | undefined {
  const keys = Array.isArray(document) ? document : (document as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) return undefined;
  return keys
    .map((key: unknown) => (key as { kid?: unknown } | null)?.kid)
    .filter((kid): kid is string => typeof kid === 'string');
}

/**
 * Read a JWKS file: a JWKS document, or any JSON object with a `jwks` member (what
 * `cognito-gate mint --json` prints).
 *
 * @example
 * const source = fileSource('jwks.json', io);
 * createVerifier({ userPoolId, clientId, jwks: source.options });
 */
export function fileSource(path: string, io: CliIo): JwksSource {
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(resolve(io.cwd ?? process.cwd(), path), 'utf8'));
  } catch (error) {
    const reason = error instanceof SyntaxError ? 'it is not JSON' : (error as Error).message;
    throw new UsageError(`cannot read the JWKS file ${path}: ${reason}`, 'verify');
  }
  const wrapped = (document as { jwks?: unknown } | null)?.jwks;
  if (wrapped !== undefined && !Array.isArray(document)) document = wrapped;
  const kids = kidsOf(document);
  if (kids === undefined) throw new UsageError(`the JWKS file ${path} has no keys array`, 'verify');
  return {
    options: { keys: document, fetch: false },
    describe: () => path,
    kids: async () => kids,
    failure: () => undefined,
  };
}

/**
 * Keys downloaded by the core verifier, from `uri` (when given) or from each pool's endpoint. The
 * fetch is wrapped only to read a copy of the JWKS it returns: the verifier parses and judges the
 * original. Its `onEvent` remembers why a download failed, for the explanation.
 *
 * @example
 * const source = remoteSource(undefined, io); // the pool's own https://cognito-idp… endpoint
 */
export function remoteSource(uri: string | undefined, io: CliIo): JwksSource {
  const base: JwksFetchFunction = io.fetch ?? ((url, init) => globalThis.fetch(url, init));
  const seen = new Map<string, Promise<string[] | undefined>>();
  const failures = new Map<string, JwksFailureCause>();
  const recording: JwksFetchFunction = async (url, init) => {
    const response = await base(url, init);
    if (response.status === 200 && response.body !== null) {
      seen.set(
        url,
        kidsFromBody(response.clone()).catch(() => undefined),
      );
    }
    return response;
  };
  return {
    options: uri === undefined ? { fetch: recording } : { uri, fetch: recording },
    describe: (issuerJwksUri) => uri ?? issuerJwksUri,
    kids: async (issuerJwksUri) => seen.get(uri ?? issuerJwksUri),
    onEvent: (event) => {
      if (event.type === 'jwks_fetch_failure') failures.set(event.uri, event.cause);
      else if (event.type === 'jwks_fetch_success') failures.delete(event.uri);
    },
    failure: (issuerJwksUri) => failures.get(uri ?? issuerJwksUri),
  };
}
