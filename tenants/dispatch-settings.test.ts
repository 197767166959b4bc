/** The tenants' nearest-inspector settings (MUN-3) validate against the contracts schema. */
import { describe, expect, it } from 'vitest';
import changshaJson from './430100/dispatch-settings.json';
import liuyangJson from './430181/dispatch-settings.json';
import { TenantDispatchSettings } from '../contracts/src/dispatch';

const files = [
  ['430100', changshaJson],
  ['430181', liuyangJson],
] as const;

describe('MUN-3 tenant dispatch settings', () => {
  for (const [code, json] of files) {
    it(`${code} parses as TenantDispatchSettings, for its own tenant, marked provisional`, () => {
      const parsed = TenantDispatchSettings.safeParse(json);
      expect(parsed.error?.issues ?? []).toEqual([]);
      expect(parsed.data?.tenant).toBe(code);
      expect(parsed.data?.note).toMatch(/PROVISIONAL/);
    });
  }

  it('refuses a report interval that would let positions go stale between reports', () => {
    const nearestInspector = { ...changshaJson.nearestInspector, reportEverySeconds: changshaJson.nearestInspector.positionFreshSeconds };
    expect(TenantDispatchSettings.safeParse({ ...changshaJson, nearestInspector }).success).toBe(false);
  });
});
