/**
 * A tenant's own catalogue (`tenants/<code>/catalogue.json`): how its legacy codes map onto GB/T 47678.5-2026, and
 * the extension categories (扩展类别) it adds for objects the standard does not list, notably the evaluation
 * objects of 综合评价 (门前三包责任区, 实地考察样本 layers such as 背街小巷 or 农贸市场…).
 *
 * Legacy codes (GB/T 30428.2-2013 / CJ/T 214 era) are tenant-local: numbering varies from city to city and the
 * same string can be a 部件 and an 事件 code (0101 上水井盖 / 0101 新增建筑), so a mapping is keyed by
 * (kind, legacyCode).
 *
 * RESERVED EXTENSION RANGE: an extension code is 5 digits whose 大类 is 90–99 and whose 小类 is 001–999
 * (90001…99999). The standard uses 大类 01–05 (components) and 01–10 (matters); leaving 11–89 free gives a
 * revised standard room to grow without clashing with tenant data. Extension codes are unique per kind within
 * one tenant, not across tenants: 90001 in 长沙 and 90001 in 浏阳 are different categories, so anything that
 * aggregates across tenants (the province) must key extensions by (tenant, kind, code).
 */
import { z } from 'zod';
import {
  CATALOGUE_STANDARD,
  CatalogueKind,
  MajorName,
  TypeCode,
  standardEntry,
  type CatalogueName,
} from './gbt47678-5-2026';

export const EXTENSION_MAJOR_MIN = 90;
export const EXTENSION_MAJOR_MAX = 99;
const EXTENSION_PATTERN = /^9\d(?!000)\d{3}$/;

/** True if a 5-digit code is in the reserved tenant-extension range (大类 90–99, 小类 001–999). */
export const isExtensionCode = (code: string): boolean => EXTENSION_PATTERN.test(code);

/** A tenant extension code: 大类 90–99, 小类 001–999. */
export const ExtensionCode = z.string().regex(EXTENSION_PATTERN, {
  message: '扩展类别代码为5位数字，大类 90–99，小类 001–999 / an extension code is 5 digits: 大类 90–99, 小类 001–999 (e.g. 90001)',
});

/** A note for people, allowed on every object of the file (as in the manifests). */
const $comment = z.string().optional();

export const LegacyMapping = z.strictObject({
  $comment,
  /** The code in the tenant's old system, as it was written there (0101, 01-36, …). */
  legacyCode: z
    .string()
    .regex(/^[0-9A-Za-z][0-9A-Za-z._-]{0,19}$/, { message: '旧代码为1–20位字母、数字、点、下划线或连字符 / a legacy code is 1–20 letters, digits, dots, underscores or dashes' }),
  /** Its name in the old system. */
  legacyName: z.string().trim().min(1).max(60),
  kind: CatalogueKind,
  /** The GB/T 47678.5 code, or one of this tenant's extension codes, of the same kind. */
  typeCode: TypeCode,
  /** Why this mapping, when it is not one to one (a split class, a best fit, a moved 大类…). */
  note: z.string().max(500).optional(),
});
export type LegacyMapping = z.infer<typeof LegacyMapping>;

export const CatalogueExtension = z.strictObject({
  $comment,
  kind: CatalogueKind,
  code: ExtensionCode,
  name: z.strictObject({ zh: z.string().trim().min(1), en: z.string().trim().min(1) }),
  /** The name of its 大类 (the first two digits); every extension of one kind and 大类 gives the same name. */
  majorName: MajorName,
  /** 扩展类别 for evaluation-related objects (综合评价, CMD-3). */
  evaluation: z.boolean(),
  note: z.string().max(500).optional(),
});
export type CatalogueExtension = z.infer<typeof CatalogueExtension>;

