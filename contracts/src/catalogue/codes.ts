/**
 * Checks of the codes built on the GB/T 47678.5-2026 catalogue (CMD-3, CMD-4):
 *
 * - type code (5 digits) = 2-digit 大类 + 3-digit 小类, standard or tenant extension;
 * - 管理部件标识码 (17 digits) = 6-digit GB/T 2260 division + 5-digit type code + 6-digit sequence;
 * - 事项代码 (11 digits) = 6-digit division + 5-digit type code (a type in a place, not an instance);
 * - 单元网格标识码 (15 characters, `^[0-9A-Z]{15}$`, GB/T 47678.3) whose first 6 characters are a division.
 *
 * A division belongs to a tenant when it is the tenant's own code or lies below it in the DIVISIONS parent chain,
 * both valid on the day in question (codes change: 望城县 430122 → 望城区 430112 on 2011-05-01).
 *
 * Every check returns `{ ok: true, … }` or `{ ok: false, code, message: { zh, en } }`:
 * - BAD_FORMAT: wrong length or characters (also a malformed tenant code);
 * - DIVISION_MISMATCH: the division part is not a GB/T 2260 division valid on that day, or differs from the
 *   division the caller expected (`options.division`, e.g. the division of the grid the case lies in);
 * - OUTSIDE_TENANT: a valid division, but neither the tenant nor below it (or under an excluded sub-tenant);
 * - UNKNOWN_TYPE_CODE: the type code is not a type of that kind in the standard or the tenant's extensions;
 * - TYPE_MISMATCH: the type code inside an id differs from the one the caller expected (`options.typeCode`,
 *   e.g. the case's classification).
 */
import { findDivision, type Division } from '../divisions';
import { CATALOGUE_STANDARD, type CatalogueKind } from './gbt47678-5-2026';
import { isExtensionCode, lookupType, type TenantCatalogue, type TypeInfo } from './tenant-catalogue';

export type CodeProblemCode = 'UNKNOWN_TYPE_CODE' | 'BAD_FORMAT' | 'DIVISION_MISMATCH' | 'TYPE_MISMATCH' | 'OUTSIDE_TENANT';

export interface CodeProblem {
  ok: false;
  code: CodeProblemCode;
  message: { zh: string; en: string };
}

const problem = (code: CodeProblemCode, zh: string, en: string): CodeProblem => ({ ok: false, code, message: { zh, en } });

const KIND_ZH: Record<CatalogueKind, string> = { component: '部件', matter: '事项' };
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

function assertDay(onDay: string): void {
  if (!ISO_DAY.test(onDay)) throw new RangeError(`onDay must be an ISO day (YYYY-MM-DD), got ${JSON.stringify(onDay)}`);
}

/** Options shared by the id checks. */
export interface WithinOptions {
  /**
   * Sub-tenants whose subtree does not belong to this tenant: counties below it that run their own platform
   * (TEN-2), e.g. ['430181'] for 长沙市 while 浏阳市 is a tenant of its own. Divisions are otherwise geographic.
   */
  exclude?: readonly string[];
}

/**
 * True when `code` is `tenantCode` or lies below it in the DIVISIONS parent chain, both valid on `onDay`
 * (YYYY-MM-DD) and the chain not passing through an excluded sub-tenant.
 */
export function divisionWithin(code: string, tenantCode: string, onDay: string, options: WithinOptions = {}): boolean {
  assertDay(onDay);
  if (findDivision(tenantCode, onDay) === undefined) return false;
  const excluded = new Set(options.exclude ?? []);
  let current = findDivision(code, onDay);
  for (let depth = 0; current !== undefined && depth < 8; depth++) {
    if (current.code === tenantCode) return true;
    if (excluded.has(current.code)) return false;
    current = current.parent === null ? undefined : findDivision(current.parent, onDay);
  }
  return false;
}

function checkTenant(tenantCode: string, onDay: string): CodeProblem | undefined {
  if (!/^\d{6}$/.test(tenantCode)) return problem('BAD_FORMAT', `租户代码 ${tenantCode} 不是6位区划代码`, `Tenant code ${tenantCode} is not a six-digit division code`);
  if (findDivision(tenantCode, onDay) === undefined) {
    return problem('OUTSIDE_TENANT', `租户代码 ${tenantCode} 在 ${onDay} 不是有效的行政区划`, `Tenant ${tenantCode} is not a valid division on ${onDay}`);
  }
  return undefined;
}

