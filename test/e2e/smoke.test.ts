/**
 * Real-browser smoke test (Debian's Chromium driven by playwright-core): sign in as different roles and see
 * each role's home, in Chinese by default; the province gets the tenant switcher; a phone layout works.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Platform } from '../../infra/local/platform';
import { startTestPlatform } from '../support/platform';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = path.resolve(import.meta.dirname, '../../test-results');
let p: Platform;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install chromium) or set CHROMIUM_PATH`);
  mkdirSync(SHOTS, { recursive: true });
  p = await startTestPlatform({ loadBaseData: false });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await p?.stop();
});

async function loginAs(username: string, viewport = { width: 1920, height: 1080 }) {
  const page = await browser.newPage({ viewport, locale: 'zh-CN' });
  await page.goto(p.url);
  await page.getByTestId('login-form').waitFor();
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill('demo');
  await page.getByTestId('login-submit').click();
  await page.getByTestId('role-home').waitFor({ timeout: 15_000 });
  return page;
}

describe('web smoke (real Chromium)', () => {
  it('a dispatcher of 长沙市 signs in and sees the command centre home in Chinese', async () => {
    const page = await loginAs('430100.dispatcher');
    expect(await page.getByTestId('role-home').getAttribute('data-role')).toBe('dispatcher');
    await expect.poll(async () => await page.getByTestId('user-tenant').textContent()).toContain('长沙市');
    expect(await page.locator('html').getAttribute('lang')).toMatch(/^zh/);
    await page.screenshot({ path: path.join(SHOTS, 'dispatcher-1920.png') });
    expect(await page.getByTestId('tenant-switcher').count()).toBe(0);
    await page.close();
  });

  it('the province supervisor gets the tenant switcher listing the tenants', async () => {
    const page = await loginAs('430000.province-supervisor');
    await page.getByTestId('tenant-switcher').waitFor();
    await expect.poll(async () => await page.getByTestId('tenant-switcher').textContent()).toContain('浏阳市');
    await page.screenshot({ path: path.join(SHOTS, 'province-1920.png') });
    await page.close();
  });

  it('an inspector on a phone sees the home and can switch to English', async () => {
    const page = await loginAs('430181.inspector', { width: 360, height: 740 });
    expect(await page.getByTestId('role-home').getAttribute('data-role')).toBe('inspector');
    const overflow = (await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')) as number;
    expect(overflow).toBeLessThanOrEqual(1);
    await page.screenshot({ path: path.join(SHOTS, 'inspector-360.png') });
    // On a phone the header tools sit behind the menu button.
    await page.locator('.menu-toggle').click();
    await page.getByTestId('lang-switch').click();
    await expect.poll(async () => await page.locator('html').getAttribute('lang')).toBe('en');
    await page.close();
  });

  it('a monitoring operator opens the risk one-map, the contingency plan library and patrol planning (MON-2, MON-5, MON-6)', async () => {
    const page = await loginAs('430100.monitoring-operator');
    await page.goto(`${p.url}/monitoring/risk-map`);
    await expect.poll(async () => await page.getByTestId('risk-map').getAttribute('data-loaded'), { timeout: 15_000 }).toBe('true');
    await page.goto(`${p.url}/monitoring/plans`);
    await page.getByTestId('plan-library-page').waitFor();
    await expect.poll(async () => await page.getByTestId('plan-library-page').textContent()).toContain('长沙市城市防汛应急预案');
    await page.goto(`${p.url}/monitoring/patrol`);
    await page.getByTestId('patrol-team-form').waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'patrol-1920.png') });
    await page.close();
  });
});
