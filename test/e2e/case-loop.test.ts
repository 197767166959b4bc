/**
 * CMD-1/CMD-8 in a real browser: one case goes from an inspector's phone report to closure across the roles'
 * screens; another goes through an escalation (督办) and rework (返工) before it closes.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import centroid from '@turf/centroid';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Platform } from '../../infra/local/platform';
import { PNG_1X1, apiClient, eventually, startTestPlatform, tenantsWithLimits, tokenFor } from '../support/platform';
import { launch, signIn } from './browser';

const T = '430100';
const SHOTS = path.resolve(import.meta.dirname, '../../test-results');
let p: Platform;
let browser: Browser;
let at: { lng: number; lat: number };

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  // 紧急 filing within ~2 s, so the second case is escalated while the test watches.
  p = await startTestPlatform({ tenantsDir: tenantsWithLimits({ [`${T}:case.file:urgent`]: 0.0006, [`${T}:case.escalation-interval:urgent`]: 0.05 }) });
  browser = await launch();
  const grids = JSON.parse(readFileSync(path.resolve(import.meta.dirname, `../../tenants/${T}/basedata/grids.geojson`), 'utf8'));
  const [lng, lat] = centroid(grids.features[3]).geometry.coordinates as [number, number];
  at = { lng, lat };
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await p?.stop();
});

/** Open the case, take one action through its form, and wait for the case to reach `next`. */
async function act(page: Page, id: string, action: string, choice: string | undefined, note: string, next: string) {
  await page.goto(`${p.url}/case/${id}`);
  const detail = page.getByTestId('case-detail');
  await detail.waitFor();
  await page.getByTestId(`case-action-${action}`).waitFor({ timeout: 15_000 });
  await page.getByTestId(`case-action-${action}`).click();
  const form = page.getByTestId(`action-form-${action}`);
  if (choice) await form.getByLabel(choice, { exact: true }).check();
  await form.getByTestId('action-note').fill(note);
  await form.getByTestId('action-submit').click();
  await page.getByTestId('action-notice').waitFor({ timeout: 15_000 });
  // The flow moves on by itself afterwards (e.g. smart dispatch): look again until the case shows `next`.
  await eventually(async () => {
    await page.goto(`${p.url}/case/${id}`);
    await detail.waitFor();
    return (await detail.getAttribute('data-status')) === next;
  }, 15_000, 300);
}

/** The next action appears only once the flow has opened its step: reload until the button shows. */
async function whenOpen(page: Page, id: string, action: string) {
  await eventually(async () => {
    await page.goto(`${p.url}/case/${id}`);
    await page.getByTestId('case-detail').waitFor();
    return (await page.getByTestId(`case-action-${action}`).count()) > 0;
  }, 20_000, 300);
}

describe('CMD-8 case loop in the browser', () => {
  it('an inspector reports from a phone (photo, GPS, type); shift leader, department and inspector close it', async () => {
    const inspector = await signIn(browser, p.url, `${T}.inspector`, {
      viewport: { width: 390, height: 844 },
      geolocation: { longitude: at.lng, latitude: at.lat, accuracy: 8 },
      permissions: ['geolocation'],
    });
    await inspector.goto(`${p.url}/inspector/report`);
    const form = inspector.getByTestId('report-form');
    await form.waitFor();
    await inspector.getByTestId('locate').click();
    await inspector.getByTestId('location-value').waitFor();
    await inspector.getByTestId('type-search').fill('暴露垃圾');
    await inspector.getByTestId('type-option').first().click();
    await expect.poll(async () => await inspector.getByTestId('type-chosen').getAttribute('data-code')).toBe('06010');
    await inspector.getByTestId('report-description').fill('人行道旁暴露垃圾，约两立方');
    await inspector.getByTestId('photo-input').setInputFiles({ name: 'scene.png', mimeType: 'image/png', buffer: PNG_1X1 });
    await expect.poll(async () => await inspector.getByTestId('photo-thumb').first().getAttribute('data-status')).toBe('done');
    await inspector.screenshot({ path: path.join(SHOTS, 'report-390.png'), fullPage: true });
    await inspector.getByTestId('report-submit').click();
    const done = inspector.getByTestId('report-done');
    await done.waitFor({ timeout: 15_000 });
    const id = (await done.getAttribute('data-case'))!;
    expect(id).toMatch(/^[0-9A-Z]{26}$/);

    const leader = await signIn(browser, p.url, `${T}.shift-leader`);
    await whenOpen(leader, id, 'file');
    await act(leader, id, 'file', '立案', '情况属实，立案', 'handling'); // 06 → 城管执法局 by the dispatch rules
    await leader.screenshot({ path: path.join(SHOTS, 'case-detail-1920.png') });

    const department = await signIn(browser, p.url, `${T}.department-handler`);
    await whenOpen(department, id, 'handle');
    await act(department, id, 'handle', '处置反馈', '已清运完毕', 'checking');

    await whenOpen(inspector, id, 'check');
    await act(inspector, id, 'check', '通过', '现场已清理', 'closed');
    const timeline = await inspector.getByTestId('case-detail').textContent();
    expect(timeline).toContain('结案');
  }, 120_000);

  it('an urgent case is escalated (督办) while nobody files it, then reworked once before it closes', async () => {
    const api = apiClient(p.url, await tokenFor(p, T, ['inspector'], `${T}.inspector`));
    const r = await api('POST', '/v1/cases', { clientId: 'e2e-urgent-0001', source: 'inspector', kind: 'matter', typeCode: '06012', urgency: 'urgent', description: '主干道路面油污', location: at });
    expect(r.status).toBe(201);
    const id = r.json.id as string;
    const leader = await signIn(browser, p.url, `${T}.shift-leader`);
    await eventually(async () => {
      await leader.goto(`${p.url}/case/${id}`);
      await leader.getByTestId('case-detail').waitFor();
      return ((await leader.getByTestId('case-detail').textContent()) ?? '').includes('督办');
    }, 20_000, 500);
    await act(leader, id, 'file', '立案', '超时后立案', 'handling');

    const department = await signIn(browser, p.url, `${T}.department-handler`);
    await whenOpen(department, id, 'handle');
    await act(department, id, 'handle', '处置反馈', '已清洗路面', 'checking');
    const inspector = await signIn(browser, p.url, `${T}.inspector`, { viewport: { width: 390, height: 844 } });
    await whenOpen(inspector, id, 'check');
    await act(inspector, id, 'check', '不通过', '仍有大片油污，返工', 'handling');
    await whenOpen(department, id, 'handle');
    await act(department, id, 'handle', '处置反馈', '再次清洗，已干净', 'checking');
    await whenOpen(inspector, id, 'check');
    await act(inspector, id, 'check', '通过', '已处理干净', 'closed');
    const c = (await apiClient(p.url, await tokenFor(p, T, ['shift-leader']))('GET', `/v1/cases/${id}`)).json;
    expect(c).toMatchObject({ status: 'closed', closeType: 'overdue', reworks: 1 });
    expect(c.escalations).toBeGreaterThanOrEqual(1);
  }, 120_000);
});
