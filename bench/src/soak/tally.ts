/**
 * Request outcomes counted per kind of request. An outcome is an HTTP status with our error code
 * (`401 expired`), or a Lambda authorizer decision (`Allow`, `Deny`, `Unauthorized`, `unavailable`).
 * A `jwks_unavailable` answer is split in two: before the target ever loaded a key set, it is the
 * expected answer to an outage at a cold start; once keys were loaded it must never happen.
 */
import type { Kind } from './mix.js';

/** `outcome → count` for each kind. */
export type TallyData = Record<string, Record<string, number>>;

/** Suffix of a `jwks_unavailable` outcome: was it expected (no keys loaded yet) or not. */
export const NO_KEYS_YET = '(no keys yet)';
export const KEYS_LOADED = '(keys were loaded!)';

export class Tally {
  readonly #counts = new Map<Kind, Map<string, number>>();
  /** Per cycle, when a token of that cycle's rotated key was last accepted (epoch ms). */
  readonly rotatedLastAccepted: Record<number, number> = {};

  /** A token of `cycle`'s rotated key passed verification (allowed, or verified then forbidden). */
  acceptedRotated(cycle: number): void {
    this.rotatedLastAccepted[cycle] = Date.now();
  }

  add(kind: Kind, outcome: string): void {
    let byOutcome = this.#counts.get(kind);
    if (byOutcome === undefined) {
      byOutcome = new Map();
      this.#counts.set(kind, byOutcome);
    }
    byOutcome.set(outcome, (byOutcome.get(outcome) ?? 0) + 1);
  }

  get total(): number {
    let sum = 0;
    for (const byOutcome of this.#counts.values()) for (const n of byOutcome.values()) sum += n;
    return sum;
  }

  toJSON(): TallyData {
    const data: TallyData = {};
    for (const [kind, byOutcome] of this.#counts) data[kind] = Object.fromEntries(byOutcome);
    return data;
  }
}

/** Totals per outcome over every kind. */
export function byOutcome(data: TallyData): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const outcomes of Object.values(data)) {
    for (const [outcome, n] of Object.entries(outcomes)) totals[outcome] = (totals[outcome] ?? 0) + n;
  }
  return totals;
}

/**
 * Is this outcome a server fault (any 5xx, a Lambda error) rather than a verdict? Expected outages
 * (`jwks_unavailable` before any key set was loaded) are reported apart, as `expected`.
 *
 * @example
 * faultOf('503 jwks_unavailable (no keys yet)') // 'expected'
 * faultOf('500') // 'unexpected'
 */
export function faultOf(outcome: string): 'expected' | 'unexpected' | undefined {
  if (outcome.endsWith(NO_KEYS_YET)) return 'expected';
  if (/^5\d\d/.test(outcome) || outcome.startsWith('error') || outcome.endsWith(KEYS_LOADED)) {
    return 'unexpected';
  }
  return undefined;
}
