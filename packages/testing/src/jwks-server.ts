/**
 * A loopback HTTP server that serves a JWKS the way Cognito does, with switchable faults.
 *
 * It listens on 127.0.0.1 only (tests never touch the network) and is built on `node:http` so it has
 * no dependency a user's test runner could conflict with. Closing it destroys every open connection
 * and cancels every delayed write, so a test that ends during a `hang` or `trickle` fault still exits.
 */
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { type JwksFault, ResponseTimers, respondWithFault, sendJson } from './faults.js';

/** Options for {@link startJwksServer}. */
export interface JwksServerOptions {
  /** Port on 127.0.0.1; a free one by default. */
  port?: number;
  /** Path the JWKS is served at (default `/.well-known/jwks.json`); other paths answer 404. */
  path?: string;
}

/** A running loopback JWKS server. */
export interface JwksServer {
  /** Origin, e.g. `http://127.0.0.1:43121`. */
  readonly url: string;
  readonly port: number;
  /** Full URL of the JWKS, to pass as a verifier's JWKS URI. */
  readonly jwksUri: string;
  /** Requests received (any path, faults included) since start or the last `resetCount()`. */
  readonly requestCount: number;
  /** Headers of the most recent request, e.g. to check a verifier's `user-agent`. */
  readonly lastRequestHeaders: IncomingHttpHeaders | undefined;
  /** The fault in force, or `null`. */
  readonly fault: JwksFault | null;
  resetCount(): void;
  /**
   * Puts on a fault, or restores normal service with `null`. Await it: entering or leaving `down`
   * stops or restarts listening (on the same port).
   */
  setFault(fault: JwksFault | null): Promise<void>;
  /** Serves `document` (JSON-encoded, anything) instead of the JWKS; `undefined` serves the JWKS again. */
  setJwks(document: unknown): void;
  /** Stops the server, destroys open connections and cancels pending timers. Idempotent. */
  close(): Promise<void>;
}

const DEFAULT_PATH = '/.well-known/jwks.json';

/**
 * Starts a loopback JWKS server that answers with `getJwks()` at each request, usable without an
 * issuer (for a JWKS the test builds itself).
 *
 * @example
 * ```ts
 * const server = await startJwksServer(() => ({ keys: [key.jwk] }));
 * const verifier = createVerifier({ userPoolId, clientId, jwks: { uri: server.jwksUri } });
 * await server.setFault({ type: 'status', status: 503 });
 * // ...
 * await server.close();
 * ```
 */
export async function startJwksServer(
  getJwks: () => unknown,
  options: JwksServerOptions = {},
): Promise<JwksServer> {
  const server = new LoopbackJwksServer(getJwks, options.path ?? DEFAULT_PATH);
  await server.start(options.port ?? 0);
  return server;
}

class LoopbackJwksServer implements JwksServer {
  readonly #getJwks: () => unknown;
  readonly #path: string;
  readonly #http: Server;
  readonly #timers = new ResponseTimers();
  #port = 0;
  #listening = false;
  #closed = false;
  #fault: JwksFault | null = null;
  #override: { document: unknown } | undefined;
  #requestCount = 0;
  #lastRequestHeaders: IncomingHttpHeaders | undefined;

  constructor(getJwks: () => unknown, path: string) {
    this.#getJwks = getJwks;
    this.#path = path;
    this.#http = createServer((req, res) => this.#handle(req, res));
    // A client that resets mid-request must not surface as an unhandled error in the test process.
    this.#http.on('clientError', (_error, socket) => socket.destroy());
  }

  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  get port(): number {
    return this.#port;
  }

  get jwksUri(): string {
    return `${this.url}${this.#path}`;
  }

  get requestCount(): number {
    return this.#requestCount;
  }

  get lastRequestHeaders(): IncomingHttpHeaders | undefined {
    return this.#lastRequestHeaders;
  }

  get fault(): JwksFault | null {
    return this.#fault;
  }

  resetCount(): void {
    this.#requestCount = 0;
  }

  async setFault(fault: JwksFault | null): Promise<void> {
    if (this.#closed) throw new Error('the JWKS server is closed');
    this.#fault = fault;
    const down = fault?.type === 'down';
    if (down && this.#listening) await this.#stopListening();
    else if (!down && !this.#listening) await this.#listen(this.#port);
  }

  setJwks(document: unknown): void {
    this.#override = document === undefined ? undefined : { document };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#fault = null;
    if (this.#listening) await this.#stopListening();
    this.#timers.clear();
  }

  async start(port: number): Promise<void> {
    await this.#listen(port);
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    this.#requestCount += 1;
    this.#lastRequestHeaders = req.headers;
    req.resume();
    const fault = this.#fault;
    if (fault?.type === 'down') {
      // Only a request already in flight on a kept-alive socket can get here: drop it like an outage.
      req.socket.destroy();
      return;
    }
    if (fault !== null) {
      respondWithFault(fault, res, () => this.#body(), this.#timers);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      sendJson(res, JSON.stringify({ message: 'Method Not Allowed' }), 405);
      return;
    }
    const pathname = (req.url ?? '/').split('?')[0];
    if (pathname !== this.#path) {
      sendJson(res, JSON.stringify({ message: 'Not Found' }), 404);
      return;
    }
    sendJson(res, this.#body());
  }

  #body(): string {
    const document = this.#override === undefined ? this.#getJwks() : this.#override.document;
    return JSON.stringify(document) ?? 'null';
  }

  #listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      this.#http.once('error', onError);
      this.#http.listen(port, '127.0.0.1', () => {
        this.#http.off('error', onError);
        this.#port = (this.#http.address() as AddressInfo).port;
        this.#listening = true;
        resolve();
      });
    });
  }

  #stopListening(): Promise<void> {
    this.#listening = false;
    const closed = new Promise<void>((resolve) => this.#http.close(() => resolve()));
    // close() alone waits for kept-alive and hanging connections; an outage or a shutdown must not.
    this.#http.closeAllConnections();
    this.#timers.clear();
    return closed;
  }
}
