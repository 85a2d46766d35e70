/**
 * A loopback front for the test issuer's JWKS server, adding the one thing its faults cannot send:
 * a `Retry-After` header on a 429 (`setFault({ type: 'status', status: 429 })` has no headers). It
 * forwards every request to the issuer's server as it is and passes the answer back, stops listening
 * while the issuer's server is `down` (so verifiers see connection refused, not a reset), and gives
 * up on the upstream request when the verifier does (a slow phase past its timeout).
 */
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface JwksFront {
  /** The JWKS URL verifiers fetch. */
  readonly jwksUri: string;
  /** Requests received since start. */
  readonly requestCount: number;
  /** Stop or resume listening (on the same port). */
  setDown(down: boolean): Promise<void>;
  /** Retry-After (seconds) added to 429 answers; undefined adds none. */
  setRetryAfter(seconds: number | undefined): void;
  close(): Promise<void>;
}

/**
 * Start a front for `upstreamJwksUri`.
 *
 * @example
 * const front = await startJwksFront(issuer.jwksUri);
 * createVerifier({ userPoolId, clientId, jwks: { uri: front.jwksUri } });
 */
export async function startJwksFront(upstreamJwksUri: string): Promise<JwksFront> {
  const upstream = new URL(upstreamJwksUri);
  let requestCount = 0;
  let retryAfter: number | undefined;
  let listening = false;
  let port = 0;
  const server = createServer((req, res) => {
    requestCount += 1;
    const outbound = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        headers: { accept: req.headers.accept ?? '*/*' },
        agent: false,
      },
      (answer) => {
        const headers = { ...answer.headers };
        if (answer.statusCode === 429 && retryAfter !== undefined)
          headers['retry-after'] = String(retryAfter);
        res.writeHead(answer.statusCode ?? 502, headers);
        answer.pipe(res);
      },
    );
    // The issuer's server went down mid-request, or cut it: end this one the same way.
    outbound.on('error', () => res.destroy());
    res.on('close', () => outbound.destroy());
    req.pipe(outbound);
  });
  server.on('clientError', (_error, socket) => socket.destroy());

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        port = (server.address() as AddressInfo).port;
        listening = true;
        resolve();
      });
    });
  const stop = () => {
    listening = false;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    return closed;
  };
  await listen();
  const path = upstream.pathname;

  return {
    jwksUri: `http://127.0.0.1:${port}${path}`,
    get requestCount() {
      return requestCount;
    },
    async setDown(down) {
      if (down && listening) await stop();
      else if (!down && !listening) await listen();
    },
    setRetryAfter(seconds) {
      retryAfter = seconds;
    },
    async close() {
      if (listening) await stop();
    },
  };
}
