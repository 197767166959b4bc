/**
 * Open human tasks for my roles (/v1/tasks): soonest time limit first, overdue ones marked red, those due
 * within two hours amber. The clock ticks so a task turns overdue on screen without a reload.
 */
import { createResource, For, Show } from 'solid-js';
import { api } from '../api/client';
import type { Task } from '../api/schemas';
import { isMessageKey, t } from '../i18n';
import { dueState, dueText, formatDateTime, useNow } from '../lib/time';
import { Async, EmptyState, Panel, RefreshButton } from './panel';

/** Tasks with a time limit first, soonest first; tasks without one after them, oldest first. */
export function sortTasks(tasks: readonly Task[]): Task[] {
  const key = (task: Task) => (task.dueAt ? Date.parse(task.dueAt) : Number.POSITIVE_INFINITY);
  return [...tasks].sort((a, b) => key(a) - key(b) || a.openedAt.localeCompare(b.openedAt));
}

/** The step's name from the catalogue, or the step id itself for steps the catalogue does not know yet. */
export function stepName(step: string): string {
  const key = `step.${step}`;
  return isMessageKey(key) ? t(key) : step;
}

export function TaskList(props: { class?: string }) {
  const [tasks, { refetch }] = createResource(async () => sortTasks((await api.tasks()).items));
  const now = useNow();
  const count = () => (tasks.state === 'ready' ? tasks.latest.length : undefined);

  return (
    <Panel
      title={t('tasks.title')}
      testid="task-list"
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
          <Show when={items().length > 0} fallback={<EmptyState title={t('tasks.empty')} />}>
            <ul class="task-list">
              <For each={items()}>
                {(task) => {
                  const state = () => dueState(task.dueAt, now());
                  return (
                    <li class="task" classList={{ overdue: state() === 'overdue', soon: state() === 'soon' }} data-testid="task" data-due-state={state()}>
                      <div class="task-main">
                        <span class="tag">{stepName(task.step)}</span>
                        <span class="task-title">{task.title}</span>
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
