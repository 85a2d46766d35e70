/**
 * Authorization rules applied after verification: groups, scopes, claim predicates, a per-route
 * token_use, and step-up requirements on the sign-in itself (RFC 9470: `acr`, `amr`, its age).
 * Rules are compiled once (adapters do it when a route is declared) into plain checks, and run on
 * every request, cached verification or not.
 */
import { AuthError } from './errors.js';
import { deepFreeze } from './immutable.js';
import { fail } from './options.js';
import type { TokenUse, VerifiedToken } from './types.js';
import { clockOf } from './verified-token.js';

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
  /**
   * Step-up: the authentication context classes accepted; the token's `acr` must equal one of them
   * (a list means any one: a token has a single `acr`). Sent back as `acr_values` on failure.
   */
  readonly acr?: string | readonly string[];
  /** Step-up: the authentication methods (`amr`) required, with the semantics of `groups`. */
  readonly amr?: Requirement;
  /**
   * Step-up: the largest accepted age of the sign-in, in whole seconds: the verifier's clock minus
   * `auth_time` (no clock tolerance). A token without `auth_time` fails. Sent back as `max_age`.
   */
  readonly maxAge?: number;
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
  readonly acr: readonly string[] | undefined;
  readonly amr: CompiledRequirement | undefined;
  readonly maxAge: number | undefined;
}

const RULE_KEYS = new Set(['groups', 'scopes', 'claims', 'tokenUse', 'acr', 'amr', 'maxAge']);
// One registry per process, whichever copy of this module compiled the rules: an application that
// mixes `import` and `require` loads the ESM and the CommonJS build, and rules compiled by one must
// be recognised by a verifier of the other. The key names the compiled shape's version.
interface Registry {
  readonly compiled: WeakSet<object>;
  readonly byRules: WeakMap<object, CompiledRules>;
}
// v2 added the step-up rules: a copy that knows only v1 must not take v2 rules for its own (it
// would skip them), so it refuses them as unknown rules instead.
const REGISTRY = Symbol.for('@cognito-gate/core.compiled-rules.v2');
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

// acr values are echoed in `acr_values`, a space-separated list in a quoted-string.
const ACR_VALUE = /^[\u0021-\u007e]+$/;

function acrValues(value: unknown): readonly string[] | undefined {
  if (value === undefined) return undefined;
  const values = typeof value === 'string' ? [value] : value;
  if (
    !Array.isArray(values) ||
    values.length === 0 ||
    values.some((v) => typeof v !== 'string' || !ACR_VALUE.test(v))
  ) {
    fail('acr must be a string or a list of strings, each printable ASCII without spaces');
  }
  return Object.freeze([...(values as string[])]);
}

function maxAgeOf(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    fail('maxAge must be a whole number of seconds >= 0');
  }
  return value;
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
    acr: acrValues(raw.acr),
    amr: requirement(raw.amr, 'amr'),
    maxAge: maxAgeOf(raw.maxAge),
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

function claimOf(claims: Record<string, unknown>, name: string): unknown {
  return Object.hasOwn(claims, name) ? claims[name] : undefined;
}

/** Why the sign-in behind `token` falls short of the step-up rules, or `undefined` when it does not. */
function stepUpShortfall(token: VerifiedToken, rules: CompiledRules): string | undefined {
  const claims = token.claims as Record<string, unknown>;
  if (rules.acr !== undefined) {
    const acr = claimOf(claims, 'acr');
    if (acr === undefined) return 'acr is missing';
    if (typeof acr !== 'string') throw new AuthError('invalid_claims', { detail: 'acr is not a string' });
    if (!rules.acr.includes(acr)) return 'acr not accepted';
  }
  if (rules.amr !== undefined) {
    const amr = claimOf(claims, 'amr');
    if (amr === undefined) return 'amr is missing';
    if (!Array.isArray(amr) || amr.some((method) => typeof method !== 'string')) {
      throw new AuthError('invalid_claims', { detail: 'amr is not a list of strings' });
    }
    if (!satisfied(rules.amr, amr as string[])) return 'required amr missing';
  }
  if (rules.maxAge !== undefined) {
    const authTime = claimOf(claims, 'auth_time');
    if (authTime === undefined) return 'auth_time is missing';
    if (typeof authTime !== 'number' || !Number.isFinite(authTime)) {
      throw new AuthError('invalid_claims', { detail: 'auth_time is not a number' });
    }
    // Read only when a rule needs it: most routes never pay for the clock.
    if (clockOf(token)() / 1000 - authTime > rules.maxAge) return 'authentication is older than maxAge';
  }
  return undefined;
}

/**
 * Throws the matching 401/403 AuthError when `token` does not satisfy `rules`. Step-up rules are
 * checked last: a token that lacks a group or scope gets the 403, since signing in again would not
 * help it.
 */
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
  if (rules.acr === undefined && rules.amr === undefined && rules.maxAge === undefined) return;
  const shortfall = stepUpShortfall(token, rules);
  if (shortfall !== undefined) {
    // Every requirement goes back, not only the one that failed: one new sign-in then meets them all.
    throw new AuthError('insufficient_user_authentication', {
      detail: shortfall,
      acrValues: rules.acr,
      maxAge: rules.maxAge,
    });
  }
}
