/**
 * Property-based tests of the Lambda authorizers: REST TOKEN and REQUEST authorizers (stage-wide and
 * method policies, with and without a global rule), HTTP API payload 2.0 (simple responses with a
 * shared cache or none, IAM responses) and payload 1.0, all with the same `routes` table, fed
 * arbitrary events: methods, paths (parameters, trailing slashes, case, literal `*` and `?`,
 * non-ASCII, over the 512-byte Resource limit), `headers` / `multiValueHeaders` in any casing,
 * `cookies` arrays and `Cookie` headers, query maps; valid, invalid and missing tokens; keys
 * available or the JWKS down.
 *
 * Properties, against a reference model written from the README (token sources, "Rules, per route,
 * safe with caching", IAM globs):
 * 1. The outcome is an Allow/Deny policy or simple response exactly as the model decides, or
 *    `Error('Unauthorized')` (exactly that message), or `AuthorizerUnavailableError` only while the
 *    JWKS is down — never another error.
 * 2. Cache soundness: the answer for one request, evaluated for other requests of the same token (IAM
 *    evaluation of the policy with a glob matcher written here; a simple `isAuthorized: true` under
 *    `caching: 'shared'`), never allows a request that a fresh call for it refuses, nor one the model
 *    refuses.
 */
import {
  createHttpAuthorizer,
  createRestAuthorizer,
  type PolicyAuthorizerResult,
} from '@cognito-gate/lambda';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from '../lambda/support.js';
import { propertyParameters } from '../support/property.js';
import {
  type AuthValue,
  authValueArb,
  type Catalogue,
  type CookiePair,
  type CookieValue,
  type Credential,
  cookieCredential,
  cookieLinesArb,
  type Identity,
  iamAllows,
  iamGlobMatches,
  JUNK,
  mintCatalogue,
  parseAuth,
  type RuleModel,
  renderAuth,
  renderCookiePairs,
  renderCookieValue,
  ruleFailure,
  TOKEN_COOKIE,
  type TokenSpec,
  toAuthRules,
  tokenArb,
  verifyModel,
} from './arbitraries-http.js';

// ---------------------------------------------------------------------------------------------
// Configurations
// ---------------------------------------------------------------------------------------------

const all = (...values: string[]) => ({ any: false, values });
const anyOf = (...values: string[]) => ({ any: true, values });

/** The route table every authorizer gets. Keys follow the README's forms, odd ones included. */
const TABLE: Readonly<Record<string, RuleModel>> = {
  'GET /reports/{id}': { groups: all('admin') },
  'DELETE /orders/{id}': { groups: all('admin') },
  'POST /orders': { scopes: all('orders/write') },
  'ANY /admin/*': { groups: all('admin', 'dev') },
  'get /files': { scopes: anyOf('orders/read', 'orders/write') },
  'PUT /items/': { groups: anyOf('dev', 'finance') },
  '* /audit/{proxy+}': { groups: all('finance') },
};

type Kind = 'rest-token' | 'rest-request' | 'http-v2' | 'http-v1';

interface Config {
  readonly name: string;
  readonly kind: Kind;
  readonly response?: 'simple' | 'iam';
  readonly caching?: 'shared' | 'off';
  readonly policyScope?: 'stage' | 'method';
  readonly rules?: RuleModel;
}

const CONFIGS: readonly Config[] = [
  { name: 'REST TOKEN, stage-wide policy', kind: 'rest-token' },
  { name: 'REST TOKEN, method policy', kind: 'rest-token', policyScope: 'method' },
  {
    name: 'REST TOKEN, with a global scope rule',
    kind: 'rest-token',
    rules: { scopes: anyOf('orders/read', 'orders/write') },
  },
  { name: 'REST REQUEST', kind: 'rest-request' },
  { name: 'HTTP 2.0 simple, shared cache', kind: 'http-v2', response: 'simple', caching: 'shared' },
  { name: 'HTTP 2.0 simple, no cache', kind: 'http-v2', response: 'simple', caching: 'off' },
  { name: 'HTTP 2.0 IAM', kind: 'http-v2', response: 'iam' },
  { name: 'HTTP 1.0 (policies)', kind: 'http-v1' },
];

