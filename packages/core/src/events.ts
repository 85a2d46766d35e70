/**
 * Operational events of the JWKS cache, for logs and metrics. Delivered synchronously to the
 * `onEvent` hook; a hook that throws is ignored so observability can never break verification.
 * Failures carry their cause (network or TLS code, HTTP status, limit hit): events are for
 * operators, and nothing in them reaches a client.
 */
import type { JwksFailureCause } from './jwks-failure.js';

/** Why a fetch started. */
export type JwksFetchReason = 'cold' | 'refresh' | 'kid_miss' | 'hydrate';

export type JwksEvent =
  | { readonly type: 'jwks_fetch_start'; readonly uri: string; readonly reason: JwksFetchReason }
  | {
      readonly type: 'jwks_fetch_success';
      readonly uri: string;
      readonly reason: JwksFetchReason;
      readonly durationMs: number;
      readonly keys: number;
      readonly rejectedKeys: number;
    }
  | {
      readonly type: 'jwks_fetch_failure';
      readonly uri: string;
      readonly reason: JwksFetchReason;
      readonly durationMs: number;
      /** One line with the cause, e.g. `JWKS request failed: connect ECONNREFUSED 10.0.0.5:443`. */
      readonly error: string;
      /** The cause as data: `kind`, and the network/TLS `code` or HTTP `status` when there is one. */
      readonly cause: JwksFailureCause;
    }
  | { readonly type: 'jwks_stale'; readonly uri: string; readonly ageSeconds: number }
  | { readonly type: 'jwks_kid_miss'; readonly uri: string; readonly fetched: boolean }
  | { readonly type: 'jwks_keys_removed'; readonly uri: string; readonly kids: readonly string[] };

export type JwksEventType = JwksEvent['type'];

/** Wrap a user hook so it can never throw into the verification path. */
export function safeEmitter(hook: ((event: JwksEvent) => void) | undefined): (event: JwksEvent) => void {
  if (hook === undefined) return () => {};
  return (event) => {
    try {
      hook(event);
    } catch {
      // Observability must not change the outcome of a verification.
    }
  };
}
