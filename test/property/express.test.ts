/**
 * Property-based tests of the Express adapter, on Express 4 and 5: one app per major with every way
 * of protecting a route (public routes, `cognitoAuth()` required and optional with `exclude`,
 * `preflight: 'respond'`, `requireAuth(rules)` guards, `app.all` handlers, standalone guards mounted
 * with `app.use(path, requireAuth(rules, options), handler)`), and arbitrary requests sent byte for
 * byte over a loopback socket.
 *
 * Property: a handler runs only when the reference model (arbitraries-http.ts, written from the
 * README) lets the request through, and sees exactly the identity of the token the request carried;
 * every answer is the handler's 200, a 400/401/403/503 with the right `WWW-Authenticate`, or one of
 * the framework's own answers (404, Express's automatic OPTIONS 200, Node's 400/431 for requests it
 * cannot parse) — never a 5xx, never a hang. Requests to an exact route path are predicted exactly
 * (status and error code); variants of a path (case, trailing slash, encodings, `*`) are held to
 * the safety part only, since how a framework routes them is its own business.
 */
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isVerifiedToken, type Verifier } from '@cognito-gate/core';
import { cognitoAuth, requireAuth } from '@cognito-gate/express';
import express5, { type Express, type RequestHandler } from 'express';
import express4 from 'express4';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPRESS_VERSIONS, localVerifier, testIssuer } from '../express/support.js';
import { propertyParameters } from '../support/property.js';
import {
  bodyField,
  type Catalogue,
  describeCase,
  type HttpCase,
  httpCaseArb,
  httpCredential,
  type Identity,
  identityOf,
  isPreflight,
  mintCatalogue,
  type PathSample,
  type RuleModel,
  rejectionProblem,
  renderHead,
  ruleFailure,
  type Sources,
  sameIdentity,
  sendRaw,
  statusOf,
  TOKEN_COOKIE,
  toAuthRules,
  transportProblem,
  type VerifierKind,
  verdict,
  verifyModel,
  type WireResponse,
} from './arbitraries-http.js';

// ---------------------------------------------------------------------------------------------
// The app, as a model
// ---------------------------------------------------------------------------------------------

/** A router with its own `cognitoAuth()`. */
interface Mount {
  readonly prefix: string;
  readonly optional: boolean;
  readonly sources: Sources;
  readonly exclude: readonly string[];
  readonly respondPreflight: boolean;
}

type Guard =
  | { readonly kind: 'none' }
  | { readonly kind: 'require'; readonly rules?: RuleModel }
  | {
      readonly kind: 'standalone';
      readonly verifier: VerifierKind;
      readonly sources: Sources;
      readonly rules?: RuleModel;
    };

interface Route {
  readonly id: string;
  /** `'ALL'` for `app.all` / `app.use`; a GET route also answers HEAD. */
  readonly methods: 'ALL' | readonly string[];
  readonly mount?: Mount;
  readonly guard: Guard;
  /** Its path is in the mount's `exclude` list (when requested exactly). */
  readonly excluded?: boolean;
}

const EVERY_SOURCE: Sources = { header: true, cookie: true, query: true };
const HEADER_ONLY: Sources = { header: true, cookie: false, query: false };
const NO_GUARD: Guard = { kind: 'none' };

const OPT: Mount = {
  prefix: '/opt',
  optional: true,
  sources: EVERY_SOURCE,
  exclude: ['/health', '/locked'],
  respondPreflight: false,
};
const REQ: Mount = {
  prefix: '/req',
  optional: false,
  sources: EVERY_SOURCE,
  exclude: [],
  respondPreflight: false,
};
const CORS: Mount = {
  prefix: '/cors',
  optional: false,
  sources: HEADER_ONLY,
  exclude: [],
  respondPreflight: true,
};

const all = (...values: string[]) => ({ any: false, values });
const anyOf = (...values: string[]) => ({ any: true, values });

