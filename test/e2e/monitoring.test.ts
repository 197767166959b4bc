/**
 * MON-3 / MUN-3 in a real browser: simulated manhole covers connect over MQTT with their own credentials; one is
 * opened; the monitoring one-map shows the alarm without a reload (pushed), with the case it opened, and the
 * command centre shows that case waiting for 核实.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Platform } from '../../infra/local/platform';
import { prepareFleet, type Fleet } from '../../infra/local/simulate';
import { eventually, startTestPlatform } from '../support/platform';
import { launch, signIn } from './browser';

const T = '430100';
const SHOTS = path.resolve(import.meta.dirname, '../../test-results');
let p: Platform;
let browser: Browser;
let fleet: Fleet | undefined;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  p = await startTestPlatform();
  browser = await launch();
}, 90_000);

afterAll(async () => {
  await fleet?.close();
  await browser?.close();
  await p?.stop();
});

describe('MUN-3 a simulated cover opening in the browser', () => {
  it('becomes an alarm on the monitoring map (pushed) and a case in the command centre', async () => {
    const ops = await signIn(browser, p.url, `${T}.monitoring-operator`);
    await ops.goto(`${p.url}/monitoring`);
    const map = ops.getByTestId('monitoring-map');
    await map.waitFor();
    await eventually(async () => (await map.getAttribute('data-live')) === 'open', 15_000, 200);

    // The simulator registers three covers (CSV import as the tenant admin), connects each with its own secret.
    ({ fleet } = await prepareFleet({ url: p.url, mqttUrl: `mqtt://127.0.0.1:${p.mqttPort}`, tenants: [T], devices: 3, kinds: ['manhole-cover'] }));
    const cover = fleet.devices[0]!;
    await fleet.openCover(cover.id).acked;

    // No reload: the alarm arrives over the event stream, then its case link.
    const row = ops.locator('[data-testid^="alarm-row-"][data-level="orange"]');
    await row.first().waitFor({ timeout: 20_000 });
    await row.first().getByTestId('alarm-case-link').waitFor({ timeout: 20_000 });
    expect(await row.count()).toBe(1);
    expect(Number(await map.getAttribute('data-alarms'))).toBeGreaterThanOrEqual(1);
    await ops.screenshot({ path: path.join(SHOTS, 'monitoring-cover-open.png') });
    const href = await row.first().getByTestId('alarm-case-link').getAttribute('href');
    const caseId = href?.split('/').pop();
    expect(caseId).toMatch(/^[0-9A-Z]{26}$/);

    // The command centre: the case waits at 核实 and is on the live map.
    const leader = await signIn(browser, p.url, `${T}.shift-leader`);
    const verifying = leader.locator('[data-testid="queue"][data-status="verifying"]');
    await verifying.waitFor({ timeout: 15_000 });
    expect(Number(await verifying.getAttribute('data-count'))).toBeGreaterThanOrEqual(1);
    expect(Number(await leader.getByTestId('case-map').getAttribute('data-markers'))).toBeGreaterThanOrEqual(1);
    await leader.screenshot({ path: path.join(SHOTS, 'command-centre-cover-case.png') });
    await leader.goto(`${p.url}/case/${caseId}`);
    const detail = leader.getByTestId('case-detail');
    await detail.waitFor();
    expect(await detail.getAttribute('data-status')).toBe('verifying');
    expect(await detail.textContent()).toContain(cover.id);
  }, 120_000);
});