const IDENTITY = [{ header: 'authorization' }, { cookie: TOKEN_COOKIE }, { query: 'access_token' }];

type Handler = (event: unknown) => Promise<unknown>;

function createAuthorizer(config: Config, verifier: Fixture['verifier']): Handler {
  const routes = Object.fromEntries(Object.entries(TABLE).map(([key, rules]) => [key, toAuthRules(rules)]));
  const base = {
    verifier,
    routes,
    ...(config.rules === undefined ? {} : { rules: toAuthRules(config.rules) }),
  };
  switch (config.kind) {
    case 'rest-token':
      return createRestAuthorizer({ ...base, policyScope: config.policyScope ?? 'stage' }) as Handler;
    case 'rest-request':
      return createRestAuthorizer({ ...base, identity: IDENTITY }) as Handler;
    default:
      return createHttpAuthorizer({
        ...base,
        identity: IDENTITY,
        response: config.response ?? 'simple',
        caching: config.caching ?? 'shared',
      }) as Handler;
  }
}

function stagePrefix(config: Config): string {
  const stage = config.kind === 'http-v2' ? '$default' : 'prod';
  return `arn:aws:execute-api:eu-west-1:123456789012:puhdx84jy9/${stage}/`;
}

// ---------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------

/** What API Gateway writes after the stage: `{METHOD}{path}`, e.g. `GET/reports/17`. */
interface ArnRoute {
  readonly method: string;
  readonly path: string;
}

const arnMethodArb = fc.oneof(
  { weight: 6, arbitrary: fc.constant('GET') },
  { weight: 4, arbitrary: fc.constant('HEAD') },
  { weight: 4, arbitrary: fc.constantFrom('POST', 'PUT', 'DELETE') },
  { weight: 1, arbitrary: fc.constantFrom('PATCH', 'OPTIONS') },
  { weight: 1, arbitrary: fc.constantFrom('get', 'PROPFIND', 'FOO', '*') },
);

const segmentArb = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('reports', 'orders', 'admin', 'files', 'items', 'audit') },
  { weight: 5, arbitrary: fc.constantFrom('17', 'x', 'a-b', 'users') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'Reports',
      'ORDERS',
      'a*b',
      'q?x',
      '*',
      '?',
      'é',
      '😀',
      '%2F',
      '',
      'files-archive',
    ),
  },
  { weight: 1, arbitrary: fc.integer({ min: 200, max: 600 }).map((n) => 'r'.repeat(n)) },
);

/** Paths the table's rules are about, and their near misses. */
const TABLE_PATHS = [
  '/reports/17',
  '/reports/',
  '/reports',
  '/orders/17',
  '/orders',
  '/orders/',
  '/admin/users',
  '/admin',
  '/files',
  '/files/',
  '/items',
  '/items/',
  '/audit/a/b',
  '/audit',
];

const pathArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...TABLE_PATHS) },
  {
    weight: 2,
    arbitrary: fc.tuple(fc.array(segmentArb, { maxLength: 4 }), fc.boolean()).map(([segments, slash]) => {
      const path = `/${segments.join('/')}${slash && segments.length > 0 ? '/' : ''}`;
      // An ARN is at most 1600 bytes: API Gateway sends nothing longer.
      return path.length > 1_200 ? [...path].slice(0, 1_200).join('') : path;
    }),
  },
);

const routeArb = (methods: fc.Arbitrary<string>): fc.Arbitrary<ArnRoute> =>
  fc.record({ method: methods, path: pathArb });

const arnRouteArb = routeArb(arnMethodArb);

