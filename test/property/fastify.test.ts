/**
 * Property-based tests of the Fastify plugin: one app with every way of protecting a route
 * (`config.auth` true, rules, `'optional'`, `false`; `defaultAuth` true and `'optional'`, with the
 * OPTIONS-only routes it leaves out; `app.all`; a multi-method route; `requireAuth(rules)` and
 * `authenticate` hooks; reply and throw error modes; a context whose getter reads a cookie with
 * `cookieToken`), and arbitrary requests sent byte for byte over a loopback socket.
 *
 * Property: a handler runs only when the reference model (arbitraries-http.ts, written from the
 * README) lets the request through, and sees exactly the identity of the token the request carried;
 * every answer is the handler's 200, a 400/401/403/503 with the right `WWW-Authenticate`, or one of
 * Fastify's own answers (404, its 400 for URLs and bodies it refuses, Node's 400/431 for requests
 * it cannot parse) — never a 5xx, never a hang. Requests to an exact route path are predicted
 * exactly (status and error code); variants of a path are held to the safety part only.
 */
import type { AddressInfo } from 'node:net';
import { isVerifiedToken, type Verifier } from '@cognito-gate/core';
import { cognitoGate, cookieToken } from '@cognito-gate/fastify';
import fc from 'fast-check';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newIssuer, verifierFor } from '../fastify/support.js';
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
  mintCatalogue,
  type PathSample,
  type RuleModel,
  rejectionProblem,
  renderHead,
  type Sources,
  sameIdentity,
  sendRaw,
  statusOf,
  TOKEN_COOKIE,
  toAuthRules,
  transportProblem,
  verdict,
  type WireResponse,
} from './arbitraries-http.js';

// ---------------------------------------------------------------------------------------------
// The app, as a model
// ---------------------------------------------------------------------------------------------

type Policy =
  | { readonly kind: 'public' }
  | { readonly kind: 'optional' }
  | { readonly kind: 'required'; readonly rules?: RuleModel };

interface Route {
  readonly id: string;
  /** `'ALL'` for `app.all`; a route with GET also answers HEAD (`exposeHeadRoutes`). */
  readonly methods: 'ALL' | readonly string[];
  /** Where the plugin of its context reads tokens; `undefined` outside any context. */
  readonly sources?: Sources;
  /** From `config.auth`, or the context's `defaultAuth`. */
  readonly policy: Policy;
  /** An `onRequest` hook of the route or its context: `requireAuth(rules)` or `authenticate`. */
  readonly hook?: { readonly rules?: RuleModel };
  /** The plugin's verifier: keys at hand (default) or none to be had. */
  readonly verifier?: 'access' | 'down';
}

const HEADER: Sources = { header: true, cookie: false, query: false };
const COOKIE: Sources = { header: false, cookie: true, query: false };
const PUBLIC: Policy = { kind: 'public' };
const OPTIONAL: Policy = { kind: 'optional' };
const REQUIRED: Policy = { kind: 'required' };

const all = (...values: string[]) => ({ any: false, values });
const anyOf = (...values: string[]) => ({ any: true, values });
const required = (rules: RuleModel): Policy => ({ kind: 'required', rules });

