/**
 * The tenant-guarded data layer over one DynamoDB table. Every call checks, against the request's tenant
 * context, that the keys it touches belong to the caller: its own `T#<tenant>#…` keys; for a province user,
 * reads of tenants in its province and the `P#<province>#…` index; writes to another tenant only through the
 * supervision channel (TEN-3). Without a context it refuses to run.
 */
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type GetCommandInput,
  type PutCommandInput,
  type QueryCommandInput,
  type TransactWriteCommandInput,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { z } from 'zod';
import { isProvinceRole } from '../../../contracts';
import { DomainError } from '../shared/errors';
import { useContext } from '../tenancy/context';
import { tenantOfKey } from './keys';

export type Key = { PK: string; SK: string };
type TxRaw = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
/** A transaction item without TableName (the store adds it). */
export type TxItem = { [K in keyof TxRaw]?: Omit<NonNullable<TxRaw[K]>, 'TableName'> };
export type Item = Record<string, unknown> & Key;
type Access = 'read' | 'write';

export interface StoreOptions {
  client: DynamoDBClient;
  tableName: string;
}

export function documentClient(config: DynamoDBClientConfig | DynamoDBClient): DynamoDBDocumentClient {
  const client = config instanceof DynamoDBClient ? config : new DynamoDBClient(config);
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

/** Write through the supervision channel: a province writing an item it assigns to one of its tenants. */
export interface WriteOptions {
  supervisionChannel?: boolean;
}

export class Store {
  readonly doc: DynamoDBDocumentClient;
  readonly tableName: string;

  constructor(opts: StoreOptions) {
    this.doc = documentClient(opts.client);
    this.tableName = opts.tableName;
  }

  /** Throws unless the current principal may touch partition `pk` in this way. */
  assertAllowed(pk: string, access: Access, opts: WriteOptions = {}): void {
    const { principal } = useContext();
    const own = `T#${principal.tenant}#`;
    if (pk.startsWith(own)) return;
    const isProvince = principal.roles.some(isProvinceRole) && principal.tenant.endsWith('0000');
    const provinceDigits = principal.tenant.slice(0, 2);
    if (isProvince) {
      if (pk.startsWith(`P#${principal.tenant}#`)) return;
      const target = tenantOfKey(pk);
      if (target && target.startsWith(provinceDigits) && (access === 'read' || opts.supervisionChannel)) return;
    }
    throw new DomainError('NOT_FOUND', undefined, `key outside the caller's tenant: ${pk.split('#').slice(0, 2).join('#')}`);
  }

  async get<S extends z.ZodType>(schema: S, key: Key): Promise<z.infer<S> | undefined> {
    this.assertAllowed(key.PK, 'read');
    const r = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true } satisfies GetCommandInput));
    return r.Item ? schema.parse(r.Item) : undefined;
  }

  /** Many items by key (100 per request, unprocessed keys retried); missing ones are absent from the result. */
  async batchGet<S extends z.ZodType>(schema: S, keyList: Key[]): Promise<z.infer<S>[]> {
    for (const k of keyList) this.assertAllowed(k.PK, 'read');
    const out: z.infer<S>[] = [];
    const chunks: Key[][] = [];
    for (let i = 0; i < keyList.length; i += 100) chunks.push(keyList.slice(i, i + 100));
    const read = async (chunk: Key[]) => {
      let pending: Record<string, unknown>[] | undefined = chunk;
      for (let attempt = 0; pending?.length; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
        const r = await this.doc.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } } }));
        for (const it of r.Responses?.[this.tableName] ?? []) out.push(schema.parse(it));
        pending = r.UnprocessedKeys?.[this.tableName]?.Keys as Record<string, unknown>[] | undefined;
      }
    };
    let next = 0;
    await Promise.all(Array.from({ length: Math.min(4, chunks.length) }, async () => {
      while (next < chunks.length) await read(chunks[next++]!);
    }));
    return out;
  }

  /** Unconditional puts in batches of 25 (unprocessed items retried): for writes that are idempotent by key. */
  async batchPut(items: Item[]): Promise<void> {
    for (const it of items) this.assertAllowed(it.PK, 'write');
    const chunks: Item[][] = [];
    for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
    const write = async (chunk: Item[]) => {
      let pending = chunk.map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; pending.length; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
        const r = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } }));
        pending = (r.UnprocessedItems?.[this.tableName] ?? []) as typeof pending;
      }
    };
    // A few requests at a time: large batches (the telemetry ingest) finish sooner without flooding the table.
    let next = 0;
    await Promise.all(Array.from({ length: Math.min(4, chunks.length) }, async () => {
      while (next < chunks.length) await write(chunks[next++]!);
    }));
  }

  async put(item: Item, extra: Omit<PutCommandInput, 'TableName' | 'Item'> = {}, opts: WriteOptions = {}): Promise<void> {
    this.assertAllowed(item.PK, 'write', opts);
    if (typeof item.GSI1PK === 'string') this.assertIndexAllowed(item.GSI1PK, item.PK);
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: item, ...extra }));
  }

  async update(input: Omit<UpdateCommandInput, 'TableName'> & { Key: Key }, opts: WriteOptions = {}): Promise<Record<string, unknown> | undefined> {
    this.assertAllowed(input.Key.PK, 'write', opts);
    const r = await this.doc.send(new UpdateCommand({ TableName: this.tableName, ...input }));
    return r.Attributes;
  }

  /** Query a partition of the table or of an index; the partition value is checked like a key. */
  async query<S extends z.ZodType>(
    schema: S,
    input: {
      index?: 'GSI1' | 'GSI2';
      pk: string;
      skBeginsWith?: string;
      skBetween?: [string, string];
      /** A FilterExpression with its own placeholders (do not use #pk/#sk/:pk/:sk/:lo/:hi). */
      filter?: { expression: string; names?: Record<string, string>; values?: Record<string, unknown> };
      limit?: number;
      newestFirst?: boolean;
    },
  ): Promise<z.infer<S>[]> {
    this.assertAllowed(input.pk, 'read');
    const pkName = input.index ? `${input.index}PK` : 'PK';
    const skName = input.index ? `${input.index}SK` : 'SK';
    const out: z.infer<S>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const names: Record<string, string> = { '#pk': pkName, ...input.filter?.names };
      const values: Record<string, unknown> = { ':pk': input.pk, ...input.filter?.values };
      let condition = '#pk = :pk';
      if (input.skBeginsWith !== undefined) {
        condition += ' AND begins_with(#sk, :sk)';
        names['#sk'] = skName;
        values[':sk'] = input.skBeginsWith;
      } else if (input.skBetween) {
        condition += ' AND #sk BETWEEN :lo AND :hi';
        names['#sk'] = skName;
        values[':lo'] = input.skBetween[0];
        values[':hi'] = input.skBetween[1];
      }
      const q: QueryCommandInput = {
        TableName: this.tableName,
        IndexName: input.index,
        KeyConditionExpression: condition,
        FilterExpression: input.filter?.expression,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ScanIndexForward: !input.newestFirst,
        ExclusiveStartKey: start,
        Limit: input.limit,
      };
      const r = await this.doc.send(new QueryCommand(q));
      for (const it of r.Items ?? []) out.push(schema.parse(it));
      start = r.LastEvaluatedKey;
    } while (start && (input.limit === undefined || out.length < input.limit));
    return input.limit === undefined ? out : out.slice(0, input.limit);
  }

  /** Throws unless the current principal may write every item of a transaction (also for one another party sends). */
  assertTransactAllowed(items: readonly TxItem[], opts: WriteOptions = {}): void {
    for (const t of items) {
      const pk = (t.Put?.Item?.PK ?? t.Update?.Key?.PK ?? t.Delete?.Key?.PK ?? t.ConditionCheck?.Key?.PK) as string | undefined;
      if (!pk) throw new Error('transaction item without a PK');
      this.assertAllowed(pk, 'write', opts);
    }
  }

  async transact(items: TxItem[], opts: WriteOptions = {}): Promise<void> {
    this.assertTransactAllowed(items, opts);
    const withTable = items.map((t): TxRaw => {
      if (t.Put) return { Put: { ...t.Put, TableName: this.tableName } };
      if (t.Update) return { Update: { ...t.Update, TableName: this.tableName } };
      if (t.Delete) return { Delete: { ...t.Delete, TableName: this.tableName } };
      if (t.ConditionCheck) return { ConditionCheck: { ...t.ConditionCheck, TableName: this.tableName } };
      throw new Error('empty transaction item');
    });
    await this.doc.send(new TransactWriteCommand({ TransactItems: withTable }));
  }

  /** A province index entry may only be written beside an item of a tenant in that province. */
  private assertIndexAllowed(gsi1pk: string, pk: string): void {
    const m = /^P#(\d{2})0000#/.exec(gsi1pk);
    const owner = tenantOfKey(pk);
    if (m && owner && !owner.startsWith(m[1]!)) throw new Error(`province index ${gsi1pk} does not cover ${owner}`);
  }
}

/** True when a DynamoDB error is a failed condition (single write or in a transaction). */
export function isConditionFailure(err: unknown): boolean {
  const name = (err as { name?: string } | null)?.name;
  return name === 'ConditionalCheckFailedException' || name === 'TransactionCanceledException';
}

/**
 * The reason codes of a cancelled transaction, one per item in the order written ('None' for the items that were
 * fine, 'ConditionalCheckFailed', 'TransactionConflict', …); empty for any other error.
 */
export function cancellationCodes(err: unknown): string[] {
  const reasons = (err as { CancellationReasons?: Array<{ Code?: string }> } | null)?.CancellationReasons;
  return (err as { name?: string } | null)?.name === 'TransactionCanceledException' && Array.isArray(reasons) ? reasons.map((r) => r.Code ?? 'None') : [];
}
