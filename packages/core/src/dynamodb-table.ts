/**
 * Creating the deny-list table: for setup scripts and tests. Production tables usually come from
 * infrastructure code (CloudFormation, CDK, Terraform); the shape to declare there is the same:
 * partition key `pk` (S), on-demand billing, TTL enabled on `expiresAt`.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { fail } from './options.js';

export interface CreateDenyTableOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Default `pk`: the same as the store's `partitionKey`. */
  readonly partitionKey?: string;
  /** Default `expiresAt`: the same as the store's `expiresAtAttribute`; TTL is enabled on it. */
  readonly expiresAtAttribute?: string;
  /** How long to wait for the table to become ACTIVE, in ms. Default 60,000. */
  readonly timeoutMs?: number;
}

/**
 * Creates the table (on-demand billing) unless it exists, waits until it is ACTIVE, and enables TTL
 * on the expiry attribute. Idempotent: running it against an existing table only ensures TTL.
 *
 * @example
 * await createDenyTable({ client: new DynamoDBClient({}), tableName: 'cognito-deny-list' });
 */
export async function createDenyTable(options: CreateDenyTableOptions): Promise<void> {
  const { client, tableName } = options;
  if (typeof client?.send !== 'function') fail('createDenyTable client must be a DynamoDBClient');
  if (typeof tableName !== 'string' || tableName.length === 0) fail('createDenyTable needs a tableName');
  const pk = options.partitionKey ?? 'pk';
  const expiresAt = options.expiresAtAttribute ?? 'expiresAt';
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [{ AttributeName: pk, AttributeType: 'S' }],
        KeySchema: [{ AttributeName: pk, KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  } catch (error) {
    if (!(error instanceof Error && error.name === 'ResourceInUseException')) throw error;
  }
  for (;;) {
    const answer = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (answer.Table?.TableStatus === 'ACTIVE') break;
    if (Date.now() > deadline) throw new Error(`cognito-gate: table ${tableName} did not become ACTIVE`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  try {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: expiresAt, Enabled: true },
      }),
    );
  } catch (error) {
    // DynamoDB answers ValidationException "TimeToLive is already enabled" on a second run.
    if (!(error instanceof Error && /already enabled/i.test(error.message))) throw error;
  }
}
