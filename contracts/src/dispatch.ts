/**
 * MUN-3 nearest-inspector dispatch (就近派单): an inspector's phone shares its position while the inspector's
 * pages are open (位置共享), and a sensor alarm's case goes to the nearest inspector with a fresh position to
 * confirm (核实). How long a position counts, how far is worth sending someone and how often phones report are
 * tenant data (`tenants/<code>/dispatch-settings.json`, `TenantDispatchSettings`), never literals in code.
 * A position is personal data: stored with an expiry, never logged, never listed by any API.
 */
import { z } from 'zod';
import { GeoPoint } from './case';
import { DivisionCode } from './divisions';

const $comment = z.union([z.string(), z.array(z.string())]).optional();

/** tenants/<code>/dispatch-settings.json, loaded at onboarding. */
export const TenantDispatchSettings = z.strictObject({
  $comment,
  $schema: z.string().optional(),
  schemaVersion: z.literal(1),
  tenant: DivisionCode,
  /** How provisional the values are and who must confirm them. */
  note: z.string().max(2000).optional(),
  nearestInspector: z.strictObject({
    $comment,
    /** A position older than this is not used (and the stored item expires after it). */
    positionFreshSeconds: z.number().int().min(30).max(24 * 3600),
    /** How often an open inspector page reports its position; less than the freshness, so a position stays fresh. */
    reportEverySeconds: z.number().int().min(10).max(3600),
    /** No inspector farther than this (straight line) is assigned: the task then goes to every inspector. */
    maxDistanceMeters: z.number().int().min(50).max(100_000),
    /** A fix less precise than this (the phone's own accuracy estimate) is not used. */
    maxAccuracyMeters: z.number().int().min(5).max(10_000),
  }).refine((s) => s.reportEverySeconds < s.positionFreshSeconds, { message: 'reportEverySeconds must be less than positionFreshSeconds', path: ['reportEverySeconds'] }),
});
export type TenantDispatchSettings = z.infer<typeof TenantDispatchSettings>;

/** POST /v1/inspectors/me/position: the device's position (the browser's geolocation), inspectors only. */
export const ReportInspectorPosition = z.strictObject({
  location: GeoPoint,
  /** The phone's accuracy estimate in metres. */
  accuracyM: z.number().min(0).max(100_000).optional(),
});
export type ReportInspectorPosition = z.infer<typeof ReportInspectorPosition>;

/** The answer: until when the position counts and when to report again (never the position itself). */
export const InspectorPositionReceived = z.object({
  receivedAt: z.iso.datetime(),
  freshUntil: z.iso.datetime(),
  reportEverySeconds: z.number().int().positive(),
});
export type InspectorPositionReceived = z.infer<typeof InspectorPositionReceived>;
