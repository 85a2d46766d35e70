/**
 * A deny-list store in one DynamoDB table, for fleets without a shared network (Lambda authorizers
 * outside a VPC). DynamoDB has no push: `push` is false and every instance reloads the whole list
 * with `load()` on the deny-list's `refreshIntervalMs`, so a sign-out reaches an instance within one
 * interval (plus the Scan's duration). The list stays small because every entry expires once no
 * token it covers can still be valid (at most a day for Cognito tokens).
 *
 * Table: partition key `pk` (string) `token#<jti>`, `session#<origin_jti>` or `user#<sub>`;
 * `expiresAt` (number, epoch seconds; enable DynamoDB TTL on it), `before` (number, epoch seconds)
 * on user items, and `writtenAt` (number, epoch ms; optional, for the deny-list's lag events).
 * One more item, `meta#change`, holds a random string rewritten after every `add()`: a refresh
 * reads it (one GetItem) and Scans only when it changed (or once a minute), so an idle list costs
 * one read per instance per interval instead of the whole table.
 *
 * TTL deletes lazily (often hours late), so `load()` drops expired items itself. Everything read
 * is hostile until checked: a malformed item is skipped and reported (`onInvalidItem`), never
 * thrown, and never read "in the direction that denies more" as pushed entries are: an item that
 * stays in the table with an unreadable expiry would be read that way at every refresh and, since
 * TTL never deletes an item whose TTL attribute is not a number, would lock its user out for good.
 * `add()` overwrites a malformed item of the same key.
 *
 * The AWS SDK v3 (`@aws-sdk/client-dynamodb`) is an optional peer dependency: only this module and
 * its entry point (`@cognito-gate/core/dynamodb`) load it.
 */
import { randomUUID } from 'node:crypto';
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { DenyEntry, DenyListStore, DenyStoreListener } from './deny-list-store.js';
import { fail } from './options.js';

/** Why a store call failed. `unavailable`: DynamoDB refused or could not be reached. */
export type DynamoDbStoreErrorCode =
  | 'unavailable'
  | 'timeout'
  | 'too_many_items'
  | 'invalid_entry'
  | 'closed';

/** Raised (as a rejection) by the store's methods; the deny-list decides what it means. */
export class DynamoDbStoreError extends Error {
  override readonly name = 'DynamoDbStoreError';
  readonly code: DynamoDbStoreErrorCode;
  constructor(code: DynamoDbStoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(`cognito-gate: ${message}`, options);
    this.code = code;
  }
}

export interface DynamoDbStoreOptions {
  /** A caller-created `DynamoDBClient` (region, credentials, retries). `close()` leaves it open. */
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Partition key attribute (string). Default `pk`. */
  readonly partitionKey?: string;
  /** Expiry attribute (number, epoch seconds), also the table's TTL attribute. Default `expiresAt`. */
  readonly expiresAtAttribute?: string;
  /** Strongly consistent Scans, so a refresh sees every write acknowledged before it. Default true. */
  readonly consistentRead?: boolean;
  /** Items per Scan page (`Limit`). Default 1000. */
  readonly pageSize?: number;
  /** Scan pages per `load()`; more means the table is not a deny-list and `load()` rejects. Default 100. */
  readonly maxPages?: number;
  /** Deadline for each DynamoDB call, in ms. Default 3000. */
  readonly timeoutMs?: number;
  /** Clock (ms) for dropping expired items. Default `Date.now`. */
  readonly now?: () => number;
  /** Told about each item `load()` skipped (operator-facing; never includes item values). */
  readonly onInvalidItem?: (reason: string) => void;
  /**
   * Keep a change marker (the item `meta#change`, rewritten after every `add()`) and skip the Scan
   * while it is unchanged: a refresh then costs one GetItem instead of reading the whole table.
   * Default true. Entries written into the table by other means are seen at the next full Scan.
   */
  readonly changeMarker?: boolean;
  /** With `changeMarker`, Scan anyway after this long, in ms. Default 60,000. */
  readonly fullScanIntervalMs?: number;
}