/** The division part of an id: valid on the day, within the tenant, equal to the expected one if given. */
function checkDivisionPart(
  division: string,
  what: { zh: string; en: string },
  tenantCode: string,
  onDay: string,
  options: WithinOptions & { division?: string },
): { ok: true; division: Division } | CodeProblem {
  const d = findDivision(division, onDay);
  if (d === undefined) {
    return problem(
      'DIVISION_MISMATCH',
      `${what.zh}前6位 ${division} 在 ${onDay} 不是有效的行政区划代码（GB/T 2260）`,
      `The first six digits of the ${what.en} (${division}) are not a GB/T 2260 division valid on ${onDay}`,
    );
  }
  if (!divisionWithin(division, tenantCode, onDay, options)) {
    return problem(
      'OUTSIDE_TENANT',
      `${what.zh}所属区划 ${division}（${d.name}）不在本租户 ${tenantCode} 辖区内`,
      `The ${what.en} belongs to division ${division} (${d.name}), which is outside tenant ${tenantCode}`,
    );
  }
  if (options.division !== undefined && options.division !== division) {
    return problem(
      'DIVISION_MISMATCH',
      `${what.zh}所属区划 ${division} 与应有的区划 ${options.division} 不一致`,
      `The ${what.en} belongs to division ${division}, not ${options.division} as expected`,
    );
  }
  return { ok: true, division: d };
}

function unknownType(kind: CatalogueKind, code: string, catalogue: TenantCatalogue | undefined): CodeProblem {
  const other: CatalogueKind = kind === 'component' ? 'matter' : 'component';
  if (isExtensionCode(code)) {
    return problem(
      'UNKNOWN_TYPE_CODE',
      `${code} 是扩展类别代码，但本租户未定义此${KIND_ZH[kind]}扩展类别`,
      catalogue
        ? `${code} is in the tenant extension range, but this tenant defines no ${kind} extension with that code`
        : `${code} is in the tenant extension range, but no tenant catalogue was given to look it up in`,
    );
  }
  const hint = lookupType(other, code, catalogue) !== undefined;
  return problem(
    'UNKNOWN_TYPE_CODE',
    `${code} 不是 ${CATALOGUE_STANDARD} 的${KIND_ZH[kind]}类别代码${hint ? `（它是${KIND_ZH[other]}代码）` : ''}`,
    `${code} is not a ${kind} type code of ${CATALOGUE_STANDARD}${hint ? ` (it is a ${other} code)` : ''}`,
  );
}

/** A 5-digit type code of `kind`, in the standard or in the tenant's extensions. */
export function checkTypeCode(kind: CatalogueKind, code: string, tenantCatalogue?: TenantCatalogue): { ok: true; type: TypeInfo } | CodeProblem {
  if (!/^\d{5}$/.test(code)) {
    return problem('BAD_FORMAT', `类别代码 ${code} 应为5位数字（2位大类+3位小类）`, `Type code ${code} must be five digits (2-digit 大类 + 3-digit 小类)`);
  }
  const type = lookupType(kind, code, tenantCatalogue);
  return type ? { ok: true, type } : unknownType(kind, code, tenantCatalogue);
}

export interface ComponentIdParts {
  id: string;
  division: Division;
  typeCode: string;
  /** 6-digit sequence within division and type. Any six digits are accepted (000000 included): the notes give no rule. */
  sequence: string;
  type: TypeInfo;
}

export interface ComponentIdOptions extends WithinOptions {
  /** The tenant's catalogue, for extension component types. */
  catalogue?: TenantCatalogue;
  /** The type the component must have (e.g. the case's type code). */
  typeCode?: string;
  /** The division the component must be in (e.g. the division of its grid). */
  division?: string;
}

/**
 * A 17-digit 管理部件标识码 under a tenant on a day: digits 1–6 a division that is the tenant or below it, digits
 * 7–11 a component type (standard or the tenant's extension), digits 12–17 the sequence.
 */
