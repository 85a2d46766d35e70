/**
 * Authorization rules on real verified tokens (arbitrary groups, scopes and claims):
 * - they match a reference written from packages/core/README.md "Rules": a string or array means
 *   all of them, `anyOf` one of them, `allOf` all; a claim rule is an exact value (Object.is) or a
 *   predicate that must return exactly `true` (a throw denies); the codes are `invalid_token_use`
 *   (401), `insufficient_group`, `insufficient_scope` and `forbidden` (403);
 * - they are monotonic: adding a requirement never turns a rejection into a success.
 */
import type { AuthErrorCode, AuthRules, ClaimRule, Requirement, VerifiedToken } from '@cognito-gate/core';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { propertyParameters } from '../support/property.js';
import {
  CLIENT_ID,
  type Clock,
  expectReached,
  generateKeys,
  KEYGEN_TIMEOUT_MS,
  keyA,
  makeVerifier,
  NOW,
  type Outcome,
  objectText,
  POOL_ID,
  regionalIssuerOf,
  signText,
  verdict,
  viaSync,
  viaVerify,
} from './arbitraries-core.js';

const clock: Clock = { ms: NOW * 1000 };
// Any client and either token kind, so the rules, not the verifier options, decide.
const verifier = makeVerifier(clock, { tokenUse: 'any', clientId: null });

const GROUPS = ['admin', 'staff', 'Admin', 'ops', 'ünï', 'a b'];
const SCOPES = ['orders/read', 'orders/write', 'openid', 'Orders/read', 'x'];
const CLAIM_NAMES = [
  'tenant',
  'custom:tier',
  'level',
  'email_verified',
  '__proto__',
  'constructor',
  'toString',
];
const CLAIM_VALUES: readonly (string | number | boolean | null)[] = [
  'gold',
  'Gold',
  '',
  1,
  0,
  -0,
  2.5,
  true,
  false,
  null,
];

// ---------------------------------------------------------------------------------------------
// Model of a rule set, and of the token it is checked against.

type ReqForm = 'string' | 'array' | 'anyOf' | 'allOf';
interface ReqModel {
  readonly form: ReqForm;
  readonly values: readonly string[];
}
type Predicate = 'true' | 'false' | 'truthy' | 'throws' | 'isUndefined' | 'isString' | 'accessToken';
type RuleModel = { readonly value: string | number | boolean | null } | { readonly predicate: Predicate };
interface RulesModel {
  readonly tokenUse: 'id' | 'access' | 'any' | undefined;
  readonly groups: ReqModel | undefined;
  readonly scopes: ReqModel | undefined;
  readonly claims: ReadonlyArray<readonly [string, RuleModel]>;
}

const PREDICATES: Record<Predicate, (value: unknown, token: VerifiedToken) => unknown> = {
  true: () => true,
  false: () => false,
  truthy: () => 1, // truthy, but not `true`: denies
  throws: () => {
    throw new Error('predicate failed');
  },
  isUndefined: (value) => value === undefined,
  isString: (value) => typeof value === 'string',
  accessToken: (_value, token) => token.tokenUse === 'access',
};

function requirementOf(model: ReqModel): Requirement {
  if (model.form === 'string') return model.values[0]!;
  if (model.form === 'array') return [...model.values];
  return model.form === 'anyOf' ? { anyOf: [...model.values] } : { allOf: [...model.values] };
}

