/**
 * The shared deny-list store contract (test/support/deny-list-store-contract.ts), run against the
 * Redis store on the machine's Redis with a random prefix per test; and the optional-peer rule:
 * no core module imports `redis`, and the main entry point never reaches the Redis store.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { createRedisStore } from '../../packages/core/src/redis.js';
import { describeStoreContract } from '../support/deny-list-store-contract.js';
import {
  connectClient,
  deletePrefix,
  describeWithRedis,
  redisReachable,
  SHARED_REDIS_URL,
  uniquePrefix,
} from '../support/redis.js';

const available = await redisReachable();
const SRC = join(dirname(fileURLToPath(import.meta.url)), '../../packages/core/src');

if (available) {
  describeStoreContract('redis store', async () => {
    const client = await connectClient(SHARED_REDIS_URL);
    const keyPrefix = uniquePrefix();
    return {
      store: createRedisStore({ client, keyPrefix }),
      cleanup: async () => {
        await deletePrefix(client, keyPrefix);
        await client.close();
      },
    };
  });
} else {
  describeWithRedis(
    'redis store: the deny-list store contract',
    false,
    `a Redis at ${SHARED_REDIS_URL}`,
    () => {},
  );
}

it('keeps the redis client out of core: no module imports it, the main entry never reaches the store', () => {
  const imports = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/g;
  for (const file of readdirSync(SRC).filter((f) => f.endsWith('.ts'))) {
    const specifiers = [...readFileSync(join(SRC, file), 'utf8').matchAll(imports)].map((m) => m[1]);
    expect(
      specifiers.filter((s) => s === 'redis' || s?.startsWith('@redis/')),
      file,
    ).toEqual([]);
  }
  const reached = new Set<string>();
  const visit = (file: string) => {
    if (reached.has(file)) return;
    reached.add(file);
    for (const m of readFileSync(join(SRC, file), 'utf8').matchAll(imports)) {
      if (m[1]?.startsWith('./')) visit(m[1].slice(2).replace(/\.js$/, '.ts'));
    }
  };
  visit('index.ts');
  expect(reached.has('redis-store.ts')).toBe(false);
  expect(reached.has('redis.ts')).toBe(false);
});
