import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CaseKind } from '../case';
import { DIVISIONS } from '../divisions';
import {
  CATALOGUE,
  CATALOGUE_COUNTS,
  CATALOGUE_GAPS,
  CATALOGUE_STANDARD,
  CatalogueEntry,
  CatalogueKind,
  COMPONENT_MAJORS,
  COMPONENT_TYPES,
  COMPONENTS,
  checkComponentId,
  checkGridId,
  checkMatterCode,
  checkTypeCode,
  divisionWithin,
  entriesOfMajor,
  isExtensionCode,
  MATTER_MAJORS,
  MATTER_TYPES,
  MATTERS,
  matterCode,
  resolveLegacy,
  standardEntry,
  TenantCatalogue,
  type CodeProblem,
  type TenantCatalogueInput,
} from './index';

const DAY = '2026-08-01';

/** Narrows a check result to its failure and returns the code (fails the test if the check passed). */
function failure(r: { ok: true } | CodeProblem): CodeProblem['code'] {
  if (r.ok) throw new Error('expected the check to fail');
  expect(r.message.zh.length).toBeGreaterThan(0);
  expect(r.message.en.length).toBeGreaterThan(0);
  return r.code;
}


/** Small tenant catalogues for these checks (the tenants' real files are tested in tenants/catalogue.test.ts). */
const ext = (kind: 'component' | 'matter', code: string, zh: string, evaluation: boolean) => ({ kind, code, name: { zh, en: zh }, majorName: { zh: '扩展', en: 'Extension' }, evaluation });
const changsha = TenantCatalogue.parse({ schemaVersion: 1, legacy: [], extensions: [ext('component', '90001', '门前三包责任区', true), ext('matter', '91001', '渣土车违规运输', true)] });
const liuyang = TenantCatalogue.parse({ schemaVersion: 1, legacy: [], extensions: [ext('component', '90001', '门前三包责任区', true), ext('component', '90002', '便民摊点规划区', true), ext('matter', '91001', '禁放区违规燃放烟花爆竹', false)] });

describe('GB/T 47678.5-2026 catalogue', () => {
  it('holds 153 components and 250 matters, as DOMAIN_NOTES §1.1 and the source state', () => {
    expect(COMPONENTS).toHaveLength(153);
    expect(MATTERS).toHaveLength(250);
    expect(CATALOGUE_COUNTS).toEqual({ component: 153, matter: 250 });
    expect(CATALOGUE).toHaveLength(403);
  });

  it('has the per-大类 counts of the notes', () => {
    const count = (kind: CatalogueKind, major: string) => entriesOfMajor(kind, major).length;
    expect(['01', '02', '03', '04', '05'].map((m) => count('component', m))).toEqual([76, 44, 16, 14, 3]);
    expect(['01', '02', '03', '04', '05'].map((m) => count('matter', m))).toEqual([76, 44, 16, 14, 3]);
    expect(['06', '07', '08', '09', '10'].map((m) => count('matter', m))).toEqual([51, 7, 16, 21, 2]);
    expect(COMPONENT_MAJORS.map((m) => m.name.zh)).toEqual(['市政公用设施', '交通设施', '市容环卫设施', '园林绿化设施', '其他管理部件']);
    expect(MATTER_MAJORS).toHaveLength(10);
  });

  it('knows the codes everyone uses', () => {
    expect(standardEntry('component', '01001')?.name.zh).toBe('供水井盖');
    expect(standardEntry('component', '01037')?.name.zh).toBe('路灯');
    expect(standardEntry('matter', '06010')?.name.zh).toBe('暴露垃圾');
    expect(standardEntry('matter', '09006')?.name.zh).toBe('占道经营');
    expect(standardEntry('matter', '10002')?.name.zh).toBe('架空线缆脱落');
    expect(standardEntry('matter', '02018')?.name.zh).toBe('防撞桶异常');
    expect(standardEntry('matter', '06010')).toMatchObject({ standard: 'GB/T 47678.5-2026', kind: 'matter', majorCode: '06', majorName: { zh: '市容环境类' } });
    expect(standardEntry('component', '06010')).toBeUndefined();
  });

  it('mirrors every component as the matter "<部件名>异常" with the same code (01066 as written in the source)', () => {
    for (const c of COMPONENTS) {
      const m = MATTER_TYPES.get(c.code);
      expect(m, c.code).toBeDefined();
      expect(m!.name.zh).toBe(c.code === '01066' ? '紧急报警点异常SOS' : `${c.name.zh}异常`);
      expect(m!.majorName.zh).toBe(`${c.majorName.zh}类`);
    }
    expect(MATTERS.filter((m) => Number(m.majorCode) <= 5).map((m) => m.code)).toEqual(COMPONENTS.map((c) => c.code));
    expect(standardEntry('component', '01066')?.name.zh).toBe('紧急报警点SOS');
  });

  it('has well-formed codes, unique per kind, none in the extension range, all valid entries', () => {
    for (const list of [COMPONENTS, MATTERS]) {
      const codes = list.map((e) => e.code);
      expect(new Set(codes).size).toBe(codes.length);
      expect([...codes].sort()).toEqual(codes); // the standard's order is numeric
    }
    expect(COMPONENT_TYPES.size).toBe(153);
    expect(MATTER_TYPES.size).toBe(250);
    for (const e of CATALOGUE) {
      expect(CatalogueEntry.parse(e)).toEqual(e);
      expect(e.standard).toBe(CATALOGUE_STANDARD);
      expect(e.code).toMatch(/^\d{5}$/);
      expect(e.code.slice(2)).not.toBe('000');
      expect(e.majorCode).toBe(e.code.slice(0, 2));
      expect(e.majorName.en.length).toBeGreaterThan(0);
      expect(isExtensionCode(e.code)).toBe(false);
    }
  });

  it('keeps the source gaps as gaps', () => {
    for (const gap of CATALOGUE_GAPS) for (const code of gap.codes) expect(standardEntry(gap.kind, code), `${gap.kind} ${code}`).toBeUndefined();
    expect(CATALOGUE_GAPS.flatMap((g) => (g.kind === 'matter' ? g.codes : []))).toEqual(
      expect.arrayContaining(['06031', '07005', '09007', '01016']),
    );
  });

  it('uses the same kinds as the case contract', () => {
    expect(CatalogueKind.options).toEqual(CaseKind.options);
  });
});

