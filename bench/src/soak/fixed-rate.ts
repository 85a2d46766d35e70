/**
 * Open-loop load at a fixed rate: requests start on the clock, whether or not earlier ones have
 * answered, as independent clients would send them. A target that slows down (a JWKS fetch in the
 * way) sees requests pile up rather than the load easing off, up to a cap past which a request is
 * shed (counted, not sent) so the load generator itself never grows without bound.
 */

const TICK_MS = 5;
const MAX_SHED_TIMES = 100_000;

export interface FixedRate {
  /** Requests not sent because `maxInFlight` were pending. */
  readonly shed: number;
  /** When they were shed (epoch ms; the first 100,000). */
  readonly shedAt: readonly number[];
  /** Stop starting requests and wait for those in flight. */
  stop(): Promise<void>;
}

/**
 * Call `fire` `rate` times per second, spread evenly over each second.
 *
 * @example
 * const load = startFixedRate(500, 256, () => fetch(url).then((r) => r.arrayBuffer()));
 * await load.stop();
 */
export function startFixedRate(rate: number, maxInFlight: number, fire: () => Promise<unknown>): FixedRate {
  let inFlight = 0;
  let shed = 0;
  const shedAt: number[] = [];
  let owed = 0;
  let last = performance.now();
  let idle: (() => void) | undefined;
  const settle = () => {
    inFlight -= 1;
    if (inFlight === 0) idle?.();
  };
  // Owed requests follow the clock, so a late tick catches up instead of lowering the rate.
  const timer = setInterval(() => {
    const now = performance.now();
    owed += (rate * (now - last)) / 1000;
    last = now;
    while (owed >= 1) {
      owed -= 1;
      if (inFlight >= maxInFlight) {
        shed += 1;
        if (shedAt.length < MAX_SHED_TIMES) shedAt.push(Date.now());
        continue;
      }
      inFlight += 1;
      fire().then(settle, settle);
    }
  }, TICK_MS);
  return {
    get shed() {
      return shed;
    },
    shedAt,
    async stop() {
      clearInterval(timer);
      if (inFlight > 0) await new Promise<void>((resolve) => (idle = resolve));
    },
  };
}
