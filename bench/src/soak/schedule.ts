/**
 * The JWKS endpoint's schedule during the soak, and the most fetches a verifier may make under it.
 *
 * The run opens with an outage before any key was fetched (the only time a 503 `jwks_unavailable`
 * is legitimate), then repeats a 60-second cycle: healthy, a key rotated in (tokens signed with it go
 * out at once), connection refused, healthy, slow beyond the fetch timeout, 5xx, 429 with
 * Retry-After, the rotated key removed again (its tokens keep coming), healthy. Tokens naming random
 * kids are sent from the rotation through the 429 phase, to check that they cannot make the verifier
 * hammer an endpoint, failing or not.
 */
import type { MixFlags } from './mix.js';

/** The verifier's JWKS settings for the soak: short, so refreshes and cooldowns happen many times. */
export const JWKS_SETTINGS = {
  ttlSeconds: 10,
  cooldownSeconds: 5,
  timeoutMs: 1000,
} as const;

/** How long the slow phase holds the response headers: twice the fetch timeout. */
export const SLOW_DELAY_MS = 2 * JWKS_SETTINGS.timeoutMs;
/** The 429 phase's Retry-After, longer than the cooldown so that it is what spaces the retries. */
export const RETRY_AFTER_SECONDS = 8;

export type PhaseName = 'cold-outage' | 'healthy' | 'rotate' | 'down' | 'slow' | '5xx' | '429' | 'remove';

/** What the endpoint does during a phase. */
export type EndpointState =
  | { readonly type: 'ok' }
  | { readonly type: 'down' }
  | { readonly type: 'slow'; readonly delayMs: number }
  | { readonly type: 'status'; readonly status: number; readonly retryAfterSeconds?: number };

export interface Phase {
  readonly name: PhaseName;
  /** Seconds from the start of the run. */
  readonly start: number;
  readonly end: number;
  /** Cycle number (0 for the opening outage and the first cycle). */
  readonly cycle: number;
  readonly endpoint: EndpointState;
  /** A key change made when the phase starts: publish or unpublish the cycle's rotated key. */
  readonly keys?: 'publish' | 'remove';
  readonly flags: MixFlags;
}

const COLD_OUTAGE_SECONDS = 5;
const STATUSES = [503, 500, 502] as const;

interface CycleStep {
  readonly name: PhaseName;
  readonly seconds: number;
}

/** One cycle of 60 seconds. */
const CYCLE: readonly CycleStep[] = [
  { name: 'healthy', seconds: 8 },
  { name: 'rotate', seconds: 8 },
  { name: 'down', seconds: 6 },
  { name: 'healthy', seconds: 6 },
  { name: 'slow', seconds: 6 },
  { name: '5xx', seconds: 6 },
  { name: '429', seconds: 6 },
  { name: 'remove', seconds: 8 },
  { name: 'healthy', seconds: 6 },
];

const PROBING: ReadonlySet<PhaseName> = new Set(['rotate', 'down', 'slow', '5xx', '429']);

function endpointOf(name: PhaseName, cycle: number): EndpointState {
  switch (name) {
    case 'cold-outage':
    case 'down':
      return { type: 'down' };
    case 'slow':
      return { type: 'slow', delayMs: SLOW_DELAY_MS };
    case '5xx':
      return { type: 'status', status: STATUSES[cycle % STATUSES.length]! };
    case '429':
      return { type: 'status', status: 429, retryAfterSeconds: RETRY_AFTER_SECONDS };
    default:
      return { type: 'ok' };
  }
}

/**
 * The phases of a run of `seconds`, the last one cut at the end.
 *
 * @example
 * buildSchedule(180).map((p) => `${p.start}s ${p.name}`) // ['0s cold-outage', '5s healthy', '13s rotate', …]
 */
