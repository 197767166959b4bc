/**
 * PRV-SUP: the province assigns a supervision item (督办事项) to a city or county, which must feed back within
 * the time limit of its own calendar; the province reviews and closes it or sends it back.
 */
import { z } from 'zod';
import { DivisionCode } from './divisions';

export const SupervisionStatus = z.enum(['awaiting-feedback', 'awaiting-review', 'closed']);
export type SupervisionStatus = z.infer<typeof SupervisionStatus>;

export const CreateSupervision = z.object({
  /** Client-chosen id that makes a re-sent create return the same item (idempotency). */
  clientRequestId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, { message: 'clientRequestId is 8–64 letters, digits, _ or -' }),
  tenant: DivisionCode,
  title: z.string().trim().min(2).max(100),
  detail: z.string().trim().max(2000).default(''),
  urgency: z.enum(['urgent', 'ordinary']).default('ordinary'),
});
export type CreateSupervision = z.infer<typeof CreateSupervision>;

export const SupervisionFeedback = z.object({ text: z.string().trim().min(2).max(2000) });
export const SupervisionReview = z.object({ decision: z.enum(['accept', 'return']), comment: z.string().trim().max(2000).default('') });

export const SupervisionEvent = z.object({
  at: z.iso.datetime(),
  action: z.enum(['assigned', 'escalated', 'feedback', 'accepted', 'returned']),
  actor: z.string(),
  role: z.string(),
  text: z.string().default(''),
  onTime: z.boolean().optional(),
});
export type SupervisionEvent = z.infer<typeof SupervisionEvent>;

export const SupervisionItem = z.object({
  id: z.string(),
  tenant: DivisionCode,
  province: DivisionCode,
  title: z.string(),
  detail: z.string(),
  urgency: z.enum(['urgent', 'ordinary']),
  status: SupervisionStatus,
  escalations: z.number().int().min(0),
  dueAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  createdBy: z.string(),
  history: z.array(SupervisionEvent),
});
export type SupervisionItem = z.infer<typeof SupervisionItem>;
