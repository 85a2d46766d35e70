/**
 * Real and imitated JWKS download failures without internet: a loopback port nobody listens on,
 * HTTPS servers on 127.0.0.1 with an expired or a self-signed certificate (made with the openssl
 * CLI at test time), a socket that dies mid-body, and errors shaped like undici's `fetch failed`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer, request as httpsRequest } from 'node:https';
import { createServer as createNetServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A loopback port that was free a moment ago: connecting to it is refused. */
export async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** undici's shape: `TypeError('fetch failed')` whose `cause` is the system error. */
export function fetchFailed(code: string, message: string): TypeError {
  return new TypeError('fetch failed', { cause: Object.assign(new Error(message), { code }) });
}

/** What happy eyeballs throws when every address refused: an AggregateError with an empty message. */
export function happyEyeballsRefused(port: number): TypeError {
  const attempts = [`::1:${port}`, `127.0.0.1:${port}`].map((address) =>
    Object.assign(new Error(`connect ECONNREFUSED ${address}`), { code: 'ECONNREFUSED' }),
  );
  const aggregate = Object.assign(new AggregateError(attempts, ''), { code: 'ECONNREFUSED' });
  return new TypeError('fetch failed', { cause: aggregate });
}

export interface Certificates {
  readonly key: Buffer;
  /** Valid for `localhost` and 127.0.0.1, but expired in 2020. */
  readonly expired: Buffer;
  /** Valid now, for the DNS name `localhost` only (not for the IP 127.0.0.1). */
  readonly localhostOnly: Buffer;
}

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** False when the openssl CLI is not installed: the TLS tests then skip, saying why. */
export const OPENSSL_AVAILABLE = hasOpenssl();

/** Two self-signed certificates for one P-256 key, made with the openssl CLI in a temp dir. */
export function makeCertificates(): Certificates {
  const dir = mkdtempSync(join(tmpdir(), 'cg-tls-'));
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  try {
    run('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'key.pem');
    run('req', '-x509', '-key', 'key.pem', '-out', 'localhost.pem', '-days', '2', '-subj', '/CN=localhost');
    run('req', '-new', '-key', 'key.pem', '-subj', '/CN=localhost', '-out', 'req.csr');
    // `openssl req` cannot back-date; `openssl ca` can, given a minimal configuration.
    writeFileSync(join(dir, 'index.txt'), '');
    writeFileSync(join(dir, 'serial.txt'), '01\n');
    writeFileSync(
      join(dir, 'ca.cnf'),
      [
        '[ca]',
        'default_ca = d',
        '[d]',
        'database = index.txt',
        'new_certs_dir = .',
        'serial = serial.txt',
        'default_md = sha256',
        'policy = p',
        '[p]',
        'commonName = supplied',
        '[ext]',
        'subjectAltName = DNS:localhost,IP:127.0.0.1',
        '',
      ].join('\n'),
    );
    run(
      'ca',
      '-batch',
      '-notext',
      '-selfsign',
      '-config',
      'ca.cnf',
      '-extensions',
      'ext',
      '-keyfile',
      'key.pem',
      '-in',
      'req.csr',
      '-out',
      'expired.pem',
      '-startdate',
      '20200101000000Z',
      '-enddate',
      '20200102000000Z',
    );
    const read = (name: string) => readFileSync(join(dir, name));
    return { key: read('key.pem'), expired: read('expired.pem'), localhostOnly: read('localhost.pem') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An HTTPS server on 127.0.0.1 serving `body` with `cert`; resolves to its base URL. */
export async function startTlsServer(
  key: Buffer,
  cert: Buffer,
  body: string,
): Promise<{ readonly url: string; close(): Promise<void> }> {
  const server = createHttpsServer({ key, cert }, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `https://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A minimal fetch over node:https that trusts `ca`, failing the way undici does (`TypeError('fetch
 * failed')` with the TLS error as its cause). The global fetch cannot be given a CA in-process.
 */
export function fetchTrusting(ca: Buffer): (url: string, init: RequestInit) => Promise<Response> {
  return (url) =>
    new Promise((resolve, reject) => {
      const request = httpsRequest(url, { ca }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve(new Response(Buffer.concat(chunks), { status: res.statusCode })));
      });
      request.on('error', (error) => reject(new TypeError('fetch failed', { cause: error })));
      request.end();
    });
}

/**
 * A loopback HTTP server that promises a 200 JSON body of 100 bytes, sends a few, then drops the
 * connection: the body read fails with undici's `terminated` / `other side closed`.
 */
export async function startDroppingServer(): Promise<{ readonly url: string; close(): Promise<void> }> {
  const server: Server = createNetServer((socket) => {
    socket.once('data', () => {
      socket.write(
        'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"keys":',
      );
      setTimeout(() => socket.destroy(), 20);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/jwks.json`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