describe('checkTypeCode', () => {
  it('accepts standard codes of the right kind', () => {
    const r = checkTypeCode('component', '01001');
    expect(r).toMatchObject({ ok: true, type: { origin: 'standard', code: '01001', name: { zh: '供水井盖' }, evaluation: false } });
    expect(checkTypeCode('matter', '01001').ok).toBe(true);
  });

  it('rejects bad formats and unknown codes', () => {
    expect(failure(checkTypeCode('component', '1001'))).toBe('BAD_FORMAT');
    expect(failure(checkTypeCode('component', '0100a'))).toBe('BAD_FORMAT');
    expect(failure(checkTypeCode('component', '010011'))).toBe('BAD_FORMAT');
    expect(failure(checkTypeCode('component', '01016'))).toBe('UNKNOWN_TYPE_CODE');
    expect(failure(checkTypeCode('matter', '06031'))).toBe('UNKNOWN_TYPE_CODE');
    const wrongKind = checkTypeCode('component', '06010');
    expect(failure(wrongKind)).toBe('UNKNOWN_TYPE_CODE');
    expect(!wrongKind.ok && wrongKind.message.en).toContain('it is a matter code');
  });

  it('accepts a tenant extension only with that tenant catalogue', () => {
    expect(checkTypeCode('component', '90001', changsha)).toMatchObject({ ok: true, type: { origin: 'extension', evaluation: true, name: { zh: '门前三包责任区' } } });
    expect(failure(checkTypeCode('component', '90001'))).toBe('UNKNOWN_TYPE_CODE');
    expect(failure(checkTypeCode('matter', '90001', changsha))).toBe('UNKNOWN_TYPE_CODE');
    expect(failure(checkTypeCode('component', '90002', changsha))).toBe('UNKNOWN_TYPE_CODE');
    expect(checkTypeCode('component', '90002', liuyang).ok).toBe(true);
  });
});

