/**
 * The wire form of a deny-list entry for stores that keep text (Redis members and pub/sub messages):
 * one JSON object with a fixed key order, so the same entry always encodes to the same string.
 * Decoding is a trust boundary: whatever a store returns may have been written by anyone with
 * access to it, so every field used is checked (type, length, time range) and an entry that fails
 * is refused with a reason, never thrown. The deny-list checks what it is given again (deny-entry.ts).
 */
import type { DenyEntry } from './deny-list-store.js';

/** Longest encoded entry accepted, in UTF-16 code units (Cognito ids are 36-character UUIDs). */
export const MAX_ENCODED_ENTRY_LENGTH = 4096;
/** Longest `jti`, `origin_jti` or `sub` accepted (the deny-list's own bound, `MAX_IDENTITY_LENGTH`). */
export const MAX_DENY_ID_LENGTH = 1024;
/** Latest accepted time: 9999-12-31T23:59:59Z, epoch seconds. */
const MAX_EPOCH_SECONDS = 253_402_300_799;

/** The result of {@link decodeDenyEntry}: the entry, or why the text was refused. */
export type DecodedDenyEntry =
  | { readonly ok: true; readonly entry: DenyEntry }
  | { readonly ok: false; readonly reason: string };

/**
 * Encodes an entry (after checking it, so a store never writes what it would refuse to read).
 * `writtenAt` is kept only when `withWrittenAt` is true: pub/sub messages carry it, so every
 * instance can measure propagation lag; stored members leave it out.
 *
 * @example
 * encodeDenyEntry({ kind: 'token', jti: 'a1b2', expiresAt: 1767225600 });
 * // '{"kind":"token","jti":"a1b2","expiresAt":1767225600}'
 */
export function encodeDenyEntry(entry: DenyEntry, withWrittenAt = false): string {
  const written =
    withWrittenAt && isEpochMilliseconds(entry.writtenAt) ? { writtenAt: entry.writtenAt } : undefined;
  const text =
    entry.kind === 'token'
      ? JSON.stringify({ kind: 'token', jti: entry.jti, expiresAt: entry.expiresAt, ...written })
      : entry.kind === 'session'
        ? JSON.stringify({
            kind: 'session',
            originJti: entry.originJti,
            expiresAt: entry.expiresAt,
            ...written,
          })
        : JSON.stringify({
            kind: 'user',
            sub: entry.sub,
            before: entry.before,
            expiresAt: entry.expiresAt,
            ...written,
          });
  const decoded = decodeDenyEntry(text);
  if (!decoded.ok) throw new TypeError(`invalid deny-list entry: ${decoded.reason}`);
  return text;
}

/**
 * Decodes and checks one stored entry. Refuses (with a short reason, safe to log: it never quotes
 * the input) anything but a JSON object of a known kind with a non-empty id of bounded length and
 * times (epoch seconds) after 1970 and before the year 10000; an optional `writtenAt` (epoch ms)
 * is kept when valid. Other fields are ignored.
 */
export function decodeDenyEntry(text: unknown): DecodedDenyEntry {
  if (typeof text !== 'string') return refuse('not text');
  if (text.length > MAX_ENCODED_ENTRY_LENGTH) return refuse('too long');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return refuse('not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return refuse('not an object');
  // JSON.parse makes plain data objects (a `__proto__` key is an own property, not a prototype),
  // and fields of a later version are ignored rather than refused: refusing an entry denies less.
  const record = value as Record<string, unknown>;
  const kind = record.kind;
  if (kind !== 'token' && kind !== 'session' && kind !== 'user') return refuse('unknown kind');
  const expiresAt = record.expiresAt;
  if (!isEpochSeconds(expiresAt)) return refuse('bad expiresAt');
  // Only for lag measurement: an unusable one is dropped, not a reason to refuse the entry.
  const writtenAt = isEpochMilliseconds(record.writtenAt) ? { writtenAt: record.writtenAt } : {};
  if (kind === 'token') {
    return isId(record.jti) ? accept({ kind, jti: record.jti, expiresAt, ...writtenAt }) : refuse('bad jti');
  }
  if (kind === 'session') {
    return isId(record.originJti)
      ? accept({ kind, originJti: record.originJti, expiresAt, ...writtenAt })
      : refuse('bad originJti');
  }
  if (!isId(record.sub)) return refuse('bad sub');
  if (!isEpochSeconds(record.before)) return refuse('bad before');
  return accept({ kind, sub: record.sub, before: record.before, expiresAt, ...writtenAt });
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_DENY_ID_LENGTH;
}

function isEpochSeconds(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= MAX_EPOCH_SECONDS;
}

function isEpochMilliseconds(value: unknown): value is number {
  return isEpochSeconds(typeof value === 'number' ? value / 1000 : value);
}

function accept(entry: DenyEntry): DecodedDenyEntry {
  return { ok: true, entry: Object.freeze(entry) };
}

function refuse(reason: string): DecodedDenyEntry {
  return { ok: false, reason };
}
