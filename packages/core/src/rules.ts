/**
 * Authorization rules applied after verification: groups, scopes, claim predicates and a per-route
 * token_use. Rules are compiled once (adapters do it when a route is declared) into plain checks, and
 * run on every request, cached verification or not.
 */
import { AuthError } from './errors.js';
import { deepFreeze } from './immutable.js';
import { fail } from './options.js';
import type { TokenUse, VerifiedToken } from './types.js';

/** A string or array means "all of these"; `anyOf` / `allOf` say it explicitly. */
export type Requirement =
  | string
  | readonly string[]
  | { readonly anyOf: readonly string[] }
  | { readonly allOf: readonly string[] };

/** An exact value (compared with Object.is) or a predicate over the claim value. */
export type ClaimRule =
  | string
  | number
  | boolean
  | null
  | ((value: unknown, token: VerifiedToken) => boolean);

export interface AuthRules {
  readonly groups?: Requirement;
  readonly scopes?: Requirement;
  readonly claims?: Readonly<Record<string, ClaimRule>>;
  readonly tokenUse?: TokenUse | 'any';
}

interface CompiledRequirement {
  readonly any: boolean;
  readonly values: readonly string[];
}

declare const compiledBrand: unique symbol;

/** Rules checked and frozen by `compileRules`. */
export interface CompiledRules {
  readonly [compiledBrand]: true;
  readonly groups: CompiledRequirement | undefined;
  readonly scopes: CompiledRequirement | undefined;
  readonly claims: ReadonlyArray<readonly [string, ClaimRule]>;
  readonly tokenUse: TokenUse | undefined;
}

const RULE_KEYS = new Set(['groups', 'scopes', 'claims', 'tokenUse']);
// One registry per process, whichever copy of this module compiled the rules: an application that
// mixes `import` and `require` loads the ESM and the CommonJS build, and rules compiled by one must
// be recognised by a verifier of the other. The key names the compiled shape's version.
interface Registry {
  readonly compiled: WeakSet<object>;
  readonly byRules: WeakMap<object, CompiledRules>;
}
const REGISTRY = Symbol.for('@cognito-gate/core.compiled-rules.v1');
const shared = globalThis as { [REGISTRY]?: Registry };
shared[REGISTRY] ??= Object.freeze({ compiled: new WeakSet<object>(), byRules: new WeakMap() });
const { compiled: compiledSet, byRules: compiledFor } = shared[REGISTRY];

function requirement(value: Requirement | undefined, name: string): CompiledRequirement | undefined {
  if (value === undefined) return undefined;
  let any = false;
  let values: unknown = value;
  if (typeof value === 'string') values = [value];
  else if (!Array.isArray(value) && typeof value === 'object' && value !== null) {
    const keys = Object.keys(value);
    if (keys.length !== 1 || (keys[0] !== 'anyOf' && keys[0] !== 'allOf'))
      fail(`${name} must use anyOf or allOf`);
    any = keys[0] === 'anyOf';
    values = any ? (value as { anyOf: unknown }).anyOf : (value as { allOf: unknown }).allOf;
  }
  if (
    !Array.isArray(values) ||
    values.length === 0 ||
    values.some((v) => typeof v !== 'string' || v.length === 0)
  ) {
    fail(`${name} must list at least one non-empty string`);
  }
  return Object.freeze({ any, values: Object.freeze([...(values as string[])]) });
}

/**
 * Validate rules once; pass the result to `verify` on every request. The rules object is deeply
 * frozen in the process (a compiled form never drifts from its source): build a new object to
 * change a route's rules.
 *
 * @example
 * const adminsOnly = compileRules({ groups: 'admin', scopes: { anyOf: ['orders/read', 'orders/admin'] } });
 * await verifier.verify(token, adminsOnly);
 */
export function compileRules(rules: AuthRules | CompiledRules): CompiledRules {
  if (compiledSet.has(rules)) return rules as CompiledRules;
  const known = compiledFor.get(rules);
  if (known !== undefined) return known;
  if (typeof rules !== 'object' || rules === null) fail('rules must be an object');
  const raw = rules as AuthRules;
  const unknown = Object.keys(raw).filter((key) => !RULE_KEYS.has(key));
  if (unknown.length > 0) fail(`unknown rule ${unknown.join(', ')}`);
  if (raw.tokenUse !== undefined && !['id', 'access', 'any'].includes(raw.tokenUse)) {
    fail(`rule tokenUse must be 'access', 'id' or 'any'`);
  }
  const claims = Object.entries(raw.claims ?? {});
  for (const [name, rule] of claims) {
    const kind = typeof rule;
    if (
      rule !== null &&
      kind !== 'string' &&
      kind !== 'number' &&
      kind !== 'boolean' &&
      kind !== 'function'
    ) {
      fail(`claim rule for ${name} must be a primitive value or a predicate`);
    }
  }
  const compiled = Object.freeze({
    groups: requirement(raw.groups, 'groups'),
    scopes: requirement(raw.scopes, 'scopes'),
    claims: Object.freeze(claims),
    tokenUse: raw.tokenUse === 'any' ? undefined : raw.tokenUse,
  }) as unknown as CompiledRules;
  compiledSet.add(compiled);
  // The compiled form is remembered per object, so the object itself is frozen: a later edit
  // throws (ESM is strict mode) instead of being silently ignored for every request after it.
  compiledFor.set(deepFreeze(rules), compiled);
  return compiled;
}

function satisfied(requirement: CompiledRequirement, held: readonly string[]): boolean {
  return requirement.any
    ? requirement.values.some((value) => held.includes(value))
    : requirement.values.every((value) => held.includes(value));
}

function claimHolds(rule: ClaimRule, value: unknown, token: VerifiedToken): boolean {
  if (typeof rule !== 'function') return Object.is(value, rule);
  try {
    return rule(value, token) === true;
  } catch {
    // A predicate that throws denies access; it must never become a 500.
    return false;
  }
}

/** Throws the matching 401/403 AuthError when `token` does not satisfy `rules`. */
export function checkRules(token: VerifiedToken, rules: CompiledRules): void {
  if (rules.tokenUse !== undefined && token.tokenUse !== rules.tokenUse) {
    throw new AuthError('invalid_token_use', { detail: `token_use is ${token.tokenUse}` });
  }
  if (rules.groups !== undefined && !satisfied(rules.groups, token.groups)) {
    throw new AuthError('insufficient_group', { detail: 'required group missing' });
  }
  if (rules.scopes !== undefined && !satisfied(rules.scopes, token.scopes)) {
    throw new AuthError('insufficient_scope', {
      detail: 'required scope missing',
      requiredScopes: rules.scopes.values,
    });
  }
  const claims = token.claims as Record<string, unknown>;
  for (const [name, rule] of rules.claims) {
    const value = Object.hasOwn(claims, name) ? claims[name] : undefined;
    if (!claimHolds(rule, value, token))
      throw new AuthError('forbidden', { detail: `claim rule on ${name} failed` });
  }
}
