/** The tenants' alarm rules (MON-3, MUN-3/4/5) validate against the contracts schema and cover every device kind. */
import { describe, expect, it } from 'vitest';
import changshaJson from './430100/alarm-rules.json';
import liuyangJson from './430181/alarm-rules.json';
import { TenantAlarmRules } from '../contracts/src/alarms';
import { standardEntry } from '../contracts/src/catalogue/index';
import { DEVICE_KIND_IDS } from '../contracts/src/devices';

const files = [
  ['430100', changshaJson],
  ['430181', liuyangJson],
] as const;

describe('MON-3 tenant alarm rules', () => {
  for (const [code, json] of files) {
    describe(code, () => {
      const parsed = TenantAlarmRules.safeParse(json);

      it('parses as TenantAlarmRules, for its own tenant, marked provisional', () => {
        expect(parsed.error?.issues ?? []).toEqual([]);
        expect(parsed.data?.tenant).toBe(code);
        expect(parsed.data?.note).toMatch(/PROVISIONAL/);
      });

      it('has an offline rule and at least one reading rule for every device kind', () => {
        const rules = parsed.data?.rules ?? [];
        for (const kind of DEVICE_KIND_IDS) {
          expect(rules.some((r) => r.kind === kind && r.type === 'offline'), `${kind} offline`).toBe(true);
          expect(rules.some((r) => r.kind === kind && r.type !== 'offline'), `${kind} readings`).toBe(true);
        }
      });

      it('gives cases a GB/T 47678.5 component type', () => {
        for (const r of parsed.data?.rules ?? []) expect(standardEntry('component', r.caseTypeCode), `${r.id} ${r.caseTypeCode}`).toBeDefined();
      });

      it('MUN-3 opens a case from the first level of the manhole cover open rule', () => {
        const open = parsed.data?.rules.find((r) => r.kind === 'manhole-cover' && r.type === 'state' && r.metric === 'open');
        expect(open?.type).toBe('state');
        if (open?.type === 'state') expect(open.opensCaseFrom).toBe(open.level);
      });
    });
  }
});
