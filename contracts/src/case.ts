/**
 * The case (案件) of the seven-stage loop (CMD-1): 信息采集 → 案件建立 → 任务派遣 → 任务处理 → 处理反馈 → 核查结案 →
 * 绩效考核. A case is reported from one of the sources of CMD-2, verified if its source is not trusted,
 * filed or cancelled by the shift leader, dispatched to one or more departments, handled (with extension,
 * return and suspension requests), fed back with photos, checked on site and closed. Every transition is an
 * event with actor, role, time and the on-time flag the indicators (CMD-9) need.
 */
import { z } from 'zod';
import { DivisionCode } from './divisions';
import { Role } from './roles';

export const CaseSource = z.enum(['inspector', 'citizen', 'hotline', 'sensor', 'video', 'leader', 'province']);
export type CaseSource = z.infer<typeof CaseSource>;
/** Sources whose reports are verified on site (核实) before filing; an inspector's own report is not. */
export const UNVERIFIED_SOURCES: readonly CaseSource[] = ['citizen', 'hotline', 'video', 'sensor'];

export const CaseKind = z.enum(['component', 'matter']); // 部件 / 事件(事项)
export type CaseKind = z.infer<typeof CaseKind>;
export const Urgency = z.enum(['urgent', 'ordinary']); // 紧急 / 一般
export type Urgency = z.infer<typeof Urgency>;

export const CaseStatus = z.enum([
  'verifying', // 待核实
  'filing', // 待立案
  'dispatching', // 待派遣
  'handling', // 处置中
  'extension-review', // 延期审批中
  'suspension-review', // 挂账审批中
  'suspended', // 已挂账
  'checking', // 待核查
  'closed', // 已结案
  'cancelled', // 已作废
]);
export type CaseStatus = z.infer<typeof CaseStatus>;

/** 结案类型: 正常 / 超时 / 差错 / 特殊. */
export const CloseType = z.enum(['normal', 'overdue', 'error', 'special']);
export type CloseType = z.infer<typeof CloseType>;

export const GeoPoint = z.object({
  lng: z.number().min(73).max(136),
  lat: z.number().min(3).max(54),
});
export type GeoPoint = z.infer<typeof GeoPoint>;

/** Ids of cases, photos and supervision items: ULIDs (26 characters, time-ordered). */
export const Ulid = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, { message: 'an id is a 26-character ULID' });

export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
export const Photo = z.object({
  id: Ulid,
  contentType: z.enum(PHOTO_TYPES),
  bytes: z.number().int().positive().max(MAX_PHOTO_BYTES),
  stage: z.enum(['report', 'feedback', 'check']),
  uploadedAt: z.iso.datetime(),
});
export type Photo = z.infer<typeof Photo>;

export const ClientId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, { message: 'clientId is 8–64 letters, digits, _ or -' });

/** 信息采集: a report from any source. Re-sending the same clientId returns the same case. */
export const ReportCase = z.object({
  clientId: ClientId,
  source: CaseSource,
  kind: CaseKind,
  /** 5-digit GB/T 47678.5 type code, or a tenant extension code. */
  typeCode: z.string().regex(/^\d{5}$/, { message: 'a type code has five digits (GB/T 47678.5)' }),
  /** 17-digit component id, for component cases when known. */
  componentId: z.string().regex(/^\d{17}$/, { message: 'a component id has 17 digits (GB/T 47678.5)' }).optional(),
  description: z.string().trim().min(2).max(1000),
  location: GeoPoint,
  address: z.string().trim().max(256).optional(),
  urgency: Urgency.default('ordinary'),
  /** Photos uploaded before (POST /v1/photos), by id. */
  photoIds: z.array(z.string()).max(9).default([]),
  /** The sensor alarm, video detection or supervision item this report comes from. */
  externalRef: z.string().max(128).optional(),
  /** A citizen's contact for the call-back (personal data: stored, never logged). */
  reporterContact: z.object({ name: z.string().max(50).optional(), phone: z.string().regex(/^[0-9+\-() ]{5,20}$/).optional() }).optional(),
});
export type ReportCase = z.input<typeof ReportCase>;

export const CaseAction = z.enum([
  'reported',
  'verified',
  'verify-rejected',
  'filed',
  'cancelled',
  'dispatched',
  'auto-dispatched',
  'return-requested',
  'extension-requested',
  'extension-approved',
  'extension-denied',
  'suspension-requested',
  'suspension-approved',
  'suspension-denied',
  'resumed',
  'feedback',
  'check-passed',
  'check-failed',
  'closed',
  'escalated',
  'merged',
]);
export type CaseAction = z.infer<typeof CaseAction>;