const KEYS = new Set([
  'client',
  'tableName',
  'partitionKey',
  'expiresAtAttribute',
  'consistentRead',
  'pageSize',
  'maxPages',
  'timeoutMs',
  'now',
  'onInvalidItem',
  'changeMarker',
  'fullScanIntervalMs',
]);

/** The change marker's key and attribute (a random string, replaced after every add). */
const MARKER_KEY = 'meta#change';
const MARKER_ATTRIBUTE = 'change';

/** Longest `jti`, `origin_jti` or `sub` accepted (the deny-list's bound; Cognito's are 36-character UUIDs). */
const MAX_VALUE_LENGTH = 1024;
/** Latest accepted time: 9999-12-31T23:59:59Z, epoch seconds. */
const MAX_EPOCH_SECONDS = 253_402_300_799;
const KEY_PATTERN = /^(token|session|user)#([\s\S]+)$/;
/** DynamoDB writes numbers as decimal strings; we accept plain integers and decimals only. */
const NUMBER_PATTERN = /^-?\d{1,15}(\.\d{1,9})?$/;

function positiveInteger(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    fail(`createDynamoDbStore ${name} must be a positive integer`);
  }
  return value;
}

function attributeName(value: unknown, name: string, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !/^[A-Za-z0-9_.-]{1,255}$/.test(value)) {
    fail(`createDynamoDbStore ${name} must be an attribute name`);
  }
  return value;
}

/** The number an attribute holds, or undefined when it is missing, of another type, or not finite. */
function numberOf(attribute: AttributeValue | undefined): number | undefined {
  if (typeof attribute !== 'object' || attribute === null) return undefined;
  const text = (attribute as { N?: unknown }).N;
  if (typeof text !== 'string' || !NUMBER_PATTERN.test(text)) return undefined;
  return Number(text);
}

/** The DynamoDB key of an entry. */
export function entryKey(entry: DenyEntry): string {
  switch (entry.kind) {
    case 'token':
      return `token#${entry.jti}`;
    case 'session':
      return `session#${entry.originJti}`;
    case 'user':
      return `user#${entry.sub}`;
  }
}

function validValue(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_VALUE_LENGTH;
}

function validTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= MAX_EPOCH_SECONDS;
}

/** Checks an entry handed to `add()` (ours, but a store checks what it writes too). */
function checkEntry(entry: DenyEntry): void {
  const value =
    entry?.kind === 'token'
      ? entry.jti
      : entry?.kind === 'session'
        ? entry.originJti
        : entry?.kind === 'user'
          ? entry.sub
          : undefined;
  const timesOk = validTime(entry?.expiresAt) && (entry?.kind !== 'user' || validTime(entry.before));
  if (!validValue(value) || !timesOk) {
    throw new DynamoDbStoreError('invalid_entry', 'the deny entry is malformed');
  }
}

/**
 * A `DenyListStore` over one DynamoDB table (create it with `createDenyTable`).
 *
 * @example
 * import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
 * import { createDynamoDbStore } from '@cognito-gate/core/dynamodb';
 *
 * const store = createDynamoDbStore({ client: new DynamoDBClient({}), tableName: 'cognito-deny-list' });
 * const denyList = createDenyList({ store, refreshIntervalMs: 5000 });
 */
