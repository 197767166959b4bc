/**
 * Risk management (风险管理, MON-2): the registry of risk points (风险点) graded with the four-colour scheme
 * (重大 红 / 较大 橙 / 一般 黄 / 低 蓝) and their control measures (管控措施); hidden hazards (隐患) from inspection,
 * patrol, reports or alarms, with a rectification deadline from the tenant's `risk-settings.json` and the life
 * cycle reported → confirmed → rectifying → rectified → closed (or rejected); accident records (事故) and their
 * monthly statistics with 环比/同比. The domain code is in functions/src/risks/, the routes in
 * functions/src/api/routes/risks.ts.
 */
import { z } from 'zod';
import { ComponentId, DepartmentRef, GridId } from './basedata';
import { ClientId, GeoPoint, Ulid } from './case';
import { DeviceDomain, Instant } from './devices';
import { DivisionCode } from './divisions';
import { DeviceId } from './mqtt';

const Name = z.strictObject({ zh: z.string().trim().min(1), en: z.string().trim().min(1) });
type Name = z.infer<typeof Name>;
const $comment = z.union([z.string(), z.array(z.string())]).optional();
const Title = z.string().trim().min(2).max(100);
const Text = z.string().trim().min(2).max(2000);
const Note = z.string().trim().max(1000);

// ---------------------------------------------------------------------------------------------------------
// Levels

/** 风险等级 (four-colour grading): major 重大 (red) > high 较大 (orange) > general 一般 (yellow) > low 低 (blue). */
export const RISK_LEVEL_IDS = ['low', 'general', 'high', 'major'] as const;
export const RiskLevel = z.enum(RISK_LEVEL_IDS);
export type RiskLevel = z.infer<typeof RiskLevel>;
export const RISK_LEVEL_NAMES: Readonly<Record<RiskLevel, Name>> = Object.freeze({
  major: { zh: '重大风险', en: 'Major risk' },
  high: { zh: '较大风险', en: 'High risk' },
  general: { zh: '一般风险', en: 'General risk' },
  low: { zh: '低风险', en: 'Low risk' },
});
/** The colour each level is drawn in (红 橙 黄 蓝), as the grading prescribes. */
export const RISK_LEVEL_COLOURS: Readonly<Record<RiskLevel, 'red' | 'orange' | 'yellow' | 'blue'>> = Object.freeze({ major: 'red', high: 'orange', general: 'yellow', low: 'blue' });

/** 隐患等级: major 重大隐患, general 一般隐患. */
export const HazardLevel = z.enum(['general', 'major']);
export type HazardLevel = z.infer<typeof HazardLevel>;
export const HAZARD_LEVEL_NAMES: Readonly<Record<HazardLevel, Name>> = Object.freeze({
  major: { zh: '重大隐患', en: 'Major hazard' },
  general: { zh: '一般隐患', en: 'General hazard' },
});

// ---------------------------------------------------------------------------------------------------------
// Tenant settings

/** `tenants/<code>/risk-settings.json`: how long a confirmed hazard may take to be rectified, per level (days). */
export const TenantRiskSettings = z.strictObject({
  $comment,
  $schema: z.string().optional(),
  schemaVersion: z.literal(1),
  tenant: DivisionCode,
  note: z.string().max(2000).optional(),
  hazardRectificationDays: z.strictObject({ general: z.number().int().min(1).max(365), major: z.number().int().min(1).max(730) }),
});
export type TenantRiskSettings = z.infer<typeof TenantRiskSettings>;

// ---------------------------------------------------------------------------------------------------------
// Risk points

export const MeasureStatus = z.enum(['planned', 'in-place', 'ineffective']);
export type MeasureStatus = z.infer<typeof MeasureStatus>;
export const MEASURE_STATUS_NAMES: Readonly<Record<MeasureStatus, Name>> = Object.freeze({
  planned: { zh: '待落实', en: 'Planned' },
  'in-place': { zh: '已落实', en: 'In place' },
  ineffective: { zh: '失效', en: 'Ineffective' },
});

/** 管控措施: what is done, which department answers for it, whether it is in place. */
export const ControlMeasure = z.strictObject({
  text: z.string().trim().min(2).max(500),
  department: DepartmentRef,
  status: MeasureStatus,
});
export type ControlMeasure = z.infer<typeof ControlMeasure>;

/** One entry of a record's history: who did what, in which role, when. */
export const RiskEvent = z.object({
  at: Instant,
  action: z.string().min(1).max(40),
  actor: z.string().min(1),
  role: z.string().min(1),
  note: z.string().max(1000).optional(),
});
export type RiskEvent = z.infer<typeof RiskEvent>;