const ROUTES = {
  open: { id: 'open', methods: ['GET'], policy: PUBLIC },
  // Context /h: header tokens, defaultAuth: true, reply mode.
  me: { id: 'h.me', methods: ['GET'], sources: HEADER, policy: REQUIRED },
  public: { id: 'h.public', methods: ['GET'], sources: HEADER, policy: PUBLIC },
  feed: { id: 'h.feed', methods: ['GET'], sources: HEADER, policy: OPTIONAL },
  admin: { id: 'h.admin', methods: ['GET'], sources: HEADER, policy: required({ groups: all('admin') }) },
  orders: {
    id: 'h.orders',
    methods: ['POST'],
    sources: HEADER,
    policy: required({ scopes: all('orders/write') }),
  },
  order: {
    id: 'h.order',
    methods: ['GET'],
    sources: HEADER,
    policy: required({ scopes: anyOf('orders/read', 'orders/write') }),
  },
  multi: {
    id: 'h.multi',
    methods: ['GET', 'POST', 'OPTIONS'],
    sources: HEADER,
    policy: required({ groups: anyOf('admin', 'dev') }),
  },
  everything: {
    id: 'h.all',
    methods: 'ALL',
    sources: HEADER,
    policy: required({ groups: all('admin', 'dev') }),
  },
  cors: { id: 'h.cors', methods: ['OPTIONS'], sources: HEADER, policy: PUBLIC },
  guarded: {
    id: 'h.guarded',
    methods: ['GET'],
    sources: HEADER,
    policy: PUBLIC,
    hook: { rules: { groups: all('dev') } },
  },
  stats: { id: 'h.ctx', methods: ['GET'], sources: HEADER, policy: PUBLIC, hook: {} },
  // Context /c: cookie tokens through getToken, defaultAuth: 'optional', throw mode.
  cFeed: { id: 'c.feed', methods: ['GET'], sources: COOKIE, policy: OPTIONAL },
  cAdmin: { id: 'c.admin', methods: ['GET'], sources: COOKIE, policy: required({ groups: all('admin') }) },
  // Context /d: a verifier whose JWKS cannot be fetched.
  down: { id: 'd.data', methods: ['GET'], sources: HEADER, policy: REQUIRED, verifier: 'down' },
  cAny: { id: 'c.any', methods: 'ALL', sources: COOKIE, policy: required({ scopes: all('orders/read') }) },
} satisfies Record<string, Route>;

/** A sample's path and the one method its route is for, if only one (GET routes also answer HEAD). */
function pathSample(sample: { readonly path: string; readonly route?: Route }): PathSample {
  const methods = sample.route?.methods;
  return { path: sample.path, method: Array.isArray(methods) ? methods[0] : undefined };
}

const BY_ID = new Map<string, Route>(Object.values(ROUTES).map((route: Route) => [route.id, route]));

