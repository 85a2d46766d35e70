/**
 * Times as people read them: JWT epoch seconds as ISO 8601 dates without milliseconds, and
 * distances as "3 h 12 min". Absurd values (a hostile `exp: 1e300`) print as such instead of
 * throwing the RangeError a `Date` would.
 */

/** Claims that hold epoch seconds, in the order they are explained. */
export const TIME_CLAIMS = ['exp', 'iat', 'auth_time', 'nbf'] as const;

/**
 * Epoch seconds as `2026-11-26T10:00:00Z` (milliseconds kept only when there are some), or
 * `undefined` when the value is not a representable time.
 *
 * @example
 * isoDate(1795687200) // '2026-11-26T10:00:00Z'
 */
export function isoDate(epochSeconds: unknown): string | undefined {
  if (typeof epochSeconds !== 'number' || !Number.isFinite(epochSeconds)) return undefined;
  const date = new Date(epochSeconds * 1000);
  if (Number.isNaN(date.getTime())) return undefined;
  return date.toISOString().replace('.000Z', 'Z');
}

const UNITS: ReadonlyArray<readonly [string, number]> = [
  ['y', 365 * 86_400],
  ['d', 86_400],
  ['h', 3600],
  ['min', 60],
  ['s', 1],
];

/**
 * A duration in its two largest units: `3 h 12 min`, `2 d 4 h`, `45 s`, `0 s`.
 *
 * @example
 * formatDuration(11_520) // '3 h 12 min'
 */
export function formatDuration(totalSeconds: number): string {
  let rest = Math.floor(Math.abs(totalSeconds));
  const parts: string[] = [];
  for (const [unit, size] of UNITS) {
    if (parts.length === 2) break;
    const count = Math.floor(rest / size);
    // A zero second unit is dropped: "3 h", not "3 h 0 min".
    if (count > 0) parts.push(`${count} ${unit}`);
    else if (parts.length === 1) break;
    rest -= count * size;
  }
  return parts.length === 0 ? '0 s' : parts.join(' ');
}

/**
 * Where an instant lies from now: `in 42 min`, `3 h 12 min ago`, `now`.
 *
 * @example
 * relativeTime(1795687200, Date.parse('2026-11-26T13:12:00Z')) // '3 h 12 min ago'
 */
export function relativeTime(epochSeconds: number, nowMs: number): string {
  const delta = epochSeconds - nowMs / 1000;
  if (Math.abs(delta) < 1) return 'now';
  const distance = formatDuration(delta);
  return delta > 0 ? `in ${distance}` : `${distance} ago`;
}

/** A time claim as shown and as written in `--json` output. */
export interface TimeView {
  readonly value: unknown;
  /** `undefined` when the claim is not a usable number. */
  readonly iso: string | undefined;
  readonly relative: string | undefined;
}

/**
 * One time claim, described against the clock.
 *
 * @example
 * describeTime(1795687200, now) // { value: 1795687200, iso: '2026-11-26T10:00:00Z', relative: 'in 5 min' }
 */
export function describeTime(value: unknown, nowMs: number): TimeView {
  const iso = isoDate(value);
  return {
    value,
    iso,
    relative: iso === undefined ? undefined : relativeTime(value as number, nowMs),
  };
}

/** The sentence about `exp`: when it ends, or when it ended. */
export function expirySentence(exp: unknown, nowMs: number): string {
  const iso = isoDate(exp);
  if (exp === undefined) return 'no exp claim: the token never expires (Cognito always sets exp)';
  if (iso === undefined) return `exp is not a valid time (${JSON.stringify(exp)})`;
  const left = (exp as number) - nowMs / 1000;
  return left > 0
    ? `expires at ${iso}, in ${formatDuration(left)}`
    : `expired at ${iso}, ${formatDuration(left)} ago`;
}