/** Methods as API Gateway writes them (upper case). */
const gatewayRouteArb = routeArb(fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'));

/** Another request of the same caller: related to the first one (HEAD twin, slash twin…) or not. */
type ProbeSpec = { readonly kind: 'other'; readonly route: ArnRoute } | { readonly kind: Derivation };
type Derivation = 'head-twin' | 'slash-twin' | 'upper-case' | 'deeper' | 'star' | 'lower-method' | 'root';

const probeArb: fc.Arbitrary<ProbeSpec> = fc.oneof(
  { weight: 2, arbitrary: arnRouteArb.map((route) => ({ kind: 'other' as const, route })) },
  {
    weight: 3,
    arbitrary: fc
      .constantFrom<Derivation>(
        'head-twin',
        'slash-twin',
        'upper-case',
        'deeper',
        'star',
        'lower-method',
        'root',
      )
      .map((kind) => ({ kind })),
  },
);

function derive(route: ArnRoute, probe: ProbeSpec): ArnRoute {
  const { method, path } = route;
  switch (probe.kind) {
    case 'other':
      return probe.route;
    case 'head-twin':
      return { method: method === 'HEAD' ? 'GET' : 'HEAD', path };
    case 'slash-twin':
      return { method, path: path.endsWith('/') && path.length > 1 ? path.slice(0, -1) : `${path}/` };
    case 'upper-case':
      return { method, path: path.toUpperCase() };
    case 'deeper':
      return { method, path: `${path.endsWith('/') ? path : `${path}/`}x` };
    case 'star':
      return { method, path: `${path.slice(0, path.lastIndexOf('/') + 1)}*` };
    case 'lower-method':
      return { method: method.toLowerCase(), path };
    case 'root':
      return { method: 'GET', path: '/' };
  }
}

/** A header map value as the model sees it. */
type HeaderValue =
  | { readonly kind: 'auth'; readonly value: AuthValue }
  | { readonly kind: 'cookie'; readonly pairs: readonly CookiePair[] }
  | { readonly kind: 'null' };

/** Where a request carries its credentials (each map may also be absent or `null`). */
interface Credentials {
  /** TOKEN events: the whole `Authorization` value. */
  readonly token: AuthValue;
  readonly headers: readonly (readonly [string, HeaderValue])[];
  readonly multiValueHeaders: readonly (readonly [string, readonly HeaderValue[]])[] | null;
  /** Payload 2.0: one `name=value` pair per element. */
  readonly cookies: readonly CookiePair[];
  readonly query: {
    readonly single: CookieValue | null | undefined;
    readonly multi: readonly CookieValue[] | null | undefined;
  };
}

const AUTH_KEYS = ['Authorization', 'authorization', 'AUTHORIZATION'];
// U+212A KELVIN SIGN lower-cases to `k`, so `Coo\u212Aie`.toLowerCase() is "cookie": not the Cookie header.
const COOKIE_KEYS = ['Cookie', 'cookie', 'COOKIE', 'Coo\u212Aie'];

function credentialsArb(catalogue: Catalogue, kind: Kind): fc.Arbitrary<Credentials> {
  const tokens = tokenArb(catalogue);
  const auth = authValueArb(tokens);
  const queryValue: fc.Arbitrary<CookieValue> = fc.oneof(
    { weight: 6, arbitrary: tokens.map((spec) => ({ kind: 'token' as const, spec, form: 'raw' as const })) },
    { weight: 1, arbitrary: fc.constantFrom({ kind: 'empty' as const }, { kind: 'junk' as const }) },
  );
  // Values of one source: one value, mostly repeated as it is when repeated at all.
  const repeated = <T>(value: fc.Arbitrary<T>, max: number) =>
    fc
      .tuple(
        value,
        fc.array(
          fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: value }),
          { maxLength: max - 1 },
        ),
      )
      .map(([first, rest]) => [first, ...rest.map((v) => v ?? first)]);
  return fc
    .record({
      carrier: fc.constantFrom('header', 'header', 'header', 'cookie', 'cookie', 'query', 'none', 'mixed'),
      token: auth,
      authKeys: fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...AUTH_KEYS).map((key) => [key]) },
        { weight: 1, arbitrary: fc.subarray(AUTH_KEYS, { minLength: 1 }) },
      ),
      authValues: repeated(auth, 3),
      multiAuth: fc.boolean(),
      nullAuth: fc.boolean(),
      cookieKeys: fc.subarray(COOKIE_KEYS, { minLength: 1, maxLength: 2 }),
      cookieLines: cookieLinesArb(tokens),
      cookieArray: cookieLinesArb(tokens).map((lines) => lines.flat()),
      query: repeated(queryValue, 3),
      querySingle: fc.boolean(),
      nullMaps: fc.boolean(),
    })
    .map((g) => {
      const useHeader = g.carrier === 'header' || g.carrier === 'mixed';
      const useCookie = g.carrier === 'cookie' || g.carrier === 'mixed';
      const useQuery = g.carrier === 'query' || g.carrier === 'mixed';
      const headers: [string, HeaderValue][] = [['Accept', { kind: 'null' }]];
      const multi: [string, HeaderValue[]][] = [];
      // Payload 2.0 has no multi-value maps (API Gateway joins repeats with commas).
      const multiValued = kind !== 'http-v2';
      if (useHeader) {
        g.authKeys.forEach((key, i) => {
          const values = g.authValues.map((value) => ({ kind: 'auth' as const, value }));
          if (multiValued && g.multiAuth && i === 0) multi.push([key, values]);
          else headers.push([key, values[i % values.length]!]);
        });
        if (g.nullAuth && !g.authKeys.includes('authorization'))
          headers.push(['authorization', { kind: 'null' }]);
      }
      if (useCookie) {
        g.cookieKeys.forEach((key, i) => {
          const line = { kind: 'cookie' as const, pairs: g.cookieLines[i % g.cookieLines.length]! };
          if (multiValued && i === 1) {
            multi.push([key, g.cookieLines.map((pairs) => ({ kind: 'cookie' as const, pairs }))]);
          } else headers.push([key, line]);
        });
      }
      return {
        token: g.token,
        headers,
        multiValueHeaders: multi.length === 0 && g.nullMaps ? null : multi,
        cookies: useCookie ? g.cookieArray : [],
        query: {
          single: useQuery ? g.query[0] : g.nullMaps ? null : undefined,
          multi: useQuery && !g.querySingle ? g.query : undefined,
        },
      };
    });
}

