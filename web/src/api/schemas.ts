/** Response shapes the web client parses: from contracts/, with the list wrappers the API returns. */
import { z } from 'zod';
import { AlarmView, Case, CaseSummary, DeadLetter, Device, DeviceView, GeoPoint, HumanTask, LocalizedName, Role, SupervisionItem, TenantProfile } from '../../../contracts';

export { ClientConfig as AppConfig, DemoUser, DemoUsers, Me, TokenResponse } from '../../../contracts';

/** One open human step of a flow, as the web shows it. */
export const Task = HumanTask.pick({ taskId: true, subject: true, itemId: true, step: true, dueAt: true, escalations: true, openedAt: true, title: true });
export type Task = z.infer<typeof Task>;
export const TaskList = z.object({ items: z.array(Task) });

export const SupervisionList = z.object({ items: z.array(SupervisionItem) });
export const TenantList = z.object({ items: z.array(TenantProfile) });

// ---------------------------------------------------------------------------------------------------------
// Cases (CMD-1 … CMD-8)

/** What a viewer may do on a case (GET /v1/cases/{id} `allowedActions`), one POST /v1/cases/{id}/<name> each. */
export const CASE_ACTIONS = ['verify', 'file', 'merge', 'dispatch', 'handle', 'extension', 'suspension', 'resume', 'check'] as const;
export type CaseActionName = (typeof CASE_ACTIONS)[number];
const isCaseAction = (name: string): name is CaseActionName => (CASE_ACTIONS as readonly string[]).includes(name);

/** A case with the actions the viewer may take. Action names this web does not know yet are dropped, not fatal. */
export const CaseDetail = Case.extend({
  allowedActions: z.array(z.string()).transform((names) => names.filter(isCaseAction)),
});
export type CaseDetail = z.infer<typeof CaseDetail>;

export const CaseList = z.object({ items: z.array(CaseSummary) });

/** GET /v1/cases/board: how many cases wait at each stage, and the overdue ones. */
export const Board = z.object({ queues: z.record(z.string(), z.number()), overdue: z.array(CaseSummary) });
export type Board = z.infer<typeof Board>;

/** GET /v1/notifications: the outbox as the signed-in user sees it (functions/src/notifications/outbox.ts). */
export { Notification } from '../../../contracts';
import { Notification } from '../../../contracts';
export const NotificationList = z.object({ items: z.array(Notification) });

// ---------------------------------------------------------------------------------------------------------
// Base data and geocoding (CMD-4, CMD-5)

/** A GeoJSON geometry as Leaflet takes it; the web only draws it, so it is checked loosely. */
const Geometry = z.looseObject({ type: z.string(), coordinates: z.unknown().optional(), geometries: z.unknown().optional() });

const featureCollection = <P extends z.ZodType>(properties: P) =>
  z.object({
    type: z.literal('FeatureCollection'),
    features: z.array(z.object({ type: z.literal('Feature'), id: z.union([z.string(), z.number()]).optional(), geometry: Geometry.nullable(), properties })),
  });

export const GridProperties = z.looseObject({ id: z.string(), name: z.string().optional() });
export const GridCollection = featureCollection(GridProperties);
export type GridCollection = z.infer<typeof GridCollection>;

export const ComponentProperties = z.looseObject({ id: z.string(), typeCode: z.string(), name: z.string().optional(), status: z.string().optional() });
export const ComponentCollection = featureCollection(ComponentProperties);
export type ComponentCollection = z.infer<typeof ComponentCollection>;

export const GeocodeResult = z.object({ address: z.string(), location: GeoPoint, gridId: z.string().optional().nullable() });
export type GeocodeResult = z.infer<typeof GeocodeResult>;
export const GeocodeList = z.object({ items: z.array(GeocodeResult) });
export const ReverseGeocode = z.object({ gridId: z.string().optional().nullable(), address: z.string().optional().nullable() });
export type ReverseGeocode = z.infer<typeof ReverseGeocode>;

// ---------------------------------------------------------------------------------------------------------
// Evaluation (CMD-9)

export const EVALUATION_GROUPS = ['inspector', 'role', 'department', 'grid', 'region', 'tenant'] as const;
export type EvaluationGroup = (typeof EVALUATION_GROUPS)[number];

export const EvaluationIndicatorValue = z.object({
  numerator: z.number(),
  denominator: z.number().nullable(),
  value: z.number().nullable(),
});
export type EvaluationIndicatorValue = z.infer<typeof EvaluationIndicatorValue>;

export const Grade = z.enum(['A', 'B', 'C', 'D', 'E']);
export type Grade = z.infer<typeof Grade>;

export const EvaluationRow = z.object({
  subject: z.object({ id: z.string(), kind: z.string(), name: z.string().optional() }),
  indicators: z.record(z.string(), EvaluationIndicatorValue),
  score: z.number().nullable().optional(),
  grade: Grade.nullable().optional(),
});
export type EvaluationRow = z.infer<typeof EvaluationRow>;

export const EvaluationReport = z.object({
  period: z.unknown().optional(),
  groupBy: z.string(),
  rows: z.array(EvaluationRow),
});
export type EvaluationReport = z.infer<typeof EvaluationReport>;

// ---------------------------------------------------------------------------------------------------------
// Monitoring (MON-1, MON-3, MUN-3/4/5): the list wrappers around contracts/src/monitoring-api.ts

export const DeviceList = z.object({ items: z.array(DeviceView) });
export const AlarmList = z.object({ items: z.array(AlarmView) });
export const DeadLetterList = z.object({ items: z.array(DeadLetter) });
/** DELETE /v1/devices/{id}: the device as decommissioned. */
export const DecommissionedDevice = z.object({ device: Device });
