/**
 * The embedded local cloud: DynamoDB Local, the MQTT broker, the local Step Functions runner with its
 * callback adapter, the stream poller, the development OIDC issuer, the WeChat stand-in, and the same Hono
 * app Lambda runs, with the built web app, on one HTTP port. `npm start` and the integration tests both start
 * it through `startPlatform`.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import type { TenantManifest } from '../../contracts';
import { createApp } from '../../functions/src/api/app';
import { createCitizenIssuer } from '../../functions/src/auth/citizen-issuer';
import { createVerifier } from '../../functions/src/auth/verify';
import { loadConfig } from '../../functions/src/config';
import { Store } from '../../functions/src/data/store';
import { asSystem, escalate, openHumanTask, planStep } from '../../functions/src/flows/task-handlers';
import { redeliverTasks } from '../../functions/src/flows/tasks';
import { closeCase, escalateCaseStep, planCaseStep, smartDispatch } from '../../functions/src/cases/flow-tasks';
import { catalogueCheck } from '../../functions/src/cases/catalogue';
import { gridLookup } from '../../functions/src/basedata/grid-lookup';
import { folderFileStore } from '../../functions/src/photos/file-stores';
import { handleStreamBatch, streamReactions } from '../../functions/src/handlers/stream';
import type { CaseEnv } from '../../functions/src/cases/ports';
import type { DeviceEnv } from '../../functions/src/devices/devices';
import { DEFAULT_INGEST, TelemetryIngest } from '../../functions/src/monitoring/ingest';
import { inProcessLiveFeed } from '../../functions/src/monitoring/live';
import { patrolScheduleAll } from '../../functions/src/handlers/patrol-schedule';
import { localDeviceProvisioner } from './device-provisioner';
import { startTelemetryRouter } from './telemetry-router';
import { logger } from '../../functions/src/shared/logger';
import { weChatClient } from '../../functions/src/wechat/client';
import { startBroker, type LocalBroker } from './broker';
import { TableDeviceCredentialStore } from './device-store';
import { createDevIssuer, loadCitizenKey, type DevIssuer } from './dev-issuer';
import { ensureTable, killStaleJvm, startDynamo, type LocalDynamo } from './dynamo';
import { LocalStackError } from './errors';
import { LocalFlowRunner } from './flows/runner';
import { assertPortFree, freePort } from './ports';
import { backgroundLane } from './lane';
import { fileCheckpoints, startStreamPoller, type StreamPoller } from './stream-poller';
import { loadTenantFolder, tenantFolders, type LoadOutcome } from './tenants';
import { createWeChatStandIn } from './wechat-standin';

export const ROOT = path.resolve(import.meta.dirname, '../..');
const DATA_FORMAT = 1;
const TABLE_NAME = 'cityops';
const WECHAT = { appid: 'wxlocal0000000000', secret: 'local-secret' };

export interface PlatformOptions {
  /** null = everything in memory (tests); otherwise the folder for all local data (default .data). */
  dataDir: string | null;
  fresh?: boolean;
  httpPort: number;
  mqttPort: number;
  dynamoPort: number;
  tenantsDir?: string;
  webDist?: string;
  /** Start DynamoDB Local here, or use an already running one (tests share one JVM). */
  dynamoEndpoint?: string;
  tableName?: string;
  /** Load each tenant folder's base data (grids, components, addresses); tests that need none skip it. */
  loadBaseData?: boolean;
}

export interface Platform {
  url: string;
  mqttPort: number;
  dynamo: { endpoint: string };
  store: Store;
  issuer: DevIssuer;
  runner: LocalFlowRunner;
  broker: LocalBroker;
  tenants: LoadOutcome[];
  startedInMs: number;
  /** DynamoDB operations this platform sent, by command (and `<command>.items` for batches/transactions). */
  dynamoOps(): Record<string, number>;
  stop(): Promise<void>;
}

