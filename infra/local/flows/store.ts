/**
 * The runner's own items in the one table (infrastructure, not tenant data; never in AWS):
 *
 * - execution  PK `LOCALSFN#EXEC`, SK = execution ARN: flow, name, input, status, the *resume point* (the
 *   top-level state that last waited for a person, with its input and its position in the run, or the start),
 *   the tokens it waits for there (`pending`, by state name), the secret `seed` the resumable task tokens are
 *   derived from, and a generation number that fences a runner which lost the execution to a newer re-drive.
 *   Written when the execution starts, once per human task opened (the resume point and its token in one
 *   update), when it closes, and when a re-drive claims it; never on other states.
 * - task token PK `LOCALSFN#TOKEN#<token>`, SK `TOKEN`: put WAITING once before the task is opened, then moved
 *   WAITING → SUCCEEDED | FAILED | TIMED_OUT by one conditional write, so a success racing a timeout wins
 *   exactly one way.
 *
 * Inputs and outputs are stored as JSON strings: they round-trip exactly, whatever their shape.
 */
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type TransactWriteCommandInput,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { TxItem } from '../../../functions/src/data/store';
import { ExecutionSuperseded } from './errors';

export const EXEC_PK = 'LOCALSFN#EXEC';
export const execKey = (executionArn: string) => ({ PK: EXEC_PK, SK: executionArn });
export const tokenKey = (token: string) => ({ PK: `LOCALSFN#TOKEN#${token}`, SK: 'TOKEN' });

/** Closed executions and tokens are kept 90 days (the table's TTL attribute), as Step Functions keeps history. */
const RETAIN_SECONDS = 90 * 24 * 3600;
const expiresAt = (nowMs: number) => Math.floor(nowMs / 1000) + RETAIN_SECONDS;

