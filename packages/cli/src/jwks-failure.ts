/**
 * Why the JWKS could not be downloaded, in words a person at a terminal can act on: "connection
 * refused (connect ECONNREFUSED 127.0.0.1:9229); is the server running?" rather than "fetch failed".
 * The cause comes from the core verifier's `jwks_fetch_failure` event; this module only phrases it.
 */
import type { JwksFailureCause } from '@cognito-gate/core';

/** What a network error code means, and what to check (after "; "). */
const NETWORK: Readonly<Record<string, readonly [string, string?]>> = {
  ENOTFOUND: ['the host name does not resolve', 'check the URL'],
  EAI_AGAIN: ['the DNS lookup failed', 'check the network connection and DNS'],
  ECONNREFUSED: ['connection refused', 'is the server running, on that port?'],
  ECONNRESET: ['the connection was reset', 'a proxy or firewall may be cutting it'],
  ETIMEDOUT: ['the connection timed out', 'check the network, firewall or proxy'],
  UND_ERR_CONNECT_TIMEOUT: ['the connection timed out', 'check the network, firewall or proxy'],
  EHOSTUNREACH: ['the host is unreachable', 'check the network connection'],
  ENETUNREACH: ['the network is unreachable', 'check the network connection'],
  UND_ERR_SOCKET: ['the server closed the connection'],
};

const UNTRUSTED = 'behind a TLS-inspecting proxy, give Node its CA with NODE_EXTRA_CA_CERTS';

/** What a TLS error code means, and what to check. */
const TLS: Readonly<Record<string, readonly [string, string?]>> = {
  CERT_HAS_EXPIRED: ["the server's TLS certificate has expired", "or this machine's clock is wrong"],
  CERT_NOT_YET_VALID: ["the server's TLS certificate is not valid yet", "check this machine's clock"],
  DEPTH_ZERO_SELF_SIGNED_CERT: ["the server's TLS certificate is self-signed", UNTRUSTED],
  SELF_SIGNED_CERT_IN_CHAIN: ["the server's TLS certificate chains to an untrusted root", UNTRUSTED],
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: [
    "the server's TLS certificate is signed by an unknown authority",
    UNTRUSTED,
  ],
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: [
    "the server's TLS certificate is signed by an unknown authority",
    UNTRUSTED,
  ],
  ERR_TLS_CERT_ALTNAME_INVALID: ["the server's TLS certificate is for another host name", 'check the URL'],
};

function phrase(table: typeof NETWORK, fallback: string, cause: JwksFailureCause, source: string): string {
  const known = cause.code === undefined ? undefined : table[cause.code];
  const code = cause.code !== undefined && !cause.message.includes(cause.code) ? `${cause.code}: ` : '';
  const what = known?.[0] ?? fallback;
  // A Cognito host that does not resolve is almost always a mistyped region in the pool id.
  const check =
    cause.code === 'ENOTFOUND' && source.includes('cognito-idp.')
      ? 'check the region in the user pool id'
      : known?.[1];
  return `${what} (${code}${cause.message})${check === undefined ? '' : `; ${check}`}`;
}

/**
 * The reason part of "could not load the JWKS from <url>: <reason>", or `undefined` when the
 * core's own one-line text (the error's `detail`) already says it best (status, size, not JSON…).
 *
 * @example
 * explainJwksFailure(
 *   { kind: 'network', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:9229' },
 *   'http://127.0.0.1:9229/jwks.json',
 * )
 * // 'connection refused (connect ECONNREFUSED 127.0.0.1:9229); is the server running, on that port?'
 */
export function explainJwksFailure(cause: JwksFailureCause, source: string): string | undefined {
  switch (cause.kind) {
    case 'network':
      return phrase(NETWORK, 'network error', cause, source);
    case 'tls':
      return phrase(TLS, 'TLS error', cause, source);
    case 'timeout':
      return `no complete answer in time (${cause.message})`;
    case 'aborted':
      return 'the download was cancelled';
    default:
      return undefined;
  }
}