/** Fresh AuthRules for a model (compileRules freezes what it is given, so never reuse objects). */
function rulesOf(model: RulesModel): AuthRules {
  const claims: Record<string, ClaimRule> = {};
  for (const [name, rule] of model.claims) {
    Object.defineProperty(claims, name, {
      value: 'value' in rule ? rule.value : (PREDICATES[rule.predicate] as ClaimRule),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return {
    ...(model.tokenUse === undefined ? {} : { tokenUse: model.tokenUse }),
    ...(model.groups === undefined ? {} : { groups: requirementOf(model.groups) }),
    ...(model.scopes === undefined ? {} : { scopes: requirementOf(model.scopes) }),
    ...(model.claims.length === 0 ? {} : { claims }),
  };
}

interface TokenFacts {
  readonly tokenUse: 'id' | 'access';
  readonly groups: readonly string[];
  readonly scopes: readonly string[];
  readonly claims: Record<string, unknown>;
}

/** The reference: every rule the token fails, as its documented code. */
function failedRules(facts: TokenFacts, model: RulesModel): Set<AuthErrorCode> {
  const failed = new Set<AuthErrorCode>();
  const meets = (req: ReqModel, held: readonly string[]) =>
    req.form === 'anyOf'
      ? req.values.some((v) => held.includes(v))
      : req.values.every((v) => held.includes(v));
  if (model.tokenUse !== undefined && model.tokenUse !== 'any' && model.tokenUse !== facts.tokenUse)
    failed.add('invalid_token_use');
  if (model.groups !== undefined && !meets(model.groups, facts.groups)) failed.add('insufficient_group');
  if (model.scopes !== undefined && !meets(model.scopes, facts.scopes)) failed.add('insufficient_scope');
  for (const [name, rule] of model.claims) {
    // Own claims only: `constructor` or `toString` must not be read off Object.prototype.
    const value = Object.hasOwn(facts.claims, name) ? facts.claims[name] : undefined;
    let holds: boolean;
    if ('value' in rule) holds = Object.is(value, rule.value);
    else if (rule.predicate === 'true') holds = true;
    else if (rule.predicate === 'isUndefined') holds = value === undefined;
    else if (rule.predicate === 'isString') holds = typeof value === 'string';
    else if (rule.predicate === 'accessToken') holds = facts.tokenUse === 'access';
    else holds = false; // false, a truthy non-true answer, a throw
    if (!holds) failed.add('forbidden');
  }
  return failed;
}

// ---------------------------------------------------------------------------------------------
// Arbitraries.

const groupName = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...GROUPS) },
  fc.string({ unit: 'binary', minLength: 1, maxLength: 4 }),
);
const scopeName = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SCOPES) },
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 4 }).filter((s) => !s.includes(' ')),
);

const tokenArb = fc.record({
  tokenUse: fc.constantFrom<'id' | 'access'>('id', 'access'),
  groups: fc.option(fc.array(fc.oneof(groupName, fc.constant('')), { maxLength: 5 }), { nil: undefined }),
  // Single spaces as Cognito writes them, and the doubled or edge spaces of hand-made tokens.
  scope: fc.option(
    fc
      .tuple(fc.array(scopeName, { maxLength: 4 }), fc.constantFrom(' ', '  '), fc.boolean())
      .map(([names, separator, padded]) => (padded ? ` ${names.join(separator)} ` : names.join(separator))),
    { nil: undefined },
  ),
  claims: fc.array(fc.tuple(fc.constantFrom(...CLAIM_NAMES), fc.constantFrom(...CLAIM_VALUES)), {
    maxLength: 4,
  }),
});
type TokenModel = typeof tokenArb extends fc.Arbitrary<infer T> ? T : never;

const reqArb = (name: fc.Arbitrary<string>): fc.Arbitrary<ReqModel> =>
  fc.oneof(
    name.map((v) => ({ form: 'string' as const, values: [v] })),
    fc
      .tuple(
        fc.constantFrom<ReqForm>('array', 'anyOf', 'allOf'),
        fc.array(name, { minLength: 1, maxLength: 3 }),
      )
      .map(([form, values]) => ({ form, values })),
  );

/** Mostly something the token holds (so rule sets pass often enough to matter), sometimes anything. */
function heldOr<T>(held: readonly T[], any: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return held.length === 0 ? any : fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...held) }, any);
}

