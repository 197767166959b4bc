/**
 * The frame of every role home: the `role-home` landmark with the tree's title, the working panels (`main`:
 * tasks, 督办, map) and a side column (`aside`: who I am, the tree's modules). Phones stack main above aside;
 * command-centre screens lay the main panels out side by side (styles.css). Without an aside the main
 * panels take the full width (the command centre's board).
 */
import { A } from '@solidjs/router';
import { For, Show, type JSX } from 'solid-js';
import { currentRole, me } from '../auth/session';
import { localized, roleName, t } from '../i18n';
import { sectionHref, TREES, visibleSections, type TreeId } from '../roles/trees';
import { Panel } from './panel';

export function HomeFrame(props: { tree: TreeId; main: JSX.Element; aside?: JSX.Element; class?: string }) {
  return (
    <section class={`home ${props.class ?? ''}`} data-testid="role-home" data-role={currentRole() ?? ''} data-tree={props.tree}>
      <header class="home-head">
        <h1>{t(TREES[props.tree].label)}</h1>
        <p class="muted">
          <Show when={me()}>{(principal) => <>{localized(principal().tenantProfile.name)}</>}</Show>
          <Show when={currentRole()}>{(role) => <> · {roleName(role())}</>}</Show>
        </p>
      </header>
      <div class="home-body" classList={{ 'no-aside': !props.aside }}>
        <div class="home-main">{props.main}</div>
        <Show when={props.aside}>
          <aside class="home-aside">{props.aside}</aside>
        </Show>
      </div>
    </section>
  );
}

/** The tree's modules; those that later issues bring are marked honestly as not yet available. */
export function ModulesPanel(props: { tree: TreeId; class?: string }) {
  const tree = () => TREES[props.tree];
  return (
    <Panel title={t('home.modules')} class={props.class}>
      <ul class="modules">
        <For each={visibleSections(tree(), currentRole())}>
          {(section) => (
            <li>
              <A class="module" href={sectionHref(tree(), section)}>
                <span>{t(section.label)}</span>
                <Show when={!section.ready && !section.href}>
                  <span class="badge badge-muted">{t('unavailable.badge')}</span>
                </Show>
              </A>
            </li>
          )}
        </For>
      </ul>
    </Panel>
  );
}
