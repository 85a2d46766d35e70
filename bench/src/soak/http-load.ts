/**
 * The HTTP side of the soak: GET requests of the mix (mix.ts) to one example API at a fixed rate over
 * kept-alive loopback connections, each answer counted as its status and our error code (`401
 * expired`), read from either body shape (Express `{ error }`, Fastify `{ code }`). A 503
 * `jwks_unavailable` is marked expected only when the target had loaded no key set when the request
 * left. Transport failures count as `timeout` or `socket <code>`.
 */
import { Agent, request } from 'node:http';
import { startFixedRate } from './fixed-rate.js';
import { draw, type MixFlags, seededRandom, type TokenPools } from './mix.js';
import { KEYS_LOADED, NO_KEYS_YET, Tally } from './tally.js';

const MAX_IN_FLIGHT = 256;
const TIMEOUT_MS = 10_000;

export interface HttpLoadOptions {
  /** Base URL, `http://127.0.0.1:port`. */
  readonly url: string;
  readonly pools: TokenPools;
  readonly seed: number;
  /** Requests per second. */
  readonly rate: number;
  readonly flags: () => MixFlags;
  readonly keysLoaded: () => boolean;
}

export interface HttpLoad {
  readonly tally: Tally;
  readonly shed: number;
  /** When, in epoch ms. */
  readonly shedAt: readonly number[];
  stop(): Promise<void>;
}

/** Our error code from the body, if it carries one. */
function codeOf(body: string): string | undefined {
  if (body.length === 0 || body[0] !== '{') return undefined;
  try {
    const { code, error } = JSON.parse(body) as { code?: unknown; error?: unknown };
    if (typeof code === 'string') return code;
    if (typeof error === 'string') return error;
  } catch {
    // Not JSON: the status alone describes it.
  }
  return undefined;
}

/**
 * The outcome label of one answer.
 *
 * @example
 * outcomeOf(503, '{"error":"jwks_unavailable"}', false) // '503 jwks_unavailable (no keys yet)'
 */
export function outcomeOf(status: number, body: string, keysLoaded: boolean): string {
  if (status < 400) return String(status);
  const code = codeOf(body);
  const label = code === undefined ? String(status) : `${status} ${code}`;
  if (code === 'jwks_unavailable') return `${label} ${keysLoaded ? KEYS_LOADED : NO_KEYS_YET}`;
  return label;
}

/**
 * Start loading `url`; `stop()` waits for the requests in flight and closes the connections.
 *
 * @example
 * const load = startHttpLoad({ url, pools, seed: 1, rate: 600, flags: () => flags, keysLoaded });
 */
export function startHttpLoad(options: HttpLoadOptions): HttpLoad {
  const target = new URL(options.url);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const random = seededRandom(options.seed);
  const tally = new Tally();
  const load = startFixedRate(options.rate, MAX_IN_FLIGHT, () => {
    const { kind, route, token, cycle } = draw(random, options.pools, options.flags());
    const loadedAtStart = options.keysLoaded();
    return new Promise<void>((resolve) => {
      let settled = false;
      const finish = (outcome: string) => {
        if (settled) return;
        settled = true;
        tally.add(kind, outcome);
        resolve();
      };
      const req = request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: route.path,
          headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
          timeout: TIMEOUT_MS,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            // 403: the token verified, the route wanted another scope.
            if (cycle !== undefined && (status === 200 || status === 403)) tally.acceptedRotated(cycle);
            finish(outcomeOf(status, Buffer.concat(chunks).toString(), loadedAtStart));
          });
          res.on('error', () => finish('socket response aborted'));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (error: NodeJS.ErrnoException) =>
        finish(error.message === 'timeout' ? 'timeout' : `socket ${error.code ?? error.message}`),
      );
      req.end();
    });
  });
  return {
    tally,
    get shed() {
      return load.shed;
    },
    shedAt: load.shedAt,
    async stop() {
      await load.stop();
      agent.destroy();
    },
  };
}
