/**
 * Stateful resources: the single table (built from functions/src/data/table.ts, the same object the local
 * stack uses), the files/telemetry bucket, the access-log bucket, and the KMS keys. Everything here is RETAIN.
 */
import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, StreamViewType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, type IGrantable, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, HttpMethods, ObjectOwnership, StorageClass } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { TABLE } from '../../../functions/src/data/table';
import type { CityOpsConfig } from './config';
import { acknowledge } from './nag';

export interface DataStackProps extends StackProps {
  readonly config: CityOpsConfig;
}

/** Object key prefixes in the data bucket. */
export const FILES_PREFIX = 'files/';
export const TELEMETRY_PREFIX = 'telemetry/';

/**
 * The files bucket has a deterministic name, so other stacks build its ARN locally (same account and region)
 * instead of importing it: their IAM statements then stay readable and stable across stages.
 */
export function filesBucketName(scope: Construct, stage: string): string {
  const stack = Stack.of(scope);
  return `cityops-${stage}-files-${stack.account}-${stack.region}`;
}

export function filesObjectsArn(scope: Construct, stage: string, prefix: string): string {
  return `arn:${Stack.of(scope).partition}:s3:::${filesBucketName(scope, stage)}/${prefix}*`;
}

export class DataStack extends Stack {
  readonly table: Table;
  readonly dataKey: Key;
  /** Encrypts CloudWatch log groups of all stacks (Lambda, API access logs, state machines, IoT errors). */
  readonly logsKey: Key;
  readonly bucket: Bucket;
  readonly accessLogsBucket: Bucket;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { stage } = props.config;

    this.dataKey = new Key(this, 'DataKey', {
      alias: `alias/cityops-${stage}-data`,
      description: 'CityOps table and files bucket',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.logsKey = new Key(this, 'LogsKey', {
      alias: `alias/cityops-${stage}-logs`,
      description: 'CityOps CloudWatch log groups',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch Logs encrypts with the key on behalf of log groups of this account and region only.
    this.logsKey.addToResourcePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal(`logs.${this.region}.${this.urlSuffix}`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${this.partition}:logs:${this.region}:${this.account}:log-group:*` },
        },
      }),
    );

    this.table = new Table(this, 'Table', {
      tableName: props.config.tableName,
      partitionKey: { name: TABLE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: TABLE.ttlAttribute,
      stream: StreamViewType[TABLE.stream],
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.dataKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of TABLE.indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }

    // Server access logs of the buckets. Log delivery cannot write to SSE-KMS buckets, hence SSE-S3.
    this.accessLogsBucket = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      lifecycleRules: [{ expiration: Duration.days(400), noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // cdk-nag S1 accepts a bucket that is the access-log destination of others; no acknowledgement needed.

    this.bucket = new Bucket(this, 'Files', {
      bucketName: filesBucketName(this, stage),
      encryption: BucketEncryption.KMS,
      encryptionKey: this.dataKey,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'files-bucket/',
      cors: props.config.corsOrigins.length
        ? [{ allowedOrigins: props.config.corsOrigins, allowedMethods: [HttpMethods.PUT, HttpMethods.GET], allowedHeaders: ['*'], maxAge: 3000 }]
        : undefined,
      lifecycleRules: [
        { id: 'noncurrent', noncurrentVersionExpiration: Duration.days(90), abortIncompleteMultipartUploadAfter: Duration.days(7) },
        {
          id: 'telemetry-archive',
          prefix: TELEMETRY_PREFIX,
          transitions: [{ storageClass: StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(30) }],
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}

/** Index ARNs spelled out from TABLE (no `index/*` wildcard in any policy). */
export function indexArns(table: Table): string[] {
  return TABLE.indexes.map((i) => `${table.tableArn}/index/${i.name}`);
}

const READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'];
const WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

/**
 * Least-privilege item access on the table and its named indexes (no Scan, no table management), plus the
 * KMS actions DynamoDB needs on the customer-managed key. `write` includes read.
 */
export function grantTableAccess(grantee: IGrantable, data: Pick<DataStack, 'table' | 'dataKey'>, mode: 'read' | 'write'): void {
  const actions = mode === 'write' ? [...READ_ACTIONS, ...WRITE_ACTIONS] : READ_ACTIONS;
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({ actions, resources: [data.table.tableArn, ...indexArns(data.table)] }),
  );
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: mode === 'write' ? ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'] : ['kms:Decrypt', 'kms:DescribeKey'],
      resources: [data.dataKey.keyArn],
    }),
  );
}
