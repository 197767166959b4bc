/** Response shapes the web client parses: from contracts/, with the list wrappers the API returns. */
import { z } from 'zod';
import { HumanTask, SupervisionItem, TenantProfile } from '../../../contracts';

export { ClientConfig as AppConfig, DemoUser, DemoUsers, Me, TokenResponse } from '../../../contracts';

/** One open human step of a flow, as the web shows it. */
export const Task = HumanTask.pick({ taskId: true, subject: true, itemId: true, step: true, dueAt: true, escalations: true, openedAt: true, title: true });
export type Task = z.infer<typeof Task>;
export const TaskList = z.object({ items: z.array(Task) });

export const SupervisionList = z.object({ items: z.array(SupervisionItem) });
export const TenantList = z.object({ items: z.array(TenantProfile) });