const renderHeaderValue = (value: HeaderValue): string | null =>
  value.kind === 'auth'
    ? renderAuth(value.value)
    : value.kind === 'cookie'
      ? renderCookiePairs(value.pairs)
      : null;
const renderQueryValue = (value: CookieValue): string =>
  value.kind === 'token' ? value.spec.token : renderCookieValue(value);

/** The event API Gateway would send for `route`, carrying `credentials`. */
function buildEvent(config: Config, credentials: Credentials, route: ArnRoute): Record<string, unknown> {
  const arn = `${stagePrefix(config)}${route.method}${route.path}`;
  if (config.kind === 'rest-token') {
    return { type: 'TOKEN', authorizationToken: renderAuth(credentials.token), methodArn: arn };
  }
  const headers = Object.fromEntries(
    credentials.headers.map(([key, value]) => [key, renderHeaderValue(value)]),
  );
  const { single, multi } = credentials.query;
  const queryStringParameters =
    single === undefined
      ? undefined
      : single === null
        ? null
        : { page: '2', access_token: renderQueryValue(single) };
  if (config.kind === 'http-v2') {
    return {
      version: '2.0',
      type: 'REQUEST',
      routeArn: arn,
      routeKey: '$default',
      identitySource: [],
      rawPath: route.path,
      rawQueryString: '',
      headers,
      ...(credentials.cookies.length === 0
        ? {}
        : { cookies: credentials.cookies.map((pair) => renderCookiePairs([pair])) }),
      ...(queryStringParameters === undefined ? {} : { queryStringParameters }),
      requestContext: { http: { method: route.method, path: route.path } },
    };
  }
  const multiValueHeaders =
    credentials.multiValueHeaders === null
      ? null
      : Object.fromEntries(
          credentials.multiValueHeaders.map(([key, values]) => [key, values.map(renderHeaderValue)]),
        );
  const multiValueQueryStringParameters =
    multi === undefined ? undefined : multi === null ? null : { access_token: multi.map(renderQueryValue) };
  return {
    ...(config.kind === 'http-v1' ? { version: '1.0' } : {}),
    type: 'REQUEST',
    methodArn: arn,
    resource: '/{proxy+}',
    path: route.path,
    httpMethod: route.method,
    headers,
    multiValueHeaders,
    ...(queryStringParameters === undefined ? {} : { queryStringParameters }),
    ...(multiValueQueryStringParameters === undefined ? {} : { multiValueQueryStringParameters }),
  };
}

