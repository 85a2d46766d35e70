/**
 * The three targets of the demo behind one interface: the Express and Fastify example APIs, listening
 * on loopback and called with real HTTP requests, and the Lambda authorizer example behind the
 * API Gateway stand-in, invoked in process (or over HTTP in `--serve` mode). Each target is started
 * with a verifier, so the runner decides whether it has warm keys or a cold start.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AUTH_ERROR_CODES, createVerifier, type Verifier } from '@cognito-gate/core';
import type { PolicyAuthorizerResult, RestTokenAuthorizerEvent } from '@cognito-gate/lambda';
import type { TestIssuer } from '@cognito-gate/testing';
import {
  createRestGateway,
  type GatewayProxyEvent,
  type GatewayRequest,
  type GatewayResponse,
} from './gateway.js';
import type { TargetId } from './scenarios.js';

/**
 * The example applications, passed in rather than imported here: the demo's entry point loads their
 * builds by package name, tests load their sources.
 */
export interface ExampleApps {
  /** examples/express-api `createApp`. */
  readonly express: (options: { verifier: Verifier }) => RequestListener;
  /** examples/fastify-api `buildApp`. */
  readonly fastify: (options: { verifier: Verifier }) => Promise<{
    listen(options: { port: number; host: string }): Promise<string>;
    close(): PromiseLike<unknown>;
  }>;
  /** examples/lambda-authorizer `createAuthorizer`. */
  readonly createAuthorizer: (
    verifier: Verifier,
    setup: { log: (line: string) => void },
  ) => (event: RestTokenAuthorizerEvent) => Promise<PolicyAuthorizerResult>;
  /** examples/lambda-authorizer `api.ts` `handler`. */
  readonly api: (event: GatewayProxyEvent) => Promise<{ statusCode: number; body: string }>;
}

/** A request as the scenarios describe it. */
export type DemoRequest = GatewayRequest;

/** What came back, reduced to what the table shows. */
export interface Observed {
  readonly status: number;
  /** Our `AuthError` code, from the response body (HTTP) or the authorizer's decision (Lambda). */
  readonly code?: string;
  readonly wwwAuthenticate?: string;
  readonly retryAfter?: string;
  /** Who answered, when it was not the code under test (API Gateway on its own). */
  readonly note?: string;
}

export interface RunningTarget {
  /** Base URL, when the target listens on HTTP. */
  readonly url: string | undefined;
  send(request: DemoRequest): Promise<Observed>;
  close(): Promise<void>;
}

export interface TargetDefinition {
  readonly id: TargetId;
  readonly title: string;
  /** The example folder it runs. */
  readonly source: string;
  /** `http`: Express and Fastify share a script; `lambda`: API Gateway in front. */
  readonly kind: 'http' | 'lambda';
  /** Starts it. HTTP targets listen on `port` (0: any free one); the Lambda one only if `port` is set. */
  start(verifier: Verifier, options?: { port?: number }): Promise<RunningTarget>;
}

/** The routes of examples/lambda-authorizer/template.yaml. */
export const LAMBDA_ROUTES = ['GET /me', 'GET /orders', 'DELETE /orders/{id}'] as const;

/**
 * A verifier over the issuer's loopback JWKS; `warm` fetches the keys before returning. The short
 * timeout keeps a failing fetch from slowing the demo down.
 *
 * @example
 * const verifier = await demoVerifier(issuer, 'warm');
 */
export async function demoVerifier(issuer: TestIssuer, state: 'warm' | 'cold'): Promise<Verifier> {
  const verifier = createVerifier({
    userPoolId: issuer.userPoolId,
    clientId: issuer.clientId,
    jwks: { uri: issuer.jwksUri, timeoutMs: 500 },
  });
  if (state === 'warm') {
    const report = await verifier.hydrate();
    if (!report.ok) throw new Error('the demo verifier could not load the local JWKS');
  }
  return verifier;
}

