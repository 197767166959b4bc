/**
 * The route table: sign-in pages, then one lazily loaded tree per role group behind the auth guard.
 * Trees come from roles/trees.ts, so adding a role or a section never means editing routes by hand.
 */
import { Router, type RouteDefinition } from '@solidjs/router';
import { createEffect, lazy, type Component } from 'solid-js';
import { t } from './i18n';
import { Authed, NotFound, RoleRedirect, sectionPage, treeGuard } from './pages/authed';
import LoginPage from './pages/login';
import { TREES, type TreeId } from './roles/trees';

const HOMES: Record<TreeId, Component> = {
  command: lazy(() => import('./trees/command')),
  department: lazy(() => import('./trees/department')),
  inspector: lazy(() => import('./trees/inspector')),
  enforcement: lazy(() => import('./trees/enforcement')),
  monitoring: lazy(() => import('./trees/monitoring')),
  leader: lazy(() => import('./trees/leader')),
  admin: lazy(() => import('./trees/admin')),
  province: lazy(() => import('./trees/province')),
  citizen: lazy(() => import('./trees/citizen')),
};

export const routes: RouteDefinition[] = [
  { path: '/login', component: LoginPage },
  { path: '/auth/callback', component: lazy(() => import('./pages/oidc-callback')) },
  {
    path: '/',
    component: Authed,
    children: [
      { path: '/', component: RoleRedirect },
      ...Object.values(TREES).map(
        (tree): RouteDefinition => ({
          path: tree.path,
          component: treeGuard(tree.id),
          children: [
            { path: '/', component: HOMES[tree.id] },
            { path: '/:section', component: sectionPage(tree.id) },
          ],
        }),
      ),
      { path: '*', component: NotFound },
    ],
  },
];

export function App() {
  createEffect(() => {
    document.title = t('app.title');
  });
  return <Router>{routes}</Router>;
}
