/** The building blocks of every home: a titled panel, an empty state, a loading line, an async view. */
import { createUniqueId, Match, Show, Switch, type Accessor, type JSX, type Resource } from 'solid-js';
import { t } from '../i18n';
import { ErrorMessage } from './error-message';

export function Panel(props: {
  title: string;
  testid?: string;
  class?: string;
  actions?: JSX.Element;
  children: JSX.Element;
}) {
  const id = createUniqueId();
  return (
    <section class={`panel ${props.class ?? ''}`} data-testid={props.testid} aria-labelledby={id}>
      <header class="panel-head">
        <h2 id={id}>{props.title}</h2>
        <Show when={props.actions}>
          <div class="panel-actions">{props.actions}</div>
        </Show>
      </header>
      <div class="panel-body">{props.children}</div>
    </section>
  );
}

export function EmptyState(props: { title: string; body?: string; testid?: string }) {
  return (
    <div class="empty" data-testid={props.testid ?? 'empty-state'}>
      <p class="empty-title">{props.title}</p>
      <Show when={props.body}>
        <p class="empty-body">{props.body}</p>
      </Show>
    </div>
  );
}

export function Loading(props: { text?: string }) {
  return (
    <p class="loading" role="status">
      {props.text ?? t('common.loading')}
    </p>
  );
}

/**
 * Show a resource: loading, error (with retry), or the value. Reads `latest` only once the resource has
 * resolved, so no Suspense boundary is needed and a refetch keeps the old value on screen.
 */
export function Async<T>(props: { resource: Resource<T>; onRetry?: () => void; children: (value: Accessor<T>) => JSX.Element }) {
  return (
    <Switch fallback={<Loading />}>
      <Match when={props.resource.state === 'errored'}>
        <ErrorMessage error={props.resource.error} onRetry={props.onRetry} />
      </Match>
      <Match when={props.resource.state === 'ready' || props.resource.state === 'refreshing'}>
        {props.children(() => props.resource.latest as T)}
      </Match>
    </Switch>
  );
}

/** A resource's value once it has one (kept while refreshing); undefined while loading or after an error. */
export function settled<T>(resource: Resource<T>): T | undefined {
  return resource.state === 'ready' || resource.state === 'refreshing' ? resource.latest : undefined;
}

/** A refresh button for a panel header. */
export function RefreshButton(props: { onClick: () => void; busy?: boolean }) {
  return (
    <button type="button" class="btn btn-ghost btn-small" onClick={() => props.onClick()} disabled={props.busy}>
      {t('common.refresh')}
    </button>
  );
}
