/**
 * DynamoDB on moto for the store tests: one moto process per file, a fresh table per test.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

let tables = 0;

/** A client pointed at `endpoint` with dummy credentials and no retries (nothing leaves loopback). */
export function dynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
}

/** A table name no other test of this process uses. */
export function tableName(label: string): string {
  tables += 1;
  return `deny-${label}-${process.pid}-${tables}`;
}
