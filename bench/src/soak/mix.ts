/**
 * The soak's traffic mix, shared by the HTTP load (driver process) and the in-process Lambda loop
 * (target process): which kinds of request exist, how often each is drawn, and a seeded generator so
 * the sequence of kinds is replayable. A kind that the current phase does not send (a rotated key not
 * yet published, random kids outside the probing phases) is drawn as a valid token instead.
 */

/** What a request carries. */
export type Kind =
  | 'valid'
  | 'rotated'
  | 'expired'
  | 'forged-key'
  | 'tampered'
  | 'random-kid'
  | 'oversized'
  | 'missing';

export const KINDS: readonly Kind[] = [
  'valid',
  'rotated',
  'expired',
  'forged-key',
  'tampered',
  'random-kid',
  'oversized',
  'missing',
];

/** Share of each kind in the draw (sums to 1). */
export const WEIGHTS: Readonly<Record<Kind, number>> = {
  valid: 0.68,
  rotated: 0.08,
  expired: 0.05,
  'forged-key': 0.03,
  tampered: 0.03,
  'random-kid': 0.05,
  oversized: 0.02,
  missing: 0.06,
};

/** The routes drawn for each request: HTTP path, and the Lambda route (API Gateway resource). */
export const ROUTES: readonly { readonly weight: number; readonly path: string; readonly lambda: string }[] =
  [
    { weight: 0.7, path: '/me', lambda: 'GET/me' },
    { weight: 0.2, path: '/orders', lambda: 'GET/orders' },
    { weight: 0.1, path: '/products', lambda: 'GET/me' },
  ];

/** Which optional kinds the phase in force sends. */
export interface MixFlags {
  /** A rotated-in key's tokens are in circulation (from its rotation until the end of its cycle). */
  readonly rotatedKey: number | undefined;
  /** Tokens naming random, unpublished kids are sent (they make the verifier want a refetch). */
  readonly randomKids: boolean;
}

/** The token pools, minted once by the driver and sent to the target. */
export interface TokenPools {
  readonly valid: readonly string[];
  /** `rotated[c]`: tokens signed by the key rotated in during cycle `c`. */
  readonly rotated: readonly (readonly string[])[];
  readonly expired: readonly string[];
  readonly 'forged-key': readonly string[];
  readonly tampered: readonly string[];
  readonly 'random-kid': readonly string[];
  readonly oversized: readonly string[];
}

/**
 * mulberry32: a tiny seeded PRNG, good enough to pick request kinds reproducibly.
 *
 * @example
 * const next = seededRandom(42); next(); // 0.6011…, the same on every run
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One request of the mix: its kind, its route, and the token (undefined: no header). */
export interface Draw {
  readonly kind: Kind;
  readonly route: (typeof ROUTES)[number];
  readonly token: string | undefined;
  /** For a `rotated` token: the cycle whose key signed it. */
  readonly cycle?: number;
}

const pick = <T>(list: readonly T[], random: () => number): T => list[Math.floor(random() * list.length)]!;

/**
 * Draw the next request.
 *
 * @example
 * const random = seededRandom(1);
 * const { kind, route, token } = draw(random, pools, { rotatedKey: undefined, randomKids: false });
 */
export function draw(random: () => number, pools: TokenPools, flags: MixFlags): Draw {
  let r = random();
  let kind: Kind = 'valid';
  for (const k of KINDS) {
    r -= WEIGHTS[k];
    if (r < 0) {
      kind = k;
      break;
    }
  }
  if (kind === 'rotated' && flags.rotatedKey === undefined) kind = 'valid';
  if (kind === 'random-kid' && !flags.randomKids) kind = 'valid';
  let routeDraw = random();
  let route = ROUTES[0]!;
  for (const candidate of ROUTES) {
    routeDraw -= candidate.weight;
    if (routeDraw < 0) {
      route = candidate;
      break;
    }
  }
  const token =
    kind === 'missing'
      ? undefined
      : kind === 'rotated'
        ? pick(pools.rotated[flags.rotatedKey!]!, random)
        : pick(pools[kind], random);
  return kind === 'rotated' ? { kind, route, token, cycle: flags.rotatedKey! } : { kind, route, token };
}