// ---------------------------------------------------------------------------------------------
// The model
// ---------------------------------------------------------------------------------------------

const isHeader = (key: string, lower: string) => key.toLowerCase() === lower && /^[!-~]+$/.test(key);

/**
 * The credential of an event (README "Identity sources"): the first source present wins; every
 * occurrence of it is read, in any casing; two different values are refused.
 */
function eventCredential(config: Config, credentials: Credentials): Credential {
  const fail: Credential = { kind: 'error' };
  if (config.kind === 'rest-token') {
    const parsed = parseAuth(credentials.token, true);
    return parsed.kind === 'token' ? parsed : fail;
  }
  const headerValues = (lower: string): HeaderValue[] => [
    ...credentials.headers.filter(([key, v]) => isHeader(key, lower) && v.kind !== 'null').map(([, v]) => v),
    ...(config.kind === 'http-v2' || credentials.multiValueHeaders === null
      ? []
      : credentials.multiValueHeaders
          .filter(([key]) => isHeader(key, lower))
          .flatMap(([, values]) => values)),
  ];
  // 1. The Authorization header.
  const auth = headerValues('authorization');
  if (auth.length > 0) {
    if (new Set(auth.map(renderHeaderValue)).size > 1) return fail;
    const parsed = auth[0]!.kind === 'auth' ? parseAuth(auth[0]!.value, true) : fail;
    return parsed.kind === 'token' ? parsed : fail;
  }
  // 2. The cookie, in payload 2.0's list and in every Cookie header.
  const lines: (readonly CookiePair[])[] = [
    ...(config.kind === 'http-v2' ? credentials.cookies.map((pair) => [pair]) : []),
    ...headerValues('cookie').flatMap((v) => (v.kind === 'cookie' ? [v.pairs] : [])),
  ];
  const cookie = cookieCredential(lines, false);
  if (cookie.kind !== 'none') return cookie;
  // 3. The query parameter, in both maps.
  const { single, multi } = credentials.query;
  const values = [
    ...(single === undefined || single === null ? [] : [single]),
    ...(config.kind === 'http-v2' || multi === undefined || multi === null ? [] : multi),
  ];
  if (values.length === 0) return fail;
  if (new Set(values.map(renderQueryValue)).size > 1) return fail;
  const value = values[0]!;
  if (value.kind === 'empty') return fail;
  return { kind: 'token', spec: value.kind === 'token' ? value.spec : JUNK };
}

