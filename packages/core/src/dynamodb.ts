/**
 * `@cognito-gate/core/dynamodb`: the DynamoDB deny-list store. A separate entry point so that
 * importing `@cognito-gate/core` never loads the AWS SDK (an optional peer dependency).
 */
export {
  createDynamoDbStore,
  DynamoDbStoreError,
  type DynamoDbStoreErrorCode,
  type DynamoDbStoreOptions,
} from './dynamodb-store.js';
export { type CreateDenyTableOptions, createDenyTable } from './dynamodb-table.js';
