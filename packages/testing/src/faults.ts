/**
 * The ways a real JWKS endpoint misbehaves, as faults the loopback JWKS server can put on.
 *
 * Each fault is one failure a JWKS cache must survive: an outage, an error status, an endpoint that
 * answers too slowly or never, a captive portal's HTML page, a truncated or enormous body, a redirect
 * towards another host. The responders here only write the response; the server decides when a fault
 * applies, and owns the timers so that closing it cancels every delayed write.
 */
import { type ServerResponse, STATUS_CODES } from 'node:http';

/**
 * A misbehaviour of the loopback JWKS server; `setFault(null)` restores normal service. A fault applies
 * to every request the server receives, whatever its path.
 */
export type JwksFault =
  /** Connection refused: the server stops listening but keeps its port for when the fault is lifted. */
  | { type: 'down' }
  /** Answers with this status and body (by default a small JSON error). */
  | { type: 'status'; status: number; body?: string }
  /** Waits `delayMs` before writing anything, then serves the JWKS normally. */
  | { type: 'slowHeaders'; delayMs: number }
  /**
   * Sends the headers at once, then the valid JWKS `chunkSize` bytes (default 16) at a time, one chunk
   * every `chunkDelayMs`: the whole body takes about `length / chunkSize * chunkDelayMs`.
   */
  | { type: 'trickle'; chunkDelayMs: number; chunkSize?: number }
  /** 200 with an HTML error page, as a proxy or captive portal returns. */
  | { type: 'html' }
  /** 200 `application/json` whose body is not valid JSON (or is `body`). */
  | { type: 'malformed'; body?: string }
  /**
   * 200 with a body of exactly `bytes` bytes: a JSON prefix, then padding (the body is valid JSON when
   * it is long enough). Streamed in chunks, respecting backpressure, stopping when the client goes away.
   * No `content-length` unless `declareLength` is true, so a size cap must count what it reads.
   */
  | { type: 'huge'; bytes: number; declareLength?: boolean }
  /** Redirects (302 by default) to `location`; a verifier must not follow it. */
  | { type: 'redirect'; location: string; status?: number }
  /** Accepts the request and never answers, until the client gives up or the server closes. */
  | { type: 'hang' };

/** Timers started by delayed responses, so that closing the server cancels all of them. */
export class ResponseTimers {
  readonly #pending = new Set<NodeJS.Timeout>();

  /** Runs `fn` after `ms` unless the response is closed first (client gone, server closed). */
  after(res: ServerResponse, ms: number, fn: () => void): void {
    const cancel = (): void => {
      clearTimeout(timer);
      this.#pending.delete(timer);
    };
    const timer = setTimeout(() => {
      this.#pending.delete(timer);
      res.off('close', cancel);
      if (!res.destroyed) fn();
    }, ms);
    this.#pending.add(timer);
    res.once('close', cancel);
  }

  clear(): void {
    for (const timer of this.#pending) clearTimeout(timer);
    this.#pending.clear();
  }
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** Serves a JWKS body the way Cognito does: 200, JSON, with a length. */
export function sendJson(res: ServerResponse, body: string, status = 200): void {
  res.writeHead(status, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * Answers a request according to `fault`. `body` produces the valid JWKS for the faults that
 * eventually serve it (`slowHeaders`, `trickle`). `down` is not a response and is handled by the server.
 */
export function respondWithFault(
  fault: Exclude<JwksFault, { type: 'down' }>,
  res: ServerResponse,
  body: () => string,
  timers: ResponseTimers,
): void {
  switch (fault.type) {
    case 'status': {
      const text = fault.body ?? JSON.stringify({ message: STATUS_CODES[fault.status] ?? 'Error' });
      res.writeHead(fault.status, {
        'content-type': fault.body === undefined ? JSON_TYPE : 'text/plain; charset=utf-8',
        'content-length': Buffer.byteLength(text),
      });
      res.end(text);
      return;
    }
    case 'slowHeaders':
      timers.after(res, fault.delayMs, () => sendJson(res, body()));
      return;
    case 'trickle':
      trickle(res, Buffer.from(body()), Math.max(1, fault.chunkSize ?? 16), fault.chunkDelayMs, timers);
      return;
    case 'html': {
      const page =
        '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>';
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-length': Buffer.byteLength(page),
      });
      res.end(page);
      return;
    }
    case 'malformed':
      sendJson(res, fault.body ?? '{"keys":[{"kty":"RSA","kid":');
      return;
    case 'huge':
      huge(res, fault.bytes, fault.declareLength === true);
      return;
    case 'redirect':
      res.writeHead(fault.status ?? 302, { location: fault.location, 'content-length': 0 });
      res.end();
      return;
    case 'hang':
      // Deliberately no answer: the socket stays open until the client aborts or the server closes.
      return;
    default:
      fault satisfies never;
  }
}

function trickle(
  res: ServerResponse,
  bytes: Buffer,
  size: number,
  delayMs: number,
  timers: ResponseTimers,
): void {
  res.writeHead(200, { 'content-type': JSON_TYPE, 'content-length': bytes.length });
  res.flushHeaders();
  let offset = 0;
  const next = (): void => {
    const chunk = bytes.subarray(offset, offset + size);
    offset += chunk.length;
    if (offset >= bytes.length) {
      res.end(chunk);
      return;
    }
    res.write(chunk);
    timers.after(res, delayMs, next);
  };
  next();
}

const HUGE_PREFIX = Buffer.from('{"keys":[],"padding":"');
const HUGE_SUFFIX = Buffer.from('"}');
const PADDING = Buffer.alloc(64 * 1024, 'x');

function huge(res: ServerResponse, bytes: number, declareLength: boolean): void {
  res.writeHead(
    200,
    declareLength ? { 'content-type': JSON_TYPE, 'content-length': bytes } : { 'content-type': JSON_TYPE },
  );
  const chunks = hugeChunks(Math.max(0, Math.floor(bytes)));
  const pump = (): void => {
    for (;;) {
      if (res.destroyed) return;
      const { value, done } = chunks.next();
      if (done) {
        res.end();
        return;
      }
      // Wait for 'drain' when the socket buffer is full, so a huge body never sits in memory. If the
      // client goes away meanwhile, 'drain' never comes and the generator is simply dropped.
      if (!res.write(value)) {
        res.once('drain', pump);
        return;
      }
    }
  };
  pump();
}

function* hugeChunks(bytes: number): Generator<Buffer, void> {
  const head = HUGE_PREFIX.subarray(0, Math.min(HUGE_PREFIX.length, bytes));
  const tail = bytes >= HUGE_PREFIX.length + HUGE_SUFFIX.length ? HUGE_SUFFIX : Buffer.alloc(0);
  if (head.length > 0) yield head;
  let padding = bytes - head.length - tail.length;
  while (padding > 0) {
    const n = Math.min(padding, PADDING.length);
    yield PADDING.subarray(0, n);
    padding -= n;
  }
  if (tail.length > 0) yield tail;
}