/** `'GET /reports/{id}'` covers `route`? (README: GET guards HEAD, `/x` guards `/x/`, params span `/`.) */
function keyCovers(key: string, route: ArnRoute): boolean {
  const space = key.indexOf(' ');
  const verb = key.slice(0, space).toUpperCase();
  const any = verb === 'ANY' || verb === '*';
  const methodOk = any || verb === route.method || (verb === 'GET' && route.method === 'HEAD');
  if (!methodOk) return false;
  let pattern = key.slice(space + 1).replace(/\{[^{}]*\}/g, '*');
  const candidates = [route.path];
  if (!pattern.endsWith('*')) {
    if (pattern.length > 1) pattern = pattern.replace(/\/$/, '');
    if (route.path.length > 1 && route.path.endsWith('/')) candidates.push(route.path.slice(0, -1));
  }
  // README: an ANY key is the IAM glob `*<path>`, and that `*` spans `/` like every IAM `*`, so
  // `ANY /admin/*` also covers `GET/17/admin/x`: it refuses more, never less (documented).
  if (any) return candidates.some((path) => iamGlobMatches(`*${pattern}`, `${route.method}${path}`));
  return candidates.some((path) => iamGlobMatches(pattern, path));
}

/** What the model says about one request of a token: refused before any rule, or per route. */
type Decision =
  | { readonly kind: 'unauthorized' }
  | { readonly kind: 'unauthorized-or-unavailable' }
  | { readonly kind: 'verified'; readonly identity: Identity; readonly forbidden: boolean };

function decide(config: Config, credential: Credential, outage: boolean): Decision {
  if (credential.kind !== 'token') return { kind: 'unauthorized' };
  if (outage) return { kind: 'unauthorized-or-unavailable' };
  const verified = verifyModel(credential.spec, 'access');
  if (typeof verified === 'string') return { kind: 'unauthorized' };
  const failure = ruleFailure(verified, config.rules);
  if (failure === 'invalid_token_use') return { kind: 'unauthorized' };
  return { kind: 'verified', identity: verified, forbidden: failure !== undefined };
}

/** May `identity` call `route`: every rule of the table that covers it holds. */
function allowed(identity: Identity, route: ArnRoute): boolean {
  return Object.entries(TABLE).every(
    ([key, rules]) => !keyCovers(key, route) || ruleFailure(identity, rules) === undefined,
  );
}

/** May `identity` call every route of the table (a shared simple answer must hold for all). */
function allowedEverywhere(identity: Identity): boolean {
  return Object.values(TABLE).every((rules) => ruleFailure(identity, rules) === undefined);
}

// ---------------------------------------------------------------------------------------------
// Judging answers
// ---------------------------------------------------------------------------------------------

type Answer =
  | { readonly kind: 'result'; readonly value: Record<string, unknown> }
  | { readonly kind: 'unauthorized' }
  | { readonly kind: 'unavailable' }
  | { readonly kind: 'other'; readonly error: unknown };

async function invoke(handler: Handler, event: unknown): Promise<Answer> {
  try {
    return { kind: 'result', value: (await handler(event)) as Record<string, unknown> };
  } catch (error) {
    if (error instanceof Error && error.message === 'Unauthorized' && error.name === 'Error') {
      return { kind: 'unauthorized' };
    }
    if (
      error instanceof Error &&
      error.name === 'AuthorizerUnavailableError' &&
      error.message !== 'Unauthorized'
    ) {
      return { kind: 'unavailable' };
    }
    return { kind: 'other', error };
  }
}

const isPolicy = (
  value: Record<string, unknown>,
): value is Record<string, unknown> & PolicyAuthorizerResult =>
  typeof value.policyDocument === 'object' && value.policyDocument !== null;

/** Does this answer let the request for `arn` through? */
function admits(answer: Answer, arn: string): boolean {
  if (answer.kind !== 'result') return false;
  const value = answer.value;
  return isPolicy(value) ? iamAllows(value, arn) : value.isAuthorized === true;
}

function describeAnswer(answer: Answer): string {
  if (answer.kind === 'other') return `error ${String(answer.error)}`;
  if (answer.kind !== 'result') return answer.kind;
  return JSON.stringify(isPolicy(answer.value) ? answer.value.policyDocument.Statement : answer.value).slice(
    0,
    400,
  );
}

