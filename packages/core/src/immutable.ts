/**
 * Deep immutability for what the library shares between requests: verified tokens (held by the
 * verified-token cache and handed to every request presenting the same token) and compiled rules.
 * A shallow freeze would leave nested claims, arrays inside them and the `expiresAt` Date writable,
 * so one request could change what the next one sees.
 */

/**
 * Freeze `value` and everything reachable from it through own properties (functions excepted: a
 * claim predicate in a rules object stays callable). Iterative, so a hostile 16 KB payload nested
 * thousands of levels deep cannot overflow the stack. Already-frozen objects are still walked (a
 * shallow freeze says nothing about their children); `seen` guards against cycles in hand-built
 * objects such as rules.
 *
 * @example
 * const rules = deepFreeze({ groups: ['admin'] });
 */
export function deepFreeze<T>(value: T): T {
  const pending: unknown[] = [value];
  const seen = new Set<object>();
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next !== 'object' || next === null || seen.has(next)) continue;
    seen.add(next);
    Object.freeze(next);
    for (const key of Object.keys(next)) pending.push((next as Record<string, unknown>)[key]);
  }
  return value;
}

/**
 * `deepFreeze` for a fresh `JSON.parse` result, on every uncached verification: JSON has no cycles
 * and no accessors, so no `seen` set and no key arrays are needed.
 *
 * @example
 * const claims = freezeJson(JSON.parse(text));
 */
export function freezeJson<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  const pending: object[] = [value];
  while (pending.length > 0) {
    const next = pending.pop() as Record<string, unknown>;
    Object.freeze(next);
    for (const key in next) {
      const child = next[key];
      if (typeof child === 'object' && child !== null) pending.push(child);
    }
  }
  return value;
}

const SETTERS = [
  'setDate',
  'setFullYear',
  'setHours',
  'setMilliseconds',
  'setMinutes',
  'setMonth',
  'setSeconds',
  'setTime',
  'setUTCDate',
  'setUTCFullYear',
  'setUTCHours',
  'setUTCMilliseconds',
  'setUTCMinutes',
  'setUTCMonth',
  'setUTCSeconds',
  'setYear',
] as const;

/** A Date whose setters throw: Object.freeze cannot protect a Date's internal time value. */
export class ImmutableDate extends Date {}

for (const name of SETTERS) {
  Object.defineProperty(ImmutableDate.prototype, name, {
    value: function refuse(): never {
      throw new TypeError(`Cannot change an immutable Date (${name})`);
    },
  });
}
Object.freeze(ImmutableDate.prototype);