export const TenantCatalogue = z
  .strictObject({
    $comment,
    $schema: z.string().optional(),
    schemaVersion: z.literal(1),
    /** The standard the mappings point into. */
    standard: z.literal(CATALOGUE_STANDARD).default(CATALOGUE_STANDARD),
    legacy: z.array(LegacyMapping).default([]),
    extensions: z.array(CatalogueExtension).default([]),
  })
  .superRefine((c, ctx) => {
    const extensionKeys = new Set<string>();
    const majorNames = new Map<string, string>();
    c.extensions.forEach((e, i) => {
      const key = `${e.kind}:${e.code}`;
      if (extensionKeys.has(key)) {
        ctx.addIssue({ code: 'custom', path: ['extensions', i, 'code'], message: `扩展类别代码重复 / ${e.kind} extension code ${e.code} is used twice` });
      }
      extensionKeys.add(key);
      const majorKey = `${e.kind}:${e.code.slice(0, 2)}`;
      const majorName = `${e.majorName.zh}|${e.majorName.en}`;
      const seen = majorNames.get(majorKey);
      if (seen !== undefined && seen !== majorName) {
        ctx.addIssue({
          code: 'custom',
          path: ['extensions', i, 'majorName'],
          message: `同一大类名称不一致 / ${e.kind} 大类 ${e.code.slice(0, 2)} is named differently in another extension (${seen.replace('|', ' / ')})`,
        });
      }
      if (seen === undefined) majorNames.set(majorKey, majorName);
    });
    const legacyKeys = new Set<string>();
    c.legacy.forEach((m, i) => {
      const key = `${m.kind}:${m.legacyCode}`;
      if (legacyKeys.has(key)) {
        ctx.addIssue({ code: 'custom', path: ['legacy', i, 'legacyCode'], message: `旧代码重复 / ${m.kind} legacy code ${m.legacyCode} is mapped twice` });
      }
      legacyKeys.add(key);
      const known = isExtensionCode(m.typeCode) ? extensionKeys.has(`${m.kind}:${m.typeCode}`) : standardEntry(m.kind, m.typeCode) !== undefined;
      if (!known) {
        const other: CatalogueKind = m.kind === 'component' ? 'matter' : 'component';
        const hint = standardEntry(other, m.typeCode) !== undefined || extensionKeys.has(`${other}:${m.typeCode}`) ? ` (it is a ${other} code: check kind)` : '';
        ctx.addIssue({
          code: 'custom',
          path: ['legacy', i, 'typeCode'],
          message: `${m.typeCode} 不是 ${CATALOGUE_STANDARD} 或本租户扩展的${m.kind === 'component' ? '部件' : '事项'}代码 / ${m.typeCode} is not a ${m.kind} code of ${CATALOGUE_STANDARD} or of this tenant's extensions${hint}`,
        });
      }
    });
  });
export type TenantCatalogue = z.infer<typeof TenantCatalogue>;
export type TenantCatalogueInput = z.input<typeof TenantCatalogue>;

/** A type code resolved against the standard and, optionally, a tenant's extensions. */
export interface TypeInfo {
  origin: 'standard' | 'extension';
  kind: CatalogueKind;
  code: string;
  name: CatalogueName;
  majorCode: string;
  majorName: MajorName;
  /** True for extension categories of evaluation objects; false for standard entries. */
  evaluation: boolean;
}

/** The standard entry or tenant extension of a kind and code, or undefined. */
export function lookupType(kind: CatalogueKind, code: string, catalogue?: TenantCatalogue): TypeInfo | undefined {
  if (isExtensionCode(code)) {
    const e = catalogue?.extensions.find((x) => x.kind === kind && x.code === code);
    return e && { origin: 'extension', kind, code, name: e.name, majorCode: code.slice(0, 2), majorName: e.majorName, evaluation: e.evaluation };
  }
  const s = standardEntry(kind, code);
  return s && { origin: 'standard', kind, code, name: s.name, majorCode: s.majorCode, majorName: s.majorName, evaluation: false };
}

export type LegacyResolution =
  | { ok: true; mapping: LegacyMapping; type: TypeInfo }
  | {
      ok: false;
      code: 'UNKNOWN_LEGACY_CODE' | 'AMBIGUOUS_LEGACY_CODE';
      message: { zh: string; en: string };
      /** For an ambiguous code: the mappings it could mean (one per kind). */
      candidates: LegacyMapping[];
    };

/**
 * The standard or extension type a legacy code maps to. Give `kind` when the old system's 部件 and 事件 codes
 * overlap (they usually do); without it a code mapped for both kinds is AMBIGUOUS_LEGACY_CODE.
 */
export function resolveLegacy(catalogue: TenantCatalogue, legacyCode: string, kind?: CatalogueKind): LegacyResolution {
  const wanted = legacyCode.trim();
  const candidates = catalogue.legacy.filter((m) => m.legacyCode === wanted && (kind === undefined || m.kind === kind));
  const [first] = candidates;
  if (first === undefined) {
    return {
      ok: false,
      code: 'UNKNOWN_LEGACY_CODE',
      message: { zh: `旧代码 ${wanted} 没有对应的国标类别`, en: `Legacy code ${wanted} has no mapping${kind ? ` for a ${kind}` : ''}` },
      candidates: [],
    };
  }
  if (candidates.length > 1) {
    return {
      ok: false,
      code: 'AMBIGUOUS_LEGACY_CODE',
      message: { zh: `旧代码 ${wanted} 既是部件代码又是事件代码，请指明类型`, en: `Legacy code ${wanted} is both a component and an event code; give the kind` },
      candidates,
    };
  }
  const type = lookupType(first.kind, first.typeCode, catalogue);
  // TenantCatalogue's refinement guarantees every mapping resolves; an unparsed object may not.
  if (type === undefined) {
    return {
      ok: false,
      code: 'UNKNOWN_LEGACY_CODE',
      message: { zh: `旧代码 ${wanted} 指向不存在的类别 ${first.typeCode}`, en: `Legacy code ${wanted} points at unknown type ${first.typeCode}` },
      candidates,
    };
  }
  return { ok: true, mapping: first, type };
}