const ROUTES = {
  public: { id: 'public', methods: ['GET'], guard: NO_GUARD },
  standalone: {
    id: 'standalone',
    methods: 'ALL',
    guard: {
      kind: 'standalone',
      verifier: 'any',
      sources: HEADER_ONLY,
      rules: { tokenUse: 'id', groups: all('dev') },
    },
  },
  direct: {
    id: 'direct',
    methods: 'ALL',
    guard: {
      kind: 'standalone',
      verifier: 'access',
      sources: { header: true, cookie: true, query: false },
      rules: { groups: all('dev') },
    },
  },
  optFeed: { id: 'opt.feed', methods: ['GET'], mount: OPT, guard: NO_GUARD },
  optHealth: { id: 'opt.health', methods: ['GET'], mount: OPT, guard: NO_GUARD, excluded: true },
  optLocked: { id: 'opt.locked', methods: 'ALL', mount: OPT, guard: { kind: 'require' }, excluded: true },
  optAdmin: {
    id: 'opt.admin',
    methods: 'ALL',
    mount: OPT,
    guard: { kind: 'require', rules: { groups: all('admin') } },
  },
  reqMe: { id: 'req.me', methods: ['GET'], mount: REQ, guard: NO_GUARD },
  reqOrder: {
    id: 'req.order',
    methods: ['GET'],
    mount: REQ,
    guard: { kind: 'require', rules: { scopes: all('orders/read') } },
  },
  reqOrders: {
    id: 'req.orders',
    methods: ['POST'],
    mount: REQ,
    guard: { kind: 'require', rules: { scopes: all('orders/write') } },
  },
  reqReports: {
    id: 'req.reports',
    methods: ['GET'],
    mount: REQ,
    guard: { kind: 'require', rules: { groups: anyOf('admin', 'finance') } },
  },
  reqAny: {
    id: 'req.any',
    methods: 'ALL',
    mount: REQ,
    guard: { kind: 'require', rules: { groups: all('admin', 'dev') } },
  },
  reqMounted: {
    id: 'req.mounted',
    methods: 'ALL',
    mount: REQ,
    guard: { kind: 'require', rules: { scopes: anyOf('orders/read', 'orders/write') } },
  },
  down: {
    id: 'down',
    methods: 'ALL',
    guard: { kind: 'standalone', verifier: 'down', sources: HEADER_ONLY },
  },
  corsData: {
    id: 'cors.data',
    methods: 'ALL',
    mount: CORS,
    guard: { kind: 'require', rules: { groups: all('admin') } },
  },
} satisfies Record<string, Route>;

/** A sample's path and the one method its route is for, if only one (GET routes also answer HEAD). */
function pathSample(sample: { readonly path: string; readonly route?: Route }): PathSample {
  const methods = sample.route?.methods;
  return { path: sample.path, method: Array.isArray(methods) ? methods[0] : undefined };
}

const BY_ID = new Map<string, Route>(Object.values(ROUTES).map((route: Route) => [route.id, route]));

/** The exact paths requests are derived from, and what they reach. */
const SAMPLES: readonly { readonly path: string; readonly route?: Route; readonly mount?: Mount }[] = [
  { path: '/public', route: ROUTES.public },
  { path: '/standalone', route: ROUTES.standalone },
  { path: '/direct', route: ROUTES.direct },
  { path: '/direct/sub/1', route: ROUTES.direct },
  { path: '/opt/feed', route: ROUTES.optFeed },
  { path: '/opt/health', route: ROUTES.optHealth },
  { path: '/opt/locked', route: ROUTES.optLocked },
  { path: '/opt/admin', route: ROUTES.optAdmin },
  { path: '/opt/nowhere', mount: OPT },
  { path: '/req/me', route: ROUTES.reqMe },
  { path: '/req/orders/17', route: ROUTES.reqOrder },
  { path: '/req/orders', route: ROUTES.reqOrders },
  { path: '/req/reports', route: ROUTES.reqReports },
  { path: '/req/any', route: ROUTES.reqAny },
  { path: '/req/mounted', route: ROUTES.reqMounted },
  { path: '/req/mounted/a/b', route: ROUTES.reqMounted },
  { path: '/req/nowhere', mount: REQ },
  { path: '/cors/data', route: ROUTES.corsData },
  { path: '/cors/nowhere', mount: CORS },
  { path: '/down', route: ROUTES.down },
  { path: '/nowhere' },
];

