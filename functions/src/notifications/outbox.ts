/**
 * Notifications (CMD-7 reminders, MON-8 warnings) go through one port. The outbox in the table is the
 * built-in channel: what staff see in the web app's notification list, and the queue a delivery adapter (SMS
 * gateway, WeChat subscribe message) reads from. Delivery adapters other than WeChat are not built yet.
 */
import { ulid } from 'ulid';
import { Notification } from '../../../contracts';
import { keys } from '../data/keys';
import type { Store } from '../data/store';
import { usePrincipal, useTenant } from '../tenancy/context';

export { Notification };

/**
 * Write a notification to the caller's tenant's outbox. Kept 30 days. A caller that may run twice for the same
 * event (a stream redelivery) passes `id` and `at` of the event, so the second write lands on the same item.
 */
export async function notify(store: Store, n: Omit<Notification, 'id' | 'at'> & { id?: string; at?: string }, now: Date): Promise<Notification> {
  const full: Notification = { ...n, id: n.id ?? ulid(now.getTime()), at: n.at ?? now.toISOString() };
  await store.put({
    PK: keys.outbox(useTenant()),
    SK: `${full.at}#${full.id}`,
    ...full,
    entity: 'notification',
    expiresAt: Math.floor(now.getTime() / 1000) + 30 * 86400,
  });
  return full;
}

/** The latest notifications addressed to the caller (by user, role or department). */
export async function myNotifications(store: Store, limit = 50): Promise<Notification[]> {
  const p = usePrincipal();
  const rows = await store.query(Notification, { pk: keys.outbox(p.tenant), newestFirst: true, limit: 500 });
  return rows
    .filter(
      (n) =>
        n.to.user === p.subject ||
        // A department narrows a notification for department handlers only; other roles named get it anyway.
        n.to.roles?.some((r) => p.roles.includes(r) && (r !== 'department-handler' || !n.to.department || n.to.department === p.department)) ||
        (!n.to.roles && n.to.department !== undefined && n.to.department === p.department),
    )
    .slice(0, limit);
}