export function checkComponentId(id: string, tenantCode: string, onDay: string, options: ComponentIdOptions = {}): ({ ok: true } & ComponentIdParts) | CodeProblem {
  assertDay(onDay);
  if (!/^\d{17}$/.test(id)) {
    return problem('BAD_FORMAT', `部件标识码 ${id} 应为17位数字（6位区划+5位类别+6位顺序码）`, `Component id ${id} must be 17 digits (6 division + 5 type + 6 sequence)`);
  }
  const tenantProblem = checkTenant(tenantCode, onDay);
  if (tenantProblem) return tenantProblem;
  const division = id.slice(0, 6);
  const typeCode = id.slice(6, 11);
  const sequence = id.slice(11);
  const d = checkDivisionPart(division, { zh: '部件标识码', en: 'component id' }, tenantCode, onDay, options);
  if (!d.ok) return d;
  const type = lookupType('component', typeCode, options.catalogue);
  if (!type) {
    const u = unknownType('component', typeCode, options.catalogue);
    return { ...u, message: { zh: `部件标识码第7–11位：${u.message.zh}`, en: `Digits 7–11 of the component id: ${u.message.en}` } };
  }
  if (options.typeCode !== undefined && options.typeCode !== typeCode) {
    return problem(
      'TYPE_MISMATCH',
      `部件标识码中的类别 ${typeCode}（${type.name.zh}）与应有的类别 ${options.typeCode} 不一致`,
      `The component id is of type ${typeCode} (${type.name.en ?? type.name.zh}), not ${options.typeCode} as expected`,
    );
  }
  return { ok: true, id, division: d.division, typeCode, sequence, type };
}

/** Builds an 11-digit 事项代码 from a 6-digit division and a 5-digit type code. Throws on malformed parts. */
export function matterCode(division: string, typeCode: string): string {
  if (!/^\d{6}$/.test(division)) throw new RangeError(`a division code has six digits, got ${JSON.stringify(division)}`);
  if (!/^\d{5}$/.test(typeCode)) throw new RangeError(`a type code has five digits, got ${JSON.stringify(typeCode)}`);
  return `${division}${typeCode}`;
}

export interface MatterCodeOptions extends WithinOptions {
  /**
   * Which catalogue the type code is looked up in. Default 'matter'. Every standard component type has a
   * mirrored matter type of the same code, so a component case's 事项代码 also checks as a matter; pass
   * 'component' for a tenant's extension components, which have no mirror.
   */
  kind?: CatalogueKind;
  catalogue?: TenantCatalogue;
  typeCode?: string;
  division?: string;
}

/** An 11-digit 事项代码 under a tenant on a day. */
export function checkMatterCode(
  code: string,
  tenantCode: string,
  onDay: string,
  options: MatterCodeOptions = {},
): { ok: true; code: string; division: Division; typeCode: string; type: TypeInfo } | CodeProblem {
  assertDay(onDay);
  if (!/^\d{11}$/.test(code)) {
    return problem('BAD_FORMAT', `事项代码 ${code} 应为11位数字（6位区划+5位类别）`, `Matter code ${code} must be 11 digits (6 division + 5 type)`);
  }
  const tenantProblem = checkTenant(tenantCode, onDay);
  if (tenantProblem) return tenantProblem;
  const division = code.slice(0, 6);
  const typeCode = code.slice(6);
  const d = checkDivisionPart(division, { zh: '事项代码', en: 'matter code' }, tenantCode, onDay, options);
  if (!d.ok) return d;
  const kind = options.kind ?? 'matter';
  const type = lookupType(kind, typeCode, options.catalogue);
  if (!type) return unknownType(kind, typeCode, options.catalogue);
  if (options.typeCode !== undefined && options.typeCode !== typeCode) {
    return problem(
      'TYPE_MISMATCH',
      `事项代码中的类别 ${typeCode} 与应有的类别 ${options.typeCode} 不一致`,
      `The matter code is of type ${typeCode}, not ${options.typeCode} as expected`,
    );
  }
  return { ok: true, code, division: d.division, typeCode, type };
}

export interface GridIdOptions extends WithinOptions {
  /** The division the grid must be in. */
  division?: string;
}

/** A 15-character 单元网格标识码 (`^[0-9A-Z]{15}$`) whose first 6 characters are a division within the tenant. */
export function checkGridId(id: string, tenantCode: string, onDay: string, options: GridIdOptions = {}): { ok: true; id: string; division: Division } | CodeProblem {
  assertDay(onDay);
  if (!/^[0-9A-Z]{15}$/.test(id)) {
    return problem('BAD_FORMAT', `单元网格标识码 ${id} 应为15位数字或大写字母`, `Grid id ${id} must be 15 digits or capital letters`);
  }
  if (!/^\d{6}/.test(id)) {
    return problem('BAD_FORMAT', `单元网格标识码 ${id} 的前6位应为区划代码（数字）`, `The first six characters of grid id ${id} must be a division code (digits)`);
  }
  const tenantProblem = checkTenant(tenantCode, onDay);
  if (tenantProblem) return tenantProblem;
  const d = checkDivisionPart(id.slice(0, 6), { zh: '单元网格标识码', en: 'grid id' }, tenantCode, onDay, options);
  if (!d.ok) return d;
  return { ok: true, id, division: d.division };
}