// ---------------------------------------------------------------------------------------------
// The app, for real
// ---------------------------------------------------------------------------------------------

interface Run {
  readonly route: string;
  readonly verified: boolean;
  readonly identity: Identity | undefined;
}

/** What handlers saw, by the request's `X-Case` header. */
const runs = new Map<string, Run[]>();

function record(route: string): RequestHandler {
  return function recordRun(req, res) {
    const id = String(req.headers['x-case']);
    const list = runs.get(id) ?? [];
    list.push({ route, verified: isVerifiedToken(req.auth), identity: identityOf(req.auth) });
    runs.set(id, list);
    res.status(200).setHeader('x-route', route);
    res.send('ran');
  };
}

const rules = (route: Route): ReturnType<typeof toAuthRules> =>
  toAuthRules(route.guard.kind === 'none' ? {} : (route.guard.rules ?? {}));

function buildApp(
  createApp: () => Express,
  Router: typeof express5.Router,
  verifier: Verifier,
  anyVerifier: Verifier,
  downVerifier: Verifier,
): Express {
  const app = createApp();
  app.all('/down', requireAuth(undefined, { verifier: downVerifier }), record('down'));
  app.get('/public', record('public'));
  app.all(
    '/standalone',
    requireAuth(rules(ROUTES.standalone), { verifier: anyVerifier }),
    record('standalone'),
  );
  app.use('/direct', requireAuth(rules(ROUTES.direct), { verifier, cookie: TOKEN_COOKIE }), record('direct'));

  const opt = Router();
  opt.use(
    cognitoAuth({ verifier, mode: 'optional', cookie: TOKEN_COOKIE, query: true, exclude: [...OPT.exclude] }),
  );
  opt.get('/feed', record('opt.feed'));
  opt.get('/health', record('opt.health'));
  opt.all('/locked', requireAuth(), record('opt.locked'));
  opt.all('/admin', requireAuth(rules(ROUTES.optAdmin)), record('opt.admin'));
  app.use('/opt', opt);

  const req = Router();
  req.use(cognitoAuth({ verifier, cookie: TOKEN_COOKIE, query: true }));
  req.get('/me', record('req.me'));
  req.get('/orders/:id', requireAuth(rules(ROUTES.reqOrder)), record('req.order'));
  req.post('/orders', requireAuth(rules(ROUTES.reqOrders)), record('req.orders'));
  req.get('/reports', requireAuth(rules(ROUTES.reqReports)), record('req.reports'));
  req.all('/any', requireAuth(rules(ROUTES.reqAny)), record('req.any'));
  req.use('/mounted', requireAuth(rules(ROUTES.reqMounted)), record('req.mounted'));
  app.use('/req', req);

  const cors = Router();
  cors.use(cognitoAuth({ verifier, preflight: 'respond' }));
  cors.all('/data', requireAuth(rules(ROUTES.corsData)), record('cors.data'));
  app.use('/cors', cors);
  return app;
}

// ---------------------------------------------------------------------------------------------
// The oracle
// ---------------------------------------------------------------------------------------------

type Outcome =
  | { readonly kind: 'handler'; readonly route: string; readonly identity: Identity | undefined }
  | { readonly kind: 'rejected'; readonly code: string }
  | { readonly kind: 'framework'; readonly status: number };

const rejected = (code: string): Outcome => ({ kind: 'rejected', code });

function methodMatches(methods: Route['methods'], method: string): boolean {
  if (methods === 'ALL') return true;
  return methods.includes(method) || (method === 'HEAD' && methods.includes('GET'));
}