export function buildSchedule(seconds: number): Phase[] {
  const phases: Phase[] = [];
  const add = (name: PhaseName, start: number, length: number, cycle: number, rotatedKey?: number) => {
    const end = Math.min(seconds, start + length);
    if (end <= start) return;
    phases.push({
      name,
      start,
      end,
      cycle,
      endpoint: endpointOf(name, cycle),
      ...(name === 'rotate'
        ? { keys: 'publish' as const }
        : name === 'remove'
          ? { keys: 'remove' as const }
          : {}),
      flags: { rotatedKey, randomKids: PROBING.has(name) },
    });
  };
  add('cold-outage', 0, COLD_OUTAGE_SECONDS, 0);
  let start = COLD_OUTAGE_SECONDS;
  for (let cycle = 0; start < seconds; cycle++) {
    let rotated: number | undefined;
    for (const step of CYCLE) {
      if (step.name === 'rotate') rotated = cycle;
      add(step.name, start, step.seconds, cycle, rotated);
      start += step.seconds;
    }
  }
  return phases;
}

/** When each cycle starts, in seconds. */
export function cycleStarts(schedule: readonly Phase[]): number[] {
  return [...new Set(schedule.filter((p) => p.name !== 'cold-outage').map((p) => p.cycle))].map(
    (cycle) => schedule.find((p) => p.cycle === cycle && p.name !== 'cold-outage')!.start,
  );
}

/**
 * The schedule in one line.
 *
 * @example
 * describeSchedule() // 'a 5 s outage before any key is loaded, then 60 s cycles: healthy 8 s → …'
 */
export function describeSchedule(): string {
  const total = CYCLE.reduce((a, step) => a + step.seconds, 0);
  const steps = CYCLE.map((step) => {
    const what =
      step.name === '5xx'
        ? `${STATUSES.join('/')} (by cycle)`
        : step.name === '429'
          ? `429 with Retry-After: ${RETRY_AFTER_SECONDS}`
          : step.name === 'slow'
            ? `slow (headers after ${SLOW_DELAY_MS} ms)`
            : step.name === 'down'
              ? 'connection refused'
              : step.name === 'rotate'
                ? 'new key published'
                : step.name === 'remove'
                  ? 'that key removed'
                  : step.name;
    return `${what} ${step.seconds} s`;
  });
  return `a ${COLD_OUTAGE_SECONDS} s outage before any key is loaded, then ${total} s cycles: ${steps.join(' → ')}`;
}

/** Number of cycles that reach their rotation (one rotated key, and its tokens, per cycle). */
export function rotationCount(schedule: readonly Phase[]): number {
  return schedule.filter((p) => p.keys === 'publish').length;
}

/** The most fetch attempts a verifier may start during one phase, and the HTTP requests they make. */
export interface PhaseBound {
  readonly attempts: number;
  readonly requests: number;
}

/**
 * The bound of one phase of `length` seconds (the phase's actual length, as run):
 * - failing endpoint: every attempt fails, and after a failure the cache leaves the endpoint alone for
 *   max(cooldown, Retry-After), so at most ⌊length / spacing⌋ + 1 attempts;
 * - healthy endpoint: fetches for unknown kids are at most one per cooldown (⌊length / cooldown⌋ + 1)
 *   and TTL refreshes at most one per TTL after a success (⌊length / ttl⌋ + 1).
 * An attempt retries once within its deadline on a network error or a 5xx: two requests for a 5xx,
 * none reach the server while it refuses connections, one otherwise.
 *
 * @example
 * phaseBound({ type: 'status', status: 503 }, 6) // { attempts: 2, requests: 4 }
 */
export function phaseBound(endpoint: EndpointState, length: number): PhaseBound {
  const { cooldownSeconds: cooldown, ttlSeconds: ttl } = JWKS_SETTINGS;
  if (endpoint.type === 'ok') {
    const attempts = Math.floor(length / cooldown) + 1 + Math.floor(length / ttl) + 1;
    return { attempts, requests: attempts };
  }
  const spacing = Math.max(cooldown, endpoint.type === 'status' ? (endpoint.retryAfterSeconds ?? 0) : 0);
  const attempts = Math.floor(length / spacing) + 1;
  const perAttempt =
    endpoint.type === 'down' ? 0 : endpoint.type === 'status' && endpoint.status >= 500 ? 2 : 1;
  return { attempts, requests: attempts * perAttempt };
}
