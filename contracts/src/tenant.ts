/**
 * The tenant manifest: the only way a province, city or county comes into being (tenants/<code>/manifest.json).
 * The onboarding command validates it with this schema and loads it; errors name the field and the fix.
 */
import { z } from 'zod';
import { DivisionCode } from './divisions';

export const TenantLevel = z.enum(['province', 'city', 'county']);
export type TenantLevel = z.infer<typeof TenantLevel>;

/** TEN-2: a county runs its own platform, or shares its city's (city–county integrated mode). */
export const PlatformMode = z.enum(['own-platform', 'integrated-with-city']);
export type PlatformMode = z.infer<typeof PlatformMode>;

export const LocalizedName = z.object({
  zh: z.string().min(1, { message: 'give the Chinese name (zh)' }),
  en: z.string().min(1, { message: 'give the English name (en)' }),
});
export type LocalizedName = z.infer<typeof LocalizedName>;

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'write times as HH:MM, e.g. 08:00' });
const IsoDay = z.iso.date({ message: 'write days as YYYY-MM-DD' });

export const Department = z.object({
  code: z.string().regex(/^[A-Za-z0-9-]{2,32}$/, { message: 'a department code is 2–32 letters, digits or dashes' }),
  name: LocalizedName,
  /** What the department is responsible for, in the words of the 部件/事项 catalogue (free text for now). */
  responsibilities: z.array(z.string().min(1)).default([]),
  phone: z.string().regex(/^[0-9+\-() ]{5,20}$/, { message: 'a phone number has 5–20 digits' }).optional(),
});
export type Department = z.infer<typeof Department>;

/** [west, south, east, north] in WGS84 degrees. */
export const BBox = z
  .tuple([z.number().min(73).max(136), z.number().min(3).max(54), z.number().min(73).max(136), z.number().min(3).max(54)])
  .refine(([w, s, e, n]) => w < e && s < n, { message: 'bounds are [west, south, east, north] with west < east and south < north' });

export const WorkingCalendar = z.object({
  timezone: z.literal('Asia/Shanghai').default('Asia/Shanghai'),
  /** Working periods of a working day; 一般 (ordinary) time limits count only these hours. */
  workingHours: z.array(z.object({ start: HHMM, end: HHMM })).min(1).default([
    { start: '08:00', end: '12:00' },
    { start: '14:00', end: '18:00' },
  ]),
  /** ISO weekday numbers (1 = Monday) that are working days unless listed as holidays. */
  workdays: z.array(z.number().int().min(1).max(7)).min(1).default([1, 2, 3, 4, 5]),
  /** Public holidays per year (法定节假日), as days. */
  holidays: z.record(z.string().regex(/^\d{4}$/), z.array(IsoDay)).default({}),
  /** Weekend days that are worked (调休上班), per year. */
  adjustedWorkdays: z.record(z.string().regex(/^\d{4}$/), z.array(IsoDay)).default({}),
});
export type WorkingCalendar = z.infer<typeof WorkingCalendar>;

/**
 * One row of the tenant's 立结案标准 / time-limit table. `clock: working` counts working hours of the calendar
 * (一般); `clock: continuous` counts every hour (紧急).
 */
export const TimeLimit = z.object({
  step: z.string().regex(/^[a-z]+(\.[a-z-]+)+$/, { message: 'a step is written like supervision.feedback' }),
  urgency: z.enum(['urgent', 'ordinary']),
  hours: z.number().positive({ message: 'a time limit is a positive number of hours' }),
  clock: z.enum(['working', 'continuous']),
  /**
   * 立结案标准 per category: a 2-digit 大类 or a 5-digit type code this row applies to. The most specific row
   * wins (type code, then 大类, then the row without one).
   */
  typeCode: z.string().regex(/^\d{2}(\d{3})?$/, { message: 'typeCode is a 2-digit 大类 or a 5-digit type code' }).optional(),
});
export type TimeLimit = z.infer<typeof TimeLimit>;

export const Contact = z.object({
  role: z.string().min(1),
  name: z.string().min(1),
  phone: z.string().regex(/^[0-9+\-() ]{5,20}$/, { message: 'a phone number has 5–20 digits' }),
  email: z.email().optional(),
});

/** Case-loop settings of a tenant (CMD-7). */
export const CaseSettings = z.object({
  /** Similar-case reminder: open cases of the same type within this radius and time window. */
  similarRadiusMeters: z.number().int().min(1).max(5000).default(50),
  similarWindowHours: z.number().positive().max(24 * 90).default(72),
});
export type CaseSettings = z.infer<typeof CaseSettings>;

/** CMD-7 smart dispatch: matter (大类 or type code) × grid (id prefix) → department(s). */
export const DispatchRule = z.object({
  typeCode: z.string().regex(/^\d{2}(\d{3})?$/, { message: 'typeCode is a 2-digit 大类 or a 5-digit type code' }),
  gridPrefix: z.string().regex(/^[0-9A-Z]{1,15}$/).optional(),
  departments: z.array(z.string()).min(1),
});
export type DispatchRule = z.infer<typeof DispatchRule>;

