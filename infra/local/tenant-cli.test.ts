/** `npm run tenant -- onboard`: validates, loads idempotently, and explains a bad manifest. */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { testTable } from '../../test/support/dynamo';

const ROOT = path.resolve(import.meta.dirname, '../..');
const run = async (args: string[]) =>
  await promisify(execFile)(process.execPath, ['--import', 'tsx', 'infra/local/tenant-cli.ts', ...args], { cwd: ROOT }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
  );

describe('tenant onboarding command', () => {
  it('onboards a county into a table: created, then unchanged', async () => {
    const t = await testTable('cli');
    const args = ['onboard', 'tenants/430181', '--endpoint', t.endpoint, '--table', t.tableName];
    const first = await run(args);
    expect(first.code, first.out).toBe(0);
    expect(first.out).toContain('430181 浏阳市: created');
    const second = await run(args);
    expect(second.out).toContain('430181 浏阳市: unchanged');
  }, 30_000);

  it('a bad manifest names the file, the field and the fix, and loads nothing', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tenants-'));
    cpSync(path.join(ROOT, 'tenants/430181'), path.join(dir, '430181'), { recursive: true });
    const file = path.join(dir, '430181', 'manifest.json');
    const m = JSON.parse(readFileSync(file, 'utf8'));
    m.departments[0].code = 'bad code!';
    writeFileSync(file, JSON.stringify(m, null, 2));
    const r = await run(['onboard', path.join(dir, '430181'), '--endpoint', 'http://127.0.0.1:1', '--table', 'x']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('manifest.json');
    expect(r.out).toContain('departments[0].code');
  }, 30_000);

  it('says when no local platform is running', async () => {
    const r = await run(['onboard', 'tenants/430181', '--endpoint', 'http://127.0.0.1:1']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('npm start');
  }, 30_000);
});
