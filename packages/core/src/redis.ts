/**
 * `@cognito-gate/core/redis`: the Redis deny-list store. A subpath of its own, so that importing
 * `@cognito-gate/core` never loads it; it never loads `redis` either (you pass your client).
 */
export type { DenyEntry, DenyListStore, DenyStoreListener, DenyStoreStatus } from './deny-list-store.js';
export {
  createRedisStore,
  DEFAULT_REDIS_KEY_PREFIX,
  type RedisDenyListStore,
  type RedisStoreClient,
  type RedisStoreInvalidEvent,
  type RedisStoreOptions,
  type RedisStoreSubscriber,
} from './redis-store.js';
