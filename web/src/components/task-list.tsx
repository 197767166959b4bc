/**
 * Open human tasks for my roles (/v1/tasks): soonest time limit first, overdue ones marked red, those due
 * within two hours amber. The clock ticks so a task turns overdue on screen without a reload. A case task
 * links to the case detail, where its form is. A screen may show only some tasks (the inspector's 核实/核查).
 */
import { A } from '@solidjs/router';
import { createResource, For, onCleanup, Show } from 'solid-js';
import { api } from '../api/client';
import type { Task } from '../api/schemas';
import { t } from '../i18n';
import { stepName } from '../lib/case-format';
import { dueState, dueText, formatDateTime, useNow } from '../lib/time';
import { Async, EmptyState, Panel, RefreshButton } from './panel';

/** Tasks with a time limit first, soonest first; tasks without one after them, oldest first. */
export function sortTasks(tasks: readonly Task[]): Task[] {
  const key = (task: Task) => (task.dueAt ? Date.parse(task.dueAt) : Number.POSITIVE_INFINITY);
  return [...tasks].sort((a, b) => key(a) - key(b) || a.openedAt.localeCompare(b.openedAt));
}

export { stepName };

/** Where a task is worked on: case tasks on their case's detail page; others on their home (no link). */
export const taskHref = (task: Task): string | undefined => (task.subject === 'case' ? `/case/${task.itemId}` : undefined);

export function TaskList(props: { class?: string; title?: string; testid?: string; empty?: string; filter?: (task: Task) => boolean; refreshMs?: number }) {
  const [tasks, { refetch }] = createResource(async () => sortTasks((await api.tasks()).items.filter((task) => props.filter?.(task) ?? true)));
  if (props.refreshMs) {
    const timer = setInterval(() => {
      if (typeof document === 'undefined' || !document.hidden) void refetch();
    }, props.refreshMs);
    onCleanup(() => clearInterval(timer));
  }
  const now = useNow();
  const count = () => (tasks.state === 'ready' ? tasks.latest.length : undefined);

  return (
    <Panel
      title={props.title ?? t('tasks.title')}
      testid={props.testid ?? 'task-list'}
      class={props.class}
      actions={
        <>
          <Show when={count() !== undefined}>
            <span class="count">{t('common.count', { n: count() ?? 0 })}</span>
          </Show>
          <RefreshButton onClick={() => void refetch()} busy={tasks.loading} />
        </>
      }
    >
      <Async resource={tasks} onRetry={() => void refetch()}>
        {(items) => (
          <Show when={items().length > 0} fallback={<EmptyState title={props.empty ?? t('tasks.empty')} />}>
            <ul class="task-list">
              <For each={items()}>
                {(task) => {
                  const state = () => dueState(task.dueAt, now());
                  return (
                    <li class="task" classList={{ overdue: state() === 'overdue', soon: state() === 'soon' }} data-testid="task" data-due-state={state()} data-step={task.step}>
                      <div class="task-main">
                        <span class="tag">{stepName(task.step)}</span>
                        <Show when={taskHref(task)} fallback={<span class="task-title">{task.title}</span>}>
                          {(href) => (
                            <A class="task-title task-link" href={href()} data-testid="task-link">
                              {task.title}
                            </A>
                          )}
                        </Show>
                      </div>
                      <div class="task-meta">
                        <Show when={task.dueAt} fallback={<span class="muted">{t('tasks.noDue')}</span>}>
                          {(dueAt) => (
                            <>
                              <span>
                                {t('tasks.due')} <time datetime={dueAt()}>{formatDateTime(dueAt())}</time>
                              </span>
                              <strong class="due-text">{dueText(dueAt(), now())}</strong>
                            </>
                          )}
                        </Show>
                        <Show when={state() === 'overdue'}>
                          <span class="badge badge-danger">{t('tasks.overdue')}</span>
                        </Show>
                        <Show when={state() === 'soon'}>
                          <span class="badge badge-warn">{t('tasks.dueSoon')}</span>
                        </Show>
                        <Show when={task.escalations > 0}>
                          <span class="badge badge-warn">{t('tasks.escalations', { n: task.escalations })}</span>
                        </Show>
                        <span class="muted">
                          {t('tasks.opened')} <time datetime={task.openedAt}>{formatDateTime(task.openedAt)}</time>
                        </span>
                      </div>
                    </li>
                  );
                }}
              </For>
            </ul>
          </Show>
        )}
      </Async>
    </Panel>
  );
}
