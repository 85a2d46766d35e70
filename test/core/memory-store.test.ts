/**
 * The memory store: the shared store contract, plus what is its own: an injected clock for
 * expiry, merged duplicates, a subscriber that throws cannot keep an entry from the others, and a
 * closed store refuses calls.
 */
import { createMemoryStore, type DenyEntry, type DenyStoreListener } from '@cognito-gate/core';
import { describe, expect, it } from 'vitest';
import { describeStoreContract } from '../support/deny-list-store-contract.js';

describeStoreContract('memory store', async () => ({ store: createMemoryStore() }));

const NOW = 1_800_000_000;

function recorder() {
  const entries: DenyEntry[] = [];
  const statuses: unknown[] = [];
  const listener: DenyStoreListener = { entry: (e) => entries.push(e), status: (s) => statuses.push(s) };
  return { listener, entries, statuses };
}

describe('memory store', () => {
  it('pushes, and reports connected on subscribe', () => {
    const store = createMemoryStore();
    const { listener, statuses } = recorder();
    store.subscribe(listener);
    expect(store.push).toBe(true);
    expect(statuses).toEqual([{ type: 'connected' }]);
  });

  it('drops entries at expiresAt on its injected clock', async () => {
    let clock = NOW * 1000;
    const store = createMemoryStore({ now: () => clock });
    await store.add({ kind: 'token', jti: 'a', expiresAt: NOW + 10 });
    expect(await store.load()).toHaveLength(1);
    clock += 10_000;
    expect(await store.load()).toEqual([]);
  });

  it('keeps one entry per identity: the later expiry and the later sign-out', async () => {
    const store = createMemoryStore({ now: () => NOW * 1000 });
    await store.add({ kind: 'user', sub: 'u', before: NOW - 5, expiresAt: NOW + 100 });
    await store.add({ kind: 'user', sub: 'u', before: NOW - 50, expiresAt: NOW + 200 });
    await store.add({ kind: 'token', jti: 'u', expiresAt: NOW + 1 });
    expect(await store.load()).toEqual([
      { kind: 'user', sub: 'u', before: NOW - 5, expiresAt: NOW + 200 },
      { kind: 'token', jti: 'u', expiresAt: NOW + 1 },
    ]);
  });

  it('delivers a frozen copy, to every subscriber even when one throws', async () => {
    const store = createMemoryStore();
    const good = recorder();
    store.subscribe({
      entry: () => {
        throw new Error('subscriber bug');
      },
      status: () => {
        throw new Error('subscriber bug');
      },
    });
    store.subscribe(good.listener);
    const entry = { kind: 'session', originJti: 'o', expiresAt: NOW + 10 } as const;
    await expect(store.add(entry)).resolves.toBeUndefined();
    expect(good.entries).toEqual([entry]);
    expect(good.entries[0]).not.toBe(entry);
    expect(Object.isFrozen(good.entries[0])).toBe(true);
  });

  it('refuses calls once closed, and forgets its subscribers', async () => {
    const store = createMemoryStore();
    const { listener, entries } = recorder();
    store.subscribe(listener);
    await store.close();
    await expect(store.load()).rejects.toThrow('closed');
    await expect(store.add({ kind: 'token', jti: 'a', expiresAt: NOW })).rejects.toThrow('closed');
    expect(entries).toEqual([]);
  });
});