/**
 * The demo's targets, in table order.
 *
 * @example
 * for (const target of defineTargets(apps)) { const running = await target.start(verifier); … }
 */
export function defineTargets(apps: ExampleApps): TargetDefinition[] {
  return [
    {
      id: 'express',
      title: 'Express API',
      source: 'examples/express-api',
      kind: 'http',
      async start(verifier, { port = 0 } = {}) {
        const server = createServer(apps.express({ verifier }));
        return httpTarget(await listen(server, port), () => closeServer(server));
      },
    },
    {
      id: 'fastify',
      title: 'Fastify API',
      source: 'examples/fastify-api',
      kind: 'http',
      async start(verifier, { port = 0 } = {}) {
        const app = await apps.fastify({ verifier });
        const url = await app.listen({ port, host: '127.0.0.1' });
        return httpTarget(url, async () => void (await app.close()));
      },
    },
    {
      id: 'lambda',
      title: 'REST API + Lambda TOKEN authorizer',
      source: 'examples/lambda-authorizer',
      kind: 'lambda',
      start: (verifier, options = {}) => lambdaTarget(apps, verifier, options.port),
    },
  ];
}

function httpTarget(url: string, close: () => Promise<void>): RunningTarget {
  return { url, send: (request) => sendHttp(url, request), close };
}

async function sendHttp(url: string, request: DemoRequest): Promise<Observed> {
  const headers: Record<string, string> = {};
  if (request.authorization !== undefined) headers.authorization = request.authorization;
  const res = await fetch(url + request.path, { method: request.method, headers });
  const text = await res.text();
  return {
    status: res.status,
    code: res.status >= 400 ? codeOf(text) : undefined,
    wwwAuthenticate: res.headers.get('www-authenticate') ?? undefined,
    retryAfter: res.headers.get('retry-after') ?? undefined,
  };
}

/** Our code from either body shape: Express `{ error }`, Fastify `{ code }`. */
function codeOf(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { code, error } = parsed as { code?: unknown; error?: unknown };
  for (const value of [code, error]) {
    if (typeof value === 'string' && Object.hasOwn(AUTH_ERROR_CODES, value)) return value;
  }
  return undefined;
}

async function lambdaTarget(
  apps: ExampleApps,
  verifier: Verifier,
  port: number | undefined,
): Promise<RunningTarget> {
  // The example logs one metric line per decision; its `code` is the reason API Gateway never shows.
  let lastCode: string | undefined;
  const authorizer = apps.createAuthorizer(verifier, {
    log: (line) => {
      lastCode = (JSON.parse(line) as { code?: string }).code;
    },
  });
  const gateway = createRestGateway({
    authorizer,
    integration: apps.api,
    routes: LAMBDA_ROUTES,
    region: 'us-east-1',
    // As the example's template.yaml configures the UNAUTHORIZED gateway response.
    unauthorizedHeaders: { 'www-authenticate': 'Bearer realm="api"' },
  });
  const send = async (request: DemoRequest): Promise<Observed> => {
    lastCode = undefined;
    const res = await gateway(request);
    return {
      status: res.statusCode,
      code: res.authorizerInvoked ? lastCode : undefined,
      wwwAuthenticate: res.headers['www-authenticate'],
      note: res.authorizerInvoked ? undefined : 'API Gateway itself',
    };
  };
  if (port === undefined) return { url: undefined, send, close: async () => {} };
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    gateway({ method: req.method ?? 'GET', path, authorization: req.headers.authorization }).then(
      (response: GatewayResponse) => res.writeHead(response.statusCode, response.headers).end(response.body),
      () => res.writeHead(500).end(),
    );
  });
  return { url: await listen(server, port), send, close: () => closeServer(server) };
}

/** Listens on 127.0.0.1 and resolves with the base URL. */
export function listen(server: Server, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    });
  });
}

/** Closes the server and every connection it still holds (keep-alive ones included). */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
