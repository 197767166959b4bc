/**
 * The bell in the header: the latest notifications addressed to me (the outbox, /v1/notifications), polled
 * every minute. The count is of those newer than the last time the list was opened (remembered per user in
 * localStorage); each item links to its case.
 */
import { A } from '@solidjs/router';
import { createResource, createSignal, For, onCleanup, Show } from 'solid-js';
import { api } from '../api/client';
import type { Notification } from '../api/schemas';
import { me } from '../auth/session';
import { localized, t } from '../i18n';
import { formatDateTime } from '../lib/time';
import { BellIcon } from './icons';
import { settled } from './panel';

export const NOTIFICATIONS_REFRESH_MS = 60_000;
const SEEN_KEY = 'cityops.notifications.seen';

const seenKey = () => `${SEEN_KEY}.${me()?.subject ?? ''}`;
function readSeen(): string {
  try {
    return localStorage.getItem(seenKey()) ?? '';
  } catch {
    return '';
  }
}

/** Notifications newer than `seen` (ISO times compare as strings). */
export const unseenCount = (items: readonly Notification[], seen: string): number => items.filter((n) => n.at > seen).length;

export function NotificationsBell() {
  const [items, { refetch }] = createResource(async () => [...(await api.notifications()).items].sort((a, b) => b.at.localeCompare(a.at)));
  const [open, setOpen] = createSignal(false);
  const [seen, setSeen] = createSignal(readSeen());
  /** What counted as seen when the list was opened: items after it are marked new while it stays open. */
  const [shownSince, setShownSince] = createSignal('');
  const timer = setInterval(() => void refetch(), NOTIFICATIONS_REFRESH_MS);
  onCleanup(() => clearInterval(timer));

  const list = () => settled(items) ?? [];
  const count = () => unseenCount(list(), seen());
  const toggle = () => {
    const next = !open();
    setOpen(next);
    if (next) {
      setShownSince(seen());
      const newest = list()[0]?.at;
      if (newest) {
        setSeen(newest);
        try {
          localStorage.setItem(seenKey(), newest);
        } catch {
          // Storage refused (private mode): the count resets on reload, nothing else is lost.
        }
      }
    }
  };

  return (
    <div class="bell" data-testid="notifications-bell" data-count={count()}>
      <button
        type="button"
        class="btn btn-ghost bell-button"
        aria-expanded={open()}
        aria-controls="notifications-list"
        aria-label={`${t('notify.title')}${count() > 0 ? ` · ${t('notify.unread', { n: count() })}` : ''}`}
        onClick={toggle}
      >
        <BellIcon />
        <Show when={count() > 0}>
          <span class="bell-count" data-testid="notifications-count">
            {count() > 99 ? '99+' : count()}
          </span>
        </Show>
      </button>
      <Show when={open()}>
        <div id="notifications-list" class="bell-panel" role="dialog" aria-label={t('notify.title')}>
          <div class="bell-head">
            <strong>{t('notify.title')}</strong>
            <button type="button" class="btn btn-ghost btn-small" onClick={() => setOpen(false)}>
              {t('common.close')}
            </button>
          </div>
          <Show when={items.state !== 'errored'} fallback={<p class="muted">{t('notify.failed')}</p>}>
            <Show when={list().length > 0} fallback={<p class="muted">{t('notify.empty')}</p>}>
              <ul class="bell-items">
                <For each={list()}>
                  {(n) => (
                    <li class="bell-item" data-testid="notification" classList={{ unread: n.at > shownSince() }}>
                      <div class="bell-item-head">
                        <strong>{localized(n.title)}</strong>
                        <time class="muted small" datetime={n.at}>
                          {formatDateTime(n.at)}
                        </time>
                      </div>
                      <Show when={n.body}>
                        <p class="small">{n.body}</p>
                      </Show>
                      <Show when={n.caseId}>
                        {(id) => (
                          <A href={`/case/${id()}`} class="small" onClick={() => setOpen(false)}>
                            {t('notify.openCase')}
                          </A>
                        )}
                      </Show>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          </Show>
        </div>
      </Show>
    </div>
  );
}