/** What a request to an exact sample path must get, from the README's rules alone. */
function predict(request: HttpCase, sample: (typeof SAMPLES)[number]): Outcome {
  const route = sample.route;
  const mount = route?.mount ?? sample.mount;
  let identity: Identity | undefined;
  if (mount !== undefined) {
    if (mount.respondPreflight && isPreflight(request)) return { kind: 'framework', status: 204 };
    if (!mount.exclude.includes(sample.path.slice(mount.prefix.length))) {
      const v = verdict(httpCredential(request, mount.sources), {
        verifier: 'access',
        optional: mount.optional,
      });
      if (!v.pass) return rejected(v.code);
      identity = v.identity;
    }
  }
  if (route === undefined || !methodMatches(route.methods, request.method)) {
    // Express answers OPTIONS itself (200 with Allow) for a path that has routes.
    return { kind: 'framework', status: request.method === 'OPTIONS' && route !== undefined ? 200 : 404 };
  }
  const guard = route.guard;
  if (guard.kind === 'require') {
    if (identity === undefined) return rejected('missing_token');
    const failure = ruleFailure(identity, guard.rules);
    if (failure !== undefined) return rejected(failure);
  } else if (guard.kind === 'standalone') {
    const v = verdict(httpCredential(request, guard.sources), {
      verifier: guard.verifier,
      optional: false,
      rules: guard.rules,
    });
    if (!v.pass) return rejected(v.code);
    identity = v.identity;
  }
  return { kind: 'handler', route: route.id, identity };
}

/** Whatever the path looked like: may this handler have run, seeing this identity? */
function safetyProblem(route: Route, request: HttpCase, run: Run): string | undefined {
  const { guard, mount } = route;
  const required = guard.kind !== 'none' || (mount !== undefined && !mount.optional);
  if (run.identity === undefined) {
    if (required) return `${route.id} ran without a verified req.auth`;
    if (
      mount?.optional &&
      route.excluded !== true &&
      httpCredential(request, mount.sources).kind !== 'none'
    ) {
      return `${route.id} (optional) ran anonymously although the request carries a credential`;
    }
    return undefined;
  }
  if (!run.verified) return `${route.id} saw a req.auth that is not a verified token`;
  const sources = guard.kind === 'standalone' ? guard.sources : mount?.sources;
  if (sources === undefined) return `${route.id} is public but saw a req.auth`;
  const v = verdict(httpCredential(request, sources), {
    verifier: guard.kind === 'standalone' ? guard.verifier : 'access',
    optional: false,
    rules: guard.kind === 'none' ? undefined : guard.rules,
  });
  if (!v.pass) return `${route.id} ran, but the model answers ${v.code}`;
  if (!sameIdentity(v.identity, run.identity)) return `${route.id} saw another identity than the token's`;
  return undefined;
}

/** An answer no handler gave, for a request whose routing is the framework's business. */
function unroutedProblem(request: HttpCase, response: WireResponse): string | undefined {
  const { status, headers, body } = response;
  if (status === 404 || status === 405) return undefined;
  if (status === 200 && request.method === 'OPTIONS' && headers.allow !== undefined) return undefined;
  if (status === 204 && isPreflight(request)) return undefined;
  if (status === 400 && headers['www-authenticate'] === undefined) {
    // Express's own 400: a route parameter it cannot decode.
    return request.target.variant === 'bad-encoding' && body.includes('URIError')
      ? undefined
      : 'a 400 without a challenge';
  }
  if ([400, 401, 403, 503].includes(status))
    return rejectionProblem(status, headers, bodyField(body, 'error'));
  return `unexpected status ${status}`;
}