/** A risk point (风险点): a place or facility whose risk is graded and controlled. */
export const RiskPoint = z.object({
  tenant: DivisionCode,
  id: Ulid,
  name: Title,
  domain: DeviceDomain,
  location: GeoPoint,
  gridId: GridId,
  address: z.string().trim().max(256).optional(),
  level: RiskLevel,
  description: Text,
  controlMeasures: z.array(ControlMeasure).max(30),
  deviceIds: z.array(DeviceId).max(50).default([]),
  componentId: ComponentId.optional(),
  /** Who graded it last (辨识评估/复核) and when. */
  reviewedBy: z.string().min(1),
  reviewedAt: Instant,
  createdAt: Instant,
  /** Grows with every change: a review names the version it read, so two reviews cannot silently overwrite. */
  version: z.number().int().min(1),
  history: z.array(RiskEvent),
});
export type RiskPoint = z.infer<typeof RiskPoint>;

/** POST /v1/risks (idempotent on clientId). */
export const CreateRiskPoint = z.object({
  clientId: ClientId,
  name: Title,
  domain: DeviceDomain,
  location: GeoPoint,
  address: z.string().trim().max(256).optional(),
  level: RiskLevel,
  description: Text,
  controlMeasures: z.array(ControlMeasure).max(30).default([]),
  deviceIds: z.array(DeviceId).max(50).default([]),
  componentId: ComponentId.optional(),
});
export type CreateRiskPoint = z.input<typeof CreateRiskPoint>;

/** POST /v1/risks/{id}/review: a new grading and measures, on top of the version the reviewer read. */
export const ReviewRiskPoint = z.object({
  version: z.number().int().min(1),
  level: RiskLevel,
  controlMeasures: z.array(ControlMeasure).max(30),
  note: Note.default(''),
});
export type ReviewRiskPoint = z.input<typeof ReviewRiskPoint>;

/** GET /v1/risks?domain=&level= */
export const RiskQuery = z.object({ domain: DeviceDomain.optional(), level: RiskLevel.optional() });
export type RiskQuery = z.infer<typeof RiskQuery>;

// ---------------------------------------------------------------------------------------------------------
// Hidden hazards

export const HazardSource = z.enum(['inspection', 'patrol', 'report', 'alarm']);
export type HazardSource = z.infer<typeof HazardSource>;
export const HAZARD_SOURCE_NAMES: Readonly<Record<HazardSource, Name>> = Object.freeze({
  inspection: { zh: '排查', en: 'Inspection' },
  patrol: { zh: '巡查', en: 'Patrol' },
  report: { zh: '群众举报', en: 'Public report' },
  alarm: { zh: '监测告警', en: 'Alarm' },
});

export const HazardStatus = z.enum(['reported', 'confirmed', 'rectifying', 'rectified', 'closed', 'rejected']);
export type HazardStatus = z.infer<typeof HazardStatus>;
export const HAZARD_STATUS_NAMES: Readonly<Record<HazardStatus, Name>> = Object.freeze({
  reported: { zh: '已上报', en: 'Reported' },
  confirmed: { zh: '已确认', en: 'Confirmed' },
  rectifying: { zh: '整改中', en: 'Rectifying' },
  rectified: { zh: '已整改', en: 'Rectified' },
  closed: { zh: '已销号', en: 'Closed' },
  rejected: { zh: '不予认定', en: 'Rejected' },
});
/** Statuses in which a hazard still needs work (shown on the one-map). */
export const OPEN_HAZARD_STATUSES: readonly HazardStatus[] = ['reported', 'confirmed', 'rectifying', 'rectified'];

export const HazardAction = z.enum(['confirm', 'reject', 'start', 'complete', 'close', 'reopen']);
export type HazardAction = z.infer<typeof HazardAction>;
/** Each action, the status it needs and the status it leads to. */
export const HAZARD_TRANSITIONS: Readonly<Record<HazardAction, { from: readonly HazardStatus[]; to: HazardStatus }>> = Object.freeze({
  confirm: { from: ['reported'], to: 'confirmed' },
  reject: { from: ['reported', 'confirmed'], to: 'rejected' },
  start: { from: ['confirmed'], to: 'rectifying' },
  complete: { from: ['rectifying'], to: 'rectified' },
  /** 验收销号. */
  close: { from: ['rectified'], to: 'closed' },
  /** 验收不合格: back to rectification. */
  reopen: { from: ['rectified'], to: 'rectifying' },
});

