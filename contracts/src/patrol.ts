/**
 * Patrol inspection (MON-5 巡检): the patrol resources (巡检力量: teams of inspectors or a department's staff), the
 * patrol plans (巡检计划: what to look at, with which checklist, how often, by which team), the patrol tasks the
 * platform generates per plan cycle (巡检任务, due by the tenant's working calendar) and the patrol results per
 * target (巡检结果: normal or abnormal, checklist answers, note, GPS position, by whom and when). An abnormal
 * result may report a case into the case loop (source 'inspector').
 *
 * How long a cycle may take, whether daily patrols skip days off, and how far a GPS fix may be from its target
 * are tenant data (`tenants/<code>/patrol-settings.json`, `TenantPatrolSettings`), never literals in code.
 */
import { z } from 'zod';
import { ComponentId, DepartmentRef, GridId } from './basedata';
import { CaseKind, GeoPoint, Ulid, Urgency } from './case';
import { Instant } from './devices';
import { DivisionCode } from './divisions';
import { DeviceId } from './mqtt';

const Name = z.strictObject({ zh: z.string().trim().min(1), en: z.string().trim().min(1) });
type Name = z.infer<typeof Name>;
const $comment = z.union([z.string(), z.array(z.string())]).optional();
/** A day in Beijing time, YYYY-MM-DD. */
export const PatrolDay = z.iso.date({ message: 'write days as YYYY-MM-DD' });

// ---------------------------------------------------------------------------------------------------------
// Tenant settings

/** How long one cycle of a frequency may take: hours on the calendar's working clock (一般) or continuous. */
export const PatrolCycleLimit = z.strictObject({
  $comment,
  hours: z.number().positive().max(24 * 31),
  clock: z.enum(['working', 'continuous']),
});
export type PatrolCycleLimit = z.infer<typeof PatrolCycleLimit>;

/** `tenants/<code>/patrol-settings.json`, loaded at onboarding beside the alarm rules. */
export const TenantPatrolSettings = z.strictObject({
  $comment,
  $schema: z.string().optional(),
  schemaVersion: z.literal(1),
  tenant: DivisionCode,
  /** How provisional the values are and who must confirm them. */
  note: z.string().max(2000).optional(),
  /** The time a task of each frequency has, from the start of its cycle day (Beijing midnight). */
  cycles: z.strictObject({ daily: PatrolCycleLimit, weekly: PatrolCycleLimit, monthly: PatrolCycleLimit }),
  /** Daily plans patrol on the calendar's working days only (no task on weekends, holidays; 调休 days count). */
  dailyOnWorkingDaysOnly: z.boolean(),
  /** A result whose GPS fix is farther than this from its target is flagged (远离巡检对象). */
  gpsToleranceMeters: z.number().int().min(5).max(5000),
  /** How many past days the generator still creates missed tasks for (a scheduler outage), 0 = today only. */
  backfillDays: z.number().int().min(0).max(31),
});
export type TenantPatrolSettings = z.infer<typeof TenantPatrolSettings>;

// ---------------------------------------------------------------------------------------------------------
// Resources: teams

/**
 * A team member: one tenant user with the inspector role (the token's subject), or the staff of one department
 * (every department handler of it). Users live in the identity provider, so a user member counts only while the
 * person's token carries the inspector role.
 */
export const PatrolMember = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('user'), subject: z.string().trim().min(1).max(128), name: z.string().trim().max(50).optional() }),
  z.strictObject({ kind: z.literal('department'), department: DepartmentRef }),
]);
export type PatrolMember = z.infer<typeof PatrolMember>;

const TeamName = z.string().trim().min(2).max(60);

/** POST /v1/patrol/teams */
export const CreatePatrolTeam = z.object({
  name: TeamName,
  members: z.array(PatrolMember).min(1).max(200),
  note: z.string().trim().max(500).optional(),
});
export type CreatePatrolTeam = z.input<typeof CreatePatrolTeam>;

/** 巡检队伍 */
export const PatrolTeam = z.object({
  id: Ulid,
  tenant: DivisionCode,
  name: TeamName,
  members: z.array(PatrolMember),
  note: z.string().optional(),
  createdAt: Instant,
  createdBy: z.string(),
});
export type PatrolTeam = z.infer<typeof PatrolTeam>;