export function createDynamoDbStore(options: DynamoDbStoreOptions): DenyListStore {
  if (typeof options !== 'object' || options === null) fail('createDynamoDbStore needs an options object');
  const unknown = Object.keys(options).filter((key) => !KEYS.has(key));
  if (unknown.length > 0) fail(`unknown option(s) ${unknown.join(', ')} in createDynamoDbStore`);
  const { client, tableName } = options;
  if (typeof client !== 'object' || client === null || typeof client.send !== 'function') {
    fail('createDynamoDbStore client must be a DynamoDBClient');
  }
  if (typeof tableName !== 'string' || !/^[A-Za-z0-9_.-]{3,255}$/.test(tableName)) {
    fail('createDynamoDbStore tableName must be a DynamoDB table name');
  }
  const pk = attributeName(options.partitionKey, 'partitionKey', 'pk');
  const expiresAtName = attributeName(options.expiresAtAttribute, 'expiresAtAttribute', 'expiresAt');
  if (new Set([pk, expiresAtName, 'before', 'writtenAt', MARKER_ATTRIBUTE]).size !== 5) {
    fail(
      'createDynamoDbStore partitionKey and expiresAtAttribute must differ from each other and from before, writtenAt, change',
    );
  }
  const pageSize = positiveInteger(options.pageSize, 'pageSize', 1000);
  const maxPages = positiveInteger(options.maxPages, 'maxPages', 100);
  const timeoutMs = positiveInteger(options.timeoutMs, 'timeoutMs', 3000);
  const consistentRead = options.consistentRead ?? true;
  if (typeof consistentRead !== 'boolean') fail('createDynamoDbStore consistentRead must be a boolean');
  const now = options.now ?? Date.now;
  if (typeof now !== 'function') fail('createDynamoDbStore now must be a function');
  const changeMarker = options.changeMarker ?? true;
  if (typeof changeMarker !== 'boolean') fail('createDynamoDbStore changeMarker must be a boolean');
  const fullScanIntervalMs = positiveInteger(options.fullScanIntervalMs, 'fullScanIntervalMs', 60_000);
  const onInvalidItem = options.onInvalidItem;
  if (onInvalidItem !== undefined && typeof onInvalidItem !== 'function') {
    fail('createDynamoDbStore onInvalidItem must be a function');
  }

  const listeners = new Set<DenyStoreListener>();
  let closed = false;
  let lastStatus: 'connected' | 'disconnected' | undefined;
  /** The last full Scan, and the change marker read just before it. */
  let scanned: { marker: string | undefined; at: number; entries: readonly DenyEntry[] } | undefined;

  const tell = (each: (listener: DenyStoreListener) => void) => {
    for (const listener of listeners) {
      try {
        each(listener);
      } catch {
        // A listener must not throw; if it does, the others still hear.
      }
    }
  };
  const status = (ok: boolean, error?: unknown) => {
    const type = ok ? 'connected' : 'disconnected';
    if (type === lastStatus && ok) return;
    lastStatus = type;
    tell((listener) =>
      listener.status(ok ? { type: 'connected' } : { type: 'disconnected', error: describe(error) }),
    );
  };
  const skip = (reason: string) => {
    try {
      onInvalidItem?.(reason);
    } catch {
      // operator callback; never fatal
    }
  };

  /** Sends one command with the deadline; every failure becomes a `DynamoDbStoreError`. */
  const send = async <T>(run: (options: { abortSignal: AbortSignal }) => Promise<T>): Promise<T> => {
    if (closed) throw new DynamoDbStoreError('closed', 'the DynamoDB store is closed');
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      return await run({ abortSignal: signal });
    } catch (error) {
      if (isConditionFailure(error)) throw error;
      if (signal.aborted) {
        throw new DynamoDbStoreError('timeout', `DynamoDB did not answer within ${timeoutMs} ms`, {
          cause: error,
        });
      }
      throw new DynamoDbStoreError('unavailable', `DynamoDB failed: ${describe(error)}`, { cause: error });
    }
  };

  /** One item read from the table, checked; undefined (and reported) when malformed or expired. */
  const parse = (
    item: Record<string, AttributeValue> | undefined,
    nowSeconds: number,
  ): DenyEntry | undefined => {
    if (typeof item !== 'object' || item === null) return void skip('an item that is not a map');
    const key = (item[pk] as { S?: unknown } | undefined)?.S;
    if (key === MARKER_KEY) return undefined;
    const match = typeof key === 'string' ? KEY_PATTERN.exec(key) : null;
    if (match === null) return void skip(`an item whose ${pk} is not a deny-list key`);
    const kind = match[1] as DenyEntry['kind'];
    const value = match[2] as string;
    if (value.length > MAX_VALUE_LENGTH) return void skip(`an item whose ${pk} is too long`);
    const expiresAt = numberOf(item[expiresAtName]);
    if (expiresAt === undefined || !validTime(expiresAt)) {
      return void skip(`a ${kind} item without a valid ${expiresAtName}`);
    }
    if (expiresAt <= nowSeconds) return undefined; // expired, waiting for TTL: not malformed
    // When the entry was written (ms), for the deny-list's lag events; optional, ignored if odd.
    const written = numberOf(item.writtenAt);
    const writtenAt = written !== undefined && validTime(written / 1000) ? { writtenAt: written } : {};
    if (kind === 'token') return { kind, jti: value, expiresAt, ...writtenAt };
    if (kind === 'session') return { kind, originJti: value, expiresAt, ...writtenAt };
    const before = numberOf(item.before);
    if (before === undefined || !validTime(before)) return void skip('a user item without a valid before');
    return { kind, sub: value, before, expiresAt, ...writtenAt };
  };

  /** Every live entry in the table: a paginated Scan, bounded by `maxPages`. */
  const scan = async (): Promise<readonly DenyEntry[]> => {
    const entries: DenyEntry[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    for (let page = 0; ; page++) {
      if (page === maxPages) {
        throw new DynamoDbStoreError(
          'too_many_items',
          `the deny table holds more than ${maxPages} Scan pages; raise maxPages or use a dedicated table`,
        );
      }
      const exclusiveStartKey = startKey;
      const answer = await send((sendOptions) =>
        client.send(
          new ScanCommand({
            TableName: tableName,
            ConsistentRead: consistentRead,
            Limit: pageSize,
            ExclusiveStartKey: exclusiveStartKey,
          }),
          sendOptions,
        ),
      );
      const nowSeconds = now() / 1000;
      const items = Array.isArray(answer?.Items) ? answer.Items : [];
      for (const item of items) {
        const entry = parse(item, nowSeconds);
        if (entry !== undefined) entries.push(entry);
      }
      startKey = answer?.LastEvaluatedKey;
      if (typeof startKey !== 'object' || startKey === null || Object.keys(startKey).length === 0) break;
    }
    return entries;
  };

  /** The change marker, or undefined when there is none (or it is malformed: then always Scan). */
  const readMarker = async (): Promise<string | undefined> => {
    const answer = await send((sendOptions) =>
      client.send(
        new GetItemCommand({
          TableName: tableName,
          Key: { [pk]: { S: MARKER_KEY } },
          ConsistentRead: consistentRead,
          ProjectionExpression: '#c',
          ExpressionAttributeNames: { '#c': MARKER_ATTRIBUTE },
        }),
        sendOptions,
      ),
    );
    const value = (answer?.Item?.[MARKER_ATTRIBUTE] as { S?: unknown } | undefined)?.S;
    return typeof value === 'string' && value.length > 0 && value.length <= 64 ? value : undefined;
  };

  /**
   * The marker is read before the Scan and rewritten after each entry is: a marker equal to the
   * one read before the last Scan means no `add()` completed since, so that Scan's entries are
   * still the table's (less those expired since).
   */
  const load = async (): Promise<readonly DenyEntry[]> => {
    try {
      let marker: string | undefined;
      if (changeMarker) {
        marker = await readMarker();
        const at = now();
        if (marker !== undefined && scanned?.marker === marker && at - scanned.at < fullScanIntervalMs) {
          const nowSeconds = at / 1000;
          status(true);
          return scanned.entries.filter((entry) => entry.expiresAt > nowSeconds);
        }
      }
      const at = now();
      const entries = await scan();
      if (changeMarker) scanned = { marker, at, entries };
      status(true);
      return entries;
    } catch (error) {
      if (!(error instanceof DynamoDbStoreError && error.code === 'closed')) status(false, error);
      throw error;
    }
  };

  /**
   * A conditional update that only ever raises a number (a "max register"), so concurrent writers
   * and replays converge on the latest value without a read. A failed condition means the table
   * already holds a later value: that is success.
   */
  const update = async (
    key: string,
    set: string,
    condition: string,
    values: Record<string, AttributeValue>,
  ) => {
    try {
      await send((sendOptions) =>
        client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: { [pk]: { S: key } },
            UpdateExpression: `SET ${set}`,
            ConditionExpression: condition,
            ...used(
              `${set} ${condition}`,
              { '#pk': pk, '#e': expiresAtName, '#b': 'before', '#w': 'writtenAt' },
              values,
            ),
          }),
          sendOptions,
        ),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  };

  const add = async (entry: DenyEntry): Promise<void> => {
    checkEntry(entry);
    const key = entryKey(entry);
    const e = { N: String(entry.expiresAt) };
    const written = entry.writtenAt;
    const hasWritten = typeof written === 'number' && validTime(written / 1000);
    const w: Record<string, AttributeValue> = hasWritten ? { ':w': { N: String(Math.trunc(written)) } } : {};
    const setWritten = hasWritten ? ', #w = :w' : '';
    // A malformed attribute (wrong type) must never block our write, hence the attribute_type escapes.
    const laterExpiry = 'NOT attribute_type(#e, :n) OR #e < :e';
    try {
      if (entry.kind !== 'user') {
        await update(key, `#e = :e${setWritten}`, `attribute_not_exists(#pk) OR ${laterExpiry}`, {
          ':e': e,
          ...w,
        });
      } else {
        const b = { N: String(entry.before) };
        // Usually the newest sign-out dominates: one write sets both. Otherwise raise each on its own,
        // so a user item always holds the later `before` and the later expiry, and never half of one.
        const whole = await update(
          key,
          `#e = :e, #b = :b${setWritten}`,
          'attribute_not_exists(#pk) OR NOT attribute_type(#e, :n) OR NOT attribute_type(#b, :n) OR (#e <= :e AND #b <= :b)',
          { ':e': e, ':b': b, ...w },
        );
        if (!whole) {
          await update(key, '#e = :e', laterExpiry, { ':e': e });
          await update(key, '#b = :b', 'NOT attribute_type(#b, :n) OR #b < :b', { ':b': b });
        }
      }
      // After the entry: a reader that sees the new marker is sure to see the entry in its Scan.
      if (changeMarker) {
        await send((sendOptions) =>
          client.send(
            new PutItemCommand({
              TableName: tableName,
              Item: { [pk]: { S: MARKER_KEY }, [MARKER_ATTRIBUTE]: { S: randomUUID() } },
            }),
            sendOptions,
          ),
        );
      }
      status(true);
    } catch (error) {
      if (!(error instanceof DynamoDbStoreError && error.code === 'closed')) status(false, error);
      throw error;
    }
    tell((listener) => listener.entry(entry));
  };

  return Object.freeze({
    push: false,
    load,
    add,
    subscribe(listener: DenyStoreListener): () => void {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    async close(): Promise<void> {
      closed = true;
      listeners.clear();
    },
  });
}

function isConditionFailure(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error instanceof Error && error.name === 'ConditionalCheckFailedException')
  );
}

/** DynamoDB rejects expression names and values the expressions do not use: keep only the used ones. */
function used(
  expression: string,
  names: Record<string, string>,
  values: Record<string, AttributeValue>,
): {
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues: Record<string, AttributeValue>;
} {
  const all: Record<string, AttributeValue> = { ...values, ':n': { S: 'N' } };
  const mentioned = (token: string) => new RegExp(`${token}(?![A-Za-z0-9_])`).test(expression);
  return {
    ExpressionAttributeNames: Object.fromEntries(Object.entries(names).filter(([token]) => mentioned(token))),
    ExpressionAttributeValues: Object.fromEntries(Object.entries(all).filter(([token]) => mentioned(token))),
  };
}

/** Operator-facing text for a failure: the SDK error's name and message, bounded. */
function describe(error: unknown): string {
  if (error instanceof DynamoDbStoreError) return error.message;
  if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, 300);
  return 'unknown error';
}
