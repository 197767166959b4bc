/**
 * `npm run bench:cases [-- --cases 400 --concurrency 32]`: drives cases through the whole loop over the HTTP API
 * of the embedded stack (started here when none answers on CITYOPS_PORT), with real tokens for each role, and
 * measures in the same run DynamoDB Local's raw PutItem rate. Prints the figures and, last, one JSON line.
 *
 * The loop per case: inspector report → shift leader 立案 → smart dispatch (rule 06 → CGZF) → department
 * feedback → inspector 核查 pass → 结案. Intake = POST /v1/cases as acknowledged (201). After intake, each role
 * works from its inbox (GET /v1/tasks) as its workbench does.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BatchWriteItemCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import centroid from '@turf/centroid';
import { localClientConfig } from '../dynamo';
import { ensureStack, ROOT } from './stack';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const CASES = arg('cases', 400);
const CONCURRENCY = arg('concurrency', 32);
const RAW_PUTS = arg('raw-puts', 4000);
const TENANT = '430100';
/** How often an idle workbench reads its inbox again. */
const INBOX_MS = arg('inbox-ms', 250);
/** Cases run through the whole loop before measuring (0: measure from cold). */
const WARM = arg('warm', 150);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : NaN;
};
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

async function main() {
  // A stack started here counts operations by item kind too (inherits the environment).
  if (process.argv.includes('--ops-by-item')) process.env.CITYOPS_COUNT_OPS_BY_ITEM = '1';
  // The stack runs in its own process, on a RAM-backed data folder when started here (see stack.ts).
  const stack = await ensureStack();
  const { base, dynamoEndpoint } = stack;
  console.log(`platform ${base}, ${CASES} cases, concurrency ${CONCURRENCY}`);

  const login = async (username: string) => {
    const r = await fetch(`${base}/oidc/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'demo' }) });
    if (!r.ok) throw new Error(`login ${username}: ${r.status}`);
    return ((await r.json()) as { access_token: string }).access_token;
  };
  const tokens = {
    inspector: await login(`${TENANT}.inspector`),
    leader: await login(`${TENANT}.shift-leader`),
    handler: await login(`${TENANT}.department-handler`), // department CGZF, the first of 长沙's departments
  };
  const call = async (token: string, method: string, p: string, body?: unknown) => {
    const r = await fetch(`${base}${p}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: r.status, json: (await r.json().catch(() => undefined)) as Record<string, any> | undefined };
  };
  const grids = JSON.parse(readFileSync(path.join(ROOT, `tenants/${TENANT}/basedata/grids.geojson`), 'utf8')) as { features: Parameters<typeof centroid>[0][] };
  const points = grids.features.map((f) => centroid(f).geometry.coordinates as [number, number]);

  // A stack just started is still feeding its stream handler the base data it imported; measure once that is
  // done (both figures need the DynamoDB Local instance to ourselves).
  const delivered = async () => Number(/(\d+) records delivered/.exec(JSON.stringify(await (await fetch(`${base}/healthz`)).json()))?.[1] ?? 0);
  const settled = async () => {
    for (let last = -1, now = await delivered(), waited = 0; now !== last && waited < 120; waited++) {
      await new Promise((r) => setTimeout(r, 1000));
      [last, now] = [now, await delivered()];
    }
  };
  await settled();
  const run = randomUUID().slice(0, 8);
  // 0. Raw PutItem rate of the same DynamoDB Local first (while the stack is idle), same concurrency, ~500-byte
  //    items, into the platform's own table (with its stream), under a partition no tenant owns; removed after.
  //    Not into a second table: DynamoDB Local slows every write by an order of magnitude once two tables have
  //    streams (measured: 1,350/s → 45–70/s; docs/operations.md), which would measure that, not PutItem.
  const ddb = new DynamoDBClient(localClientConfig(dynamoEndpoint));
  const TABLE = process.env.CITYOPS_TABLE ?? 'cityops';
  const payload = 'x'.repeat(450);
  const rawKey = (kind: string, i: number) => ({ PK: { S: `BENCH#${run}#${kind}#${i % 200}` }, SK: { S: String(i) } });
  // Warm the JVM first (its JIT doubles the rate within the first few thousand requests), so the figure is
  // the steady rate rather than a cold start's.
  await pool([...Array(RAW_PUTS / 2).keys()], CONCURRENCY, async (i) => {
    await ddb.send(new PutItemCommand({ TableName: TABLE, Item: { ...rawKey('WARM', i), data: { S: payload } } }));
  });
  const t2 = performance.now();
  await pool([...Array(RAW_PUTS).keys()], CONCURRENCY, async (i) => {
    await ddb.send(new PutItemCommand({ TableName: TABLE, Item: { ...rawKey('RAW', i), data: { S: payload } } }));
  });
  const rawPutPerSec = RAW_PUTS / ((performance.now() - t2) / 1000);
  const rawKeys = [...[...Array(RAW_PUTS / 2).keys()].map((i) => rawKey('WARM', i)), ...[...Array(RAW_PUTS).keys()].map((i) => rawKey('RAW', i))];
  for (let i = 0; i < rawKeys.length; i += 25) {
    await ddb.send(new BatchWriteItemCommand({ RequestItems: { [TABLE]: rawKeys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } })) } }));
  }
  ddb.destroy();

  const opsNow = async () => (await (await fetch(`${base}/_local/dynamo-ops`)).json()) as Record<string, number>;
  const opsDelta = (a: Record<string, number>, b: Record<string, number>) =>
    Object.fromEntries(Object.keys(b).filter((k) => b[k]! - (a[k] ?? 0) > 0).map((k) => [k, b[k]! - (a[k] ?? 0)]));
  const byItem = async () => (await (await fetch(`${base}/_local/dynamo-ops?by=item`)).json()) as Record<string, number>;
  // Intake: POST /v1/cases at CONCURRENCY, latency per request; the ids acknowledged (201).
  const report = async (n: number, tag: string) => {
    const latencies: number[] = [];
    const acknowledged: string[] = [];
    await pool([...Array(n).keys()], CONCURRENCY, async (i) => {
      const [lng, lat] = points[(i * 7) % points.length]!;
      const started = performance.now();
      const r = await call(tokens.inspector, 'POST', '/v1/cases', {
        clientId: `bench-${run}-${tag}-${i}`,
        source: 'inspector',
        kind: 'matter',
        typeCode: '06010',
        description: `压测案件 ${i}`,
        location: { lng, lat },
      });
      latencies.push(performance.now() - started);
      if (r.status === 201 && r.json?.id) acknowledged.push(r.json.id as string);
      else console.error('intake failed', r.status, JSON.stringify(r.json).slice(0, 200));
    });
    return { latencies, acknowledged };
  };
  // The rest of the loop, worked as people work it: each role's workbench reads its inbox (GET /v1/tasks, again
  // after INBOX_MS when it found nothing) and acts on the tasks of these cases it finds there, the three roles
  // together with at most CONCURRENCY requests in flight. Returns how many were closed.
  const roles = [
    { token: tokens.leader, step: 'case.file', action: 'file', body: { decision: 'file' } },
    { token: tokens.handler, step: 'case.handle', action: 'handle', body: { action: 'feedback', note: '已处理' } },
    { token: tokens.inspector, step: 'case.check', action: 'check', body: { passed: true } },
  ];
  const perRole = Math.max(1, Math.floor(CONCURRENCY / roles.length));
  let inboxReads = 0;
  const workThrough = async (ids: string[]) => {
    const ours = new Set(ids);
    let closed = 0;
    const deadline = Date.now() + 300_000;
    await Promise.all(
      roles.map(async (role) => {
        const done = new Set<string>();
        while (done.size < ours.size && Date.now() < deadline) {
          const inbox = await call(role.token, 'GET', '/v1/tasks');
          inboxReads++;
          const work = ((inbox.json?.items ?? []) as { itemId: string; step: string }[]).filter((t) => t.step === role.step && ours.has(t.itemId) && !done.has(t.itemId));
          await pool(work, perRole, async (t) => {
            const r = await call(role.token, 'POST', `/v1/cases/${t.itemId}/${role.action}`, role.body);
            // 409 TASK_NOT_OPEN: the inbox was read just before the flow moved on; the next read shows it again.
            if (r.status === 200) {
              done.add(t.itemId);
              if (role.step === 'case.check') closed++;
            } else if (r.json?.error?.code !== 'TASK_NOT_OPEN') throw new Error(`${role.action} ${t.itemId}: ${r.status} ${r.json?.error?.code}`);
          });
          if (work.length === 0) await new Promise((res) => setTimeout(res, INBOX_MS));
        }
      }),
    );
    return closed;
  };

  // 0b. Warm-up: a small run of the whole loop first, unmeasured, so the figures are the steady state of a
  //     running platform (the JIT of Node and of the JVM), as the raw figure is; then let the stream settle.
  if (WARM > 0) {
    const warm = await report(WARM, 'warm');
    await workThrough(warm.acknowledged);
    await settled();
  }

  const ops0 = await opsNow();
  // CPU time of the stack's processes (its Node process, the DynamoDB Local JVM) per phase: unlike rates, a
  // cost per case that other work on the machine hardly changes.
  const cpu = () => Object.fromEntries(stack.processes().map((p) => [p.name, p.cpuMs]));
  const cpuPerCase = (a: Record<string, number>, b: Record<string, number>) =>
    Object.entries(b).map(([name, ms]) => `${name} ${round((ms - (a[name] ?? 0)) / CASES, 1)} ms`).join(', ');
  const cpu0 = cpu();
  const items0 = await byItem();
  inboxReads = 0;

  // 1. Intake, from CONCURRENCY clients already connected (a connection idle for 4 s is closed by fetch, and a
  //    burst of new ones here would measure TCP set-up rather than intake).
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => await (await fetch(`${base}/healthz`)).arrayBuffer()));
  const t0 = performance.now();
  const { latencies, acknowledged } = await report(CASES, 'run');
  const intakeSeconds = (performance.now() - t0) / 1000;
  const ops1 = await opsNow();
  const cpu1 = cpu();

  // 2. The rest of the loop.
  const t1 = performance.now();
  const looped = await workThrough(acknowledged);
  const fullLoopSeconds = (performance.now() - t0) / 1000;
  const loopSeconds = (performance.now() - t1) / 1000;
  await new Promise((r) => setTimeout(r, 1500)); // let the stream handler catch up before counting
  const ops2 = await opsNow();
  const cpu2 = cpu();
  console.log(`CPU per case, intake: ${cpuPerCase(cpu0, cpu1)}; whole loop: ${cpuPerCase(cpu0, cpu2)}`);
  const perCase = (d: Record<string, number>) => Object.fromEntries(Object.entries(d).map(([k, v]) => [k, round(v / CASES, 2)]));
  if (process.argv.includes('--ops-by-item')) {
    const d = opsDelta(items0, await byItem());
    console.log('DynamoDB operations per case by item kind:');
    for (const [k, v] of Object.entries(d).sort((a, b) => b[1] - a[1])) console.log(`  ${(v / CASES).toFixed(2).padStart(6)}  ${k}`);
  }
  console.log('DynamoDB operations per case during intake:', JSON.stringify(perCase(opsDelta(ops0, ops1))));
  console.log('DynamoDB operations per case, whole loop:   ', JSON.stringify(perCase(opsDelta(ops0, ops2))));

  // 3. Nothing acknowledged is lost: every case is closed.
  let lost = 0;
  await pool(acknowledged, CONCURRENCY, async (id) => {
    const r = await call(tokens.leader, 'GET', `/v1/cases/${id}`);
    if (r.json?.status !== 'closed') lost++;
  });
  lost += CASES - acknowledged.length;

  const intakePerSec = acknowledged.length / intakeSeconds;
  const result = {
    cases: CASES,
    concurrency: CONCURRENCY,
    intakePerSec: round(intakePerSec),
    intakeP50Ms: round(pct(latencies, 50)),
    intakeP99Ms: round(pct(latencies, 99)),
    fullLoopPerSec: round(looped / fullLoopSeconds),
    loopPhasePerSec: round(looped / loopSeconds),
    rawPutPerSec: round(rawPutPerSec),
    intakeToRawRatio: round(intakePerSec / rawPutPerSec, 3),
    lost,
  };
  console.log(`intake        ${result.intakePerSec}/s  p50 ${result.intakeP50Ms} ms  p99 ${result.intakeP99Ms} ms  (${acknowledged.length} acknowledged)`);
  console.log(`full loop     ${result.fullLoopPerSec} cases/s from first report to last closure (${looped} closed; loop phase alone ${result.loopPhasePerSec}/s; ${inboxReads} inbox reads)`);
  console.log(`raw PutItem   ${result.rawPutPerSec}/s at concurrency ${CONCURRENCY}; intake/raw ${result.intakeToRawRatio}`);
  console.log(`lost          ${lost}`);
  console.log(JSON.stringify(result));

  await stack.stop();
}

await main();
process.exit(0);