// ---------------------------------------------------------------------------------------------------------
// Plans

/** Domains of MON (§2.5) a plan patrols. */
export const PATROL_DOMAIN_IDS = [
  'gas',
  'water',
  'drainage',
  'heat',
  'utility-tunnel',
  'bridge',
  'tunnel',
  'construction',
  'dangerous-building',
  'fire',
  'manhole',
  'crowded-place',
  'toilet',
] as const;
export const PatrolDomain = z.enum(PATROL_DOMAIN_IDS);
export type PatrolDomain = z.infer<typeof PatrolDomain>;

export const PATROL_DOMAIN_NAMES: Readonly<Record<PatrolDomain, Name>> = Object.freeze({
  gas: { zh: '燃气', en: 'Gas' },
  water: { zh: '供水', en: 'Water supply' },
  drainage: { zh: '排水', en: 'Drainage' },
  heat: { zh: '供热', en: 'Heating' },
  'utility-tunnel': { zh: '综合管廊', en: 'Utility tunnels' },
  bridge: { zh: '桥梁', en: 'Bridges' },
  tunnel: { zh: '隧道', en: 'Tunnels' },
  construction: { zh: '建筑施工', en: 'Building construction' },
  'dangerous-building': { zh: '危险房屋', en: 'Dangerous buildings' },
  fire: { zh: '消防', en: 'Fire' },
  manhole: { zh: '井盖', en: 'Manhole covers' },
  'crowded-place': { zh: '人员密集场所', en: 'Crowded places' },
  toilet: { zh: '公厕', en: 'Public toilets' },
});

/** One question of a target's checklist, answered 正常 / 异常 on site. */
export const ChecklistItem = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, { message: 'a checklist item id is 1–32 lower-case letters, digits or dashes' }),
  text: z.string().trim().min(2).max(200),
});
export type ChecklistItem = z.infer<typeof ChecklistItem>;

const Checklist = z
  .array(ChecklistItem)
  .min(1)
  .max(30)
  .refine((items) => new Set(items.map((i) => i.id)).size === items.length, { message: 'checklist item ids must be unique' });

/** A point target's id (unique within its plan, like a device id). */
export const PatrolPointId = z.string().regex(/^[A-Za-z0-9_-]{3,64}$/, { message: 'a point id is 3–64 letters, digits, _ or -' });

/** A target as a plan asks for it: a registered device, or a point inside the tenant's grids. */
export const PatrolTargetInput = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('device'), id: DeviceId, checklist: Checklist }),
  z.strictObject({
    kind: z.literal('point'),
    id: PatrolPointId,
    name: z.string().trim().min(2).max(100),
    location: GeoPoint,
    componentId: ComponentId.optional(),
    checklist: Checklist,
  }),
]);
export type PatrolTargetInput = z.infer<typeof PatrolTargetInput>;

/** A target as stored: with its name, location and grid resolved (from the device record for devices). */
export const PatrolTarget = z.object({
  kind: z.enum(['device', 'point']),
  id: z.string(),
  name: z.string(),
  location: GeoPoint,
  gridId: GridId,
  componentId: ComponentId.optional(),
  checklist: z.array(ChecklistItem),
});
export type PatrolTarget = z.infer<typeof PatrolTarget>;

/** 巡检频次: every day, on given ISO weekdays (1 = Monday), or on a day of each month (31 = the month's last day). */
export const PatrolFrequency = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('daily') }),
  z.strictObject({
    type: z.literal('weekly'),
    weekdays: z
      .array(z.number().int().min(1).max(7))
      .min(1)
      .max(7)
      .refine((d) => new Set(d).size === d.length, { message: 'a weekday appears twice' }),
  }),
  z.strictObject({ type: z.literal('monthly'), day: z.number().int().min(1).max(31) }),
]);
export type PatrolFrequency = z.infer<typeof PatrolFrequency>;

export const PatrolPlanStatus = z.enum(['active', 'paused', 'ended']);
export type PatrolPlanStatus = z.infer<typeof PatrolPlanStatus>;

const PlanName = z.string().trim().min(2).max(100);