/** A claim rule for `name`: usually the token's own value of that claim, or a predicate. */
function claimRuleArb(facts: TokenFacts, name: string): fc.Arbitrary<RuleModel> {
  const own = Object.hasOwn(facts.claims, name)
    ? [facts.claims[name] as string | number | boolean | null]
    : [];
  return fc.oneof(
    { weight: 2, arbitrary: heldOr(own, fc.constantFrom(...CLAIM_VALUES)).map((value) => ({ value })) },
    fc
      .constantFrom<Predicate>('true', 'false', 'truthy', 'throws', 'isUndefined', 'isString', 'accessToken')
      .map((predicate) => ({ predicate })),
  );
}

const heldGroups = (facts: TokenFacts) =>
  heldOr(
    facts.groups.filter((g) => g !== ''),
    groupName,
  );
const heldScopes = (facts: TokenFacts) => heldOr(facts.scopes, scopeName);

function rulesArb(facts: TokenFacts): fc.Arbitrary<RulesModel> {
  return fc.record({
    tokenUse: fc.constantFrom(undefined, undefined, 'any', facts.tokenUse, 'id', 'access'),
    groups: fc.option(reqArb(heldGroups(facts)), { nil: undefined }),
    scopes: fc.option(reqArb(heldScopes(facts)), { nil: undefined }),
    claims: fc.uniqueArray(
      fc
        .constantFrom(...CLAIM_NAMES)
        .chain((name) => claimRuleArb(facts, name).map((rule) => [name, rule] as const)),
      { maxLength: 3, selector: ([n]) => n },
    ),
  });
}

/** One step that only adds a requirement (or removes an alternative from an `anyOf`). */
type Step =
  | { kind: 'tokenUse'; use: 'id' | 'access' }
  | { kind: 'group' | 'scope'; value: string }
  | { kind: 'dropAlternative'; which: 'groups' | 'scopes'; at: number }
  | { kind: 'claim'; name: string; rule: RuleModel };

function stepArb(facts: TokenFacts): fc.Arbitrary<Step> {
  return fc.oneof(
    fc.constantFrom<'id' | 'access'>('id', 'access').map((use) => ({ kind: 'tokenUse' as const, use })),
    heldGroups(facts).map((value) => ({ kind: 'group' as const, value })),
    heldScopes(facts).map((value) => ({ kind: 'scope' as const, value })),
    fc.record({
      kind: fc.constant('dropAlternative' as const),
      which: fc.constantFrom<'groups' | 'scopes'>('groups', 'scopes'),
      at: fc.nat(),
    }),
    fc
      .constantFrom(...CLAIM_NAMES)
      .chain((name) => claimRuleArb(facts, name).map((rule) => ({ kind: 'claim' as const, name, rule }))),
  );
}

/** Add one more required value: a new requirement, or one more value to an all-of form. */
function requireMore(req: ReqModel | undefined, value: string): ReqModel | undefined {
  if (req === undefined) return { form: 'string', values: [value] };
  if (req.form === 'anyOf') return req; // adding an alternative would weaken it
  return { form: req.form === 'string' ? 'array' : req.form, values: [...req.values, value] };
}

/** R' ⊇ R: the same rules plus the step (a step that cannot strengthen R leaves it unchanged). */
function strengthen(model: RulesModel, step: Step): RulesModel {
  switch (step.kind) {
    case 'tokenUse':
      return model.tokenUse === undefined || model.tokenUse === 'any'
        ? { ...model, tokenUse: step.use }
        : model;
    case 'group':
      return { ...model, groups: requireMore(model.groups, step.value) };
    case 'scope':
      return { ...model, scopes: requireMore(model.scopes, step.value) };
    case 'dropAlternative': {
      const req = model[step.which];
      if (req?.form !== 'anyOf' || req.values.length < 2) return model;
      const values = req.values.filter((_, i) => i !== step.at % req.values.length);
      return { ...model, [step.which]: { form: 'anyOf', values } };
    }
    case 'claim':
      return model.claims.some(([name]) => name === step.name)
        ? model
        : { ...model, claims: [...model.claims, [step.name, step.rule]] };
  }
}