/** Everything wrong with the answer to `request`, or `undefined`. */
function judge(
  request: HttpCase,
  response: WireResponse,
  ran: readonly Run[],
  size: 'fits' | 'edge' | 'over',
): string | undefined {
  const { status, headers } = response;
  const transport = transportProblem(request, response, ran.length, size);
  if (transport !== undefined) return transport === 'ok' ? undefined : transport;
  const run = ran[0];
  if (run !== undefined) {
    if (status !== 200) return `${run.route} ran but the answer is ${status}`;
    const route = BY_ID.get(run.route)!;
    const problem = safetyProblem(route, request, run);
    if (problem !== undefined) return problem;
  }
  if (request.target.variant !== 'exact')
    return run === undefined ? unroutedProblem(request, response) : undefined;

  const expected = predict(request, SAMPLES[request.target.sample]!);
  switch (expected.kind) {
    case 'handler':
      if (run === undefined || run.route !== expected.route) {
        return `expected ${expected.route} to run, got ${status} ${bodyField(response.body, 'error') ?? ''}`;
      }
      return sameIdentity(run.identity, expected.identity) ? undefined : 'the handler saw another identity';
    case 'rejected': {
      if (run !== undefined) return `${run.route} ran; expected ${expected.code}`;
      const code = bodyField(response.body, 'error');
      if (status !== statusOf(expected.code) || (code !== undefined && code !== expected.code)) {
        return `expected ${statusOf(expected.code)} ${expected.code}, got ${status} ${code ?? ''}`;
      }
      if (code === undefined && request.method !== 'HEAD') return 'a rejection without a JSON body';
      return rejectionProblem(status, headers, expected.code);
    }
    case 'framework':
      return run === undefined && status === expected.status
        ? undefined
        : `expected the framework's ${expected.status}, got ${status}`;
  }
}

// ---------------------------------------------------------------------------------------------
// The properties
// ---------------------------------------------------------------------------------------------

const ROUTERS: Record<string, typeof express5.Router> = {
  'Express 5': express5.Router,
  'Express 4': express4.Router as unknown as typeof express5.Router,
};

let catalogue: Catalogue;
let verifier: Verifier;
let anyVerifier: Verifier;
let downVerifier: Verifier;

beforeAll(async () => {
  const issuer = await testIssuer();
  catalogue = await mintCatalogue(issuer);
  verifier = localVerifier(issuer);
  anyVerifier = localVerifier(issuer, { tokenUse: 'any' });
  // No keys, and a JWKS endpoint that cannot be reached: 503 with Retry-After.
  downVerifier = localVerifier(issuer, {
    jwks: { fetch: () => Promise.reject(new Error('connect ECONNREFUSED')), timeoutMs: 200 },
  });
});

it('the token catalogue verifies as the model says', async () => {
  for (const [kind, v] of [
    ['access', verifier],
    ['any', anyVerifier],
    ['down', downVerifier],
  ] as const) {
    for (const spec of catalogue.all) {
      const expected = verifyModel(spec, kind);
      const actual = await v.verify(spec.token).then(
        (auth) => identityOf(auth),
        (error: { code: string }) => error.code,
      );
      if (typeof expected === 'string') expect(actual, `${spec.label} (${kind})`).toBe(expected);
      else expect(sameIdentity(actual as Identity, expected), `${spec.label} (${kind})`).toBe(true);
    }
  }
});

describe.each(EXPRESS_VERSIONS)('$name', ({ name, createApp }) => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = buildApp(createApp, ROUTERS[name]!, verifier, anyVerifier, downVerifier).listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.close();
    await once(server, 'close');
  });

  it('runs a protected handler only with a verified token that satisfies its rules, and answers every request with a 2xx, a well-formed 400/401/403/503 or the framework’s 404', async () => {
    let counter = 0;
    await fc.assert(
      fc.asyncProperty(httpCaseArb(catalogue, SAMPLES.map(pathSample)), async (request) => {
        const id = `${name}-${++counter}`;
        const { head, size } = renderHead(request, id);
        const response = await sendRaw(port, head);
        const ran = runs.get(id) ?? [];
        runs.delete(id);
        const problem = judge(request, response, ran, size);
        if (problem !== undefined) {
          throw new Error(
            `${problem}\n  request: ${describeCase(request)}\n  answer: ${response.status} ${
              response.headers['www-authenticate'] ?? ''
            } ${response.body.slice(0, 120)}`,
          );
        }
      }),
      propertyParameters(2_000, 12_000),
    );
  }, 60_000);
});