/** POST /v1/patrol/plans */
export const CreatePatrolPlan = z
  .object({
    name: PlanName,
    domain: PatrolDomain,
    targets: z.array(PatrolTargetInput).min(1).max(200),
    frequency: PatrolFrequency,
    teamId: Ulid,
    /** First and last day (inclusive) the plan generates tasks; no end = until ended. */
    activeFrom: PatrolDay,
    activeTo: PatrolDay.optional(),
  })
  .superRefine((p, ctx) => {
    const seen = new Set<string>();
    p.targets.forEach((t, i) => {
      if (seen.has(t.id)) ctx.addIssue({ code: 'custom', path: ['targets', i, 'id'], message: `target ${t.id} appears twice` });
      seen.add(t.id);
    });
    if (p.activeTo !== undefined && p.activeTo < p.activeFrom) ctx.addIssue({ code: 'custom', path: ['activeTo'], message: 'activeTo is before activeFrom' });
  });
export type CreatePatrolPlan = z.input<typeof CreatePatrolPlan>;

/** 巡检计划 */
export const PatrolPlan = z.object({
  id: Ulid,
  tenant: DivisionCode,
  name: PlanName,
  domain: PatrolDomain,
  targets: z.array(PatrolTarget),
  frequency: PatrolFrequency,
  teamId: Ulid,
  activeFrom: PatrolDay,
  activeTo: PatrolDay.optional(),
  status: PatrolPlanStatus,
  createdAt: Instant,
  createdBy: z.string(),
  updatedAt: Instant,
});
export type PatrolPlan = z.infer<typeof PatrolPlan>;

/** POST /v1/patrol/plans/{id}/status: pause, resume or end a plan (ending is final). */
export const SetPatrolPlanStatus = z.object({ status: PatrolPlanStatus });
export type SetPatrolPlanStatus = z.input<typeof SetPatrolPlanStatus>;

// ---------------------------------------------------------------------------------------------------------
// Tasks

export const PatrolTaskStatus = z.enum(['open', 'completed']);
export type PatrolTaskStatus = z.infer<typeof PatrolTaskStatus>;

/** 巡检任务: one cycle of one plan. Its id is `<planId>-<YYYYMMDD of the cycle day>`, so generating twice is harmless. */
export const PatrolTask = z.object({
  id: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}-\d{8}$/),
  tenant: DivisionCode,
  planId: Ulid,
  planName: z.string(),
  domain: PatrolDomain,
  teamId: Ulid,
  frequency: z.enum(['daily', 'weekly', 'monthly']),
  cycleDay: PatrolDay,
  startsAt: Instant,
  dueAt: Instant,
  /** The plan's targets when the task was generated (a later edit of the plan does not change it). */
  targets: z.array(PatrolTarget),
  status: PatrolTaskStatus,
  /** Targets with a result, in the order they were recorded. */
  recorded: z.array(z.string()),
  abnormal: z.number().int().min(0),
  casesReported: z.number().int().min(0),
  /** Marked by the schedule once the due time passed with targets left. */
  overdue: z.boolean(),
  overdueAt: Instant.optional(),
  completedAt: Instant.optional(),
  /** 按时巡检: completed by the due time. */
  onTime: z.boolean().optional(),
  generatedAt: Instant,
});
export type PatrolTask = z.infer<typeof PatrolTask>;

// ---------------------------------------------------------------------------------------------------------
// Results

export const PatrolOutcome = z.enum(['normal', 'abnormal']);
export type PatrolOutcome = z.infer<typeof PatrolOutcome>;

export const ChecklistAnswer = z.strictObject({ itemId: z.string().min(1).max(32), ok: z.boolean(), note: z.string().trim().max(500).optional() });
export type ChecklistAnswer = z.infer<typeof ChecklistAnswer>;

/** Where the inspector stood, from the phone's GPS (WGS84). */
export const PatrolPosition = GeoPoint.extend({ accuracyM: z.number().min(0).max(100_000).optional() });
export type PatrolPosition = z.infer<typeof PatrolPosition>;