export const ExecutionStatus = z.enum(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT']);
export type ExecutionStatus = z.infer<typeof ExecutionStatus>;

export const ExecutionRecord = z.object({
  SK: z.string(),
  flow: z.string(),
  name: z.string(),
  status: ExecutionStatus,
  inputJson: z.string(),
  currentState: z.string(),
  currentInputJson: z.string(),
  pending: z.record(z.string(), z.string()),
  /** Position of `currentState` among the top-level states the execution entered (0: the start). */
  stateIndex: z.number().int().optional(),
  /** Key of the resumable task tokens (see `deriveToken` in runner.ts); absent on items of older runners. */
  seed: z.string().optional(),
  gen: z.number().int(),
  startedAt: z.string(),
  updatedAt: z.string(),
  stopDate: z.string().optional(),
  outputJson: z.string().optional(),
  error: z.string().optional(),
  cause: z.string().optional(),
});
export type ExecutionRecord = z.infer<typeof ExecutionRecord>;

export const TokenStatus = z.enum(['WAITING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT']);
export type TokenStatus = z.infer<typeof TokenStatus>;

export const TokenRecord = z.object({
  token: z.string(),
  status: TokenStatus,
  executionArn: z.string(),
  stateName: z.string(),
  createdAt: z.string(),
  /** When the adapter times the task out: the earlier of the Payload's dueAt and the task's TimeoutSeconds(Path). */
  deadlineMs: z.number().optional(),
  deadlineAt: z.string().optional(),
  dueAt: z.string().optional(),
  /** Only on items of older runners (whether the "open task" function returned); now the execution's `pending` says it. */
  opened: z.boolean().optional(),
  outputJson: z.string().optional(),
  error: z.string().optional(),
  cause: z.string().optional(),
  completedAt: z.string().optional(),
});
export type TokenRecord = z.infer<typeof TokenRecord>;

const isConditionFailed = (err: unknown): boolean => (err as { name?: string } | null)?.name === 'ConditionalCheckFailedException';

const iso = (ms: number) => new Date(ms).toISOString();

type TxRaw = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** The same write with the table named (as the platform's Store.transact does it). */
function withTable(w: TxItem, TableName: string): TxRaw {
  if (w.Put) return { Put: { ...w.Put, TableName } };
  if (w.Update) return { Update: { ...w.Update, TableName } };
  if (w.Delete) return { Delete: { ...w.Delete, TableName } };
  if (w.ConditionCheck) return { ConditionCheck: { ...w.ConditionCheck, TableName } };
  throw new Error('empty transaction item');
}

/** The conditional update that closes a WAITING token (before its deadline, unless told otherwise). */
function completion(
  token: string,
  result: { status: 'SUCCEEDED'; outputJson: string } | { status: 'FAILED'; error: string; cause: string },
  nowMs: number,
  beforeDeadline: boolean,
) {
  const values: Record<string, unknown> = { ':st': result.status, ':waiting': 'WAITING', ':at': iso(nowMs), ':exp': expiresAt(nowMs) };
  const names: Record<string, string> = { '#status': 'status' };
  let set = '#status = :st, completedAt = :at, expiresAt = :exp';
  if (result.status === 'SUCCEEDED') {
    set += ', outputJson = :out';
    values[':out'] = result.outputJson;
  } else {
    set += ', #error = :err, #cause = :cause';
    names['#error'] = 'error';
    names['#cause'] = 'cause';
    values[':err'] = result.error;
    values[':cause'] = result.cause;
  }
  let condition = 'attribute_exists(PK) AND #status = :waiting';
  if (beforeDeadline) {
    condition += ' AND (attribute_not_exists(deadlineMs) OR deadlineMs > :nowMs)';
    values[':nowMs'] = nowMs;
  }
  return { Key: tokenKey(token), UpdateExpression: `SET ${set}`, ConditionExpression: condition, ExpressionAttributeNames: names, ExpressionAttributeValues: values };
}

export class FlowStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  // ---- executions -------------------------------------------------------------------------------------------

  /** Create the execution item; false when one with that ARN exists already. */
  async createExecution(executionArn: string, rec: Omit<ExecutionRecord, 'SK'>): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...execKey(executionArn), entity: 'localsfn-execution', ...rec },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw err;
    }
  }

  async getExecution(executionArn: string): Promise<ExecutionRecord | undefined> {
    const r = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: execKey(executionArn), ConsistentRead: true }));
    return r.Item ? ExecutionRecord.parse(r.Item) : undefined;
  }

  async listExecutions(status?: ExecutionStatus): Promise<ExecutionRecord[]> {
    const out: ExecutionRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const r = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': EXEC_PK, ...(status ? { ':st': status } : {}) },
          ...(status ? { FilterExpression: '#status = :st', ExpressionAttributeNames: { '#status': 'status' } } : {}),
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of r.Items ?? []) out.push(ExecutionRecord.parse(item));
      start = r.LastEvaluatedKey;
    } while (start);
    return out;
  }

  /**
   * Take a RUNNING execution over for a re-drive: bump its generation (and give an item of an older runner a
   * token seed). Undefined when it is gone, closed or claimed by another runner first.
   */
  async claimExecution(executionArn: string, gen: number, seed: string, nowMs: number): Promise<number | undefined> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: execKey(executionArn),
          UpdateExpression: 'SET #gen = :next, updatedAt = :now, seed = if_not_exists(seed, :seed)',
          ConditionExpression: '#gen = :gen AND #status = :running',
          ExpressionAttributeNames: { '#gen': 'gen', '#status': 'status' },
          ExpressionAttributeValues: { ':gen': gen, ':next': gen + 1, ':running': 'RUNNING', ':now': iso(nowMs), ':seed': seed },
        }),
      );
      return gen + 1;
    } catch (err) {
      if (isConditionFailed(err)) return undefined;
      throw err;
    }
  }

  /**
   * A human task is open: move the resume point to the top-level state it belongs to and record the tokens
   * waited for there, in one update. The execution's only write between its start and its end.
   */
  async recordWaiting(
    executionArn: string,
    gen: number,
    at: { state: string; inputJson: string; index: number; pending: Record<string, string> },
    nowMs: number,
  ): Promise<void> {
    await this.fenced({
      Key: execKey(executionArn),
      UpdateExpression: 'SET currentState = :s, currentInputJson = :i, stateIndex = :n, pending = :p, updatedAt = :now',
      ExpressionAttributeValues: { ':s': at.state, ':i': at.inputJson, ':n': at.index, ':p': at.pending, ':now': iso(nowMs) },
      gen,
    });
  }

  async finishExecution(
    executionArn: string,
    gen: number,
    result: { status: 'SUCCEEDED'; outputJson: string } | { status: 'FAILED' | 'TIMED_OUT'; error: string; cause: string },
    nowMs: number,
  ): Promise<void> {
    const values: Record<string, unknown> = { ':st': result.status, ':now': iso(nowMs), ':exp': expiresAt(nowMs), ':none': {} };
    let set = '#status = :st, stopDate = :now, updatedAt = :now, expiresAt = :exp, pending = :none';
    if (result.status === 'SUCCEEDED') {
      set += ', outputJson = :out';
      values[':out'] = result.outputJson;
    } else {
      set += ', #error = :err, #cause = :cause';
      values[':err'] = result.error;
      values[':cause'] = result.cause;
    }
    await this.fenced({
      Key: execKey(executionArn),
      UpdateExpression: `SET ${set}`,
      ExpressionAttributeNames: result.status === 'SUCCEEDED' ? {} : { '#error': 'error', '#cause': 'cause' },
      ExpressionAttributeValues: values,
      gen,
    });
  }

  /** An update of the execution that only the runner holding generation `gen` may make. */
  private async fenced(u: {
    Key: Record<string, string>;
    UpdateExpression: string;
    ExpressionAttributeNames?: Record<string, string>;
    ExpressionAttributeValues: Record<string, unknown>;
    gen: number;
  }): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: u.Key,
          UpdateExpression: u.UpdateExpression,
          ConditionExpression: '#gen = :gen AND #status = :running',
          ExpressionAttributeNames: { ...u.ExpressionAttributeNames, '#gen': 'gen', '#status': 'status' },
          ExpressionAttributeValues: { ...u.ExpressionAttributeValues, ':gen': u.gen, ':running': 'RUNNING' },
        }),
      );
    } catch (err) {
      if (isConditionFailed(err)) throw new ExecutionSuperseded(`execution ${u.Key.SK} moved on without this runner`);
      throw err;
    }
  }

  // ---- task tokens ------------------------------------------------------------------------------------------

  /**
   * Issue a token: put its WAITING item, unless an item with that token exists already (false: a re-run of the
   * same task after a restart, see `deriveToken`). Its TTL is set here from the deadline, so a token nobody
   * waits for any more (its run was lost before it recorded it) goes away too.
   */
  async putToken(rec: Omit<TokenRecord, 'status' | 'opened'>): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...tokenKey(rec.token),
            entity: 'localsfn-token',
            ...rec,
            status: 'WAITING',
            ...(rec.deadlineMs !== undefined ? { expiresAt: expiresAt(Math.max(rec.deadlineMs, Date.parse(rec.createdAt))) } : {}),
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw err;
    }
  }

  async getToken(token: string): Promise<TokenRecord | undefined> {
    const r = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: tokenKey(token), ConsistentRead: true }));
    return r.Item ? TokenRecord.parse(r.Item) : undefined;
  }

  /**
   * WAITING → SUCCEEDED/FAILED, only before the deadline when `beforeDeadline` (the API's sendTask* calls).
   * False when the token is not WAITING (or past its deadline).
   */
  async completeToken(
    token: string,
    result: { status: 'SUCCEEDED'; outputJson: string } | { status: 'FAILED'; error: string; cause: string },
    nowMs: number,
    beforeDeadline: boolean,
  ): Promise<boolean> {
    try {
      await this.doc.send(new UpdateCommand({ TableName: this.tableName, ...completion(token, result, nowMs, beforeDeadline) }));
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw err;
    }
  }

  /**
   * WAITING → SUCCEEDED together with the caller's writes, in one transaction (they are in the same table):
   * 'done', or 'gone' when the token no longer waits (then nothing was written). A failed condition of the
   * caller's writes is thrown as DynamoDB's TransactionCanceledException.
   */
  async completeTokenWith(token: string, outputJson: string, nowMs: number, writes: readonly TxItem[]): Promise<'done' | 'gone'> {
    const items = [...writes.map((w) => withTable(w, this.tableName)), { Update: { TableName: this.tableName, ...completion(token, { status: 'SUCCEEDED', outputJson }, nowMs, true) } }];
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
      return 'done';
    } catch (err) {
      const reasons = (err as { name?: string; CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
      const tokenFailed = reasons.at(-1)?.Code === 'ConditionalCheckFailed';
      const othersFine = reasons.slice(0, -1).every((r) => !r.Code || r.Code === 'None');
      if ((err as { name?: string }).name === 'TransactionCanceledException' && tokenFailed && othersFine) return 'gone';
      throw err;
    }
  }

  /** WAITING → TIMED_OUT; false when something else closed the token first. */
  async timeOutToken(token: string, nowMs: number): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: tokenKey(token),
          UpdateExpression: 'SET #status = :to, completedAt = :at, expiresAt = :exp',
          ConditionExpression: 'attribute_exists(PK) AND #status = :waiting',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':to': 'TIMED_OUT', ':waiting': 'WAITING', ':at': iso(nowMs), ':exp': expiresAt(nowMs) },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw err;
    }
  }
}
