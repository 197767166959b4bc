/**
 * A tenant's data file as the tests of functions/ read it (the files themselves belong to tenants/, which
 * functions/ may not import; onboarding loads them at run time the same way).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** `tenants/<code>/<file>` parsed as JSON (validate it with its contract schema where it matters). */
export function tenantJson(code: string, file: string): unknown {
  return JSON.parse(readFileSync(path.join(ROOT, 'tenants', code, file), 'utf8')) as unknown;
}