/** Does the model let the verified caller through for `route`? */
function expectedAdmit(config: Config, decision: Decision & { kind: 'verified' }, route: ArnRoute): boolean {
  if (decision.forbidden) return false;
  // A shared simple answer is reused on every route: it must hold for all of them.
  return config.kind === 'http-v2' && config.response === 'simple' && config.caching === 'shared'
    ? allowedEverywhere(decision.identity)
    : allowed(decision.identity, route);
}

/**
 * What is unsafe or malformed in `answer` to a request for `route`, given the model's decision:
 * a wrong kind of outcome, an admission the model refuses, a principal or context API Gateway would
 * reject. (Refusing more than the model is the precision property's business.)
 */
function answerProblem(
  config: Config,
  decision: Decision,
  route: ArnRoute,
  answer: Answer,
): string | undefined {
  if (answer.kind === 'other') return `threw something else than Unauthorized: ${String(answer.error)}`;
  if (decision.kind === 'unauthorized') {
    return answer.kind === 'unauthorized'
      ? undefined
      : `expected Unauthorized, got ${describeAnswer(answer)}`;
  }
  if (decision.kind === 'unauthorized-or-unavailable') {
    return answer.kind === 'result'
      ? `the JWKS is down, yet it answered ${describeAnswer(answer)}`
      : undefined;
  }
  if (answer.kind !== 'result') return `expected a result for a verified token, got ${answer.kind}`;
  const value = answer.value;
  if (admits(answer, arnOf(config, route)) && !expectedAdmit(config, decision, route)) {
    return `admits ${route.method}${route.path}, which the model refuses: ${describeAnswer(answer)}`;
  }
  const context = value.context as Record<string, unknown> | undefined;
  for (const [key, v] of Object.entries(context ?? {})) {
    if (!['string', 'number', 'boolean'].includes(typeof v)) return `context.${key} is ${typeof v}`;
  }
  if (isPolicy(value)) {
    if (value.principalId !== decision.identity.sub) return `principalId ${value.principalId}`;
    for (const statement of value.policyDocument.Statement) {
      for (const resource of [statement.Resource].flat()) {
        if (Buffer.byteLength(resource, 'utf8') > 512)
          return `a Resource of ${Buffer.byteLength(resource)} bytes`;
      }
    }
  }
  return undefined;
}

const arnOf = (config: Config, route: ArnRoute) => `${stagePrefix(config)}${route.method}${route.path}`;

// ---------------------------------------------------------------------------------------------
// The properties
// ---------------------------------------------------------------------------------------------

let fixture: Fixture;
let catalogue: Catalogue;

beforeAll(async () => {
  fixture = await createFixture();
  catalogue = await mintCatalogue(fixture.issuer);
});

const caseArb = (config: Config) =>
  fc.record({
    route: arnRouteArb,
    credentials: credentialsArb(catalogue, config.kind),
    probes: fc.array(probeArb, { minLength: 1, maxLength: 4 }),
    outage: fc.oneof(
      { weight: 9, arbitrary: fc.constant(false) },
      { weight: 1, arbitrary: fc.constant(true) },
    ),
  });

