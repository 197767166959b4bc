/** The tenants' catalogues (legacy mappings, extension categories) validate against the contracts schema. */
import { describe, expect, it } from 'vitest';
import changshaJson from './430100/catalogue.json';
import liuyangJson from './430181/catalogue.json';
import { CATALOGUE_STANDARD, resolveLegacy, TenantCatalogue, type CodeProblem, type TenantCatalogueInput } from '../contracts/src/catalogue/index';

const DAY = '2026-08-01';
const changsha = TenantCatalogue.parse(changshaJson);
const liuyang = TenantCatalogue.parse(liuyangJson);

/** Narrows a check result to its failure and returns the code (fails the test if the check passed). */
function failure(r: { ok: true } | CodeProblem): CodeProblem['code'] {
  if (r.ok) throw new Error('expected the check to fail');
  expect(r.message.zh.length).toBeGreaterThan(0);
  expect(r.message.en.length).toBeGreaterThan(0);
  return r.code;
}

describe('tenant catalogues', () => {
  it('validate, with unique legacy codes per kind and extensions in the reserved range', () => {
    for (const c of [changsha, liuyang]) {
      expect(c.schemaVersion).toBe(1);
      expect(c.standard).toBe(CATALOGUE_STANDARD);
      expect(c.extensions.length).toBeGreaterThanOrEqual(2);
      expect(c.extensions.length).toBeLessThanOrEqual(3);
      expect(c.extensions.some((e) => e.evaluation)).toBe(true);
      for (const e of c.extensions) expect(e.code).toMatch(/^9\d\d{3}$/);
      for (const m of c.legacy) expect(resolveLegacy(c, m.legacyCode, m.kind).ok, `${m.kind} ${m.legacyCode}`).toBe(true);
    }
  });

  it('map every legacy code of DOMAIN_NOTES §1.2 in 长沙', () => {
    const components = changsha.legacy.filter((m) => m.kind === 'component').map((m) => m.legacyCode);
    const events = changsha.legacy.filter((m) => m.kind === 'matter').map((m) => m.legacyCode);
    expect(components).toHaveLength(29 + 17 + 7 + 7 + 3);
    expect(events).toHaveLength(11 + 4 + 7 + 4 + 8);
  });

  it('resolve legacy codes to standard or extension types', () => {
    expect(resolveLegacy(changsha, '0101', 'component')).toMatchObject({ ok: true, type: { code: '01001', name: { zh: '供水井盖' } } });
    expect(resolveLegacy(changsha, '0118', 'component')).toMatchObject({ ok: true, type: { code: '01037', name: { zh: '路灯' } } });
    expect(resolveLegacy(changsha, '0102', 'matter')).toMatchObject({ ok: true, type: { code: '06010', name: { zh: '暴露垃圾' } } });
    const collapse = resolveLegacy(changsha, '0401', 'matter');
    expect(collapse).toMatchObject({ ok: true, type: { code: '06013', name: { zh: '道路破损' } } });
    expect(collapse.ok && collapse.mapping.note).toContain('突发事件');
    expect(resolveLegacy(changsha, '0502', 'component')).toMatchObject({ ok: true, type: { origin: 'extension', code: '90003', name: { zh: '人防工事' } } });
    expect(resolveLegacy(liuyang, '03-11')).toMatchObject({ ok: true, type: { code: '08011' } });
    expect(resolveLegacy(liuyang, ' 01-02 ')).toMatchObject({ ok: true, type: { code: '06010' } });
  });

  it('report ambiguous and unknown legacy codes', () => {
    const both = resolveLegacy(changsha, '0101');
    expect(both).toMatchObject({ ok: false, code: 'AMBIGUOUS_LEGACY_CODE' });
    expect(!both.ok && both.candidates.map((c) => c.kind).sort()).toEqual(['component', 'matter']);
    expect(resolveLegacy(changsha, '9999')).toMatchObject({ ok: false, code: 'UNKNOWN_LEGACY_CODE' });
    expect(resolveLegacy(liuyang, '0502', 'component')).toMatchObject({ ok: false, code: 'UNKNOWN_LEGACY_CODE' });
  });

  describe('schema', () => {
    const base = (): TenantCatalogueInput => ({
      schemaVersion: 1,
      legacy: [{ legacyCode: '0101', legacyName: '上水井盖', kind: 'component', typeCode: '01001' }],
      extensions: [
        { kind: 'component', code: '90001', name: { zh: '门前三包责任区', en: 'Frontage responsibility zone' }, majorName: { zh: '扩展部件', en: 'Extensions' }, evaluation: true },
      ],
    });
    const issues = (input: unknown): string[] => {
      const r = TenantCatalogue.safeParse(input);
      return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };

    it('accepts a minimal catalogue and defaults the standard', () => {
      expect(TenantCatalogue.parse(base()).standard).toBe(CATALOGUE_STANDARD);
      expect(TenantCatalogue.parse({ schemaVersion: 1 })).toMatchObject({ legacy: [], extensions: [] });
    });

    it('rejects extension codes outside 90001–99999 or used twice', () => {
      for (const code of ['01001', '89001', '90000', '9001', '100001']) {
        const c = base();
        c.extensions![0]!.code = code;
        expect(issues(c).join('\n'), code).toMatch(/^extensions\.0\.code/);
      }
      const twice = base();
      twice.extensions!.push({ ...twice.extensions![0]! });
      expect(issues(twice).join('\n')).toMatch(/extensions\.1\.code: .*used twice/);
      const otherKind = base();
      otherKind.extensions!.push({ ...otherKind.extensions![0]!, kind: 'matter', majorName: { zh: '扩展事项', en: 'Matters' } });
      expect(issues(otherKind)).toEqual([]);
    });

    it('rejects a 大类 named two ways', () => {
      const c = base();
      c.extensions!.push({ ...c.extensions![0]!, code: '90002', majorName: { zh: '其他', en: 'Other' } });
      expect(issues(c).join('\n')).toMatch(/extensions\.1\.majorName/);
    });

    it('rejects legacy mappings to unknown codes, to the wrong kind, or given twice', () => {
      const unknown = base();
      unknown.legacy![0]!.typeCode = '01016';
      expect(issues(unknown).join('\n')).toMatch(/legacy\.0\.typeCode/);
      const wrongKind = base();
      wrongKind.legacy![0]!.typeCode = '06010';
      expect(issues(wrongKind).join('\n')).toMatch(/legacy\.0\.typeCode: .*it is a matter code/);
      const missingExtension = base();
      missingExtension.legacy![0]!.typeCode = '90009';
      expect(issues(missingExtension).join('\n')).toMatch(/legacy\.0\.typeCode/);
      const toExtension = base();
      toExtension.legacy![0]!.typeCode = '90001';
      expect(issues(toExtension)).toEqual([]);
      const twice = base();
      twice.legacy!.push({ ...twice.legacy![0]! });
      expect(issues(twice).join('\n')).toMatch(/legacy\.1\.legacyCode: .*mapped twice/);
      const sameCodeOtherKind = base();
      sameCodeOtherKind.legacy!.push({ legacyCode: '0101', legacyName: '新增建筑', kind: 'matter', typeCode: '06001' });
      expect(issues(sameCodeOtherKind)).toEqual([]);
    });

    it('rejects misspelt fields instead of dropping them', () => {
      const c = { ...base(), extension: [] };
      expect(issues(c).join('\n')).toMatch(/extension/);
      expect(issues({ ...base(), $comment: 'notes are fine' })).toEqual([]);
      expect(issues({ ...base(), schemaVersion: 2 }).length).toBeGreaterThan(0);
    });
  });
});
