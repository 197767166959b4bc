/**
 * Restart mid-flow (platform foundation §2): `npm start` is killed hard while a supervision flow waits for a
 * person, started again on the same .data/, and the flow finishes. An action acknowledged just before the
 * kill is not lost.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../infra/local/ports';
import { apiClient, eventually } from '../support/platform';

const ROOT = path.resolve(import.meta.dirname, '../..');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cityops-restart-'));
let ports: { http: number; mqtt: number; dynamo: number };
let child: ChildProcess | undefined;

async function startStack(): Promise<{ output: () => string }> {
  let out = '';
  child = spawn(process.execPath, ['--import', 'tsx', '--import', './infra/local/polyfill.ts', 'infra/local/start.ts'], {
    cwd: ROOT,
    detached: true, // own process group: the kill below takes DynamoDB Local's JVM down with it, like Ctrl-C in a terminal
    env: {
      ...process.env,
      CITYOPS_PORT: String(ports.http),
      CITYOPS_MQTT_PORT: String(ports.mqtt),
      CITYOPS_DYNAMO_PORT: String(ports.dynamo),
      CITYOPS_DATA_DIR: dataDir,
      LOG_LEVEL: 'WARN',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  await eventually(async () => out.includes('ready in') || (child!.exitCode !== null && Promise.reject(new Error(out))), 60_000, 100);
  return { output: () => out };
}

async function killHard(): Promise<void> {
  const c = child!;
  const exited = new Promise((r) => c.once('exit', r));
  process.kill(-c.pid!, 'SIGKILL');
  await exited;
  // Let the OS release the ports of the killed group.
  await new Promise((r) => setTimeout(r, 300));
}

async function login(username: string): Promise<string> {
  const r = await apiClient(`http://localhost:${ports.http}`)('POST', '/oidc/login', { username, password: 'demo' });
  expect(r.status).toBe(200);
  return r.json.access_token as string;
}

afterAll(async () => {
  if (child && child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('restart mid-flow', () => {
  it('a flow waiting for a person survives a hard kill, and an acknowledged step is not lost', async () => {
    ports = { http: await freePort(), mqtt: await freePort(), dynamo: await freePort() };
    const base = `http://localhost:${ports.http}`;
    await startStack();
    const province = apiClient(base, await login('430000.province-supervisor'));
    const city = apiClient(base, await login('430100.tenant-admin'));
    const a = (await province('POST', '/v1/province/supervision', { clientRequestId: 'restart-a-0001', tenant: '430100', title: '重启前派发的督办', urgency: 'ordinary' })).json;
    const b = (await province('POST', '/v1/province/supervision', { clientRequestId: 'restart-b-0001', tenant: '430100', title: '重启前已反馈的督办', urgency: 'ordinary' })).json;
    const tasksFor = async (client: ReturnType<typeof apiClient>) => ((await client('GET', '/v1/tasks')).json?.items ?? []) as Array<{ itemId: string; step: string }>;
    await eventually(async () => (await tasksFor(city)).filter((t) => t.itemId === a.id || t.itemId === b.id).length === 2);

    // b's feedback is acknowledged (200) and the stack dies right after.
    expect((await city('POST', `/v1/supervision/${b.id}/feedback`, { text: '已整改' })).status).toBe(200);
    await killHard();

    const { output } = await startStack();
    expect(output()).toContain('ready in');
    // Tokens stay valid: the dev issuer's key is kept in .data/oidc.
    await eventually(async () => (await tasksFor(province)).some((t) => t.itemId === b.id && t.step === 'supervision.review'), 15_000);
    expect((await city('POST', `/v1/supervision/${a.id}/feedback`, { text: '重启后反馈' })).status).toBe(200);
    await eventually(async () => (await tasksFor(province)).some((t) => t.itemId === a.id && t.step === 'supervision.review'), 15_000);
    for (const id of [a.id, b.id]) {
      const r = await province('POST', `/v1/province/supervision/${id}/review`, { decision: 'accept' });
      expect(r.status).toBe(200);
      expect(r.json.status).toBe('closed');
    }
    const health = await apiClient(base)('GET', '/healthz');
    expect(health.json.ok).toBe(true);

    // Ctrl-C (SIGINT) stops cleanly with exit code 0.
    const c = child!;
    const code = new Promise((r) => c.once('exit', r));
    process.kill(-c.pid!, 'SIGINT');
    expect(await code).toBe(0);
  }, 150_000);
});