describe.each(CONFIGS)('$name', (config) => {
  it('answers Allow, Deny or Unauthorized, never admitting what the model refuses; an outage only while the JWKS is down; a cached answer never admits what a fresh one refuses', async () => {
    const handlers = {
      keys: createAuthorizer(config, fixture.verifier),
      outage: createAuthorizer(config, fixture.outage),
    };
    // A simple answer without a shared cache is for its own request only.
    const cached = !(config.kind === 'http-v2' && config.response === 'simple' && config.caching === 'off');
    await fc.assert(
      fc.asyncProperty(caseArb(config), async ({ route, credentials, probes, outage }) => {
        const handler = outage ? handlers.outage : handlers.keys;
        const decision = decide(config, eventCredential(config, credentials), outage);
        const first = await invoke(handler, buildEvent(config, credentials, route));
        const problems: string[] = [];
        const firstProblem = answerProblem(config, decision, route, first);
        if (firstProblem !== undefined) problems.push(firstProblem);
        for (const probe of probes.map((p) => derive(route, p))) {
          const arn = arnOf(config, probe);
          const fresh = await invoke(handler, buildEvent(config, credentials, probe));
          const freshProblem = answerProblem(config, decision, probe, fresh);
          if (freshProblem !== undefined) problems.push(`fresh: ${freshProblem}`);
          if (!cached || !admits(first, arn)) continue;
          if (!admits(fresh, arn)) {
            problems.push(
              `the answer for ${route.method}${route.path} admits ${probe.method}${probe.path}, which a fresh call refuses`,
            );
          }
          if (decision.kind !== 'verified' || !expectedAdmit(config, decision, probe)) {
            problems.push(
              `the answer for ${route.method}${route.path} admits ${probe.method}${probe.path}, which the model refuses`,
            );
          }
        }
        expect(problems, describeCredentials(credentials)).toEqual([]);
      }),
      propertyParameters(300, 5_000),
    );
  }, 60_000);
});

/**
 * Precision, the other half of the comparison with the model: a verified caller is refused only
 * where a rule of the table covers the request. Refusing more is fail-closed, so this is kept apart
 * from the safety property above.
 */
it('refuses a verified caller only where a rule of the table covers the request', async () => {
  const handlers = new Map(CONFIGS.map((config) => [config, createAuthorizer(config, fixture.verifier)]));
  await fc.assert(
    fc.asyncProperty(
      fc
        .constantFrom(...CONFIGS)
        .chain((config) =>
          fc.tuple(fc.constant(config), gatewayRouteArb, credentialsArb(catalogue, config.kind)),
        ),
      async ([config, route, credentials]) => {
        const decision = decide(config, eventCredential(config, credentials), false);
        if (decision.kind !== 'verified' || !expectedAdmit(config, decision, route)) return;
        const answer = await invoke(handlers.get(config)!, buildEvent(config, credentials, route));
        expect(
          admits(answer, arnOf(config, route)),
          `${config.name}: ${route.method}${route.path} for ${decision.identity.groups.join(',')}|${decision.identity.scopes.join(',')}: ${describeAnswer(answer)}`,
        ).toBe(true);
      },
    ),
    propertyParameters(600, 5_000),
  );
}, 60_000);

function describeCredentials(credentials: Credentials): string {
  const label = (spec: TokenSpec | undefined) => spec?.label ?? '';
  const auth = (v: AuthValue) => `${v.kind}(${'spec' in v ? label(v.spec) : ''})`;
  const header = ([key, v]: readonly [string, HeaderValue]) =>
    `${key}: ${v.kind === 'auth' ? auth(v.value) : v.kind === 'cookie' ? v.pairs.map((p) => p.name).join(';') : 'null'}`;
  return [
    `token ${auth(credentials.token)}`,
    ...credentials.headers.map(header),
    ...(credentials.multiValueHeaders ?? []).map(
      ([key, values]) => `multi ${values.map((v) => header([key, v])).join(', ')}`,
    ),
    credentials.cookies.length > 0 ? `cookies ${credentials.cookies.map((p) => p.name).join(';')}` : '',
  ]
    .filter((s) => s.length > 0)
    .join(' | ');
}

it('the catalogue verifies as the model says', async () => {
  for (const spec of catalogue.all) {
    const actual = await fixture.verifier.verify(spec.token).then(
      (auth) => auth.sub,
      (error: { code: string }) => error.code,
    );
    const expected = verifyModel(spec, 'access');
    expect(actual, spec.label).toBe(typeof expected === 'string' ? expected : expected.sub);
  }
});
