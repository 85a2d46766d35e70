/**
 * Checking deny-list entries at the boundary. Entries come from stores (Redis, DynamoDB, a table
 * anyone with write access can fill) and from callers of `deny()`, so each one is read defensively
 * (getters may throw, fields may have any type) and, where it can be read but not trusted, it is
 * read in the direction that denies more, never less:
 * - an identity (`jti`, `origin_jti`, `sub`) must be a non-empty string of bounded length: an entry
 *   without one cannot match any token, so it is skipped and reported;
 * - a missing or invalid `expiresAt` keeps the entry as long as any token could still be valid;
 *   one further out than that is brought back to it, so the list stays bounded;
 * - a `user` entry with an unreadable `before` covers every token the user holds now.
 */
import type { DenyEntry } from './deny-list-store.js';

/** Longest identity accepted: Cognito's are UUIDs; this leaves room for other issuers. */
export const MAX_IDENTITY_LENGTH = 1024;

type Kind = DenyEntry['kind'];

const IDENTITY: Readonly<Record<Kind, 'jti' | 'originJti' | 'sub'>> = Object.freeze({
  token: 'jti',
  session: 'originJti',
  user: 'sub',
});

const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

function identityOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_IDENTITY_LENGTH
    ? value
    : undefined;
}

/**
 * An entry as the deny-list holds it, or why it cannot be used (a one-line reason). `nowSeconds`
 * and `lifetimeSeconds` bound `expiresAt`; an entry already expired answers `'expired'`.
 *
 * @example
 * const entry = readEntry(JSON.parse(message), Date.now() / 1000, 86_400);
 * if (typeof entry === 'string') report(entry); else apply(entry);
 */
export function readEntry(raw: unknown, nowSeconds: number, lifetimeSeconds: number): DenyEntry | string {
  try {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'entry is not an object';
    const record = raw as Record<string, unknown>;
    const kind = record.kind;
    if (kind !== 'token' && kind !== 'session' && kind !== 'user') return 'unknown entry kind';
    const field = IDENTITY[kind];
    const id = identityOf(record[field]);
    if (id === undefined) return `${kind} entry without a usable ${field}`;
    const writtenAt = finite(record.writtenAt) ? { writtenAt: record.writtenAt } : {};
    // A sign-out at an unknown time is taken as "now": every token the user holds is covered.
    const before = kind === 'user' ? (finite(record.before) ? record.before : Math.floor(nowSeconds) + 1) : 0;
    // No covered token outlives (the later of now and `before`) plus the longest token lifetime.
    const ceiling = Math.max(nowSeconds, before) + lifetimeSeconds;
    const expiresAt = finite(record.expiresAt) ? Math.min(record.expiresAt, ceiling) : ceiling;
    if (expiresAt <= nowSeconds) return 'expired';
    if (kind === 'token') return { kind, jti: id, expiresAt, ...writtenAt };
    if (kind === 'session') return { kind, originJti: id, expiresAt, ...writtenAt };
    return { kind, sub: id, before, expiresAt, ...writtenAt };
  } catch {
    return 'entry could not be read';
  }
}
