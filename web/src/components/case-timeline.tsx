/** 办理过程: the case's history, oldest first — what was done, by whom in which role, when, and on time or late. */
import { For, Show } from 'solid-js';
import type { CaseEvent } from '../../../contracts';
import { localized, t } from '../i18n';
import { actorRoleName, eventName } from '../lib/case-format';
import { formatDateTime } from '../lib/time';
import { EmptyState } from './panel';

export function CaseTimeline(props: { history: readonly CaseEvent[]; departmentName: (code: string) => string }) {
  const sorted = () => [...props.history].sort((a, b) => a.at.localeCompare(b.at));
  const dataText = (event: CaseEvent): string[] => {
    const data = event.data ?? {};
    const out: string[] = [];
    const departments = data.departments;
    if (Array.isArray(departments)) out.push(departments.map((code, i) => `${props.departmentName(code)}${i === 0 && departments.length > 1 ? `（${t('case.lead')}）` : ''}`).join('、'));
    for (const key of ['extendHours', 'hours'] as const) {
      const hours = data[key];
      if (typeof hours === 'number') out.push(t('common.hours', { n: hours }));
    }
    return out;
  };
  return (
    <Show when={props.history.length > 0} fallback={<EmptyState title={t('case.timelineEmpty')} />}>
      <ol class="timeline" data-testid="case-timeline">
        <For each={sorted()}>
          {(event) => (
            <li class="timeline-item" data-testid="timeline-event" data-action={event.action} classList={{ late: event.onTime === false }}>
              <div class="timeline-head">
                <strong>{eventName(event.action)}</strong>
                <Show when={event.onTime !== undefined}>
                  <span class={event.onTime ? 'badge badge-ok' : 'badge badge-danger'} data-testid="on-time">
                    {event.onTime ? t('case.onTime') : t('case.late')}
                  </span>
                </Show>
                <time class="muted" datetime={event.at}>
                  {formatDateTime(event.at)}
                </time>
              </div>
              <div class="timeline-meta muted">
                {event.actor} · {actorRoleName(event.role)}
                <Show when={event.department}>{(d) => <> · {props.departmentName(d())}</>}</Show>
              </div>
              <For each={dataText(event)}>{(line) => <div class="small">{line}</div>}</For>
              <Show when={event.note}>
                <p class="timeline-note">{event.note}</p>
              </Show>
            </li>
          )}
        </For>
      </ol>
    </Show>
  );
}

/** `{ zh, en }` department names from the tenant profile, falling back to the code. */
export const departmentNamer =
  (departments: readonly { code: string; name: { zh: string; en: string } }[] | undefined) =>
  (code: string): string => {
    const d = departments?.find((x) => x.code === code);
    return d ? localized(d.name) : code;
  };
