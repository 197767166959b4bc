/**
 * Times as the platform shows them: Beijing time (the tenants' calendars are Asia/Shanghai), written
 * YYYY-MM-DD HH:mm in both languages, and how far a time limit is from now.
 */
import { createSignal, onCleanup, type Accessor } from 'solid-js';
import { t } from '../i18n';

const parts = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** `2025-11-24 15:30` in Beijing time; the input unchanged if it is not a date. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const p = Object.fromEntries(parts.formatToParts(date).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** A time limit within this window counts as "due soon". */
export const DUE_SOON_MS = 2 * 60 * 60 * 1000;

export type DueState = 'none' | 'ok' | 'soon' | 'overdue';

export function dueState(dueAt: string | null | undefined, now: number): DueState {
  if (!dueAt) return 'none';
  const due = Date.parse(dueAt);
  if (Number.isNaN(due)) return 'none';
  if (due <= now) return 'overdue';
  return due - now <= DUE_SOON_MS ? 'soon' : 'ok';
}

/** A duration in days and hours, hours and minutes, or minutes, from the catalogue. */
export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.floor(Math.abs(ms) / 60_000));
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  if (d > 0) return t('duration.dayHour', { d, h });
  if (h > 0) return t('duration.hourMinute', { h, m });
  return t('duration.minute', { m });
}

/** "3 h 15 min left" or "2 h overdue" for a time limit; empty when there is none. */
export function dueText(dueAt: string | null | undefined, now: number): string {
  if (!dueAt) return '';
  const left = Date.parse(dueAt) - now;
  if (Number.isNaN(left)) return '';
  return left > 0 ? t('tasks.remaining', { duration: formatDuration(left) }) : t('tasks.overdueBy', { duration: formatDuration(left) });
}

/** The current time, refreshed every `everyMs` while the calling component lives. */
export function useNow(everyMs = 30_000): Accessor<number> {
  const [now, setNow] = createSignal(Date.now());
  const timer = setInterval(() => setNow(Date.now()), everyMs);
  onCleanup(() => clearInterval(timer));
  return now;
}