/** What an abnormal result reports into the case loop (source 'inspector', at the target's location). */
export const PatrolCaseReport = z.strictObject({
  kind: CaseKind,
  typeCode: z.string().regex(/^\d{5}$/, { message: 'a type code has five digits (GB/T 47678.5)' }),
  urgency: Urgency.default('ordinary'),
  /** Without one, the case says which plan, target and checklist items failed. */
  description: z.string().trim().min(2).max(1000).optional(),
  photoIds: z.array(z.string()).max(9).default([]),
});
export type PatrolCaseReport = z.input<typeof PatrolCaseReport>;

/** POST /v1/patrol/tasks/{id}/results: one target's result. The same body again returns the same result. */
export const RecordPatrolResult = z
  .strictObject({
    targetId: z.string().min(1).max(64),
    outcome: PatrolOutcome,
    answers: z.array(ChecklistAnswer).min(1).max(30),
    note: z.string().trim().max(1000).default(''),
    position: PatrolPosition,
    reportCase: PatrolCaseReport.optional(),
  })
  .superRefine((r, ctx) => {
    if (r.outcome === 'normal' && r.answers.some((a) => !a.ok)) ctx.addIssue({ code: 'custom', path: ['outcome'], message: 'a checklist item failed: the result is abnormal' });
    if (r.outcome === 'normal' && r.reportCase) ctx.addIssue({ code: 'custom', path: ['reportCase'], message: 'only an abnormal result reports a case' });
    if (new Set(r.answers.map((a) => a.itemId)).size !== r.answers.length) ctx.addIssue({ code: 'custom', path: ['answers'], message: 'an item is answered twice' });
  });
export type RecordPatrolResult = z.input<typeof RecordPatrolResult>;

/** 巡检结果 of one target of one task. */
export const PatrolResult = z.object({
  tenant: DivisionCode,
  taskId: z.string(),
  targetId: z.string(),
  outcome: PatrolOutcome,
  answers: z.array(ChecklistAnswer),
  note: z.string(),
  position: PatrolPosition,
  /** Metres between the GPS fix and the target. */
  distanceM: z.number().min(0),
  /** Farther than the tenant's `gpsToleranceMeters`: the result may not have been recorded on site. */
  farFromTarget: z.boolean(),
  recordedBy: z.string(),
  recordedByName: z.string().optional(),
  recordedAt: Instant,
  /** The case an abnormal result reported, with its number. */
  caseId: Ulid.optional(),
  caseNumber: z.string().optional(),
});
export type PatrolResult = z.infer<typeof PatrolResult>;

/** GET /v1/patrol/tasks/{id}: the task and its results so far. */
export const PatrolTaskDetail = z.object({ task: PatrolTask, results: z.array(PatrolResult) });
export type PatrolTaskDetail = z.infer<typeof PatrolTaskDetail>;

/** POST …/results → 201 (new) or 200 (the same result again). */
export const RecordedPatrolResult = z.object({ result: PatrolResult, task: PatrolTask, created: z.boolean() });
export type RecordedPatrolResult = z.infer<typeof RecordedPatrolResult>;

/** GET /v1/patrol/tasks?from=&to=&planId= (cycle days, `to` excluded) */
export const PatrolTaskQuery = z.object({ from: PatrolDay.optional(), to: PatrolDay.optional(), planId: Ulid.optional() });
export type PatrolTaskQuery = z.infer<typeof PatrolTaskQuery>;

// ---------------------------------------------------------------------------------------------------------
// Statistics

/** One row of the statistics: a plan, a team, or everything. */
export const PatrolStatsRow = z.object({
  id: z.string(),
  name: z.string(),
  /** Tasks whose cycle day lies in the period. */
  due: z.number().int(),
  completed: z.number().int(),
  completedOnTime: z.number().int(),
  /** Past their due time and not completed. */
  overdue: z.number().int(),
  /** 按时巡检率: completed on time / tasks due by now; null when none was due yet. */
  onTimeRate: z.number().nullable(),
  abnormal: z.number().int(),
  casesReported: z.number().int(),
});
export type PatrolStatsRow = z.infer<typeof PatrolStatsRow>;

/** GET /v1/patrol/stats?from=&to= (`to` excluded) */
export const PatrolStats = z.object({ from: PatrolDay, to: PatrolDay, total: PatrolStatsRow, byPlan: z.array(PatrolStatsRow), byTeam: z.array(PatrolStatsRow) });
export type PatrolStats = z.infer<typeof PatrolStats>;
