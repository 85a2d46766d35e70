/**
 * `--serve`: the issuer and the three targets stay up on fixed loopback ports, with a small mint
 * endpoint so curl can get tokens without any other tool. Everything listens on 127.0.0.1 only, and
 * the mint endpoint also refuses requests whose `Host` is not a loopback name (a web page could
 * otherwise reach it through DNS rebinding).
 */
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { createTestIssuer, type TestIssuer } from '@cognito-gate/testing';
import { DEMO_USER_POOL_ID, type Output } from './run.js';
import type { TargetId } from './scenarios.js';
import { closeServer, defineTargets, demoVerifier, type ExampleApps, listen } from './targets.js';

export interface ServeOptions {
  /** Mint on `portBase`, Express +1, Fastify +2, the Lambda API +3, JWKS +4. Default 4010; 0: any free ports. */
  readonly portBase?: number;
  readonly apps?: ExampleApps;
  /** Where the instructions go. Default `process.stdout`. */
  readonly output?: Output;
}

export interface ServeUrls {
  /** `GET {mint}?groups=admin` answers a token. */
  readonly mint: string;
  readonly jwks: string;
  readonly express: string;
  readonly fastify: string;
  readonly lambda: string;
}

export interface ServeHandle {
  readonly urls: ServeUrls;
  /** Closes every server and verifier. Idempotent. */
  close(): Promise<void>;
}

export const DEFAULT_PORT_BASE = 4010;

/**
 * Starts everything and prints how to call it.
 *
 * @example
 * const handle = await startServe({ portBase: 4010 });
 * process.once('SIGINT', () => void handle.close());
 */
export async function startServe(options: ServeOptions = {}): Promise<ServeHandle> {
  const apps = options.apps ?? (await import('./apps.js')).exampleApps;
  const base = options.portBase ?? DEFAULT_PORT_BASE;
  const port = (offset: number) => (base === 0 ? 0 : base + offset);
  const issuer = await createTestIssuer({ userPoolId: DEMO_USER_POOL_ID });
  const closers: (() => Promise<void> | void)[] = [() => issuer.close()];
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      for (const closer of closers.reverse()) await closer();
    })();
    return closing;
  };
  try {
    await issuer.listen({ port: port(4) });
    const mintServer = createServer(mintEndpoint(issuer));
    const mintUrl = await listen(mintServer, port(0));
    closers.push(() => closeServer(mintServer));
    const started = new Map<TargetId, string>();
    for (const [i, target] of defineTargets(apps).entries()) {
      const verifier = await demoVerifier(issuer, 'warm');
      closers.push(() => verifier.close());
      const running = await target.start(verifier, { port: port(i + 1) });
      closers.push(() => running.close());
      started.set(target.id, running.url ?? '');
    }
    const urls: ServeUrls = {
      mint: `${mintUrl}/mint`,
      jwks: issuer.jwksUri,
      express: started.get('express') ?? '',
      fastify: started.get('fastify') ?? '',
      lambda: started.get('lambda') ?? '',
    };
    (options.output ?? process.stdout).write(instructions(urls));
    return { urls, close };
  } catch (error) {
    await close();
    throw error;
  }
}

function instructions(urls: ServeUrls): string {
  const bearer = '-H "Authorization: Bearer $TOKEN"';
  return [
    `cognito-gate demo: serving until Ctrl-C (tokens from a local issuer posing as user pool ${DEMO_USER_POOL_ID})`,
    '',
    `  mint         ${urls.mint}`,
    `  JWKS         ${urls.jwks}`,
    `  Express API  ${urls.express}  (examples/express-api)`,
    `  Fastify API  ${urls.fastify}  (examples/fastify-api)`,
    `  Lambda API   ${urls.lambda}  (examples/lambda-authorizer behind an API Gateway stand-in)`,
    '',
    'Mint a token (access by default; also type=id|m2m, groups=a,b, scopes=a,b, expired=1):',
    `  TOKEN=$(curl -s '${urls.mint}?groups=admin&scopes=orders/read')`,
    '',
    'Call the APIs with it:',
    `  curl -i ${bearer} ${urls.express}/me`,
    `  curl -i ${bearer} ${urls.fastify}/admin/users`,
    `  curl -i ${bearer} ${urls.express}/orders`,
    `  curl -i -X DELETE ${bearer} ${urls.lambda}/orders/42`,
    '',
    `Then try a token without the group ('${urls.mint}'), an ID token ('?type=id'), an expired one`,
    "('?expired=1'), or no Authorization header at all.",
    '',
  ].join('\n');
}

/** `GET /mint?type=&groups=&scopes=&expired=` → the token as text. */
function mintEndpoint(issuer: TestIssuer): RequestListener {
  return (req, res) => {
    if (!isLoopbackHost(req.headers.host)) return text(res, 403, 'loopback clients only');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/mint') return text(res, 404, 'try GET /mint?groups=admin');
    if (req.method !== 'GET') return text(res, 405, 'GET only');
    mint(issuer, url.searchParams).then(
      (token) => text(res, 200, token),
      (error: Error) => text(res, 400, error.message),
    );
  };
}

async function mint(issuer: TestIssuer, params: URLSearchParams): Promise<string> {
  const list = (name: string) => (params.get(name) ?? '').split(/[,\s]+/).filter(Boolean);
  const expired = ['1', 'true'].includes(params.get('expired') ?? '');
  const times = expired ? { issuedAt: Math.floor(Date.now() / 1000) - 7200 } : {};
  const type = params.get('type') ?? 'access';
  if (type === 'access')
    return issuer.accessToken({ groups: list('groups'), scopes: scopesOrDefault(list('scopes')), ...times });
  if (type === 'id') return issuer.idToken({ groups: list('groups'), ...times });
  if (type === 'm2m') return issuer.m2mToken({ scopes: scopesOrDefault(list('scopes')), ...times });
  throw new Error('type must be access, id or m2m');
}

/** No `scopes` parameter: the issuer's default scope, as Cognito would give. */
function scopesOrDefault(scopes: string[]): string[] | undefined {
  return scopes.length > 0 ? scopes : undefined;
}

function isLoopbackHost(host: string | undefined): boolean {
  if (host === undefined) return false;
  const name = host.replace(/:\d+$/, '');
  return name === 'localhost' || name === '[::1]' || /^127(\.\d{1,3}){3}$/.test(name);
}

function text(res: ServerResponse<IncomingMessage>, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`${body}\n`);
}
