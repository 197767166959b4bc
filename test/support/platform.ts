import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
/** Starts the whole local platform in this process on free ports, on a fresh table of the run's DynamoDB Local. */
import { randomUUID } from 'node:crypto';
import centroid from '@turf/centroid';
import { inject } from 'vitest';
import type { Role } from '../../contracts';
import { startPlatform, type Platform, type PlatformOptions } from '../../infra/local/platform';

export async function startTestPlatform(extra: Partial<PlatformOptions> = {}): Promise<Platform> {
  return await startPlatform({
    ...extra,
    dataDir: null,
    httpPort: 0,
    mqttPort: 0,
    dynamoPort: 0,
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName: extra.tableName ?? `p-${randomUUID().slice(0, 8)}`,
  });
}

/**
 * A copy of tenants/ with some time limits replaced (hours), so flow timeouts happen within a test.
 * `limits` maps `<code>:<step>:<urgency>` to hours.
 */
export function tenantsWithLimits(limits: Record<string, number>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tenants-'));
  cpSync(path.join(import.meta.dirname, '../../tenants'), dir, { recursive: true });
  for (const [key, hours] of Object.entries(limits)) {
    const [code, step, urgency] = key.split(':');
    const file = path.join(dir, code!, 'manifest.json');
    const m = JSON.parse(readFileSync(file, 'utf8'));
    m.timeLimits = m.timeLimits.filter((t: { step: string; urgency: string }) => !(t.step === step && t.urgency === urgency));
    m.timeLimits.push({ step, urgency, hours, clock: 'continuous' });
    writeFileSync(file, JSON.stringify(m, null, 2));
  }
  return dir;
}

/** A small fetch client for the platform's API with a token. */
export function apiClient(baseUrl: string, token?: string) {
  return async (method: string, path: string, body?: unknown): Promise<{ status: number; json: any; text: string }> => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, json, text };
  };
}

export async function tokenFor(p: Platform, tenant: string, roles: Role[], subject = `${tenant}.test`, department?: string): Promise<string> {
  return await p.issuer.tokenFor({ subject, tenant, roles, ...(department ? { department } : {}) });
}

/** A tiny valid PNG (1×1), and bytes that are not an image. */
export const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

/** Upload raw bytes as a photo. */
export async function uploadPhoto(baseUrl: string, token: string, bytes: Uint8Array, contentType = 'image/png', stage = 'report') {
  const res = await fetch(`${baseUrl}/v1/photos?stage=${stage}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': contentType }, body: bytes });
  return { status: res.status, json: (await res.json()) as any };
}

/** Poll until `fn` returns a truthy value or the time is up. */
export async function eventually<T>(fn: () => Promise<T | undefined | false>, timeoutMs = 10_000, everyMs = 50): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${(last as Error).message}` : ''}`);
}

/** A point inside the tenant's demo grids: the centre of its first unit grid. */
export function pointInTenant(tenant: string): { lng: number; lat: number } {
  const grids = JSON.parse(readFileSync(path.resolve(import.meta.dirname, `../../tenants/${tenant}/basedata/grids.geojson`), 'utf8')) as { features: Parameters<typeof centroid>[0][] };
  const [lng, lat] = centroid(grids.features[0]!).geometry.coordinates as [number, number];
  return { lng, lat };
}