export const Hazard = z.object({
  tenant: DivisionCode,
  id: Ulid,
  title: Title,
  source: HazardSource,
  level: HazardLevel,
  domain: DeviceDomain,
  location: GeoPoint,
  gridId: GridId,
  address: z.string().trim().max(256).optional(),
  description: Text,
  riskId: Ulid.optional(),
  alarmId: Ulid.optional(),
  /** 责任部门: a department code of the manifest; set at latest when confirmed. */
  department: DepartmentRef.optional(),
  status: HazardStatus,
  reportedBy: z.string().min(1),
  reportedAt: Instant,
  /** 整改期限: confirmedAt + the tenant's days for the level. */
  deadline: Instant.optional(),
  history: z.array(RiskEvent),
});
export type Hazard = z.infer<typeof Hazard>;

/** POST /v1/hazards (idempotent on clientId). */
export const ReportHazard = z.object({
  clientId: ClientId,
  title: Title,
  source: HazardSource,
  level: HazardLevel.default('general'),
  domain: DeviceDomain,
  location: GeoPoint,
  address: z.string().trim().max(256).optional(),
  description: Text,
  riskId: Ulid.optional(),
  alarmId: Ulid.optional(),
  department: DepartmentRef.optional(),
});
export type ReportHazard = z.input<typeof ReportHazard>;

/**
 * POST /v1/hazards/{id}/transitions: one step of the life cycle. Confirming may correct the level and must name
 * the responsible department (unless the report did); the deadline follows from the level.
 */
export const HazardTransition = z.discriminatedUnion('action', [
  z.object({ action: z.literal('confirm'), level: HazardLevel.optional(), department: DepartmentRef.optional(), note: Note.default('') }),
  z.object({ action: z.literal('reject'), note: Note.min(2) }),
  z.object({ action: z.literal('start'), note: Note.default('') }),
  z.object({ action: z.literal('complete'), note: Note.min(2) }),
  z.object({ action: z.literal('close'), note: Note.default('') }),
  z.object({ action: z.literal('reopen'), note: Note.min(2) }),
]);
export type HazardTransition = z.input<typeof HazardTransition>;

/** GET /v1/hazards?status=open|all|<status>&domain=&level= */
export const HazardQuery = z.object({
  status: z.union([z.enum(['open', 'all']), HazardStatus]).default('open'),
  domain: DeviceDomain.optional(),
  level: HazardLevel.optional(),
});
export type HazardQuery = z.infer<typeof HazardQuery>;

/** A hazard as screens show it: overdue when it is still being worked on past its deadline. */
export const HazardView = Hazard.extend({ overdue: z.boolean() });
export type HazardView = z.infer<typeof HazardView>;

// ---------------------------------------------------------------------------------------------------------
// Accidents

const Count = z.number().int().min(0).max(100_000);

export const Accident = z.object({
  tenant: DivisionCode,
  id: Ulid,
  title: Title,
  occurredAt: Instant,
  domain: DeviceDomain,
  location: GeoPoint,
  gridId: GridId,
  deaths: Count,
  injuries: Count,
  /** 直接经济损失, 万元. */
  directLossWanYuan: z.number().min(0).max(10_000_000),
  cause: Text,
  riskId: Ulid.optional(),
  hazardId: Ulid.optional(),
  recordedBy: z.string().min(1),
  recordedAt: Instant,
});
export type Accident = z.infer<typeof Accident>;

/** POST /v1/accidents (idempotent on clientId). */
export const RecordAccident = Accident.pick({ title: true, occurredAt: true, domain: true, location: true, deaths: true, injuries: true, directLossWanYuan: true, cause: true, riskId: true, hazardId: true }).extend({
  clientId: ClientId,
});
export type RecordAccident = z.input<typeof RecordAccident>;

export const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'a month is YYYY-MM' });

/** Accidents of one month (Beijing time). */
export const AccidentCounts = z.object({
  total: z.number().int(),
  deaths: z.number().int(),
  injuries: z.number().int(),
  directLossWanYuan: z.number(),
  byDomain: z.record(z.string(), z.number().int()),
});
export type AccidentCounts = z.infer<typeof AccidentCounts>;

/** GET /v1/accidents/stats?month=YYYY-MM: the month against the previous month (环比) and a year earlier (同比). */
export const AccidentStats = z.object({
  month: Month,
  current: AccidentCounts,
  previousMonth: AccidentCounts,
  sameMonthLastYear: AccidentCounts,
  /** (current − previous) / previous of the count, null when previous is 0. */
  monthOnMonth: z.number().nullable(),
  yearOnYear: z.number().nullable(),
});
export type AccidentStats = z.infer<typeof AccidentStats>;
