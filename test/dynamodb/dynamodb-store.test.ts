/**
 * The DynamoDB deny-list store against moto: round trips for the three kinds, later values win on
 * rewrites, expired and malformed items are dropped (never thrown), bounded pagination, and an
 * unreachable DynamoDB reported as a rejection and a `disconnected` status; the change marker that
 * spares a Scan when nothing was added; and the shared store contract.
 */
import {
  type AttributeValue,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { DenyEntry, DenyStoreStatus } from '../../packages/core/src/deny-list-store.js';
import {
  createDenyTable,
  createDynamoDbStore,
  DynamoDbStoreError,
} from '../../packages/core/src/dynamodb.js';
import { describeStoreContract } from '../support/deny-list-store-contract.js';
import { describeWithEmulator, type Emulator, freePort, hasMoto, startMoto } from '../support/emulators.js';
import { dynamoClient, tableName } from './support.js';

const NOW = 1_800_000_000;
const now = () => NOW * 1000;

describeWithEmulator('DynamoDB deny-list store (moto)', hasMoto(), 'pip install "moto[server]"', () => {
  let moto: Emulator | undefined;
  let client: DynamoDBClient;

  beforeAll(async () => {
    moto = await startMoto();
    client = dynamoClient(moto.endpoint);
  }, 120_000);

  afterAll(async () => {
    client?.destroy();
    await moto?.stop();
  }, 30_000);

  async function table(label: string): Promise<string> {
    const name = tableName(label);
    await createDenyTable({ client, tableName: name });
    return name;
  }

  function byKind(entries: readonly DenyEntry[]) {
    return [...entries].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  }

  describeStoreContract('DynamoDB store', async () => ({
    store: createDynamoDbStore({ client, tableName: await table('contract') }),
  }));

  it('creates the table with TTL on expiresAt, and a second run changes nothing', async () => {
    const name = await table('create');

    await createDenyTable({ client, tableName: name });

    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: name }));
    expect(ttl.TimeToLiveDescription).toMatchObject({
      AttributeName: 'expiresAt',
      TimeToLiveStatus: 'ENABLED',
    });
  });

  it('loads back each kind of entry it added, and is a poll store', async () => {
    const store = createDynamoDbStore({ client, tableName: await table('round-trip'), now });
    const entries: DenyEntry[] = [
      { kind: 'token', jti: 'jti-1', expiresAt: NOW + 3600 },
      { kind: 'session', originJti: 'origin-1', expiresAt: NOW + 3600 },
      { kind: 'user', sub: 'sub-1', before: NOW, expiresAt: NOW + 86_400 },
    ];

    for (const entry of entries) await store.add(entry);

    expect(store.push).toBe(false);
    expect(byKind(await store.load())).toEqual(byKind(entries));
    await store.close();
  });

  it('keeps the later before and the later expiry of a user signed out twice, in either order', async () => {
    const store = createDynamoDbStore({ client, tableName: await table('user-twice'), now });

    await store.add({ kind: 'user', sub: 'a', before: NOW, expiresAt: NOW + 100 });
    await store.add({ kind: 'user', sub: 'a', before: NOW + 50, expiresAt: NOW + 150 });
    await store.add({ kind: 'user', sub: 'b', before: NOW + 50, expiresAt: NOW + 150 });
    await store.add({ kind: 'user', sub: 'b', before: NOW, expiresAt: NOW + 100 });
    // An earlier sign-out written with a longer lifetime: each number keeps its own maximum.
    await store.add({ kind: 'user', sub: 'c', before: NOW + 50, expiresAt: NOW + 150 });
    await store.add({ kind: 'user', sub: 'c', before: NOW, expiresAt: NOW + 500 });

    expect(byKind(await store.load())).toEqual(
      byKind([
        { kind: 'user', sub: 'a', before: NOW + 50, expiresAt: NOW + 150 },
        { kind: 'user', sub: 'b', before: NOW + 50, expiresAt: NOW + 150 },
        { kind: 'user', sub: 'c', before: NOW + 50, expiresAt: NOW + 500 },
      ]),
    );
  });

  it('keeps the later expiry of a token or session written twice', async () => {
    const store = createDynamoDbStore({ client, tableName: await table('token-twice'), now });

    await store.add({ kind: 'token', jti: 't', expiresAt: NOW + 500 });
    await store.add({ kind: 'token', jti: 't', expiresAt: NOW + 100 });
    await store.add({ kind: 'session', originJti: 's', expiresAt: NOW + 100 });
    await store.add({ kind: 'session', originJti: 's', expiresAt: NOW + 500 });

    expect(byKind(await store.load())).toEqual(
      byKind([
        { kind: 'token', jti: 't', expiresAt: NOW + 500 },
        { kind: 'session', originJti: 's', expiresAt: NOW + 500 },
      ]),
    );
  });

  it('drops items whose expiry has passed though TTL has not deleted them yet', async () => {
    const name = await table('expiry');
    let clock = NOW;
    const store = createDynamoDbStore({ client, tableName: name, now: () => clock * 1000 });
    await store.add({ kind: 'token', jti: 'short', expiresAt: NOW + 10 });
    await store.add({ kind: 'token', jti: 'long', expiresAt: NOW + 1000 });

    expect(await store.load()).toHaveLength(2);
    clock = NOW + 10;
    expect(await store.load()).toEqual([{ kind: 'token', jti: 'long', expiresAt: NOW + 1000 }]);
    clock = NOW + 1000;
    expect(await store.load()).toEqual([]);
  });

  it('skips malformed and hostile items, reports each, and still loads the good ones', async () => {
    const name = await table('malformed');
    const put = (item: Record<string, unknown>) =>
      client.send(new PutItemCommand({ TableName: name, Item: item as never }));
    const future = { N: String(NOW + 100) };
    await put({ pk: { S: 'token#good' }, expiresAt: future });
    await put({ pk: { S: 'bogus#x' }, expiresAt: future });
    await put({ pk: { S: 'token#' }, expiresAt: future });
    await put({ pk: { S: '__proto__' }, expiresAt: future });
    await put({ pk: { S: `token#${'x'.repeat(1100)}` }, expiresAt: future });
    await put({ pk: { S: 'token#no-expiry' } });
    await put({ pk: { S: 'token#string-expiry' }, expiresAt: { S: String(NOW + 100) } });
    await put({ pk: { S: 'token#exponent' }, expiresAt: { N: '1e30' } });
    await put({ pk: { S: 'token#negative' }, expiresAt: { N: '-5' } });
    await put({ pk: { S: 'session#list-expiry' }, expiresAt: { L: [future] } });
    await put({ pk: { S: 'user#no-before' }, expiresAt: future });
    await put({ pk: { S: 'user#string-before' }, expiresAt: future, before: { S: '1' } });
    await put({ pk: { S: 'user#good' }, expiresAt: future, before: { N: String(NOW) } });
    const reasons: string[] = [];
    const store = createDynamoDbStore({
      client,
      tableName: name,
      now,
      onInvalidItem: (r) => reasons.push(r),
    });

    const entries = await store.load();

    expect(byKind(entries)).toEqual(
      byKind([
        { kind: 'token', jti: 'good', expiresAt: NOW + 100 },
        { kind: 'user', sub: 'good', before: NOW, expiresAt: NOW + 100 },
      ]),
    );
    expect(reasons).toHaveLength(11);
    expect(reasons.join('\n')).not.toContain('xxxx');
  });

  it('overwrites a malformed item with the same key instead of leaving the entry out', async () => {
    const name = await table('overwrite');
    await client.send(
      new PutItemCommand({
        TableName: name,
        Item: { pk: { S: 'user#u' }, expiresAt: { S: 'later' }, before: { S: 'never' } },
      }),
    );
    await client.send(
      new PutItemCommand({ TableName: name, Item: { pk: { S: 'token#t' }, expiresAt: { S: 'later' } } }),
    );
    const store = createDynamoDbStore({ client, tableName: name, now });

    await store.add({ kind: 'user', sub: 'u', before: NOW, expiresAt: NOW + 100 });
    await store.add({ kind: 'token', jti: 't', expiresAt: NOW + 100 });

    expect(byKind(await store.load())).toEqual(
      byKind([
        { kind: 'user', sub: 'u', before: NOW, expiresAt: NOW + 100 },
        { kind: 'token', jti: 't', expiresAt: NOW + 100 },
      ]),
    );
  });

  it('follows Scan pages, and refuses a table larger than maxPages pages', async () => {
    const name = await table('pages');
    const writer = createDynamoDbStore({ client, tableName: name, now });
    for (let i = 0; i < 7; i++) await writer.add({ kind: 'token', jti: `jti-${i}`, expiresAt: NOW + 100 });

    const paged = createDynamoDbStore({ client, tableName: name, now, pageSize: 2 });
    expect(await paged.load()).toHaveLength(7);

    const bounded = createDynamoDbStore({ client, tableName: name, now, pageSize: 2, maxPages: 3 });
    await expect(bounded.load()).rejects.toMatchObject({
      name: 'DynamoDbStoreError',
      code: 'too_many_items',
    });
  });

  it('skips the Scan while the change marker is unchanged, and scans again after an add or the full-scan interval', async () => {
    const name = await table('marker');
    let clock = NOW;
    const at = () => clock * 1000;
    const reasons: string[] = [];
    const store = createDynamoDbStore({
      client,
      tableName: name,
      now: at,
      onInvalidItem: (r) => reasons.push(r),
    });
    // Written around the store: no marker change, so only a Scan can find it.
    const sideways = (jti: string) =>
      client.send(
        new PutItemCommand({
          TableName: name,
          Item: { pk: { S: `token#${jti}` }, expiresAt: { N: String(NOW + 1000) } },
        }),
      );
    await store.add({ kind: 'token', jti: 'first', expiresAt: NOW + 50 });
    expect(await store.load()).toHaveLength(1);

    await sideways('sideways-1');
    expect(await store.load()).toHaveLength(1); // answered from the last Scan
    clock = NOW + 50; // ... less what expired since
    expect(await store.load()).toEqual([]);
    await store.add({ kind: 'token', jti: 'second', expiresAt: NOW + 1000 });
    expect((await store.load()).map((entry) => (entry as { jti: string }).jti).sort()).toEqual([
      'second',
      'sideways-1',
    ]);
    await sideways('sideways-2');
    clock += 60;
    expect(await store.load()).toHaveLength(3); // the full-scan interval passed
    expect(reasons).toEqual([]); // the marker item is not an invalid entry
  });

  it('always scans without the change marker, or when another writer replaced it with nonsense', async () => {
    const name = await table('no-marker');
    const put = (item: Record<string, AttributeValue>) =>
      client.send(new PutItemCommand({ TableName: name, Item: item }));
    const plain = createDynamoDbStore({ client, tableName: name, now, changeMarker: false });
    const marked = createDynamoDbStore({ client, tableName: name, now });
    await marked.add({ kind: 'token', jti: 'one', expiresAt: NOW + 100 });
    expect(await plain.load()).toHaveLength(1);
    expect(await marked.load()).toHaveLength(1);

    await put({ pk: { S: 'meta#change' }, change: { N: '1' } });
    await put({ pk: { S: 'token#two' }, expiresAt: { N: String(NOW + 100) } });
    expect(await plain.load()).toHaveLength(2);
    expect(await marked.load()).toHaveLength(2);
    await put({ pk: { S: 'token#three' }, expiresAt: { N: String(NOW + 100) } });
    expect(await marked.load()).toHaveLength(3);
  });

  it('refuses to write a malformed entry', async () => {
    const store = createDynamoDbStore({ client, tableName: await table('bad-entry'), now });
    const bad = [
      { kind: 'token', jti: '', expiresAt: NOW },
      { kind: 'token', jti: 'x'.repeat(1025), expiresAt: NOW },
      { kind: 'session', originJti: 'o', expiresAt: Number.NaN },
      { kind: 'user', sub: 's', expiresAt: NOW },
      { kind: 'group', name: 'admin', expiresAt: NOW },
      null,
    ];

    for (const entry of bad) {
      await expect(store.add(entry as unknown as DenyEntry)).rejects.toMatchObject({ code: 'invalid_entry' });
    }
  });

  it('tells subscribers about its own additions', async () => {
    const store = createDynamoDbStore({ client, tableName: await table('subscribe'), now });
    const entry = vi.fn();
    const status = vi.fn();
    const stop = store.subscribe({ entry, status });

    await store.add({ kind: 'token', jti: 'mine', expiresAt: NOW + 10 });
    stop();
    await store.add({ kind: 'token', jti: 'unheard', expiresAt: NOW + 10 });

    expect(entry).toHaveBeenCalledTimes(1);
    expect(entry).toHaveBeenCalledWith({ kind: 'token', jti: 'mine', expiresAt: NOW + 10 });
    expect(status).toHaveBeenCalledWith({ type: 'connected' });
  });

  it('rejects with unavailable, and reports disconnected, when DynamoDB cannot be reached', async () => {
    const closed = dynamoClient(`http://127.0.0.1:${await freePort()}`);
    const store = createDynamoDbStore({ client: closed, tableName: 'deny-unreachable', now });
    const statuses: DenyStoreStatus[] = [];
    store.subscribe({ entry: () => {}, status: (s) => statuses.push(s) });

    const failure = await store.load().catch((error: unknown) => error);
    await expect(store.add({ kind: 'token', jti: 'j', expiresAt: NOW + 1 })).rejects.toMatchObject({
      code: 'unavailable',
    });

    expect(failure).toBeInstanceOf(DynamoDbStoreError);
    expect(failure).toMatchObject({ code: 'unavailable' });
    expect(statuses[0]).toMatchObject({ type: 'disconnected' });
    closed.destroy();
  });

  it('rejects with closed after close, and leaves the caller client usable', async () => {
    const name = await table('closed');
    const store = createDynamoDbStore({ client, tableName: name, now });

    await store.close();

    await expect(store.load()).rejects.toMatchObject({ code: 'closed' });
    await expect(createDynamoDbStore({ client, tableName: name, now }).load()).resolves.toEqual([]);
  });
});

it('validates its options when built', () => {
  const client = dynamoClient('http://127.0.0.1:9');
  const bad: unknown[] = [
    undefined,
    { tableName: 'deny' },
    { client, tableName: 'x' },
    { client, tableName: 'deny', pageSize: 0 },
    { client, tableName: 'deny', maxPages: 1.5 },
    { client, tableName: 'deny', partitionKey: 'a b' },
    { client, tableName: 'deny', partitionKey: 'expiresAt' },
    { client, tableName: 'deny', consistentRead: 'yes' },
    { client, tableName: 'deny', ttl: 5 },
  ];
  for (const options of bad) {
    expect(() => createDynamoDbStore(options as never)).toThrow(/^cognito-gate: .*createDynamoDbStore/);
  }
  client.destroy();
});