describe('divisionWithin', () => {
  it('follows the DIVISIONS parent chain on the day', () => {
    expect(divisionWithin('430102', '430100', DAY)).toBe(true);
    expect(divisionWithin('430100', '430100', DAY)).toBe(true);
    expect(divisionWithin('430181', '430100', DAY)).toBe(true);
    expect(divisionWithin('430181', '430000', DAY)).toBe(true);
    expect(divisionWithin('430102', '430181', DAY)).toBe(false);
    expect(divisionWithin('430202', '430100', DAY)).toBe(false);
    expect(divisionWithin('430100', '430102', DAY)).toBe(false);
    expect(divisionWithin('430122', '430100', DAY)).toBe(false); // 望城县 abolished 2011-04-30
    expect(divisionWithin('430122', '430100', '2010-01-01')).toBe(true);
    expect(divisionWithin('430112', '430100', '2010-01-01')).toBe(false); // 望城区 from 2011-05-01
  });

  it('leaves out sub-tenants that run their own platform when asked', () => {
    expect(divisionWithin('430181', '430100', DAY, { exclude: ['430181'] })).toBe(false);
    expect(divisionWithin('430102', '430100', DAY, { exclude: ['430181'] })).toBe(true);
  });

  it('throws on a malformed day (a caller bug)', () => {
    expect(() => divisionWithin('430102', '430100', '2026/08/01')).toThrow(RangeError);
  });
});

describe('checkComponentId', () => {
  const furongManhole = '430102' + '01001' + '000123'; // a 供水井盖 in 芙蓉区

  it('accepts a 芙蓉区 (430102) component under 长沙 (430100) and the province, not under 浏阳 (430181)', () => {
    expect(checkComponentId(furongManhole, '430100', DAY)).toMatchObject({
      ok: true,
      id: furongManhole,
      division: { code: '430102', name: '芙蓉区' },
      typeCode: '01001',
      sequence: '000123',
      type: { name: { zh: '供水井盖' } },
    });
    expect(checkComponentId(furongManhole, '430000', DAY).ok).toBe(true);
    expect(failure(checkComponentId(furongManhole, '430181', DAY))).toBe('OUTSIDE_TENANT');
    expect(checkComponentId(furongManhole, '430102', DAY).ok).toBe(true);
    expect(failure(checkComponentId(furongManhole, '430103', DAY))).toBe('OUTSIDE_TENANT');
  });

  it('checks the division part against the day and the expected division', () => {
    expect(failure(checkComponentId('430122' + '01037' + '000001', '430100', DAY))).toBe('DIVISION_MISMATCH');
    expect(checkComponentId('430122' + '01037' + '000001', '430100', '2010-06-01').ok).toBe(true);
    expect(failure(checkComponentId('439999' + '01037' + '000001', '430100', DAY))).toBe('DIVISION_MISMATCH');
    expect(failure(checkComponentId(furongManhole, '430100', DAY, { division: '430103' }))).toBe('DIVISION_MISMATCH');
    expect(checkComponentId(furongManhole, '430100', DAY, { division: '430102' }).ok).toBe(true);
    expect(failure(checkComponentId('430181' + '01037' + '000001', '430100', DAY, { exclude: ['430181'] }))).toBe('OUTSIDE_TENANT');
  });

  it('checks the type part: a component type, the expected one', () => {
    expect(failure(checkComponentId('430102' + '06010' + '000001', '430100', DAY))).toBe('UNKNOWN_TYPE_CODE');
    expect(failure(checkComponentId('430102' + '01016' + '000001', '430100', DAY))).toBe('UNKNOWN_TYPE_CODE');
    expect(failure(checkComponentId(furongManhole, '430100', DAY, { typeCode: '01037' }))).toBe('TYPE_MISMATCH');
    expect(checkComponentId(furongManhole, '430100', DAY, { typeCode: '01001' }).ok).toBe(true);
  });

  it('accepts extension component types with the tenant catalogue', () => {
    const zone = '430181' + '90001' + '000001';
    expect(checkComponentId(zone, '430181', DAY, { catalogue: liuyang })).toMatchObject({ ok: true, type: { origin: 'extension', evaluation: true } });
    expect(failure(checkComponentId(zone, '430181', DAY))).toBe('UNKNOWN_TYPE_CODE');
  });

  it('rejects bad formats', () => {
    for (const id of ['4301020100100012', '430102010010001234', '43010201001000A12', ' 4301020100100012', '', '430102-01001-000123']) {
      expect(failure(checkComponentId(id, '430100', DAY)), id).toBe('BAD_FORMAT');
    }
    expect(failure(checkComponentId(furongManhole, '4301', DAY))).toBe('BAD_FORMAT');
    expect(failure(checkComponentId(furongManhole, '439900', DAY))).toBe('OUTSIDE_TENANT');
  });

  it('round-trips any valid generated id (property)', () => {
    const within = DIVISIONS.filter((d) => divisionWithin(d.code, '430100', DAY));
    expect(within.map((d) => d.code)).toContain('430102');
    fc.assert(
      fc.property(
        fc.constantFrom(...within),
        fc.constantFrom(...COMPONENTS),
        fc.integer({ min: 0, max: 999_999 }),
        (division, component, n) => {
          const sequence = String(n).padStart(6, '0');
          const id = `${division.code}${component.code}${sequence}`;
          const r = checkComponentId(id, '430100', DAY, { typeCode: component.code, division: division.code });
          expect(r).toMatchObject({ ok: true, id, typeCode: component.code, sequence, division: { code: division.code }, type: { name: component.name } });
          if (r.ok) expect(`${r.division.code}${r.typeCode}${r.sequence}`).toBe(id);
        },
      ),
    );
  });

  it('never accepts an id from outside the tenant (property)', () => {
    const outside = DIVISIONS.filter((d) => !divisionWithin(d.code, '430181', DAY));
    fc.assert(
      fc.property(fc.constantFrom(...outside), fc.constantFrom(...COMPONENTS), fc.integer({ min: 0, max: 999_999 }), (division, component, n) => {
        const r = checkComponentId(`${division.code}${component.code}${String(n).padStart(6, '0')}`, '430181', DAY);
        expect(r.ok).toBe(false);
        expect(['OUTSIDE_TENANT', 'DIVISION_MISMATCH']).toContain(r.ok ? 'ok' : r.code);
      }),
    );
  });
});