/** The payload text for the model, and the facts read back from that JSON (not from the model). */
function payloadOf(model: TokenModel): { text: string; facts: TokenFacts } {
  const members: Array<readonly [string, string]> = [
    ['sub', '"user-1"'],
    ['iss', JSON.stringify(regionalIssuerOf(POOL_ID))],
    ['token_use', JSON.stringify(model.tokenUse)],
    [model.tokenUse === 'access' ? 'client_id' : 'aud', JSON.stringify(CLIENT_ID)],
    ['exp', String(NOW + 3600)],
    ...(model.groups === undefined ? [] : [['cognito:groups', JSON.stringify(model.groups)] as const]),
    ...(model.scope === undefined ? [] : [['scope', JSON.stringify(model.scope)] as const]),
    ...model.claims.map(([name, value]) => [name, String(JSON.stringify(value))] as const),
  ];
  const text = objectText(members);
  const claims = JSON.parse(text) as Record<string, unknown>;
  Reflect.deleteProperty(claims, '__proto__'); // README: "__proto__ keys in a token are inert"
  const scope = claims.scope;
  return {
    text,
    facts: {
      tokenUse: model.tokenUse,
      groups: (claims['cognito:groups'] as string[] | undefined) ?? [],
      scopes: typeof scope === 'string' ? scope.split(' ').filter((s) => s !== '') : [],
      claims,
    },
  };
}

const STATUS: Partial<Record<AuthErrorCode, number>> = {
  invalid_token_use: 401,
  insufficient_group: 403,
  insufficient_scope: 403,
  forbidden: 403,
};

function assessAgainstReference(outcome: Outcome, facts: TokenFacts, model: RulesModel): void {
  const failed = failedRules(facts, model);
  if (failed.size === 0) {
    expect(verdict(outcome)).toBe('ok');
    return;
  }
  expect([...failed]).toContain(verdict(outcome));
  if (!outcome.ok) expect(outcome.status).toBe(STATUS[outcome.code]);
}

beforeAll(() => generateKeys(), KEYGEN_TIMEOUT_MS);

describe('authorization rules', () => {
  it('match the reference semantics and never pass once a requirement is added', async () => {
    const seen = { passThenFail: 0, bothPass: 0, bothFail: 0, cases: 0 };
    await fc.assert(
      fc.asyncProperty(
        tokenArb
          .map(payloadOf)
          .chain(({ text, facts }) =>
            fc.tuple(
              fc.constant(text),
              fc.constant(facts),
              rulesArb(facts),
              fc.array(stepArb(facts), { minLength: 1, maxLength: 3 }),
            ),
          ),
        async ([text, facts, base, steps]) => {
          // Prepare: a real verified token (cached after its first verification, so the rules run on
          // cache hits as well), R, and R' = R plus 1–3 requirements.
          const token = signText('{"alg":"RS256","kid":"key-a"}', text, keyA());
          const stronger = steps.reduce(strengthen, base);
          seen.cases++;
          // Act
          const weak = await viaVerify(verifier, token, rulesOf(base));
          const strong = viaSync(verifier, token, rulesOf(stronger));
          // Assess: each matches the reference, code and status included ...
          assessAgainstReference(weak, facts, base);
          assessAgainstReference(strong, facts, stronger);
          // ... and pass(R') ⇒ pass(R).
          if (strong.ok) expect(verdict(weak)).toBe('ok');
          if (weak.ok && !strong.ok) seen.passThenFail++;
          if (weak.ok && strong.ok) seen.bothPass++;
          if (!weak.ok && !strong.ok) seen.bothFail++;
        },
      ),
      propertyParameters(2500, 10_000),
    );
    expectReached(seen.passThenFail, 'a success that a requirement turned into a rejection', seen.cases);
    expectReached(seen.bothPass, 'a success under both rule sets', seen.cases);
    expectReached(seen.bothFail, 'a rejection under both rule sets', seen.cases);
  }, 60_000);
});
