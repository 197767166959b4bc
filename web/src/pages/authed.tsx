/**
 * Everything behind sign-in. Without a token: to the login page (also what a 401 leads to, since the client
 * drops the session). With one: load /v1/me once, then the shell; `/` goes to the current role's home and a
 * tree the user has no role for sends them back to their own.
 */
import { A, Navigate, useParams, type RouteSectionProps } from '@solidjs/router';
import { createEffect, createResource, Match, Show, Switch, type Component } from 'solid-js';
import { currentRole, isSignedIn, loadMe, me, setCurrentRole, signOut } from '../auth/session';
import { ErrorMessage } from '../components/error-message';
import { EmptyState, Loading } from '../components/panel';
import { Shell } from '../components/shell';
import { t } from '../i18n';
import { homePathFor, rolesInTree, TREES, visitorRolesOf, type TreeId } from '../roles/trees';

export function Authed(props: RouteSectionProps) {
  return (
    <Show when={isSignedIn()} fallback={<Navigate href="/login" />}>
      <Signed>{props.children}</Signed>
    </Show>
  );
}

function Signed(props: { children?: RouteSectionProps['children'] }) {
  const [principal, { refetch }] = createResource(() => me() ?? loadMe());
  return (
    <Switch fallback={<Loading text={t('shell.loadingUser')} />}>
      <Match when={principal.state === 'errored'}>
        <div class="page-center">
          <h1>{t('shell.userFailed')}</h1>
          <ErrorMessage error={principal.error} onRetry={() => void refetch()} />
          <button type="button" class="btn" onClick={() => signOut()}>
            {t('shell.logout')}
          </button>
        </div>
      </Match>
      <Match when={me() && currentRole()}>
        <Shell>{props.children}</Shell>
      </Match>
    </Switch>
  );
}

/** `/`: the home of the role the user works in. */
export function RoleRedirect() {
  return <Show when={currentRole()}>{(role) => <Navigate href={homePathFor(role())} />}</Show>;
}

/**
 * Guard for one tree: only users holding one of its roles (or a visitor role, roles/trees.ts TREE_VISITORS)
 * enter; entering makes that role current (so a bookmark to /command works for a shift leader who last worked
 * as leader). A tree role wins over a visitor role; a visitor keeps their own menu.
 */
export function treeGuard(id: TreeId): Component<RouteSectionProps> {
  return (props) => {
    const allowed = () => {
      const roles = me()?.roles ?? [];
      return [...rolesInTree(roles, id), ...visitorRolesOf(roles, id)];
    };
    createEffect(() => {
      const role = currentRole();
      const first = allowed()[0];
      if (first && (!role || !allowed().includes(role))) setCurrentRole(first);
    });
    return (
      <Show
        when={allowed().length > 0}
        fallback={<Show when={currentRole()}>{(role) => <Navigate href={homePathFor(role())} />}</Show>}
      >
        <Show when={currentRole() && allowed().includes(currentRole()!)}>{props.children}</Show>
      </Show>
    );
  };
}

/** `/<tree>/<section>`: a module that later issues bring; until then an honest empty state. */
export function sectionPage(id: TreeId): Component {
  return () => {
    const params = useParams<{ section: string }>();
    const section = () => TREES[id].sections.find((s) => s.path === params.section);
    return (
      <Show when={section()} fallback={<NotFound />}>
        {(s) => <ModuleUnavailable module={t(s().label)} />}
      </Show>
    );
  };
}

export function ModuleUnavailable(props: { module: string }) {
  return (
    <section class="home" data-testid="module-unavailable">
      <EmptyState title={t('unavailable.title', { module: props.module })} body={t('unavailable.body')} testid="unavailable" />
    </section>
  );
}

export function NotFound() {
  return (
    <section class="home" data-testid="not-found">
      <EmptyState title={t('notFound.title')} />
      <p>
        <A class="btn" href="/">
          {t('notFound.back')}
        </A>
      </p>
    </section>
  );
}