export const CaseEvent = z.object({
  at: z.iso.datetime(),
  action: CaseAction,
  /** The flow step the action completed (case.verify, case.file, …), when it completed one. */
  step: z.string().optional(),
  actor: z.string(),
  role: z.union([Role, z.literal('system')]),
  department: z.string().optional(),
  /** Done within the step's time limit; absent for actions that are not a timed step. */
  onTime: z.boolean().optional(),
  note: z.string().default(''),
  data: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())])).optional(),
});
export type CaseEvent = z.infer<typeof CaseEvent>;

export const Case = z.object({
  id: z.string(),
  tenant: DivisionCode,
  /** 案件编号 shown to people: <tenant>-<yyyymmdd>-<the id's last 6 characters>. */
  number: z.string(),
  source: CaseSource,
  kind: CaseKind,
  typeCode: z.string(),
  /** 11-digit 事项代码 = division + type code. */
  matterCode: z.string(),
  componentId: z.string().optional(),
  /** 权属单位: the department owning the device the case is about (a sensor alarm's case); dispatch goes there. */
  ownerDepartment: z.string().optional(),
  /**
   * MUN-3 就近派单: the inspector (token subject) chosen to confirm a sensor alarm's case, the nearest with a fresh
   * position. The 核实 task goes to them alone until the step is escalated (督办); then to every inspector.
   */
  assignedInspector: z.string().optional(),
  gridId: z.string(),
  description: z.string(),
  location: GeoPoint,
  address: z.string().optional(),
  urgency: Urgency,
  status: CaseStatus,
  /** Departments working on it; the first leads (joint handling, CMD-7). */
  departments: z.array(z.string()),
  photos: z.array(Photo),
  externalRef: z.string().optional(),
  createdAt: z.iso.datetime(),
  reportedBy: z.string(),
  dueAt: z.iso.datetime().nullable(),
  closeType: CloseType.optional(),
  closedAt: z.iso.datetime().optional(),
  /** The current step's deadline as first planned (escalations do not move it): what on-time is judged by. */
  stepDue: z.object({ step: z.string(), dueAt: z.iso.datetime() }).optional(),
  /** When the current round of handling began (dispatch, rework) and the extra hours granted since. */
  handlingStartedAt: z.iso.datetime().optional(),
  extensionHours: z.number().min(0).default(0),
  /** Hours a department asked for, while its extension request waits for the dispatcher. */
  requestedExtensionHours: z.number().positive().optional(),
  /** Since when a request (延期/挂账) of the department has waited for a decision: handling time stands still. */
  reviewStartedAt: z.iso.datetime().optional(),
  /** Periods handling stood still in this round (waiting for a decision, suspended); added to its deadline. */
  pauses: z.array(z.object({ from: z.iso.datetime(), to: z.iso.datetime() })).default([]),
  escalations: z.number().int().min(0),
  reworks: z.number().int().min(0),
  extensions: z.number().int().min(0),
  mergedInto: z.string().optional(),
  history: z.array(CaseEvent),
});
export type Case = z.infer<typeof Case>;

/** A case as a list row (no history, no photos). */
export const CaseSummary = Case.omit({ history: true, photos: true });
export type CaseSummary = z.infer<typeof CaseSummary>;

const Note = z.string().trim().max(1000).default('');
export const VerifyCase = z.object({ confirmed: z.boolean(), note: Note, photoIds: z.array(z.string()).max(9).default([]) });
export const FileCase = z.object({
  decision: z.enum(['file', 'cancel']),
  /** The shift leader may correct the classification when filing. */
  typeCode: z.string().regex(/^\d{5}$/).optional(),
  urgency: Urgency.optional(),
  note: Note,
});
export const DispatchCase = z.object({ departments: z.array(z.string().min(2)).min(1).max(5), note: Note });
export const HandleCase = z.object({
  action: z.enum(['feedback', 'extend', 'return', 'suspend']),
  note: Note,
  photoIds: z.array(z.string()).max(9).default([]),
  /** For `extend`: the extra hours asked for. */
  extendHours: z.number().positive().max(24 * 90).optional(),
});
export const DecideRequest = z.object({ approve: z.boolean(), note: Note });
export const CheckCase = z.object({ passed: z.boolean(), note: Note, photoIds: z.array(z.string()).max(9).default([]) });
export const ResumeCase = z.object({ note: Note });
export const MergeCase = z.object({ into: z.string(), note: Note });
