/**
 * The contract every deny-list store passes (one suite, run against each store, as keyv's
 * test-suite is): entries of every kind round-trip through add() and load(), expired entries are
 * not loaded, push stores deliver each add to every subscriber until it unsubscribes. Network
 * stores call it with a factory that connects to their test server (or skips).
 *
 * @example
 * describeStoreContract('memory store', async () => ({ store: createMemoryStore() }));
 */
import type { DenyEntry, DenyListStore, DenyStoreListener } from '@cognito-gate/core';
import { afterEach, describe, expect, it, vi } from 'vitest';

export interface ContractSubject {
  readonly store: DenyListStore;
  /** Called after each test (drop keys, close clients). The suite closes `store` itself. */
  readonly cleanup?: () => Promise<void>;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Entries of each kind, unique per call so tests sharing a server do not see each other's. */
export function sampleEntries(tag = Math.random().toString(36).slice(2)): DenyEntry[] {
  const expiresAt = nowSeconds() + 3600;
  return [
    { kind: 'token', jti: `jti-${tag}`, expiresAt },
    { kind: 'session', originJti: `origin-${tag}`, expiresAt },
    { kind: 'user', sub: `sub-${tag}`, before: nowSeconds(), expiresAt },
  ];
}

/** The identity fields of an entry (what every store must keep; `writtenAt` may be dropped). */
function identity(entry: DenyEntry): Record<string, unknown> {
  const { writtenAt: _dropped, ...rest } = entry;
  return rest;
}

function listener() {
  const entries: DenyEntry[] = [];
  const l: DenyStoreListener = { entry: (e) => entries.push(e), status: () => {} };
  return { l, entries };
}

export function describeStoreContract(name: string, make: () => Promise<ContractSubject>): void {
  describe(`${name}: the deny-list store contract`, () => {
    let subject: ContractSubject | undefined;
    const open = async () => {
      subject = await make();
      return subject.store;
    };
    afterEach(async () => {
      await subject?.store.close();
      await subject?.cleanup?.();
      subject = undefined;
    });

    it('says whether it pushes', async () => {
      expect(typeof (await open()).push).toBe('boolean');
    });

    it('round-trips every kind of entry through add() and load()', async () => {
      const store = await open();
      const entries = sampleEntries();
      for (const entry of entries) await store.add(entry);
      const loaded = await store.load();
      expect(Array.isArray(loaded)).toBe(true);
      for (const entry of entries) expect(loaded.map(identity)).toContainEqual(identity(entry));
    });

    it('does not load an entry whose expiresAt has passed', async () => {
      const store = await open();
      const [token] = sampleEntries();
      await store.add({ ...token!, expiresAt: nowSeconds() - 1 } as DenyEntry);
      const loaded = await store.load();
      expect(loaded.map(identity)).not.toContainEqual(
        expect.objectContaining({ jti: (token as { jti: string }).jti }),
      );
    });

    it('pushes each add to every subscriber until it unsubscribes (push stores)', async () => {
      const store = await open();
      if (!store.push) return;
      const a = listener();
      const b = listener();
      const stopA = store.subscribe(a.l);
      const stopB = store.subscribe(b.l);
      const [first, second] = sampleEntries();
      await store.add(first!);
      await vi.waitFor(() => {
        expect(a.entries.map(identity)).toContainEqual(identity(first!));
        expect(b.entries.map(identity)).toContainEqual(identity(first!));
      });
      stopA();
      await store.add(second!);
      await vi.waitFor(() => expect(b.entries.map(identity)).toContainEqual(identity(second!)));
      expect(a.entries.map(identity)).not.toContainEqual(identity(second!));
      stopB();
    });
  });
}