describe('matter codes', () => {
  it('builds 事项代码 = division + type code', () => {
    expect(matterCode('430102', '06010')).toBe('43010206010');
    expect(() => matterCode('4301', '06010')).toThrow(RangeError);
    expect(() => matterCode('430102', '6010')).toThrow(RangeError);
  });

  it('checks a matter code under a tenant', () => {
    expect(checkMatterCode('43010206010', '430100', DAY)).toMatchObject({ ok: true, typeCode: '06010', division: { code: '430102' }, type: { name: { zh: '暴露垃圾' } } });
    expect(checkMatterCode('43010201001', '430100', DAY)).toMatchObject({ ok: true, type: { name: { zh: '供水井盖异常' } } });
    expect(failure(checkMatterCode('43010206010', '430181', DAY))).toBe('OUTSIDE_TENANT');
    expect(failure(checkMatterCode('43010206031', '430100', DAY))).toBe('UNKNOWN_TYPE_CODE');
    expect(failure(checkMatterCode('4301020601', '430100', DAY))).toBe('BAD_FORMAT');
    expect(failure(checkMatterCode('43010206010', '430100', DAY, { typeCode: '06042' }))).toBe('TYPE_MISMATCH');
    expect(failure(checkMatterCode('43010206010', '430100', DAY, { division: '430104' }))).toBe('DIVISION_MISMATCH');
    expect(failure(checkMatterCode('43999906010', '430100', DAY))).toBe('DIVISION_MISMATCH');
  });

  it('checks extension types in their own kind', () => {
    const code = matterCode('430181', '90001');
    expect(failure(checkMatterCode(code, '430181', DAY, { catalogue: liuyang }))).toBe('UNKNOWN_TYPE_CODE'); // 90001 is a component extension
    expect(checkMatterCode(code, '430181', DAY, { catalogue: liuyang, kind: 'component' }).ok).toBe(true);
    expect(checkMatterCode(matterCode('430181', '91001'), '430181', DAY, { catalogue: liuyang }).ok).toBe(true);
  });
});

describe('checkGridId', () => {
  it('accepts a 15-character grid id of a division within the tenant', () => {
    expect(checkGridId('430102001A02003', '430100', DAY)).toMatchObject({ ok: true, division: { code: '430102' } });
    expect(checkGridId('430181100200301', '430181', DAY).ok).toBe(true);
    expect(failure(checkGridId('430102001A02003', '430181', DAY))).toBe('OUTSIDE_TENANT');
    expect(failure(checkGridId('430102001A02003', '430100', DAY, { division: '430103' }))).toBe('DIVISION_MISMATCH');
    expect(failure(checkGridId('439999001A02003', '430100', DAY))).toBe('DIVISION_MISMATCH');
    expect(failure(checkGridId('430181100200301', '430100', DAY, { exclude: ['430181'] }))).toBe('OUTSIDE_TENANT');
  });

  it('rejects bad formats', () => {
    for (const id of ['430102001a02003', '430102001A0200', '430102001A020031', 'AB0102001A02003', '430102001A0200-', '']) {
      expect(failure(checkGridId(id, '430100', DAY)), id).toBe('BAD_FORMAT');
    }
  });
});