/** Checks .data before anything starts: a damaged marker file means damaged data; say how to start over. */
function prepareDataDir(dataDir: string, fresh: boolean): void {
  if (fresh) rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const marker = path.join(dataDir, 'cityops.json');
  if (!existsSync(marker)) {
    writeFileSync(marker, JSON.stringify({ format: DATA_FORMAT, createdAt: new Date().toISOString() }, null, 2));
    return;
  }
  let format: unknown;
  try {
    format = (JSON.parse(readFileSync(marker, 'utf8')) as { format?: unknown }).format;
  } catch {
    throw new LocalStackError(`本地数据已损坏 / the local data in ${dataDir} is damaged (${marker} is not valid JSON)`, 'start empty with `npm start -- --fresh` (this deletes the local data)');
  }
  if (format !== DATA_FORMAT) {
    throw new LocalStackError(`本地数据格式不兼容 / the local data in ${dataDir} has format ${String(format)}, this version needs ${DATA_FORMAT}`, 'start empty with `npm start -- --fresh`');
  }
}

export async function startPlatform(opts: PlatformOptions): Promise<Platform> {
  const t0 = Date.now();
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const s of stops.reverse()) await s().catch((err: Error) => logger.warn('stop failed', { error: err.message }));
  };
  try {
    const httpPort = opts.httpPort === 0 ? await freePort() : opts.httpPort;
    await assertPortFree(httpPort, 'HTTP', 'CITYOPS_PORT');
    if (opts.mqttPort !== 0) await assertPortFree(opts.mqttPort, 'MQTT', 'CITYOPS_MQTT_PORT');
    if (opts.dataDir) {
      // A JVM left by a hard kill holds the port and the files: stop it before --fresh deletes its pid file.
      await killStaleJvm(path.join(opts.dataDir, 'dynamodb', 'jvm.pid'));
      prepareDataDir(opts.dataDir, opts.fresh ?? false);
    }
    const url = `http://localhost:${httpPort}`;
    const tableName = opts.tableName ?? TABLE_NAME;

    // Data
    let dynamo: LocalDynamo | undefined;
    let endpoint = opts.dynamoEndpoint;
    if (!endpoint) {
      dynamo = await startDynamo({ port: opts.dynamoPort, dataDir: opts.dataDir ? path.join(opts.dataDir, 'dynamodb') : null });
      stops.push(() => dynamo!.stop());
      endpoint = dynamo.endpoint;
    }
    process.env.DYNAMODB_ENDPOINT = endpoint;
    const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
    const { localClientConfig } = await import('./dynamo');
    const client = new DynamoDBClient(localClientConfig(endpoint));
    stops.push(async () => client.destroy());
    // Operations sent to DynamoDB by command (items for batches and transactions), for the benchmarks.
    const ops: Record<string, number> = {};
    // …and, when CITYOPS_COUNT_OPS_BY_ITEM=1 (bench:cases --ops-by-item), by the kind of item they touch (the
    // key with tenant and ids blanked), to see where a flow's writes go.
    const opsByItem: Record<string, number> = {};
    const countByItem = process.env.CITYOPS_COUNT_OPS_BY_ITEM === '1';
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { TransactItems?: Record<string, { Key?: unknown; Item?: unknown }>[]; RequestItems?: Record<string, unknown[]>; Key?: unknown; Item?: unknown; KeyConditionExpression?: string; IndexName?: string };
        const n = input.TransactItems?.length ?? Object.values(input.RequestItems ?? {}).reduce((a, r) => a + r.length, 0);
        const name = context.commandName ?? 'unknown';
        ops[name] = (ops[name] ?? 0) + 1;
        if (n) ops[`${name}.items`] = (ops[`${name}.items`] ?? 0) + n;
        const kinds = !countByItem
          ? []
          : input.TransactItems
          ? input.TransactItems.map((t) => `tx.${Object.keys(t)[0]} ${itemKind(Object.values(t)[0]?.Key ?? Object.values(t)[0]?.Item)}`)
          : [input.Key || input.Item ? itemKind(input.Key ?? input.Item) : input.IndexName ? `index ${input.IndexName}` : 'other'];
        for (const kind of kinds) {
          const k = `${name.replace('Command', '')} ${kind}`;
          opsByItem[k] = (opsByItem[k] ?? 0) + 1;
        }
        return await next(args);
      },
      { step: 'initialize', name: 'cityopsOpCounter' },
    );
    const streamArn = await ensureTable(client, tableName);
    const store = new Store({ client, tableName });

    // Tenants (idempotent: unchanged manifests are left as they are)
    const tenantsDir = opts.tenantsDir ?? path.join(ROOT, 'tenants');
    const tenants: LoadOutcome[] = [];
    for (const dir of tenantFolders(tenantsDir)) tenants.push(await loadTenantFolder(store, dir, new Date(), { baseData: opts.loadBaseData ?? true }));
    const manifests: TenantManifest[] = tenants.flatMap((t) => (t.ok ? [t.manifest] : []));

    // Identity
    const config = loadConfig({
      ...process.env,
      CITYOPS_RUNTIME: 'local',
      TABLE_NAME: tableName,
      OIDC_ISSUER: `${url}/oidc`,
      WECHAT_API_BASE: `${url}/wechat`,
      WECHAT_APPID: WECHAT.appid,
      WECHAT_SECRET: WECHAT.secret,
    });
    const oidcDir = opts.dataDir ? path.join(opts.dataDir, 'oidc') : null;
    const citizenKey = await loadCitizenKey(oidcDir);
    const citizenIssuer = await createCitizenIssuer({ issuer: config.CITIZEN_ISSUER, ...citizenKey });
    const issuer = await createDevIssuer({ issuer: config.OIDC_ISSUER, dataDir: oidcDir, citizenIssuer });
    issuer.setTenants(manifests);
    const wechatStandIn = createWeChatStandIn(WECHAT);

    // Flows. Their machine work and the stream's reactions share one bounded lane (see lane.ts).
    const background = backgroundLane({ idle: Number(process.env.CITYOPS_BACKGROUND_CONCURRENCY) || 8, busy: Number(process.env.CITYOPS_BACKGROUND_BUSY) || 1 });
    const lane = background.run;
    const runner: LocalFlowRunner = new LocalFlowRunner({
      lane,
      doc: store.doc,
      tableName,
      flowsDir: path.join(ROOT, 'functions/flows'),
      functions: {
        PlanStepFunctionArn: async (p) => await planStep(store, p, new Date()),
        // The runner is the gateway: the open-task function may complete the task it opens (deliverClaimed).
        OpenTaskFunctionArn: async (p): Promise<{ taskId: string }> => await openHumanTask(store, runner, p, new Date()),
        EscalateFunctionArn: async (p) => await escalate(store, p, new Date()),
        PlanCaseStepFunctionArn: async (p) => await planCaseStep(store, p, new Date()),
        EscalateCaseStepFunctionArn: async (p) => await escalateCaseStep(store, p, new Date()),
        SmartDispatchFunctionArn: async (p) => await smartDispatch(store, p, new Date()),
        CloseCaseFunctionArn: async (p) => await closeCase(store, p, new Date()),
      },
      logger,
    });
    stops.push(() => runner.stop());

    // Streams, telemetry and monitoring
    const files = folderFileStore(opts.dataDir ? path.join(opts.dataDir, 'files') : null);
    const caseEnv: CaseEnv = { store, gateway: runner, files, geo: gridLookup, catalogue: catalogueCheck, now: () => new Date() };
    const feed = inProcessLiveFeed();
    const reactions = streamReactions(caseEnv, feed);
    const poller: StreamPoller = startStreamPoller({
      endpoint,
      streamArn,
      checkpoints: fileCheckpoints(opts.dataDir ? path.join(opts.dataDir, 'stream-checkpoints.json') : null),
      handler: (event) => handleStreamBatch(event, (record) => lane(() => reactions(record))),
      logger,
    });
    stops.push(() => poller.stop());

    const broker = await startBroker({
      port: opts.mqttPort,
      credentials: new TableDeviceCredentialStore(store.doc, tableName),
      logger: { info: (e) => logger.info('mqtt', e), warn: (e) => logger.warn('mqtt', e), error: (e) => logger.error('mqtt', e) },
    });
    stops.push(() => broker.close());
    // One consumer of the broker's rule router here, so the ingest keeps device states in memory and writes each
    // at most every 5 s (and at once on an alarm transition or a closed bucket).
    const ingest = new TelemetryIngest(store, feed, { ...DEFAULT_INGEST, stateFlushSeconds: 5, backgroundStateWrites: true });
    const router = startTelemetryRouter({ broker, ingest, archiveDir: opts.dataDir ? path.join(opts.dataDir, 'telemetry') : null, logger });
    stops.push(async () => {
      await router.stop();
      await ingest.flush();
    });
    // Offline detection (no message for a rule's minutes) and silent buckets; a scheduled function in AWS.
    const offlineSweep = setInterval(() => {
      void (async () => {
        for (const m of manifests) await ingest.sweep(m.code).catch((err: Error) => logger.warn('offline sweep failed', { tenant: m.code, error: err.message }));
      })().catch((err: Error) => logger.warn('offline sweep failed', { error: err.message }));
    }, 60_000);
    stops.push(async () => clearInterval(offlineSweep));
    // MON-5 patrol tasks per plan cycle and overdue marks; a scheduled function in AWS (handlers/patrol-schedule.ts).
    const patrolSchedule = setInterval(() => {
      void patrolScheduleAll(store, manifests.filter((m) => m.level === 'province').map((m) => m.code), new Date()).catch((err: Error) => logger.warn('patrol schedule failed', { error: err.message }));
    }, 60_000);
    stops.push(async () => clearInterval(patrolSchedule));
    const devices: DeviceEnv = { store, provisioner: localDeviceProvisioner(store, () => broker), geo: gridLookup, catalogue: catalogueCheck, now: () => new Date() };
    const noop = new Map<string, { received: number; stop: () => Promise<void> }>();

    // HTTP: the API app, the dev issuer, the WeChat stand-in and the web app
    const api = createApp({
      config,
      store,
      gateway: runner,
      cases: caseEnv,
      monitoring: { devices, ingest, feed },
      verify: createVerifier([issuer.verifierConfig(), citizenIssuer.verifierConfig()]),
      citizenIssuer,
      wechat: weChatClient({ baseUrl: config.WECHAT_API_BASE, appid: WECHAT.appid, secret: WECHAT.secret }),
      health: async () => {
        const s = poller.stats();
        const b = broker.stats();
        return {
          mqtt: { ok: true, detail: `port ${b.port}, ${b.connectedClients} clients` },
          flows: { ok: true, detail: `${(await runner.listExecutions({ status: 'RUNNING' })).length} running` },
          streams: { ok: s.ok, detail: `${s.delivered} records delivered${s.skipped ? `, ${s.skipped} skipped (see the log)` : ''}` },
          oidc: { ok: true, detail: config.OIDC_ISSUER },
        };
      },
    });
    const webDist = opts.webDist ?? path.join(ROOT, 'web/dist');
    const root = new Hono();
    root.route('/oidc', issuer.routes);
    root.route('/wechat', wechatStandIn.routes);
    root.all('/v1/*', async (c) => {
      // A person's request holds the background lane at its busy width until answered; an event stream
      // (a screen's open push channel) is no request in progress.
      if (c.req.path.endsWith('/events')) return api.fetch(c.req.raw);
      const done = background.request();
      try {
        return await api.fetch(c.req.raw);
      } finally {
        done();
      }
    });
    root.get('/healthz', (c) => api.fetch(c.req.raw));
    // Local only (no such route in AWS): DynamoDB operations so far, which the benchmarks divide per case.
    root.get('/_local/dynamo-ops', (c) => c.json(c.req.query('by') === 'item' ? opsByItem : ops));
    root.get('/_local/ingest-stats', (c) => c.json({ ...ingest.stats, pending: router.pending(), abandoned: router.abandoned() }));
    // A server-side subscriber that does nothing, for measuring the broker's raw throughput (bench:telemetry).
    root.post('/_local/noop-subscriber', async (c) => {
      const { filter } = (await c.req.json()) as { filter: string };
      const id = randomUUID();
      const entry = { received: 0, stop: async () => undefined as void };
      entry.stop = broker.subscribe(filter, () => void entry.received++);
      noop.set(id, entry);
      return c.json({ id });
    });
    root.delete('/_local/noop-subscriber/:id', async (c) => {
      const entry = noop.get(c.req.param('id'));
      if (!entry) return c.json({ error: 'no such subscriber' }, 404);
      await entry.stop();
      noop.delete(c.req.param('id'));
      return c.json({ received: entry.received });
    });
    root.get('/openapi.json', (c) => api.fetch(c.req.raw));
    if (existsSync(path.join(webDist, 'index.html'))) {
      const relRoot = path.relative(process.cwd(), webDist);
      root.use('/*', serveStatic({ root: relRoot }));
      // Single-page app: any other GET renders index.html and the client router takes over.
      root.get('*', serveStatic({ root: relRoot, path: 'index.html' }));
    } else {
      root.get('/', (c) => c.text('web/dist is missing: run `npm run build:web` (npm start does this for you).', 503));
    }

    const server: ServerType = await new Promise((resolve, reject) => {
      const s = serve({ fetch: root.fetch, port: httpPort, hostname: '127.0.0.1' }, () => resolve(s));
      s.once('error', reject);
    });
    // Keep a client's idle connection for a minute (Node's default is 5 s), as a load balancer in front of the
    // API would: a workbench's next request then needs no new TCP connection.
    Object.assign(server, { keepAliveTimeout: 65_000, headersTimeout: 66_000 });
    stops.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        }),
    );
    const listening = (server.address() as AddressInfo).port;

    // Resume flows that were waiting when the stack last stopped, then hand them any step a person completed
    // whose output never reached them; keep doing the latter in the background.
    await runner.redrive();
    const redeliver = async () => {
      for (const m of manifests) await asSystem(m.code, () => redeliverTasks(store, runner));
    };
    await redeliver();
    const sweeper = setInterval(() => void redeliver().catch((err: Error) => logger.warn('redelivery failed', { error: err.message })), 30_000);
    stops.push(async () => clearInterval(sweeper));

    let stopped = false;
    return {
      url: `http://localhost:${listening}`,
      mqttPort: broker.port,
      dynamo: { endpoint },
      store,
      issuer,
      runner,
      broker,
      tenants,
      startedInMs: Date.now() - t0,
      dynamoOps: () => ({ ...ops }),
      async stop() {
        if (stopped) return;
        stopped = true;
        await stopAll();
      },
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** `T#430100#CASE#01J…` / `CASE` → `CASE#* CASE`: the kind of item a key names, for the operation counts. */
function itemKind(key: unknown): string {
  if (!key || typeof key !== 'object') return 'other';
  const attr = (v: unknown) => (typeof v === 'string' ? v : v && typeof v === 'object' && 'S' in v ? String((v as { S: unknown }).S) : '');
  const k = key as Record<string, unknown>;
  const blank = (s: string) => s.replace(/^T#\d{6}#/, '').replace(/([#:])[^#:]{12,}/g, '$1*').replace(/\d{6,}/g, '*');
  return `${blank(attr(k.PK))} ${blank(attr(k.SK))}`.trim();
}
