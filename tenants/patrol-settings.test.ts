/** The tenants' patrol settings (MON-5) validate against the contracts schema and fit their calendars. */
import { describe, expect, it } from 'vitest';
import changshaJson from './430100/patrol-settings.json';
import liuyangJson from './430181/patrol-settings.json';
import { TenantPatrolSettings } from '../contracts/src/patrol';

const files = [
  ['430100', changshaJson],
  ['430181', liuyangJson],
] as const;

describe('MON-5 tenant patrol settings', () => {
  for (const [code, json] of files) {
    it(`${code} parses as TenantPatrolSettings, for its own tenant, marked provisional`, () => {
      const parsed = TenantPatrolSettings.safeParse(json);
      expect(parsed.error?.issues ?? []).toEqual([]);
      expect(parsed.data?.tenant).toBe(code);
      expect(parsed.data?.note).toMatch(/PROVISIONAL/);
    });
  }

  it('refuses a file without a cycle time for every frequency', () => {
    const { weekly: _weekly, ...cycles } = changshaJson.cycles;
    expect(TenantPatrolSettings.safeParse({ ...changshaJson, cycles }).success).toBe(false);
  });
});
