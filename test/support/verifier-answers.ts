/**
 * What a `{ verifier }` wrapper might answer instead of a verified token. Every adapter must fail
 * closed on each of them; the suites of Express and Fastify share the list.
 */
export const NOT_VERIFIED_ANSWERS: ReadonlyArray<[string, (result: unknown) => unknown]> = [
  ['a look-alike object', () => ({ sub: 'x', groups: ['admin'], scopes: [] })],
  ['true', () => true],
  ['a copy of a real result', (result) => ({ ...(result as object) })],
  ['a promise of a look-alike', () => Promise.resolve({ sub: 'x', groups: [] })],
  ['a thenable of undefined', () => ({ then: (ok: (v: unknown) => void) => ok(undefined) })],
];