/**
 * The flow steps every tenant must give a time limit for, both urgencies, without a type code (the general
 * row): a step without one could not be planned and its flow would stop there.
 */
export const REQUIRED_TIME_LIMITS: Record<TenantLevel, readonly string[]> = {
  province: ['supervision.review'],
  city: ['supervision.feedback', 'case.verify', 'case.file', 'case.dispatch', 'case.handle', 'case.extension-approval', 'case.suspension-approval', 'case.suspended', 'case.check', 'case.escalation-interval'],
  county: ['supervision.feedback', 'case.verify', 'case.file', 'case.dispatch', 'case.handle', 'case.extension-approval', 'case.suspension-approval', 'case.suspended', 'case.check', 'case.escalation-interval'],
};

export const TenantManifest = z
  .object({
    schemaVersion: z.literal(1),
    code: DivisionCode,
    name: LocalizedName,
    level: TenantLevel,
    parent: DivisionCode.nullable(),
    platform: PlatformMode,
    departments: z.array(Department).default([]),
    bounds: BBox,
    calendar: WorkingCalendar,
    timeLimits: z.array(TimeLimit).default([]),
    contacts: z.array(Contact).default([]),
    cases: CaseSettings.default({ similarRadiusMeters: 50, similarWindowHours: 72 }),
    dispatchRules: z.array(DispatchRule).default([]),
  })
  .superRefine((m, ctx) => {
    const expectProvince = m.code.endsWith('0000');
    if (m.level === 'province' && (!expectProvince || m.parent !== null)) {
      ctx.addIssue({ code: 'custom', path: ['level'], message: 'a province code ends in 0000 and has no parent' });
    }
    if (m.level !== 'province' && m.parent === null) {
      ctx.addIssue({ code: 'custom', path: ['parent'], message: `a ${m.level} needs its parent's code` });
    }
    if (m.level === 'city' && (!m.code.endsWith('00') || expectProvince)) {
      ctx.addIssue({ code: 'custom', path: ['level'], message: 'a city code ends in 00 (but not 0000)' });
    }
    if (m.level === 'county' && m.code.endsWith('00')) {
      ctx.addIssue({ code: 'custom', path: ['level'], message: 'a county code does not end in 00' });
    }
    if (m.parent !== null && m.code.slice(0, 2) !== m.parent.slice(0, 2)) {
      ctx.addIssue({ code: 'custom', path: ['parent'], message: 'the parent must be in the same province (same first two digits)' });
    }
    if (m.platform === 'integrated-with-city' && m.level !== 'county') {
      ctx.addIssue({ code: 'custom', path: ['platform'], message: 'only a county can be integrated with its city; use own-platform' });
    }
    const seen = new Set<string>();
    m.departments.forEach((d, i) => {
      if (seen.has(d.code)) ctx.addIssue({ code: 'custom', path: ['departments', i, 'code'], message: `department code ${d.code} is used twice` });
      seen.add(d.code);
    });
    const deptCodes = new Set(m.departments.map((d) => d.code));
    m.dispatchRules.forEach((r, i) => {
      r.departments.forEach((d, j) => {
        if (!deptCodes.has(d)) ctx.addIssue({ code: 'custom', path: ['dispatchRules', i, 'departments', j], message: `department ${d} is not in departments` });
      });
    });
    for (const step of REQUIRED_TIME_LIMITS[m.level]) {
      for (const urgency of ['ordinary', 'urgent'] as const) {
        if (!m.timeLimits.some((t) => t.step === step && t.urgency === urgency && t.typeCode === undefined)) {
          ctx.addIssue({ code: 'custom', path: ['timeLimits'], message: `add a ${urgency} time limit for ${step} (立结案标准): { "step": "${step}", "urgency": "${urgency}", "hours": …, "clock": "${urgency === 'urgent' ? 'continuous' : 'working'}" }` });
        }
      }
    }
    const limits = new Set<string>();
    m.timeLimits.forEach((t, i) => {
      const key = `${t.step}/${t.urgency}${t.typeCode ? `/${t.typeCode}` : ''}`;
      if (limits.has(key)) ctx.addIssue({ code: 'custom', path: ['timeLimits', i], message: `${key} is given twice` });
      limits.add(key);
    });
  });
export type TenantManifest = z.infer<typeof TenantManifest>;

/** The province a tenant belongs to: the first two digits followed by 0000. */
export const provinceOf = (code: string): string => `${code.slice(0, 2)}0000`;

/** What the API returns about a tenant (no contacts: personal data stays with the tenant admin). */
export const TenantProfile = z.object({
  code: DivisionCode,
  name: LocalizedName,
  level: TenantLevel,
  parent: DivisionCode.nullable(),
  platform: PlatformMode,
  bounds: BBox,
  departments: z.array(Department),
  onboardedAt: z.iso.datetime(),
  manifestHash: z.string(),
});
export type TenantProfile = z.infer<typeof TenantProfile>;