const SAMPLES: readonly { readonly path: string; readonly route?: Route }[] = [
  { path: '/open', route: ROUTES.open },
  { path: '/h/me', route: ROUTES.me },
  { path: '/h/public', route: ROUTES.public },
  { path: '/h/feed', route: ROUTES.feed },
  { path: '/h/admin', route: ROUTES.admin },
  { path: '/h/orders', route: ROUTES.orders },
  { path: '/h/orders/17', route: ROUTES.order },
  { path: '/h/multi', route: ROUTES.multi },
  { path: '/h/all', route: ROUTES.everything },
  { path: '/h/cors', route: ROUTES.cors },
  { path: '/h/guarded', route: ROUTES.guarded },
  { path: '/h/ctx/stats', route: ROUTES.stats },
  { path: '/h/nowhere' },
  { path: '/c/feed', route: ROUTES.cFeed },
  { path: '/c/admin', route: ROUTES.cAdmin },
  { path: '/c/any', route: ROUTES.cAny },
  { path: '/d/data', route: ROUTES.down },
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

const runs = new Map<string, Run[]>();

function record(route: string) {
  return function recordRun(request: FastifyRequest, reply: FastifyReply): void {
    const id = String(request.headers['x-case']);
    const list = runs.get(id) ?? [];
    const auth = (request as { auth?: unknown }).auth;
    list.push({ route, verified: isVerifiedToken(auth), identity: identityOf(auth) });
    runs.set(id, list);
    reply.code(200).header('x-route', route).send('ran');
  };
}

const rulesOf = (policy: Policy) => toAuthRules(policy.kind === 'required' ? (policy.rules ?? {}) : {});
const config = (route: Route) => ({ config: { auth: rulesOf(route.policy) } });

async function buildApp(verifier: Verifier, downVerifier: Verifier): Promise<FastifyInstance> {
  const app = Fastify();
  app.get('/open', record('open'));
  await app.register(
    async (h) => {
      await h.register(cognitoGate, { verifier, defaultAuth: true });
      h.get('/me', record('h.me'));
      h.get('/public', { config: { auth: false } }, record('h.public'));
      h.get('/feed', { config: { auth: 'optional' } }, record('h.feed'));
      h.get('/admin', config(ROUTES.admin), record('h.admin'));
      h.post('/orders', config(ROUTES.orders), record('h.orders'));
      h.get('/orders/:id', config(ROUTES.order), record('h.order'));
      h.route({
        method: ['GET', 'POST', 'OPTIONS'],
        url: '/multi',
        ...config(ROUTES.multi),
        handler: record('h.multi'),
      });
      h.all('/all', config(ROUTES.everything), record('h.all'));
      h.options('/cors', record('h.cors'));
      h.get(
        '/guarded',
        { config: { auth: false }, onRequest: h.requireAuth(toAuthRules(ROUTES.guarded.hook.rules)) },
        record('h.guarded'),
      );
      await h.register(async (ctx) => {
        ctx.addHook('onRequest', ctx.authenticate);
        ctx.get('/ctx/stats', { config: { auth: false } }, record('h.ctx'));
      });
    },
    { prefix: '/h' },
  );
  await app.register(
    async (c) => {
      await c.register(cognitoGate, {
        verifier,
        defaultAuth: 'optional',
        errorMode: 'throw',
        getToken: (request) => cookieToken(request.headers.cookie, TOKEN_COOKIE),
      });
      c.get('/feed', record('c.feed'));
      c.get('/admin', config(ROUTES.cAdmin), record('c.admin'));
      c.all('/any', config(ROUTES.cAny), record('c.any'));
    },
    { prefix: '/c' },
  );
  await app.register(
    async (d) => {
      await d.register(cognitoGate, { verifier: downVerifier, defaultAuth: true });
      d.get('/data', record('d.data'));
    },
    { prefix: '/d' },
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  return app;
}

// ---------------------------------------------------------------------------------------------
// The oracle
// ---------------------------------------------------------------------------------------------

type Outcome =
  | { readonly kind: 'handler'; readonly route: string; readonly identity: Identity | undefined }
  | { readonly kind: 'rejected'; readonly code: string }
  | { readonly kind: 'framework'; readonly status: number };

let supportedMethods: readonly string[] = [];

function methodMatches(methods: Route['methods'], method: string): boolean {
  if (methods === 'ALL') return supportedMethods.includes(method);
  return methods.includes(method) || (method === 'HEAD' && methods.includes('GET'));
}

/** The route's policy, then its hook, each judging the credential its context reads. */
function steps(route: Route): { optional: boolean; rules: RuleModel | undefined }[] {
  const list: { optional: boolean; rules: RuleModel | undefined }[] = [];
  if (route.policy.kind !== 'public') {
    list.push({
      optional: route.policy.kind === 'optional',
      rules: route.policy.kind === 'required' ? route.policy.rules : undefined,
    });
  }
  if (route.hook !== undefined) list.push({ optional: false, rules: route.hook.rules });
  return list;
}

function predict(request: HttpCase, sample: (typeof SAMPLES)[number]): Outcome {
  const route = sample.route;
  if (route === undefined || !methodMatches(route.methods, request.method))
    return { kind: 'framework', status: 404 };
  let identity: Identity | undefined;
  for (const step of steps(route)) {
    const v = verdict(httpCredential(request, route.sources!), {
      verifier: route.verifier ?? 'access',
      ...step,
    });
    if (!v.pass) return { kind: 'rejected', code: v.code };
    identity = v.identity;
  }
  return { kind: 'handler', route: route.id, identity };
}

function safetyProblem(route: Route, request: HttpCase, run: Run): string | undefined {
  const list = steps(route);
  if (run.identity === undefined) {
    if (list.some((step) => !step.optional)) return `${route.id} ran without a verified request.auth`;
    if (list.length > 0 && httpCredential(request, route.sources!).kind !== 'none') {
      return `${route.id} (optional) ran anonymously although the request carries a credential`;
    }
    return undefined;
  }
  if (!run.verified) return `${route.id} saw a request.auth that is not a verified token`;
  if (list.length === 0) return `${route.id} is public but saw a request.auth`;
  for (const step of list) {
    const v = verdict(httpCredential(request, route.sources!), {
      verifier: route.verifier ?? 'access',
      optional: false,
      rules: step.rules,
    });
    if (!v.pass) return `${route.id} ran, but the model answers ${v.code}`;
    if (!sameIdentity(v.identity, run.identity)) return `${route.id} saw another identity than the token's`;
  }
  return undefined;
}

function unroutedProblem(request: HttpCase, response: WireResponse): string | undefined {
  const { status, headers, body } = response;
  if (status === 404 || status === 405) return undefined;
  if ((status === 400 || status === 414) && headers['www-authenticate'] === undefined) {
    // Fastify's own refusals (a URL it cannot decode, a route parameter over 100 characters, QUERY
    // without a body type) carry FST_ codes; a HEAD answer has no body to show it.
    const own =
      (bodyField(body, 'code') ?? '').startsWith('FST_ERR_') ||
      (request.method === 'HEAD' && body === '' && ['bad-encoding', 'long'].includes(request.target.variant));
    return own ? undefined : `a ${status} without a challenge`;
  }
  if ([400, 401, 403, 503].includes(status))
    return rejectionProblem(status, headers, bodyField(body, 'code'));
  return `unexpected status ${status}`;
}

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
    const problem = safetyProblem(BY_ID.get(run.route)!, request, run);
    if (problem !== undefined) return problem;
  }
  // QUERY must carry a body type in Fastify, which answers before or after the hooks: not modelled.
  if (request.target.variant !== 'exact' || request.method === 'QUERY') {
    return run === undefined ? unroutedProblem(request, response) : undefined;
  }

  const expected = predict(request, SAMPLES[request.target.sample]!);
  switch (expected.kind) {
    case 'handler':
      if (run === undefined || run.route !== expected.route) {
        return `expected ${expected.route} to run, got ${status} ${bodyField(response.body, 'code') ?? ''}`;
      }
      return sameIdentity(run.identity, expected.identity) ? undefined : 'the handler saw another identity';
    case 'rejected': {
      if (run !== undefined) return `${run.route} ran; expected ${expected.code}`;
      const code = bodyField(response.body, 'code');
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
// The property
// ---------------------------------------------------------------------------------------------

let catalogue: Catalogue;
let app: FastifyInstance;
let port: number;

beforeAll(async () => {
  const issuer = await newIssuer();
  catalogue = await mintCatalogue(issuer);
  // No keys, and a JWKS endpoint that cannot be reached: 503 with Retry-After.
  const down = verifierFor(issuer, {
    jwks: { fetch: () => Promise.reject(new Error('connect ECONNREFUSED')), timeoutMs: 200 },
  });
  app = await buildApp(verifierFor(issuer), down);
  supportedMethods = app.supportedMethods;
  port = (app.server.address() as AddressInfo).port;
});
afterAll(async () => {
  await app.close();
});

it('runs a protected handler only with a verified token that satisfies its rules, and answers every request with a 2xx, a well-formed 400/401/403/503 or the framework’s 404', async () => {
  let counter = 0;
  await fc.assert(
    fc.asyncProperty(httpCaseArb(catalogue, SAMPLES.map(pathSample)), async (request) => {
      const id = `${++counter}`;
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
    propertyParameters(3_000, 15_000),
  );
  expect(runs.size).toBe(0);
}, 60_000);
